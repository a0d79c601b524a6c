using AutoMapper;
using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Paging;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.Onboarding;

namespace Sessions.Application.Onboarding.Queries;

/// <summary>Evidence newest first, a page at a time: every run adds one row.</summary>
public sealed record ListOnboardingEvidenceQuery(int TenantId, string? TaskType, int? Limit, int? Offset) : IQuery<IReadOnlyList<OnboardingEvidenceDto>>
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 100;
}

public sealed class ListOnboardingEvidenceQueryHandler(IReadRepository<OnboardingEvidence> evidence, OnboardingAccess access, IMapper mapper)
    : IRequestHandler<ListOnboardingEvidenceQuery, IReadOnlyList<OnboardingEvidenceDto>>
{
    public async Task<IReadOnlyList<OnboardingEvidenceDto>> Handle(ListOnboardingEvidenceQuery request, CancellationToken cancellationToken)
    {
        access.EnsureTenant(request.TenantId);
        return mapper.Map<IReadOnlyList<OnboardingEvidenceDto>>(
            await evidence.ListAsync(new EvidenceSpec(request.TenantId, request.TaskType, Paging.ClampOffset(request.Offset),
                Paging.ClampLimit(request.Limit, ListOnboardingEvidenceQuery.DefaultLimit, ListOnboardingEvidenceQuery.MaxLimit)), cancellationToken));
    }
}
