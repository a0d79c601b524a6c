using AutoMapper;
using MediatR;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Domain.WizardSessions;

namespace Sessions.Application.WizardSessions.Queries;

public sealed record WizardOptionDto(string Id, string Label);

public sealed record ScreenConditionDto(string Screen, IReadOnlyList<string> ChosenAny);

public sealed record WizardScreenDto(
    string Id, string Title, ScreenKind Kind, IReadOnlyList<WizardOptionDto> Options, bool Required, int? Min, int? Max,
    ScreenConditionDto? HiddenWhen);

/// <summary>A wizard as a client needs it to render its screens.</summary>
public sealed record WizardDefinitionDto(string WizardId, string Title, int TotalScreens, IReadOnlyList<WizardScreenDto> Screens)
{
    private sealed class Mapping : Profile
    {
        public Mapping()
        {
            CreateMap<WizardOption, WizardOptionDto>();
            CreateMap<ScreenCondition, ScreenConditionDto>();
            CreateMap<WizardScreen, WizardScreenDto>();
            CreateMap<WizardDefinition, WizardDefinitionDto>()
                .ForCtorParam(nameof(WizardId), o => o.MapFrom(d => d.Id))
                .ForCtorParam(nameof(TotalScreens), o => o.MapFrom(d => d.Screens.Count));
        }
    }
}

public sealed record WizardCatalogDto(IReadOnlyList<WizardDefinitionDto> Data);

public sealed record ListWizardsQuery : IQuery<WizardCatalogDto>;

public sealed class ListWizardsQueryHandler(IWizardCatalog catalog, IMapper mapper) : IRequestHandler<ListWizardsQuery, WizardCatalogDto>
{
    public Task<WizardCatalogDto> Handle(ListWizardsQuery request, CancellationToken cancellationToken) =>
        Task.FromResult(new WizardCatalogDto(mapper.Map<IReadOnlyList<WizardDefinitionDto>>(catalog.All)));
}

public sealed record GetWizardQuery(string WizardId) : IQuery<WizardDefinitionDto>;

public sealed class GetWizardQueryHandler(IWizardCatalog catalog, IMapper mapper) : IRequestHandler<GetWizardQuery, WizardDefinitionDto>
{
    public Task<WizardDefinitionDto> Handle(GetWizardQuery request, CancellationToken cancellationToken) =>
        Task.FromResult(mapper.Map<WizardDefinitionDto>(catalog.Find(request.WizardId) ?? throw new NotFoundException("Wizard", request.WizardId)));
}
