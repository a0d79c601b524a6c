using AutoMapper;
using MediatR;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.WizardRuns.Specifications;
using Sessions.Domain.WizardRuns;

namespace Sessions.Application.WizardRuns.Queries;

/// <summary>The newest run of a workflow (and skill), or null when there is none.</summary>
public sealed record GetLatestWizardRunQuery(int ProjectId, string? WorkflowId, string? SkillId) : IQuery<WizardRunDto?>;

public sealed class GetLatestWizardRunQueryHandler(IReadRepository<WizardRun> runs, WizardRunAccess access, IMapper mapper)
    : IRequestHandler<GetLatestWizardRunQuery, WizardRunDto?>
{
    public async Task<WizardRunDto?> Handle(GetLatestWizardRunQuery request, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.WorkflowId))
        {
            throw ValidationException.For("workflow_id", "'workflow_id' is required.");
        }

        if (!access.MaySee(request.ProjectId))
        {
            return null;
        }

        var run = await runs.FirstOrDefaultAsync(new WizardRunsSpec(request.ProjectId, request.WorkflowId, request.SkillId, 0, 1), cancellationToken);
        return run is null ? null : mapper.Map<WizardRunDto>(run);
    }
}
