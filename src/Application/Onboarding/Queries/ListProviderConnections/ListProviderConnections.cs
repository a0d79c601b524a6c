using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Paging;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.Onboarding;

namespace Sessions.Application.Onboarding.Queries;

/// <summary>The tenant's connections in the order they were registered, a page at a time.</summary>
public sealed record ListProviderConnectionsQuery(int TenantId, int? Limit, int? Offset) : IQuery<IReadOnlyList<ProviderConnectionDto>>
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 100;
}

public sealed class ListProviderConnectionsQueryHandler(IReadRepository<ProviderConnection> connections, OnboardingAccess access)
    : IRequestHandler<ListProviderConnectionsQuery, IReadOnlyList<ProviderConnectionDto>>
{
    public async Task<IReadOnlyList<ProviderConnectionDto>> Handle(ListProviderConnectionsQuery request, CancellationToken cancellationToken)
    {
        access.EnsureTenant(request.TenantId);
        var limit = Paging.ClampLimit(request.Limit, ListProviderConnectionsQuery.DefaultLimit, ListProviderConnectionsQuery.MaxLimit);
        var page = new ProviderConnectionsSpec(request.TenantId, Paging.ClampOffset(request.Offset), limit);
        return await connections.ProjectToListAsync<ProviderConnectionDto>(page, cancellationToken);
    }
}
