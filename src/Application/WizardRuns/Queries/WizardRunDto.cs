using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Sessions.Application.Common;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.WizardRuns;

namespace Sessions.Application.WizardRuns.Queries;

public sealed record WizardTaskDto(
    [property: MaxLength(WizardRun.MaxIdLength)] string Id, [property: MaxLength(WizardRun.MaxTitleLength)] string Title, WizardTaskStatus Status);

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
    public required JsonObject? PendingInput { get; init; }
    [MaxLength(WizardRun.MaxHandoffTextLength)] public required string? HandoffText { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required bool IsStale { get; init; }
    [JsonIgnore] public long Version { get; init; }
}

/// <summary>Builds the wire view of a run; staleness depends on the time of reading.</summary>
public sealed class WizardRunViews(TimeProvider clock, IOptions<WizardRunsOptions> options)
{
    public WizardRunDto ToDto(WizardRun run) => new()
    {
        SessionId = run.SessionId,
        TeamId = run.ProjectId,
        WorkflowId = run.WorkflowId,
        SkillId = run.SkillId,
        StartedAt = run.StartedAt,
        RunPhase = run.RunPhase,
        Tasks = run.Tasks.Select(t => new WizardTaskDto(t.Id, t.Title, t.Status)).ToList(),
        EventPlan = ParseObject(run.EventPlan),
        Error = ParseObject(run.Error),
        PendingInput = ParseObject(run.PendingInput),
        HandoffText = run.HandoffText,
        CreatedAt = run.CreatedAt,
        UpdatedAt = run.UpdatedAt,
        IsStale = run.IsStaleAt(clock.GetUtcNow(), options.Value.StaleAfter),
        Version = run.Version,
    };

    private static JsonObject? ParseObject(string? json) => json is null ? null : JsonNode.Parse(json)!.AsObject();
}

public sealed record WizardRunPage(int Count, IReadOnlyList<WizardRunDto> Results);
