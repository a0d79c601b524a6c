using MediatR;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Application.WizardRuns.Specifications;
using Sessions.Domain.WizardRuns;

namespace Sessions.Application.WizardRuns.Queries;

public sealed record GetWizardRunQuery(int ProjectId, string SessionId) : IQuery<WizardRunDto>;

public sealed class GetWizardRunQueryHandler(IReadRepository<WizardRun> runs, ICaller caller, WizardRunViews views)
    : IRequestHandler<GetWizardRunQuery, WizardRunDto>
{
    public async Task<WizardRunDto> Handle(GetWizardRunQuery request, CancellationToken cancellationToken)
    {
        caller.EnsureProject(request.ProjectId, request.SessionId);
        var run = await runs.FirstOrDefaultAsync(new WizardRunBySessionSpec(request.ProjectId, request.SessionId), cancellationToken)
                  ?? throw new NotFoundException("Wizard session", request.SessionId);
        return views.ToDto(run);
    }
}
