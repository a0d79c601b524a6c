using Ardalis.Specification;
using Sessions.Domain.CalculatorSessions;

namespace Sessions.Application.CalculatorSessions.Specifications;

/// <summary>A page of a session's event log, oldest first.</summary>
public sealed record EventPage(int Skip, int Take);

/// <summary>One session, if it belongs to one of the caller's organisations, optionally with a page of its log.</summary>
public sealed class CalculatorSessionByIdSpec : Specification<CalculatorSession>
{
    public CalculatorSessionByIdSpec(string sessionId, IReadOnlyList<string> organisations, EventPage? events = null)
    {
        Query.Where(s => s.Id == sessionId && organisations.Contains(s.OrganisationId));
        if (events is not null)
        {
            Query.Include(s => s.Events.OrderBy(e => e.Sequence).Skip(events.Skip).Take(events.Take));
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

        Query.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Skip((page - 1) * limit).Take(limit);
    }
}

public sealed class CalculationResultByIdSpec : Specification<CalculationResult>
{
    public CalculationResultByIdSpec(string resultId, IReadOnlyList<string> organisations) =>
        Query.Where(r => r.Id == resultId && organisations.Contains(r.OrganisationId));
}

/// <summary>The session whose current share token this is.</summary>
public sealed class CalculatorSessionByShareTokenSpec : Specification<CalculatorSession>
{
    public CalculatorSessionByShareTokenSpec(string shareToken) => Query.Where(s => s.ShareToken == shareToken);
}

/// <summary>A result by id, of the given session.</summary>
public sealed class CalculationResultOfSessionSpec : Specification<CalculationResult>
{
    public CalculationResultOfSessionSpec(string resultId, string sessionId) => Query.Where(r => r.Id == resultId && r.SessionId == sessionId);
}
