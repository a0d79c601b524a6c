using AutoMapper;
using MediatR;
using Sessions.Application.CalculatorSessions.Specifications;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Domain.CalculatorSessions;

namespace Sessions.Application.CalculatorSessions.Queries;

public sealed record GetCalculationResultQuery(string ResultId) : IQuery<CalculationResultDto>;

public sealed class GetCalculationResultQueryHandler(IReadRepository<CalculationResult> results, ICaller caller, IMapper mapper)
    : IRequestHandler<GetCalculationResultQuery, CalculationResultDto>
{
    public async Task<CalculationResultDto> Handle(GetCalculationResultQuery request, CancellationToken cancellationToken) =>
        mapper.Map<CalculationResultDto>(
            await results.FirstOrDefaultAsync(new CalculationResultByIdSpec(request.ResultId, caller.Organisations), cancellationToken)
            ?? throw new NotFoundException("Calculation result", request.ResultId));
}
