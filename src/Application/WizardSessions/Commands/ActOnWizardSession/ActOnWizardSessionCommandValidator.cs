using FluentValidation;
using Sessions.Application.Common.Messaging;
using Sessions.Application.WizardSessions.Queries;

namespace Sessions.Application.WizardSessions.Commands;

/// <summary>
/// One command for every move of a session: PUT with an action, and the next-step and
/// previous-step endpoints, all come here.
/// </summary>
public sealed record ActOnWizardSessionCommand(
    string SessionId,
    WizardAction? Action,
    IReadOnlyDictionary<string, ScreenAnswerDto>? Answers,
    long? ExpectedVersion) : ICommand<WizardSessionActed>;

/// <summary>The session after the action, and where it stood before.</summary>
public sealed record WizardSessionActed(WizardSessionDto Session, int PreviousStepIndex)
{
    public WizardStepMoveDto ToStepMove() => new(Session.SessionId, PreviousStepIndex, Session.CurrentStepIndex, Session.TotalSteps, Session.Status)
    {
        Version = Session.Version,
    };
}

public sealed class ActOnWizardSessionCommandValidator : AbstractValidator<ActOnWizardSessionCommand>
{
    public ActOnWizardSessionCommandValidator()
    {
        RuleFor(c => c.Action).NotNull().WithMessage("'action' is required: next_step, previous_step or save.").IsInEnum();
        RuleFor(c => c.Answers).SetValidator(new WizardAnswersValidator()!).When(c => c.Answers is not null);
        RuleFor(c => c.Answers).NotNull().WithMessage("'answers' is required to save.").When(c => c.Action == WizardAction.Save);
    }
}
