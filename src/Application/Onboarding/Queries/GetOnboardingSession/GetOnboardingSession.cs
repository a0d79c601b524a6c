using AutoMapper;
using MediatR;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Paging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Domain.Onboarding;

namespace Sessions.Application.Onboarding.Queries;

public sealed record GetOnboardingSessionQuery(int TenantId) : IQuery<OnboardingSessionResponse>;

public sealed class GetOnboardingSessionQueryHandler(IReadRepository<OnboardingSession> sessions, ICaller caller, IMapper mapper)
    : IRequestHandler<GetOnboardingSessionQuery, OnboardingSessionResponse>
{
    public async Task<OnboardingSessionResponse> Handle(GetOnboardingSessionQuery request, CancellationToken cancellationToken)
    {
        caller.EnsureTenant(request.TenantId);
        var session = await sessions.FirstOrDefaultAsync(new ActiveOnboardingSessionSpec(request.TenantId), cancellationToken);
        return new OnboardingSessionResponse(session is null ? null : mapper.Map<OnboardingSessionDto>(session));
    }
}

/// <summary>The tenant's connections in the order they were registered, a page at a time.</summary>
public sealed record ListProviderConnectionsQuery(int TenantId, int? Limit, int? Offset) : IQuery<IReadOnlyList<ProviderConnectionDto>>
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 100;
}

public sealed class ListProviderConnectionsQueryHandler(IReadRepository<ProviderConnection> connections, ICaller caller, IMapper mapper)
    : IRequestHandler<ListProviderConnectionsQuery, IReadOnlyList<ProviderConnectionDto>>
{
    public async Task<IReadOnlyList<ProviderConnectionDto>> Handle(ListProviderConnectionsQuery request, CancellationToken cancellationToken)
    {
        caller.EnsureTenant(request.TenantId);
        var limit = Paging.ClampLimit(request.Limit, ListProviderConnectionsQuery.DefaultLimit, ListProviderConnectionsQuery.MaxLimit);
        var page = new ProviderConnectionsSpec(request.TenantId, Paging.ClampOffset(request.Offset), limit);
        return mapper.Map<IReadOnlyList<ProviderConnectionDto>>(await connections.ListAsync(page, cancellationToken));
    }
}

public sealed record GetOperationRunQuery(int TenantId, long RunId) : IQuery<OperationRunDto>;

public sealed class GetOperationRunQueryHandler(IReadRepository<OperationRun> runs, ICaller caller, IMapper mapper)
    : IRequestHandler<GetOperationRunQuery, OperationRunDto>
{
    public async Task<OperationRunDto> Handle(GetOperationRunQuery request, CancellationToken cancellationToken)
    {
        caller.EnsureTenant(request.TenantId);
        return mapper.Map<OperationRunDto>(
            await runs.FirstOrDefaultAsync(new OperationRunByIdSpec(request.TenantId, request.RunId), cancellationToken)
            ?? throw new NotFoundException("Operation run", request.RunId));
    }
}

/// <summary>One summary per catalog task, from its latest evidence (unknown when it never ran).</summary>
public sealed record ListOnboardingTasksQuery(int TenantId) : IQuery<IReadOnlyList<OnboardingTaskSummaryDto>>;

public sealed class ListOnboardingTasksQueryHandler(IReadRepository<OnboardingEvidence> evidence, IOnboardingTaskCatalog catalog, ICaller caller)
    : IRequestHandler<ListOnboardingTasksQuery, IReadOnlyList<OnboardingTaskSummaryDto>>
{
    public async Task<IReadOnlyList<OnboardingTaskSummaryDto>> Handle(ListOnboardingTasksQuery request, CancellationToken cancellationToken)
    {
        caller.EnsureTenant(request.TenantId);
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

/// <summary>Evidence newest first, a page at a time: every run adds one row.</summary>
public sealed record ListOnboardingEvidenceQuery(int TenantId, string? TaskType, int? Limit, int? Offset) : IQuery<IReadOnlyList<OnboardingEvidenceDto>>
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 100;
}

public sealed class ListOnboardingEvidenceQueryHandler(IReadRepository<OnboardingEvidence> evidence, ICaller caller, IMapper mapper)
    : IRequestHandler<ListOnboardingEvidenceQuery, IReadOnlyList<OnboardingEvidenceDto>>
{
    public async Task<IReadOnlyList<OnboardingEvidenceDto>> Handle(ListOnboardingEvidenceQuery request, CancellationToken cancellationToken)
    {
        caller.EnsureTenant(request.TenantId);
        return mapper.Map<IReadOnlyList<OnboardingEvidenceDto>>(
            await evidence.ListAsync(new EvidenceSpec(request.TenantId, request.TaskType, Paging.ClampOffset(request.Offset),
                Paging.ClampLimit(request.Limit, ListOnboardingEvidenceQuery.DefaultLimit, ListOnboardingEvidenceQuery.MaxLimit)), cancellationToken));
    }
}
