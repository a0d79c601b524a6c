using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Paging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Application.ConnectorSessions.Specifications;
using Sessions.Domain.ConnectorSessions;

namespace Sessions.Application.ConnectorSessions.Queries;

public sealed record ListConnectorSessionsQuery(int? Limit, int? Offset) : IQuery<ConnectorSessionListDto>
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
}

public sealed class ListConnectorSessionsQueryHandler(IReadRepository<ConnectorSession> sessions, ICaller caller)
    : IRequestHandler<ListConnectorSessionsQuery, ConnectorSessionListDto>
{
    public async Task<ConnectorSessionListDto> Handle(ListConnectorSessionsQuery request, CancellationToken cancellationToken)
    {
        var limit = Paging.ClampLimit(request.Limit, ListConnectorSessionsQuery.DefaultLimit, ListConnectorSessionsQuery.MaxLimit);
        var offset = Paging.ClampOffset(request.Offset);
        var specification = new ConnectorSessionsOfOwnerSpec(caller.UserId, offset, limit);
        var page = await sessions.ProjectToListAsync<ConnectorSessionSummaryDto>(specification, cancellationToken);
        var total = await sessions.CountAsync(specification, cancellationToken);
        return new ConnectorSessionListDto
        {
            Sessions = page,
            Total = total,
            Limit = limit,
            Offset = offset,
        };
    }
}
