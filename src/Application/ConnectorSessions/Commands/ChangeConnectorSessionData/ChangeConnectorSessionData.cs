using System.Text.Json.Nodes;
using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.ConnectorSessions.Queries;

namespace Sessions.Application.ConnectorSessions.Commands;

public enum DataChange
{
    /// <summary>PATCH: top-level keys replaced whole, the others kept.</summary>
    Merge,

    /// <summary>PUT: the whole object replaced.</summary>
    Replace,
}

public sealed record ChangeConnectorSessionDataCommand(Guid SessionId, JsonObject? Data, DataChange Change, long? ExpectedVersion)
    : ICommand<ConnectorSessionMessageDto>;

public sealed class ChangeConnectorSessionDataCommandHandler(ConnectorSessionAccess access, TimeProvider clock)
    : IRequestHandler<ChangeConnectorSessionDataCommand, ConnectorSessionMessageDto>
{
    public async Task<ConnectorSessionMessageDto> Handle(ChangeConnectorSessionDataCommand request, CancellationToken cancellationToken)
    {
        var session = await access.LoadForUpdateAsync(request.SessionId, request.ExpectedVersion, cancellationToken);

        var now = clock.GetUtcNow();
        if (request.Change == DataChange.Merge)
        {
            session.Merge(request.Data!, now);
        }
        else
        {
            session.Replace(request.Data!, now);
        }

        return new ConnectorSessionMessageDto
        {
            SessionId = session.Id, Message = "Session updated successfully", Version = session.Version,
        };
    }
}
