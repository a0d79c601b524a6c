using Sessions.Application.Common.Persistence;
using Sessions.Domain.CalculatorSessions;

namespace Sessions.Application.CalculatorSessions.Specifications;

/// <summary>One session, if it belongs to one of the caller's organisations.</summary>
public sealed class CalculatorSessionByIdSpec : Specification<CalculatorSession>
{
    public CalculatorSessionByIdSpec(string sessionId, IReadOnlyList<string> organisations, bool forUpdate = false, bool withEvents = false)
    {
        Query.Where(s => s.Id == sessionId && organisations.Contains(s.OrganisationId));
        if (forUpdate)
        {
            Query.ForUpdate();
        }

        if (withEvents)
        {
            Query.Include(s => s.Events);
        }
    }
}

/// <summary>The sessions of the caller's organisations, newest first, optionally of one mentor.</summary>
public sealed class CalculatorSessionsSpec : Specification<CalculatorSession>
{
    public CalculatorSessionsSpec(IReadOnlyList<string> organisations, string? mentorId, int page, int limit)
    {
        Query.Where(s => organisations.Contains(s.OrganisationId));
        if (mentorId is not null)
        {
            Query.Where(s => s.MentorId == mentorId);
        }

        Query.OrderByDescending(s => s.CreatedAt).OrderByDescending(s => s.Id).Skip((page - 1) * limit).Take(limit);
    }
}

public sealed class CalculationResultByIdSpec : Specification<CalculationResult>
{
    public CalculationResultByIdSpec(string resultId, IReadOnlyList<string> organisations) =>
        Query.Where(r => r.Id == resultId && organisations.Contains(r.OrganisationId));
}
