using AutoMapper;
using MediatR;
using Sessions.Application.Common.Messaging;

namespace Sessions.Application.ConnectorSessions.Queries;

public sealed record GetConnectorSessionQuery(Guid SessionId) : IQuery<ConnectorSessionDto>;

public sealed class GetConnectorSessionQueryHandler(ConnectorSessionAccess access, IMapper mapper)
    : IRequestHandler<GetConnectorSessionQuery, ConnectorSessionDto>
{
    public async Task<ConnectorSessionDto> Handle(GetConnectorSessionQuery request, CancellationToken cancellationToken)
    {
        return mapper.Map<ConnectorSessionDto>(await access.LoadAsync(request.SessionId, cancellationToken));
    }
}
