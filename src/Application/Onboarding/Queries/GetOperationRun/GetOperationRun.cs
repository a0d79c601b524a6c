using AutoMapper;
using MediatR;
using Sessions.Application.Common.Messaging;

namespace Sessions.Application.Onboarding.Queries;

public sealed record GetOperationRunQuery(int TenantId, long RunId) : IQuery<OperationRunDto>;

public sealed class GetOperationRunQueryHandler(OnboardingAccess access, IMapper mapper)
    : IRequestHandler<GetOperationRunQuery, OperationRunDto>
{
    public async Task<OperationRunDto> Handle(GetOperationRunQuery request, CancellationToken cancellationToken) =>
        mapper.Map<OperationRunDto>(await access.LoadRunAsync(request.TenantId, request.RunId, cancellationToken));
}
