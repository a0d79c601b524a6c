using MediatR;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Application.ConnectorSessions.Queries;
using Sessions.Application.ConnectorSessions.Specifications;
using Sessions.Domain.ConnectorSessions;

namespace Sessions.Application.ConnectorSessions.Commands;

public sealed record DeleteConnectorSessionCommand(Guid SessionId, long? ExpectedVersion)
    : ICommand<ConnectorSessionMessageDto>, IConditionalCommand;

public sealed class DeleteConnectorSessionCommandHandler(IRepository<ConnectorSession> sessions, ICaller caller)
    : IRequestHandler<DeleteConnectorSessionCommand, ConnectorSessionMessageDto>
{
    public async Task<ConnectorSessionMessageDto> Handle(DeleteConnectorSessionCommand request, CancellationToken cancellationToken)
    {
        var session = await sessions.FirstOrDefaultAsync(
                          new ConnectorSessionByIdSpec(caller.UserId, request.SessionId, forUpdate: true), cancellationToken)
                      ?? throw new NotFoundException("Session", request.SessionId);
        session.EnsureVersion(request.ExpectedVersion);
        sessions.Remove(session);
        return new ConnectorSessionMessageDto { SessionId = session.Id, Message = "Session deleted successfully" };
    }
}
