using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using AutoMapper;
using Sessions.Application.Common;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.Onboarding;

namespace Sessions.Application.Onboarding.Queries;

public sealed record OnboardingSessionDto : IVersioned
{
    [SequenceId] public required long Id { get; init; }
    [Range(1, int.MaxValue)] public required int TenantId { get; init; }
    [SequenceId] public required long? ProviderConnectionId { get; init; }
    public required OnboardingStatus Status { get; init; }
    [Range(OnboardingSession.FirstStep, OnboardingSession.LastStep)] public required int CurrentStep { get; init; }
    [SequenceId] public required long? AssignedToUserId { get; init; }
    [SequenceId] public required long? LockedByUserId { get; init; }
    public required DateTimeOffset? LockedUntil { get; init; }
    [System.Text.Json.Serialization.JsonIgnore] public long Version { get; init; }

    private sealed class Mapping : Profile
    {
        public Mapping() => CreateMap<OnboardingSession, OnboardingSessionDto>();
    }
}

public sealed record OnboardingSessionResponse(OnboardingSessionDto? Session);

/// <summary>A provider connection without its secret, which is write-only.</summary>
public sealed record ProviderConnectionDto(
    [property: SequenceId] long Id,
    [property: Range(1, int.MaxValue)] int TenantId,
    [property: MaxLength(ProviderConnection.MaxTextLength)] string DisplayName,
    [property: MaxLength(ProviderConnection.MaxBaseUrlLength), Url] string BaseUrl,
    [property: MaxLength(ProviderConnection.MaxAuthModeLength)] string AuthMode,
    [property: MaxLength(ProviderConnection.MaxTextLength)] string ClientId,
    bool HasClientSecret,
    DateTimeOffset CreatedAt)
{
    private sealed class Mapping : Profile
    {
        public Mapping() =>
            CreateMap<ProviderConnection, ProviderConnectionDto>()
                .ForCtorParam(nameof(HasClientSecret), o => o.MapFrom(c => c.SealedClientSecret.Length > 0));
    }
}

/// <summary>Where to follow a run: its path on this service.</summary>
public sealed record OperationRunLinkDto([property: SequenceId] long RunId, [property: MaxLength(WireSchema.MaxUrlLength)] string Url);

public sealed record OperationRunDto(
    [property: SequenceId] long RunId,
    [property: MaxLength(OperationRun.MaxTaskTypeLength)] string TaskType,
    OperationRunStatus Status,
    [property: Count] int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    JsonObject? Result)
{
    private sealed class Mapping : Profile
    {
        public Mapping() =>
            CreateMap<OperationRun, OperationRunDto>()
                .ForCtorParam(nameof(RunId), o => o.MapFrom(r => r.Id))
                .ForCtorParam(nameof(Result), o => o.MapFrom(r => r.Result == null ? null : JsonNode.Parse(r.Result, null, default)!.AsObject()));
    }
}

public sealed record OnboardingTaskSummaryDto(
    [property: MaxLength(OperationRun.MaxTaskTypeLength)] string TaskType,
    EvidenceStatus Status,
    [property: MaxLength(TaskOutcome.MaxReasonCodeLength)] string? ReasonCode,
    [property: MaxLength(TaskOutcome.MaxMessageLength)] string? Message,
    [property: SequenceId] long? LastRunId);

public sealed record OnboardingEvidenceDto(
    [property: SequenceId] long Id,
    [property: Range(1, int.MaxValue)] int TenantId,
    [property: SequenceId] long? OnboardingSessionId,
    [property: SequenceId] long? ProviderConnectionId,
    [property: MaxLength(OperationRun.MaxTaskTypeLength)] string TaskType,
    EvidenceStatus Status,
    [property: MaxLength(TaskOutcome.MaxReasonCodeLength)] string? ReasonCode,
    [property: MaxLength(TaskOutcome.MaxMessageLength)] string? Message,
    JsonObject Payload,
    [property: SequenceId] long? OperationRunId,
    DateTimeOffset RecordedAt)
{
    private sealed class Mapping : Profile
    {
        public Mapping() =>
            CreateMap<OnboardingEvidence, OnboardingEvidenceDto>()
                .ForCtorParam(nameof(Payload), o => o.MapFrom(e => JsonNode.Parse(e.Payload, null, default)!.AsObject()));
    }
}
