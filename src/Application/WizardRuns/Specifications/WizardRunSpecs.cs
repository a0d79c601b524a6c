using System.Linq.Expressions;
using Ardalis.Specification;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.WizardRuns;

namespace Sessions.Application.WizardRuns.Specifications;

public sealed class WizardRunBySessionSpec(int projectId, string sessionId)
    : KeySpecification<WizardRun, int, string>(Criteria, projectId, sessionId)
{
    private static readonly Expression<Func<WizardRun, int, string, bool>> Criteria = (r, projectId, sessionId) => r.ProjectId == projectId && r.SessionId == sessionId;
}

/// <summary>A project's runs, newest start first (ties: newest creation), optionally of one workflow and skill.</summary>
public sealed class WizardRunsSpec : Specification<WizardRun>
{
    public WizardRunsSpec(int projectId, string? workflowId, string? skillId, int offset, int limit)
    {
        Query.Where(r => r.ProjectId == projectId);
        if (workflowId is not null)
        {
            Query.Where(r => r.WorkflowId == workflowId);
        }

        if (skillId is not null)
        {
            Query.Where(r => r.SkillId == skillId);
        }

        Query.OrderByDescending(r => r.StartedAt).ThenByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Skip(offset).Take(limit);
    }
}

/// <summary>Stream tickets that no longer open anything, to delete.</summary>
public sealed class ExpiredStreamTicketsSpec : Specification<Sessions.Domain.Access.StreamTicket>
{
    public ExpiredStreamTicketsSpec(DateTimeOffset now) => Query.Where(t => t.ExpiresAt <= now).AsTracking();
}
