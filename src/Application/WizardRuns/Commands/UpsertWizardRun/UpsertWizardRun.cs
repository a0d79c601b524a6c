using AutoMapper;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Application.WizardRuns.Queries;
using Sessions.Domain.WizardRuns;

namespace Sessions.Application.WizardRuns.Commands;

public sealed class UpsertWizardRunCommandHandler(
    WizardRunAccess access, IRepository<WizardRun> runs, TimeProvider clock, IMapper mapper)
    : IRequestHandler<UpsertWizardRunCommand, WizardRunUpsert>
{
    public async Task<WizardRunUpsert> Handle(UpsertWizardRunCommand request, CancellationToken cancellationToken)
    {
        access.EnsureProject(request.ProjectId, request.SessionId!);
        var state = new WizardRunState(
            request.WorkflowId!,
            request.SkillId!,
            request.StartedAt!.Value,
            request.RunPhase!.Value,
            request.Tasks!.Select(t => new WizardTask(t!.Id!, t.Title!, t.Status!.Value)).ToList(),
            request.EventPlan?.ToJsonString(),
            request.Error?.ToJsonString(),
            request.PendingInput?.ToJsonString(),
            request.HandoffText);
        var now = clock.GetUtcNow();

        // Two first pushes of one session may race: the loser's insert hits the unique key, the unit of
        // work re-runs this handler, and it then finds the row and updates it.
        var run = await access.FindForUpdateAsync(request.ProjectId, request.SessionId!, cancellationToken);
        if (run is null)
        {
            run = WizardRun.Record(request.ProjectId, request.SessionId!, state, now);
            runs.Add(run);
            return new WizardRunUpsert(mapper.Map<WizardRunDto>(run), Created: true);
        }

        run.Replace(state, now);
        return new WizardRunUpsert(mapper.Map<WizardRunDto>(run), Created: false);
    }
}
