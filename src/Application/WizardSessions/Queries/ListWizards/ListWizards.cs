using AutoMapper;
using MediatR;
using Sessions.Application.Common.Messaging;

namespace Sessions.Application.WizardSessions.Queries;

public sealed record ListWizardsQuery : IQuery<WizardCatalogDto>;

public sealed class ListWizardsQueryHandler(IWizardCatalog catalog, IMapper mapper) : IRequestHandler<ListWizardsQuery, WizardCatalogDto>
{
    public Task<WizardCatalogDto> Handle(ListWizardsQuery request, CancellationToken cancellationToken) =>
        Task.FromResult(new WizardCatalogDto(mapper.Map<IReadOnlyList<WizardDefinitionDto>>(catalog.All)));
}
