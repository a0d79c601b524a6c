using AutoMapper;
using MediatR;
using Sessions.Application.Common.Messaging;

namespace Sessions.Application.CalculatorSessions.Queries;

public sealed record GetCalculatorSessionQuery(string SessionId) : IQuery<CalculatorSessionDto>;

public sealed class GetCalculatorSessionQueryHandler(CalculatorAccess access, IMapper mapper)
    : IRequestHandler<GetCalculatorSessionQuery, CalculatorSessionDto>
{
    public async Task<CalculatorSessionDto> Handle(GetCalculatorSessionQuery request, CancellationToken cancellationToken) =>
        mapper.Map<CalculatorSessionDto>(await access.LoadAsync(request.SessionId, cancellationToken));
}
