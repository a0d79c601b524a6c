using System.Text.Json.Nodes;
using AutoMapper;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.Onboarding;

namespace Sessions.Application.Onboarding.Queries;

public sealed record OnboardingSessionDto : IVersioned
{
    public required long Id { get; init; }
    public required int TenantId { get; init; }
    public required long? ProviderConnectionId { get; init; }
    public required OnboardingStatus Status { get; init; }
    public required int CurrentStep { get; init; }
    public required long? AssignedToUserId { get; init; }
    public required long? LockedByUserId { get; init; }
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
    long Id, int TenantId, string DisplayName, string BaseUrl, string AuthMode, string ClientId, bool HasClientSecret, DateTimeOffset CreatedAt)
{
    private sealed class Mapping : Profile
    {
        public Mapping() =>
            CreateMap<ProviderConnection, ProviderConnectionDto>()
                .ForCtorParam(nameof(HasClientSecret), o => o.MapFrom(c => c.SealedClientSecret.Length > 0));
    }
}

public sealed record OperationRunLinkDto(long RunId, string Url);

public sealed record OperationRunDto(
    long RunId, string TaskType, OperationRunStatus Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, JsonObject? Result)
{
    private sealed class Mapping : Profile
    {
        public Mapping() =>
            CreateMap<OperationRun, OperationRunDto>()
                .ForCtorParam(nameof(RunId), o => o.MapFrom(r => r.Id))
                .ForCtorParam(nameof(Result), o => o.MapFrom(r => r.Result == null ? null : JsonNode.Parse(r.Result, null, default)!.AsObject()));
    }
}

public sealed record OnboardingTaskSummaryDto(string TaskType, EvidenceStatus Status, string? ReasonCode, string? Message, long? LastRunId);

public sealed record OnboardingEvidenceDto(
    long Id, int TenantId, long? OnboardingSessionId, long? ProviderConnectionId, string TaskType, EvidenceStatus Status,
    string? ReasonCode, string? Message, JsonObject Payload, long? OperationRunId, DateTimeOffset RecordedAt)
{
    private sealed class Mapping : Profile
    {
        public Mapping() =>
            CreateMap<OnboardingEvidence, OnboardingEvidenceDto>()
                .ForCtorParam(nameof(Payload), o => o.MapFrom(e => JsonNode.Parse(e.Payload, null, default)!.AsObject()));
    }
}
