using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Sessions.Application.Common;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.ConnectorSessions;

namespace Sessions.Application.ConnectorSessions.Queries;

// This module speaks camelCase on the wire (seed 003), so its names are spelled out here
// instead of following the service-wide snake_case policy.

public sealed class ConnectorSessionDto : IVersioned
{
    [JsonPropertyName("sessionId")] public required Guid SessionId { get; init; }
    [JsonPropertyName("data")] public required JsonObject Data { get; init; }
    [JsonPropertyName("createdAt")] public required DateTimeOffset CreatedAt { get; init; }
    [JsonPropertyName("updatedAt")] public required DateTimeOffset UpdatedAt { get; init; }
    [JsonIgnore] public long Version { get; init; }

    private sealed class Mapping : AutoMapper.Profile
    {
        public Mapping() =>
            CreateMap<ConnectorSession, ConnectorSessionDto>()
                .ForMember(d => d.SessionId, o => o.MapFrom(s => s.Id))
                .ForMember(d => d.Data, o => o.MapFrom(s => s.ReadData()));
    }
}

/// <summary>A list entry: the session without its (possibly large) data.</summary>
public sealed class ConnectorSessionSummaryDto
{
    [JsonPropertyName("sessionId")] public required Guid SessionId { get; init; }
    [JsonPropertyName("createdAt")] public required DateTimeOffset CreatedAt { get; init; }
    [JsonPropertyName("updatedAt")] public required DateTimeOffset UpdatedAt { get; init; }

    private sealed class Mapping : AutoMapper.Profile
    {
        public Mapping() =>
            CreateMap<ConnectorSession, ConnectorSessionSummaryDto>()
                .ForMember(d => d.SessionId, o => o.MapFrom(s => s.Id));
    }
}

public sealed class ConnectorSessionListDto
{
    [JsonPropertyName("sessions"), MaxLength(ListConnectorSessionsQuery.MaxLimit)] public required IReadOnlyList<ConnectorSessionSummaryDto> Sessions { get; init; }
    [JsonPropertyName("total"), Count] public required int Total { get; init; }
    [JsonPropertyName("limit"), Range(1, ListConnectorSessionsQuery.MaxLimit)] public required int Limit { get; init; }
    [JsonPropertyName("offset"), Count] public required int Offset { get; init; }
}

/// <summary>The acknowledgement the origin project returns for create, update and delete.</summary>
public sealed class ConnectorSessionMessageDto : IVersioned
{
    [JsonPropertyName("sessionId")] public required Guid SessionId { get; init; }
    [JsonPropertyName("message"), MaxLength(MaxMessageLength)] public required string Message { get; init; }

    public const int MaxMessageLength = 100;
    [JsonIgnore] public long Version { get; init; }
}
