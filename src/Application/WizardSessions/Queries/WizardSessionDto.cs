using Sessions.Application.Common.Paging;
using Sessions.Application.Common.Persistence;

namespace Sessions.Application.WizardSessions.Queries;

/// <summary>Answers on the wire: <c>{"screen-02": {"chosen": ["opt-a"]}}</c>.</summary>
public sealed record ScreenAnswerDto(IReadOnlyList<string> Chosen);

public sealed record WizardDraftDto(string DraftId, int StepIndex, DateTimeOffset SavedAt);

/// <summary>A session with its answers (GET, create, PUT).</summary>
public sealed record WizardSessionDto : IVersioned
{
    public required string SessionId { get; init; }
    public required string WizardId { get; init; }
    public required string UserId { get; init; }
    public required string Locale { get; init; }
    public required int CurrentStepIndex { get; init; }
    public required int TotalSteps { get; init; }
    public required string? CurrentScreenId { get; init; }
    public required string Status { get; init; }
    public required IReadOnlyDictionary<string, ScreenAnswerDto> Answers { get; init; }
    public required WizardDraftDto? Draft { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public required DateTimeOffset LastActivityAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required DateTimeOffset? CompletedAt { get; init; }
    [System.Text.Json.Serialization.JsonIgnore] public long Version { get; init; }
}

/// <summary>A list entry.</summary>
public sealed record WizardSessionSummaryDto(
    string SessionId,
    string WizardId,
    string UserId,
    int CurrentStepIndex,
    int TotalSteps,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset LastActivityAt);


public sealed record WizardSessionListDto(IReadOnlyList<WizardSessionSummaryDto> Data, PageInfoDto Pagination);

/// <summary>The answer to next-step and previous-step.</summary>
public sealed record WizardStepMoveDto(
    string SessionId,
    int PreviousStepIndex,
    int CurrentStepIndex,
    int TotalSteps,
    string Status) : IVersioned
{
    [System.Text.Json.Serialization.JsonIgnore] public long Version { get; init; }
}

public sealed record WizardDraftSavedDto(string DraftId, string SessionId, int StepIndex, DateTimeOffset SavedAt) : IVersioned
{
    [System.Text.Json.Serialization.JsonIgnore] public long Version { get; init; }
}

public sealed record WizardSessionDeletedDto(bool Deleted, string SessionId);
