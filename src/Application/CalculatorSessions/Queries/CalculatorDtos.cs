using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using AutoMapper;
using Sessions.Application.Common.Paging;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.CalculatorSessions;

namespace Sessions.Application.CalculatorSessions.Queries;

/// <summary>A session's state snapshot (seed 002), plus its organisation and share token.</summary>
public sealed record CalculatorSessionDto : IVersioned
{
    [MaxLength(CalculatorSession.MaxIdLength)] public required string SessionId { get; init; }
    [MaxLength(CalculatorSession.MaxIdLength)] public required string MentorId { get; init; }
    [MaxLength(CalculatorSession.MaxIdLength)] public required string OrganisationId { get; init; }
    public required CalculatorState State { get; init; }

    /// <summary>The last accepted event, named as sent (<c>CalculateRequested</c>).</summary>
    [MaxLength(CalculatorSession.MaxEventNameLength)] public required string? LastEvent { get; init; }

    [MaxLength(CalculatorSession.MaxIdLength)] public required string? ResultId { get; init; }
    [MaxLength(CalculatorSession.MaxIdLength)] public required string? ShareToken { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    [System.Text.Json.Serialization.JsonIgnore] public long Version { get; init; }

    private sealed class Mapping : Profile
    {
        public Mapping() =>
            CreateMap<CalculatorSession, CalculatorSessionDto>()
                .ForMember(d => d.SessionId, o => o.MapFrom(s => s.Id))
                .ForMember(d => d.LastEvent, o => o.MapFrom(s => s.LastEvent == null ? null : s.LastEvent.ToString()));
    }
}

public sealed record CalculatorSessionListDto(
    [property: MaxLength(ListCalculatorSessionsQuery.MaxLimit)] IReadOnlyList<CalculatorSessionDto> Data, PageInfoDto Pagination);

public sealed record CalculatorSessionDeletedDto(bool Deleted, [property: MaxLength(CalculatorSession.MaxIdLength)] string SessionId);

public sealed record CalculationInputsDto([property: Range(1, int.MaxValue)] int Sessions, decimal AvgMinutes, decimal CostPerSession, decimal CostPerHour);

public sealed record CalculationOutputsDto(
    decimal TotalMinutes, decimal TotalHours, decimal TimeValue, decimal ProgrammeCost, decimal NetBenefit, decimal? RoiPercent);

public sealed record CalculationResultDto(
    [property: MaxLength(CalculatorSession.MaxIdLength)] string ResultId,
    [property: MaxLength(CalculatorSession.MaxIdLength)] string SessionId,
    [property: MaxLength(CalculatorSession.MaxIdLength)] string OrganisationId,
    CalculationInputsDto Inputs, CalculationOutputsDto Outputs,
    DateTimeOffset CreatedAt)
{
    private sealed class Mapping : Profile
    {
        public Mapping()
        {
            CreateMap<CalculationInputs, CalculationInputsDto>();
            CreateMap<CalculationOutputs, CalculationOutputsDto>();
            CreateMap<CalculationResult, CalculationResultDto>().ForCtorParam(nameof(ResultId), o => o.MapFrom(r => r.Id));
        }
    }
}

/// <summary>One accepted event of a session's log.</summary>
public sealed record CalculatorEventDto(
    [property: Range(1, int.MaxValue)] int Sequence,
    [property: MaxLength(CalculatorSession.MaxEventNameLength)] string Event,
    JsonObject? Payload,
    CalculatorState StateBefore,
    CalculatorState State,
    [property: MaxLength(CalculatorSession.MaxIdLength)] string? ResultId,
    DateTimeOffset OccurredAt)
{
    private sealed class Mapping : Profile
    {
        public Mapping() =>
            CreateMap<CalculatorEventRecord, CalculatorEventDto>()
                .ForCtorParam(nameof(Event), o => o.MapFrom(e => e.Event.ToString()))
                .ForCtorParam(nameof(Payload), o => o.MapFrom(e => e.Payload == null ? null : JsonNode.Parse(e.Payload, null, default)!.AsObject()))
                .ForCtorParam(nameof(State), o => o.MapFrom(e => e.StateAfter));
    }
}

public sealed record CalculatorEventLogDto(
    [property: MaxLength(CalculatorSession.MaxIdLength)] string SessionId,
    [property: MaxLength(GetCalculatorEventsQuery.MaxLimit)] IReadOnlyList<CalculatorEventDto> Data,
    PageInfoDto Pagination);
