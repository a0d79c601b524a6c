using System.ComponentModel.DataAnnotations;
using AutoMapper;
using Sessions.Application.Common;
using Sessions.Domain.WizardSessions;

namespace Sessions.Application.WizardSessions.Queries;

public sealed record WizardOptionDto(
    [property: MaxLength(WizardSession.MaxIdLength)] string Id, [property: MaxLength(WizardDefinition.MaxTextLength)] string Label);

public sealed record ScreenConditionDto(
    [property: MaxLength(WizardSession.MaxIdLength)] string Screen,
    [property: MaxLength(WizardScreen.MaxOptions), ItemMaxLength(WizardSession.MaxIdLength)] IReadOnlyList<string> ChosenAny);

public sealed record WizardScreenDto(
    [property: MaxLength(WizardSession.MaxIdLength)] string Id,
    [property: MaxLength(WizardDefinition.MaxTextLength)] string Title,
    ScreenKind Kind,
    [property: MaxLength(WizardScreen.MaxOptions)] IReadOnlyList<WizardOptionDto> Options,
    bool Required,
    [property: Range(0, WizardScreen.MaxOptions)] int? Min,
    [property: Range(1, WizardScreen.MaxOptions)] int? Max,
    ScreenConditionDto? HiddenWhen);

/// <summary>A wizard as a client needs it to render its screens.</summary>
public sealed record WizardDefinitionDto(
    [property: MaxLength(WizardSession.MaxIdLength)] string WizardId,
    [property: MaxLength(WizardDefinition.MaxTextLength)] string Title,
    [property: Range(1, WizardDefinition.MaxScreens)] int TotalScreens,
    [property: MaxLength(WizardDefinition.MaxScreens)] IReadOnlyList<WizardScreenDto> Screens)
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

public sealed record WizardCatalogDto([property: MaxLength(IWizardCatalog.MaxWizards)] IReadOnlyList<WizardDefinitionDto> Data);
