using FluentValidation;
using FluentValidation.Results;
using Sessions.Application.WizardSessions.Queries;
using Sessions.Domain.WizardSessions;

namespace Sessions.Application.WizardSessions.Commands;

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
