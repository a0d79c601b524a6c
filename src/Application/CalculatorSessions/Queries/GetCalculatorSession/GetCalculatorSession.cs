using AutoMapper;
using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Domain.CalculatorSessions;

namespace Sessions.Application.CalculatorSessions.Queries;

public sealed record GetCalculatorSessionQuery(string SessionId) : IQuery<CalculatorSessionDto>;

public sealed class GetCalculatorSessionQueryHandler(IReadRepository<CalculatorSession> sessions, ICaller caller, IMapper mapper)
    : IRequestHandler<GetCalculatorSessionQuery, CalculatorSessionDto>
{
    public async Task<CalculatorSessionDto> Handle(GetCalculatorSessionQuery request, CancellationToken cancellationToken) =>
        mapper.Map<CalculatorSessionDto>(await sessions.LoadAsync(caller, request.SessionId, cancellationToken));
}
