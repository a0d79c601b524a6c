using AutoMapper;
using MediatR;
using Sessions.Application.Common.Messaging;

namespace Sessions.Application.WizardRuns.Queries;

public sealed record GetWizardRunQuery(int ProjectId, string SessionId) : IQuery<WizardRunDto>;

public sealed class GetWizardRunQueryHandler(WizardRunAccess access, IMapper mapper)
    : IRequestHandler<GetWizardRunQuery, WizardRunDto>
{
    public async Task<WizardRunDto> Handle(GetWizardRunQuery request, CancellationToken cancellationToken) =>
        mapper.Map<WizardRunDto>(await access.LoadAsync(request.ProjectId, request.SessionId, cancellationToken));
}
