using AutoMapper;
using MediatR;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Application.ConnectorSessions.Specifications;
using Sessions.Domain.ConnectorSessions;

namespace Sessions.Application.ConnectorSessions.Queries;

public sealed record GetConnectorSessionQuery(Guid SessionId) : IQuery<ConnectorSessionDto>;

public sealed class GetConnectorSessionQueryHandler(IReadRepository<ConnectorSession> sessions, ICaller caller, IMapper mapper)
    : IRequestHandler<GetConnectorSessionQuery, ConnectorSessionDto>
{
    public async Task<ConnectorSessionDto> Handle(GetConnectorSessionQuery request, CancellationToken cancellationToken)
    {
        var session = await sessions.FirstOrDefaultAsync(new ConnectorSessionByIdSpec(caller.UserId, request.SessionId), cancellationToken)
                      ?? throw new NotFoundException("Session", request.SessionId);
        return mapper.Map<ConnectorSessionDto>(session);
    }
}
