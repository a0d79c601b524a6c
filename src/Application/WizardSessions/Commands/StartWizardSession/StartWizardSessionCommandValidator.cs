using FluentValidation;
using Sessions.Application.WizardSessions.Queries;
using Sessions.Domain.WizardSessions;

namespace Sessions.Application.WizardSessions.Commands;

public sealed class StartWizardSessionCommandValidator : AbstractValidator<StartWizardSessionCommand>
{
    public StartWizardSessionCommandValidator()
    {
        RuleFor(c => c.WizardId).NotEmpty().MaximumLength(WizardSession.MaxIdLength);
        RuleFor(c => c.UserId).NotEmpty().MaximumLength(WizardSession.MaxIdLength);
        RuleFor(c => c.Locale!).MaximumLength(WizardSession.MaxLocaleLength)
            .Matches(WizardSession.LocalePattern).WithMessage("'locale' must be a BCP 47 language tag such as 'en' or 'en-IE'.")
            .When(c => c.Locale is not null);
    }
}
