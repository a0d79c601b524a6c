using AutoMapper;
using MediatR;
using Sessions.Application.CalculatorSessions.Specifications;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Paging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Domain.CalculatorSessions;

namespace Sessions.Application.CalculatorSessions.Queries;

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
