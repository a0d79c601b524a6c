using AutoMapper;
using MediatR;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Domain.Onboarding;

namespace Sessions.Application.Onboarding.Queries;

public sealed record GetOperationRunQuery(int TenantId, long RunId) : IQuery<OperationRunDto>;

public sealed class GetOperationRunQueryHandler(IReadRepository<OperationRun> runs, ICaller caller, IMapper mapper)
    : IRequestHandler<GetOperationRunQuery, OperationRunDto>
{
    public async Task<OperationRunDto> Handle(GetOperationRunQuery request, CancellationToken cancellationToken)
    {
        caller.EnsureTenant(request.TenantId);
        return mapper.Map<OperationRunDto>(
            await runs.FirstOrDefaultAsync(new OperationRunByIdSpec(request.TenantId, request.RunId), cancellationToken)
            ?? throw new NotFoundException("Operation run", request.RunId));
    }
}
