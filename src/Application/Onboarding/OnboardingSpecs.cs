using Ardalis.Specification;
using Sessions.Domain.Onboarding;

namespace Sessions.Application.Onboarding;

public sealed class ActiveOnboardingSessionSpec : Specification<OnboardingSession>
{
    public ActiveOnboardingSessionSpec(int tenantId) =>
        Query.Where(s => s.TenantId == tenantId && (s.Status == OnboardingStatus.Draft || s.Status == OnboardingStatus.InProgress));
}

public sealed class OnboardingSessionByIdSpec : Specification<OnboardingSession>
{
    public OnboardingSessionByIdSpec(int tenantId, long sessionId) =>
        Query.Where(s => s.TenantId == tenantId && s.Id == sessionId);
}

public sealed class ProviderConnectionByIdSpec : Specification<ProviderConnection>
{
    public ProviderConnectionByIdSpec(int tenantId, long connectionId) => Query.Where(c => c.TenantId == tenantId && c.Id == connectionId);
}

public sealed class ProviderConnectionsSpec : Specification<ProviderConnection>
{
    public ProviderConnectionsSpec(int tenantId, int offset, int limit) =>
        Query.Where(c => c.TenantId == tenantId).OrderBy(c => c.Id).Skip(offset).Take(limit);
}

public sealed class ActiveRunSpec : Specification<OperationRun>
{
    public ActiveRunSpec(int tenantId, string taskType) =>
        Query.Where(r => r.TenantId == tenantId && r.TaskType == taskType
                         && (r.Status == OperationRunStatus.Queued || r.Status == OperationRunStatus.Running));
}

public sealed class OperationRunByIdSpec : Specification<OperationRun>
{
    public OperationRunByIdSpec(int tenantId, long runId) => Query.Where(r => r.TenantId == tenantId && r.Id == runId);
}

public sealed class EvidenceSpec : Specification<OnboardingEvidence>
{
    public EvidenceSpec(int tenantId, string? taskType, int offset, int limit)
    {
        Query.Where(e => e.TenantId == tenantId);
        if (taskType is not null)
        {
            Query.Where(e => e.TaskType == taskType);
        }

        Query.OrderByDescending(e => e.RecordedAt).ThenByDescending(e => e.Id).Skip(offset).Take(limit);
    }
}
