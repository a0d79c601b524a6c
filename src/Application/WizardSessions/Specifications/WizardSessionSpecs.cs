using System.Linq.Expressions;
using Ardalis.Specification;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.WizardSessions;

namespace Sessions.Application.WizardSessions.Specifications;

public sealed class WizardSessionByIdSpec(long userId, string sessionId)
    : KeySpecification<WizardSession, long, string>(Criteria, userId, sessionId)
{
    private static readonly Expression<Func<WizardSession, long, string, bool>> Criteria = (s, userId, sessionId) => s.UserId == userId && s.Id == sessionId;
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
