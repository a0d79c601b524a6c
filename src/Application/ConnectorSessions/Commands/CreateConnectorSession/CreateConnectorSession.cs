using System.Text.Json.Nodes;
using MediatR;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Application.ConnectorSessions.Queries;
using Sessions.Domain.ConnectorSessions;

namespace Sessions.Application.ConnectorSessions.Commands;

/// <summary>Creates a session with the caller's UUID, or a new one when <paramref name="SessionId"/> is null.</summary>
public sealed record CreateConnectorSessionCommand(Guid? SessionId, JsonObject? Data) : ICommand<ConnectorSessionMessageDto>;

public sealed class CreateConnectorSessionCommandHandler(
    IRepository<ConnectorSession> sessions, ConnectorSessionAccess access, ICaller caller, TimeProvider clock)
    : IRequestHandler<CreateConnectorSessionCommand, ConnectorSessionMessageDto>
{
    public async Task<ConnectorSessionMessageDto> Handle(CreateConnectorSessionCommand request, CancellationToken cancellationToken)
    {
        var id = request.SessionId ?? Guid.CreateVersion7(clock.GetUtcNow());
        if (request.SessionId is not null
            && await access.ExistsAsync(id, cancellationToken))
        {
            throw new ConflictException("session_exists", $"Session {id} already exists");
        }

        var session = ConnectorSession.Create(id, caller.UserId, request.Data ?? [], clock.GetUtcNow());
        sessions.Add(session);
        return new ConnectorSessionMessageDto { SessionId = id, Message = "Session created successfully", Version = session.Version };
    }
}
