using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Application.ConnectorSessions.Specifications;
using Sessions.Domain.ConnectorSessions;

namespace Sessions.Application.ConnectorSessions;

/// <summary>The caller's own sessions: another user's session is not found, exactly like a missing one.</summary>
public sealed class ConnectorSessionAccess(IRepository<ConnectorSession> sessions, ICaller caller)
{
    public async Task<ConnectorSession> LoadAsync(Guid sessionId, CancellationToken cancellationToken) =>
        await sessions.FirstOrDefaultAsync(new ConnectorSessionByIdSpec(caller.UserId, sessionId), cancellationToken)
        ?? throw NotFound(sessionId);

    /// <summary>The session to change, at the version the client named (412 otherwise).</summary>
    public async Task<ConnectorSession> LoadForUpdateAsync(Guid sessionId, long? expectedVersion, CancellationToken cancellationToken) =>
        await sessions.GetForUpdateAsync(new ConnectorSessionByIdSpec(caller.UserId, sessionId), expectedVersion, cancellationToken)
        ?? throw NotFound(sessionId);

    public Task<bool> ExistsAsync(Guid sessionId, CancellationToken cancellationToken) =>
        sessions.AnyAsync(new ConnectorSessionByIdSpec(caller.UserId, sessionId), cancellationToken);

    private static NotFoundException NotFound(Guid sessionId) => new("Session", sessionId);
}
