using AutoMapper;
using MediatR;
using Sessions.Application.Common.Messaging;

namespace Sessions.Application.CalculatorSessions.Queries;

public sealed record GetCalculationResultQuery(string ResultId) : IQuery<CalculationResultDto>;

public sealed class GetCalculationResultQueryHandler(CalculatorAccess access, IMapper mapper)
    : IRequestHandler<GetCalculationResultQuery, CalculationResultDto>
{
    public async Task<CalculationResultDto> Handle(GetCalculationResultQuery request, CancellationToken cancellationToken) =>
        mapper.Map<CalculationResultDto>(await access.LoadResultAsync(request.ResultId, cancellationToken));
}
