using System.ComponentModel.DataAnnotations;
using AutoMapper;
using MediatR;
using Sessions.Application.CalculatorSessions.Specifications;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.CalculatorSessions;

namespace Sessions.Application.CalculatorSessions.Queries;

/// <summary>A shared result, for anyone holding its token: no API key, no organisation.</summary>
public sealed record GetSharedCalculationQuery(string ShareToken) : IQuery<SharedCalculationDto>;

/// <summary>What a share shows: the inputs and figures, and nothing naming the organisation, mentor or session.</summary>
public sealed record SharedCalculationDto(
    [property: MaxLength(CalculatorSession.MaxIdLength)] string ResultId,
    CalculationInputsDto Inputs,
    CalculationOutputsDto Outputs,
    DateTimeOffset CalculatedAt)
{
    private sealed class Mapping : Profile
    {
        public Mapping() =>
            CreateMap<CalculationResult, SharedCalculationDto>()
                .ForCtorParam(nameof(ResultId), o => o.MapFrom(r => r.Id))
                .ForCtorParam(nameof(CalculatedAt), o => o.MapFrom(r => r.CreatedAt));
    }
}

public sealed class GetSharedCalculationQueryHandler(
    IReadRepository<CalculatorSession> sessions, IReadRepository<CalculationResult> results, IMapper mapper)
    : IRequestHandler<GetSharedCalculationQuery, SharedCalculationDto>
{
    public async Task<SharedCalculationDto> Handle(GetSharedCalculationQuery request, CancellationToken cancellationToken)
    {
        // Only the session's current token is shared: a reset or a new calculation clears it, and its link stops working.
        var session = await sessions.FirstOrDefaultAsync(new CalculatorSessionByShareTokenSpec(request.ShareToken), cancellationToken);
        var result = session?.ResultId is { } resultId
            ? await results.FirstOrDefaultAsync(new CalculationResultOfSessionSpec(resultId, session.Id), cancellationToken)
            : null;
        return result is null
            ? throw new NotFoundException("Shared calculation", request.ShareToken)
            : mapper.Map<SharedCalculationDto>(result);
    }
}
