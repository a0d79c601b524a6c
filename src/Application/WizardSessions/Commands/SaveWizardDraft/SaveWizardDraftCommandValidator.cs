using FluentValidation;
using Sessions.Application.WizardSessions.Queries;

namespace Sessions.Application.WizardSessions.Commands;

public sealed class SaveWizardDraftCommandValidator : AbstractValidator<SaveWizardDraftCommand>
{
    public SaveWizardDraftCommandValidator()
    {
        RuleFor(c => c.Answers).NotNull().WithMessage("'answers' is required.");
        RuleFor(c => c.Answers).SetValidator(new WizardAnswersValidator()!).When(c => c.Answers is not null);
    }
}
