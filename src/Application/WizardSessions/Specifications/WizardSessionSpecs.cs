using Ardalis.Specification;
using Sessions.Domain.WizardSessions;

namespace Sessions.Application.WizardSessions.Specifications;

public sealed class WizardSessionByIdSpec : Specification<WizardSession>
{
    public WizardSessionByIdSpec(long userId, string sessionId) => Query.Where(s => s.UserId == userId && s.Id == sessionId);
}

/// <summary>A user's active sessions, most recent activity first (an index on user, status and activity serves it).</summary>
public sealed class ActiveWizardSessionsSpec : Specification<WizardSession>
{
    public ActiveWizardSessionsSpec(long userId, DateTimeOffset activeSince, int page, int limit)
    {
        Query.Where(s => s.UserId == userId && s.Status == WizardSessionStatus.InProgress && s.LastActivityAt > activeSince)
            .OrderByDescending(s => s.LastActivityAt)
            .ThenByDescending(s => s.Id)
            .Skip((page - 1) * limit)
            .Take(limit);
    }
}
