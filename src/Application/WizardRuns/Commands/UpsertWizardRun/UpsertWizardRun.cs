using AutoMapper;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Persistence;
using Sessions.Application.Common.Security;
using Sessions.Application.WizardRuns.Queries;
using Sessions.Domain.WizardRuns;

namespace Sessions.Application.WizardRuns.Commands;

/// <summary>
/// A push from the wizard CLI: creates the run or replaces it whole, except <c>handoff_text</c>, which a push
/// that does not send it (<see cref="UpsertWizardRunCommand.HandoffTextSent"/> false) keeps.
/// </summary>
public sealed record UpsertWizardRunCommand(
    int ProjectId,
    string? SessionId,
    string? WorkflowId,
    string? SkillId,
    DateTimeOffset? StartedAt,
    RunPhase? RunPhase,
    IReadOnlyList<WizardTaskInput?>? Tasks,
    JsonObject? EventPlan,
    JsonObject? Error,
    PendingInputInput? PendingInput,
    bool HandoffTextSent,
    string? HandoffText) : ICommand<WizardRunUpsert>;

/// <summary>A task as pushed; every field is required.</summary>
public sealed record WizardTaskInput(
    [property: MaxLength(WizardRun.MaxIdLength)] string? Id, [property: MaxLength(WizardRun.MaxTitleLength)] string? Title, WizardTaskStatus? Status);

/// <summary>
/// <c>pending_input</c> as the wizard CLI sends it; other keys are dropped. When <c>sensitive</c> is true the
/// prompts are dropped too, before anything keeps or shows them.
/// </summary>
public sealed record PendingInputInput(
    [property: MinLength(1), MaxLength(PendingInput.MaxIdLength)] string? Id,
    DateTimeOffset? AskedAt,
    [property: Range(1, PendingInput.MaxQuestionCount)] int? QuestionCount,
    bool? Sensitive,
    [property: MaxLength(PendingInput.MaxPrompts), ItemMaxLength(PendingInput.MaxPromptLength)] IReadOnlyList<string?>? Prompts)
{
    public PendingInput ToPendingInput() =>
        PendingInput.Create(Id!, AskedAt, QuestionCount!.Value, Sensitive!.Value, Prompts?.Select(p => p!).ToList());
}

/// <summary>The run after the push, and whether the push created it.</summary>
public sealed record WizardRunUpsert(WizardRunDto Run, bool Created);

public sealed class UpsertWizardRunCommandHandler(
    WizardRunAccess access, IRepository<WizardRun> runs, ICaller caller, TimeProvider clock, IMapper mapper)
    : IRequestHandler<UpsertWizardRunCommand, WizardRunUpsert>
{
    public async Task<WizardRunUpsert> Handle(UpsertWizardRunCommand request, CancellationToken cancellationToken)
    {
        access.EnsureProject(request.ProjectId, request.SessionId!);

        // Two first pushes of one session may race: the loser's insert hits the unique key, the unit of
        // work re-runs this handler, and it then finds the row and updates it.
        var run = await access.FindForUpdateAsync(request.ProjectId, request.SessionId!, cancellationToken);
        if (run is not null && !run.MayBeChangedBy(caller.UserId))
        {
            throw new ForbiddenException("This run was created by another user; only its creator may push to it.", "run_owned_by_another_user");
        }

        var state = new WizardRunState(
            request.WorkflowId!,
            request.SkillId!,
            request.StartedAt!.Value,
            request.RunPhase!.Value,
            request.Tasks!.Select(t => new WizardTask(t!.Id!, t.Title!, t.Status!.Value)).ToList(),
            request.EventPlan?.ToJsonString(),
            request.Error?.ToJsonString(),
            request.PendingInput?.ToPendingInput(),
            request.HandoffTextSent ? request.HandoffText : run?.HandoffText);
        var now = clock.GetUtcNow();

        // The caller as a run shows its creator: the key proves the id and handle, and carries the user's name.
        var pusher = new WizardRunCreator(caller.UserId, caller.Handle, caller.Name);
        if (run is null)
        {
            run = WizardRun.Record(request.ProjectId, request.SessionId!, pusher, state, now);
            runs.Add(run);
            return new WizardRunUpsert(mapper.Map<WizardRunDto>(run), Created: true);
        }

        run.Replace(pusher, state, now);
        return new WizardRunUpsert(mapper.Map<WizardRunDto>(run), Created: false);
    }
}
