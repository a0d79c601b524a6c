using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using FluentValidation;
using Sessions.Application.Common.Messaging;
using Sessions.Application.WizardRuns.Queries;
using Sessions.Domain.WizardRuns;

namespace Sessions.Application.WizardRuns.Commands;

/// <summary>A push from the wizard CLI: creates the run or replaces it whole.</summary>
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
    JsonObject? PendingInput,
    string? HandoffText) : ICommand<WizardRunUpsert>;

/// <summary>A task as pushed; every field is required.</summary>
public sealed record WizardTaskInput(
    [property: MaxLength(WizardRun.MaxIdLength)] string? Id, [property: MaxLength(WizardRun.MaxTitleLength)] string? Title, WizardTaskStatus? Status);

/// <summary>The run after the push, and whether the push created it.</summary>
public sealed record WizardRunUpsert(WizardRunDto Run, bool Created);

public sealed class UpsertWizardRunCommandValidator : AbstractValidator<UpsertWizardRunCommand>
{
    public UpsertWizardRunCommandValidator()
    {
        RuleFor(c => c.SessionId).NotEmpty().MaximumLength(WizardRun.MaxIdLength);
        RuleFor(c => c.WorkflowId).NotEmpty().MaximumLength(WizardRun.MaxIdLength);
        RuleFor(c => c.SkillId).NotEmpty().MaximumLength(WizardRun.MaxIdLength);
        RuleFor(c => c.StartedAt).NotNull();
        RuleFor(c => c.RunPhase).NotNull().IsInEnum();
        RuleFor(c => c.Tasks).NotNull();
        RuleFor(c => c.Tasks!.Count).LessThanOrEqualTo(WizardRun.MaxTasks).OverridePropertyName("tasks")
            .WithMessage($"A run has at most {WizardRun.MaxTasks} tasks.").When(c => c.Tasks is not null);
        RuleForEach(c => c.Tasks).NotNull().WithMessage("A task is an object with id, title and status.").ChildRules(task =>
        {
            task.RuleFor(t => t!.Id).NotEmpty().MaximumLength(WizardRun.MaxIdLength);
            task.RuleFor(t => t!.Title).NotNull().MaximumLength(WizardRun.MaxTitleLength);
            task.RuleFor(t => t!.Status).NotNull().IsInEnum();
        });
    }
}
