using AutoMapper;
using MediatR;
using Sessions.Application.CalculatorSessions.Specifications;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Paging;

namespace Sessions.Application.CalculatorSessions.Queries;

/// <summary>A page of a session's event log, oldest first; the log grows with every accepted event.</summary>
public sealed record GetCalculatorEventsQuery(string SessionId, int? Page, int? Limit) : IQuery<CalculatorEventLogDto>
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 100;
}

public sealed class GetCalculatorEventsQueryHandler(CalculatorAccess access, IMapper mapper)
    : IRequestHandler<GetCalculatorEventsQuery, CalculatorEventLogDto>
{
    public async Task<CalculatorEventLogDto> Handle(GetCalculatorEventsQuery request, CancellationToken cancellationToken)
    {
        var limit = Paging.ClampLimit(request.Limit, GetCalculatorEventsQuery.DefaultLimit, GetCalculatorEventsQuery.MaxLimit);
        var page = Paging.ClampPage(request.Page);
        var session = await access.LoadAsync(request.SessionId, cancellationToken, new EventPage((page - 1) * limit, limit));
        return new CalculatorEventLogDto(session.Id,
            mapper.Map<IReadOnlyList<CalculatorEventDto>>(session.Events.OrderBy(e => e.Sequence).ToList()),
            new PageInfoDto(page, limit, session.EventCount));
    }
}
