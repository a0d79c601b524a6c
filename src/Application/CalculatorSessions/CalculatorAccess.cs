using Sessions.Application.CalculatorSessions.Specifications;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Domain.CalculatorSessions;

namespace Sessions.Application.CalculatorSessions;

/// <summary>Sessions and results of one of the caller's organisations; any other is not found, exactly like a missing one.</summary>
public sealed class CalculatorAccess(IRepository<CalculatorSession> sessions, IReadRepository<CalculationResult> results, ICaller caller)
{
    /// <summary>A session, with a page of its event log when <paramref name="events"/> is given.</summary>
    public async Task<CalculatorSession> LoadAsync(string sessionId, CancellationToken cancellationToken, EventPage? events = null) =>
        await sessions.FirstOrDefaultAsync(new CalculatorSessionByIdSpec(sessionId, caller.Organisations, events), cancellationToken)
        ?? throw NotFound(sessionId);

    /// <summary>The session to change, at the version the client named (412 otherwise).</summary>
    public async Task<CalculatorSession> LoadForUpdateAsync(string sessionId, long? expectedVersion, CancellationToken cancellationToken) =>
        await sessions.GetForUpdateAsync(new CalculatorSessionByIdSpec(sessionId, caller.Organisations), expectedVersion, cancellationToken)
        ?? throw NotFound(sessionId);

    public async Task<CalculationResult> LoadResultAsync(string resultId, CancellationToken cancellationToken) =>
        await results.FirstOrDefaultAsync(new CalculationResultByIdSpec(resultId, caller.Organisations), cancellationToken)
        ?? throw new NotFoundException("Calculation result", resultId);

    private static NotFoundException NotFound(string sessionId) => new("Calculator session", sessionId);
}
