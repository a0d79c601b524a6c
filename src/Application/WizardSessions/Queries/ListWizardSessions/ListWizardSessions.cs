using AutoMapper;
using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Paging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Application.WizardSessions.Specifications;
using Sessions.Domain.WizardSessions;

namespace Sessions.Application.WizardSessions.Queries;

/// <summary>The caller's in-progress sessions, most recent activity first.</summary>
public sealed record ListWizardSessionsQuery(int? Page, int? Limit) : IQuery<WizardSessionListDto>
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
}

public sealed class ListWizardSessionsQueryHandler(
    IReadRepository<WizardSession> sessions, WizardSessionAccess access, IWizardCatalog catalog, ICaller caller, IMapper mapper)
    : IRequestHandler<ListWizardSessionsQuery, WizardSessionListDto>
{
    public async Task<WizardSessionListDto> Handle(ListWizardSessionsQuery request, CancellationToken cancellationToken)
    {
        var limit = Paging.ClampLimit(request.Limit, ListWizardSessionsQuery.DefaultLimit, ListWizardSessionsQuery.MaxLimit);
        var page = Paging.ClampPage(request.Page);
        var specification = new ActiveWizardSessionsSpec(caller.UserId, access.ActiveSince, page, limit);
        var found = await sessions.ListAsync(specification, cancellationToken);
        var total = await sessions.CountAsync(specification, cancellationToken);
        return new WizardSessionListDto(
            mapper.MapWithCatalog<List<WizardSessionSummaryDto>>(found, catalog),
            new PageInfoDto(page, limit, total));
    }
}
