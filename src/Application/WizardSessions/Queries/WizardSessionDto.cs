using System.ComponentModel.DataAnnotations;
using AutoMapper;
using Sessions.Application.Common;
using Sessions.Application.Common.Paging;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.WizardSessions;

namespace Sessions.Application.WizardSessions.Queries;

/// <summary>Answers on the wire: <c>{"screen-02": {"chosen": ["opt-a"]}}</c>.</summary>
public sealed record ScreenAnswerDto([property: MaxLength(WizardScreen.MaxOptions), ItemMaxLength(WizardSession.MaxIdLength)] IReadOnlyList<string> Chosen);

public sealed record WizardDraftDto([property: MaxLength(WizardSession.MaxIdLength)] string DraftId, [property: Count] int StepIndex, DateTimeOffset SavedAt);

/// <summary>A session with its answers (GET, create, PUT).</summary>
public sealed record WizardSessionDto : IVersioned
{
    [MaxLength(WizardSession.MaxIdLength)] public required string SessionId { get; init; }
    [MaxLength(WizardSession.MaxIdLength)] public required string WizardId { get; init; }
    [MaxLength(WizardSession.MaxIdLength)] public required string UserId { get; init; }
    [MaxLength(WizardSession.MaxLocaleLength)] public required string Locale { get; init; }
    [Count] public required int CurrentStepIndex { get; init; }
    [Range(1, WizardDefinition.MaxScreens)] public required int TotalSteps { get; init; }
    [MaxLength(WizardSession.MaxIdLength)] public required string? CurrentScreenId { get; init; }
    [MaxLength(WizardSession.MaxStatusLength)] public required string Status { get; init; }
    public required IReadOnlyDictionary<string, ScreenAnswerDto> Answers { get; init; }
    public required WizardDraftDto? Draft { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset LastActivityAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required DateTimeOffset? CompletedAt { get; init; }
    [System.Text.Json.Serialization.JsonIgnore] public long Version { get; init; }

    /// <summary>Positions count the screens visible with the answers, so the map reads the wizard from the context (<see cref="WizardSessionMapping"/>).</summary>
    private sealed class Mapping : Profile
    {
        public Mapping()
        {
            CreateMap<IReadOnlyList<string>, ScreenAnswerDto>().ConvertUsing(chosen => new ScreenAnswerDto(chosen));
            CreateMap<WizardSession, WizardDraftDto>()
                .ForCtorParam(nameof(WizardDraftDto.StepIndex), o => o.MapFrom(s => s.DraftStepIndex ?? 0))
                .ForCtorParam(nameof(WizardDraftDto.SavedAt), o => o.MapFrom(s => s.DraftSavedAt!.Value));
            CreateMap<WizardSession, WizardSessionDto>()
                .ForMember(d => d.SessionId, o => o.MapFrom(s => s.Id))
                .ForMember(d => d.UserId, o => o.MapFrom(s => s.UserHandle))
                .ForMember(d => d.CurrentStepIndex, o => o.MapFrom((s, _, _, context) => s.CurrentStepIndex(WizardSessionMapping.WizardOf(s, context))))
                .ForMember(d => d.TotalSteps, o => o.MapFrom((s, _, _, context) => s.TotalSteps(WizardSessionMapping.WizardOf(s, context))))
                .ForMember(d => d.CurrentScreenId, o => o.MapFrom(s => s.Status == WizardSessionStatus.InProgress ? s.CurrentScreenId : null))
                .ForMember(d => d.Status, o => o.MapFrom(s => WizardSessionViews.StatusName(s.Status)))
                .ForMember(d => d.Answers, o => o.MapFrom(s => s.Answers.Chosen))
                .ForMember(d => d.Draft, o => o.MapFrom(s => s.DraftId == null ? null : s))
                .ForMember(d => d.UpdatedAt, o => o.MapFrom(s => s.LastActivityAt));
            CreateMap<WizardSession, WizardSessionSummaryDto>()
                .ForCtorParam(nameof(WizardSessionSummaryDto.SessionId), o => o.MapFrom(s => s.Id))
                .ForCtorParam(nameof(WizardSessionSummaryDto.UserId), o => o.MapFrom(s => s.UserHandle))
                .ForCtorParam(nameof(WizardSessionSummaryDto.CurrentStepIndex),
                    o => o.MapFrom((s, context) => s.CurrentStepIndex(WizardSessionMapping.WizardOf(s, context))))
                .ForCtorParam(nameof(WizardSessionSummaryDto.TotalSteps),
                    o => o.MapFrom((s, context) => s.TotalSteps(WizardSessionMapping.WizardOf(s, context))))
                .ForCtorParam(nameof(WizardSessionSummaryDto.Status), o => o.MapFrom(s => WizardSessionViews.StatusName(s.Status)));
        }
    }
}

/// <summary>Maps sessions with the catalog in the mapping context: a session's positions depend on its wizard's visible screens.</summary>
public static class WizardSessionMapping
{
    private const string CatalogItem = nameof(IWizardCatalog);

    public static TDestination MapWithCatalog<TDestination>(this IMapper mapper, object source, IWizardCatalog catalog) =>
        mapper.Map<TDestination>(source, options => options.Items[CatalogItem] = catalog);

    internal static WizardDefinition WizardOf(WizardSession session, ResolutionContext context) =>
        ((IWizardCatalog)context.Items[CatalogItem]).WizardOf(session);
}

/// <summary>A list entry.</summary>
public sealed record WizardSessionSummaryDto(
    [property: MaxLength(WizardSession.MaxIdLength)] string SessionId,
    [property: MaxLength(WizardSession.MaxIdLength)] string WizardId,
    [property: MaxLength(WizardSession.MaxIdLength)] string UserId,
    [property: Count] int CurrentStepIndex,
    [property: Range(1, WizardDefinition.MaxScreens)] int TotalSteps,
    [property: MaxLength(WizardSession.MaxStatusLength)] string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset LastActivityAt);


public sealed record WizardSessionListDto(
    [property: MaxLength(ListWizardSessionsQuery.MaxLimit)] IReadOnlyList<WizardSessionSummaryDto> Data, PageInfoDto Pagination);

/// <summary>The answer to next-step and previous-step.</summary>
public sealed record WizardStepMoveDto(
    [property: MaxLength(WizardSession.MaxIdLength)] string SessionId,
    [property: Count] int PreviousStepIndex,
    [property: Count] int CurrentStepIndex,
    [property: Range(1, WizardDefinition.MaxScreens)] int TotalSteps,
    [property: MaxLength(WizardSession.MaxStatusLength)] string Status) : IVersioned
{
    [System.Text.Json.Serialization.JsonIgnore] public long Version { get; init; }
}

public sealed record WizardDraftSavedDto(
    [property: MaxLength(WizardSession.MaxIdLength)] string DraftId,
    [property: MaxLength(WizardSession.MaxIdLength)] string SessionId,
    [property: Count] int StepIndex,
    DateTimeOffset SavedAt) : IVersioned
{
    [System.Text.Json.Serialization.JsonIgnore] public long Version { get; init; }
}

public sealed record WizardSessionDeletedDto(bool Deleted, [property: MaxLength(WizardSession.MaxIdLength)] string SessionId);
