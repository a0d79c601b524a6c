using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.ConnectorSessions.Queries;
using Sessions.Domain.ConnectorSessions;

namespace Sessions.Application.ConnectorSessions.Commands;

public sealed record DeleteConnectorSessionCommand(Guid SessionId, long? ExpectedVersion)
    : ICommand<ConnectorSessionMessageDto>;

public sealed class DeleteConnectorSessionCommandHandler(ConnectorSessionAccess access, IRepository<ConnectorSession> sessions)
    : IRequestHandler<DeleteConnectorSessionCommand, ConnectorSessionMessageDto>
{
    public async Task<ConnectorSessionMessageDto> Handle(DeleteConnectorSessionCommand request, CancellationToken cancellationToken)
    {
        var session = await access.LoadForUpdateAsync(request.SessionId, request.ExpectedVersion, cancellationToken);
        sessions.Remove(session);
        return new ConnectorSessionMessageDto { SessionId = session.Id, Message = "Session deleted successfully" };
    }
}
