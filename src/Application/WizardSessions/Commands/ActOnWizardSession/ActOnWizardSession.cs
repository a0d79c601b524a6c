using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.WizardSessions.Queries;
using Sessions.Domain.WizardSessions;

namespace Sessions.Application.WizardSessions.Commands;

public enum WizardAction
{
    NextStep,
    PreviousStep,
    Save,
}

/// <summary>
/// One command for every move of a session: PUT with an action, and the next-step and
/// previous-step endpoints, all come here.
/// </summary>
public sealed record ActOnWizardSessionCommand(
    string SessionId,
    WizardAction? Action,
    IReadOnlyDictionary<string, ScreenAnswerDto>? Answers,
    long? ExpectedVersion) : ICommand<WizardSessionActed>, IConditionalCommand;

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

public sealed class ActOnWizardSessionCommandHandler(WizardSessionAccess access)
    : IRequestHandler<ActOnWizardSessionCommand, WizardSessionActed>
{
    public async Task<WizardSessionActed> Handle(ActOnWizardSessionCommand request, CancellationToken cancellationToken)
    {
        var (session, wizard, now) = await access.LoadAsync(request.SessionId, forUpdate: true, request.ExpectedVersion, cancellationToken);
        var before = session.CurrentStepIndex(wizard);
        var answers = WizardSessionViews.ToChoices(request.Answers);
        switch (request.Action)
        {
            case WizardAction.NextStep:
                session.Advance(wizard, answers, now);
                break;
            case WizardAction.PreviousStep:
                session.GoBack(wizard, now);
                break;
            default:
                session.SaveAnswers(wizard, answers, now);
                break;
        }

        return new WizardSessionActed(WizardSessionViews.ToDto(session, wizard), before);
    }
}

/// <summary>The shape of answers on the wire: screen ids to a list of option ids.</summary>
public sealed class WizardAnswersValidator : AbstractValidator<IReadOnlyDictionary<string, ScreenAnswerDto>>
{
    public WizardAnswersValidator()
    {
        RuleForEach(answers => answers).Custom((answer, context) =>
        {
            var field = $"answers.{answer.Key}";
            if (answer.Key.Length is 0 or > WizardSession.MaxIdLength)
            {
                context.AddFailure(new ValidationFailure("answers", "Screen ids are 1 to 255 characters."));
            }
            else if (answer.Value?.Chosen is null)
            {
                context.AddFailure(new ValidationFailure(field, $"Screen '{answer.Key}' needs a 'chosen' list of option ids."));
            }
            else if (answer.Value.Chosen.Any(option => string.IsNullOrEmpty(option) || option.Length > WizardSession.MaxIdLength))
            {
                context.AddFailure(new ValidationFailure(field, "Option ids are 1 to 255 characters."));
            }
        });
    }
}
