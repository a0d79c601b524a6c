using AutoMapper;
using MediatR;
using Sessions.Application.CalculatorSessions.Specifications;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Paging;
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

public sealed record ListCalculatorSessionsQuery(int? Page, int? Limit, string? MentorId) : IQuery<CalculatorSessionListDto>
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
}

public sealed class ListCalculatorSessionsQueryHandler(IReadRepository<CalculatorSession> sessions, ICaller caller, IMapper mapper)
    : IRequestHandler<ListCalculatorSessionsQuery, CalculatorSessionListDto>
{
    public async Task<CalculatorSessionListDto> Handle(ListCalculatorSessionsQuery request, CancellationToken cancellationToken)
    {
        var limit = Paging.ClampLimit(request.Limit, ListCalculatorSessionsQuery.DefaultLimit, ListCalculatorSessionsQuery.MaxLimit);
        var page = Paging.ClampPage(request.Page);
        var specification = new CalculatorSessionsSpec(caller.Organisations, request.MentorId, page, limit);
        var found = await sessions.ListAsync(specification, cancellationToken);
        var total = await sessions.CountAsync(specification, cancellationToken);
        return new CalculatorSessionListDto(mapper.Map<IReadOnlyList<CalculatorSessionDto>>(found), new PageInfoDto(page, limit, total));
    }
}

/// <summary>A page of a session's event log, oldest first; the log grows with every accepted event.</summary>
public sealed record GetCalculatorEventsQuery(string SessionId, int? Page, int? Limit) : IQuery<CalculatorEventLogDto>
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 100;
}

public sealed class GetCalculatorEventsQueryHandler(IReadRepository<CalculatorSession> sessions, ICaller caller, IMapper mapper)
    : IRequestHandler<GetCalculatorEventsQuery, CalculatorEventLogDto>
{
    public async Task<CalculatorEventLogDto> Handle(GetCalculatorEventsQuery request, CancellationToken cancellationToken)
    {
        var limit = Paging.ClampLimit(request.Limit, GetCalculatorEventsQuery.DefaultLimit, GetCalculatorEventsQuery.MaxLimit);
        var page = Paging.ClampPage(request.Page);
        var session = await sessions.LoadAsync(caller, request.SessionId, cancellationToken, events: new EventPage((page - 1) * limit, limit));
        return new CalculatorEventLogDto(session.Id,
            mapper.Map<IReadOnlyList<CalculatorEventDto>>(session.Events.OrderBy(e => e.Sequence).ToList()),
            new PageInfoDto(page, limit, session.EventCount));
    }
}

public sealed record GetCalculationResultQuery(string ResultId) : IQuery<CalculationResultDto>;

public sealed class GetCalculationResultQueryHandler(IReadRepository<CalculationResult> results, ICaller caller, IMapper mapper)
    : IRequestHandler<GetCalculationResultQuery, CalculationResultDto>
{
    public async Task<CalculationResultDto> Handle(GetCalculationResultQuery request, CancellationToken cancellationToken) =>
        mapper.Map<CalculationResultDto>(
            await results.FirstOrDefaultAsync(new CalculationResultByIdSpec(request.ResultId, caller.Organisations), cancellationToken)
            ?? throw new NotFoundException("Calculation result", request.ResultId));
}
