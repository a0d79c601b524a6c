using Sessions.Application.CalculatorSessions.Specifications;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Domain.CalculatorSessions;

namespace Sessions.Application.CalculatorSessions;

/// <summary>Finds a session of one of the caller's organisations; any other is not found.</summary>
public static class CalculatorAccess
{
    public static async Task<CalculatorSession> LoadAsync(
        this IReadRepository<CalculatorSession> sessions, ICaller caller, string sessionId, CancellationToken cancellationToken,
        bool forUpdate = false, EventPage? events = null) =>
        await sessions.FirstOrDefaultAsync(new CalculatorSessionByIdSpec(sessionId, caller.Organisations, forUpdate, events), cancellationToken)
        ?? throw new NotFoundException("Calculator session", sessionId);
}
