using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.Onboarding;

namespace Sessions.Application.Onboarding.Queries;

/// <summary>One summary per catalog task, from its latest evidence (unknown when it never ran).</summary>
public sealed record ListOnboardingTasksQuery(int TenantId) : IQuery<IReadOnlyList<OnboardingTaskSummaryDto>>;

public sealed class ListOnboardingTasksQueryHandler(IReadRepository<OnboardingEvidence> evidence, IOnboardingTaskCatalog catalog, OnboardingAccess access)
    : IRequestHandler<ListOnboardingTasksQuery, IReadOnlyList<OnboardingTaskSummaryDto>>
{
    public async Task<IReadOnlyList<OnboardingTaskSummaryDto>> Handle(ListOnboardingTasksQuery request, CancellationToken cancellationToken)
    {
        access.EnsureTenant(request.TenantId);
        var summaries = new List<OnboardingTaskSummaryDto>();
        foreach (var key in catalog.Keys)
        {
            var latest = await evidence.FirstOrDefaultAsync(new EvidenceSpec(request.TenantId, key, offset: 0, limit: 1), cancellationToken);
            summaries.Add(latest is null
                ? new OnboardingTaskSummaryDto(key, EvidenceStatus.Unknown, null, null, null)
                : new OnboardingTaskSummaryDto(key, latest.Status, latest.ReasonCode, latest.Message, latest.OperationRunId));
        }

        return summaries;
    }
}
