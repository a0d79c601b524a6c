using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AutoMapper;
using Microsoft.Extensions.Options;
using Sessions.Application.Common;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.Access;
using Sessions.Domain.WizardRuns;

namespace Sessions.Application.WizardRuns.Queries;

public sealed record WizardTaskDto(
    [property: MaxLength(WizardRun.MaxIdLength)] string Id, [property: MaxLength(WizardRun.MaxTitleLength)] string Title, WizardTaskStatus Status);

/// <summary>What the CLI waits for; <c>prompts</c> is always empty when <c>sensitive</c>.</summary>
public sealed record PendingInputDto(
    [property: MaxLength(PendingInput.MaxIdLength)] string Id,
    [property: JsonConverter(typeof(PreciseUtcTimestampConverter))] DateTimeOffset? AskedAt,
    [property: Range(1, PendingInput.MaxQuestionCount)] int QuestionCount,
    bool Sensitive,
    [property: MaxLength(PendingInput.MaxPrompts), ItemMaxLength(PendingInput.MaxPromptLength)] IReadOnlyList<string> Prompts);

/// <summary>The user whose key created a run.</summary>
public sealed record WizardRunCreatorDto(
    [property: MaxLength(20), RegularExpression("^[0-9]+$")] string Id,
    [property: MaxLength(User.MaxHandleLength)] string Handle,
    [property: MaxLength(User.MaxNameLength)] string? Name);

/// <summary>A run as PostHog's wizard session API shows it.</summary>
public sealed record WizardRunDto : IVersioned
{
    [MaxLength(WizardRun.MaxIdLength), RegularExpression(WizardRun.SessionIdPattern)] public required string SessionId { get; init; }

    /// <summary>The project id.</summary>
    [Range(1, int.MaxValue)] public required int TeamId { get; init; }

    [MaxLength(WizardRun.MaxIdLength), RegularExpression(WizardRun.WorkflowIdPattern)] public required string WorkflowId { get; init; }
    [MaxLength(WizardRun.MaxIdLength), RegularExpression(WizardRun.WorkflowIdPattern)] public required string SkillId { get; init; }

    /// <summary>As the client sent it, to the client's precision.</summary>
    [JsonConverter(typeof(PreciseUtcTimestampConverter))]
    public required DateTimeOffset StartedAt { get; init; }

    public required RunPhase RunPhase { get; init; }
    [MaxLength(WizardRun.MaxTasks)] public required IReadOnlyList<WizardTaskDto> Tasks { get; init; }
    public required JsonObject? EventPlan { get; init; }
    public required JsonObject? Error { get; init; }
    public required PendingInputDto? PendingInput { get; init; }
    [MaxLength(WizardRun.MaxHandoffTextLength)] public required string? HandoffText { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Only this user may push to the run; null for a run stored before runs had owners.</summary>
    public required WizardRunCreatorDto? CreatedBy { get; init; }

    public required bool IsStale { get; init; }
    [JsonIgnore] public long Version { get; init; }

    private sealed class Mapping : Profile
    {
        public Mapping()
        {
            CreateMap<WizardTask, WizardTaskDto>();
            CreateMap<PendingInput, PendingInputDto>();
            // A converter is handed null too: a run stored before runs had owners has none until its next push.
            CreateMap<WizardRunCreator?, WizardRunCreatorDto?>().ConvertUsing(c => c == null
                ? null
                : new WizardRunCreatorDto(c.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Handle, c.Name));
            CreateMap<WizardRun, WizardRunDto>()
                .ForMember(d => d.TeamId, o => o.MapFrom(r => r.ProjectId))
                .ForMember(d => d.EventPlan, o => o.MapFrom(r => ParseObject(r.EventPlan)))
                .ForMember(d => d.Error, o => o.MapFrom(r => ParseObject(r.Error)))
                .ForMember(d => d.IsStale, o => o.MapFrom<WizardRunStaleness>());
        }

        private static JsonObject? ParseObject(string? json) => json is null ? null : JsonNode.Parse(json)!.AsObject();
    }
}

/// <summary>Staleness depends on the time of reading and the configured limit, not only on the run.</summary>
internal sealed class WizardRunStaleness(TimeProvider clock, IOptions<WizardRunsOptions> options) : IValueResolver<WizardRun, WizardRunDto, bool>
{
    public bool Resolve(WizardRun source, WizardRunDto destination, bool member, ResolutionContext context) =>
        source.IsStaleAt(clock.GetUtcNow(), options.Value.StaleAfter);
}

public sealed record WizardRunPage(int Count, IReadOnlyList<WizardRunDto> Results);
