using FluentValidation;
using Sessions.Domain.WizardRuns;

namespace Sessions.Application.WizardRuns.Commands;

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
        RuleFor(c => c.PendingInput).ChildRules(pending =>
        {
            pending.RuleFor(p => p!.Id).NotEmpty().MaximumLength(PendingInput.MaxIdLength);
            pending.RuleFor(p => p!.QuestionCount).NotNull().InclusiveBetween(1, PendingInput.MaxQuestionCount);
            pending.RuleFor(p => p!.Sensitive).NotNull();
            pending.RuleFor(p => p!.Prompts!.Count).LessThanOrEqualTo(PendingInput.MaxPrompts).OverridePropertyName("prompts")
                .WithMessage($"'prompts' holds at most {PendingInput.MaxPrompts} texts.").When(p => p!.Prompts is not null);
            pending.RuleForEach(p => p!.Prompts).NotNull().MaximumLength(PendingInput.MaxPromptLength);
        }).When(c => c.PendingInput is not null);
    }
}
