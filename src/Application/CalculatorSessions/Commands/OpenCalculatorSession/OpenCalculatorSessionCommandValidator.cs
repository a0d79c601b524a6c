using FluentValidation;
using Sessions.Application.CalculatorSessions.Queries;
using Sessions.Domain.CalculatorSessions;

namespace Sessions.Application.CalculatorSessions.Commands;

public sealed class OpenCalculatorSessionCommandValidator : AbstractValidator<OpenCalculatorSessionCommand>
{
    public OpenCalculatorSessionCommandValidator()
    {
        RuleFor(c => c.MentorId).NotEmpty().MaximumLength(CalculatorSession.MaxIdLength);
        RuleFor(c => c.OrganisationId).NotEmpty().MaximumLength(CalculatorSession.MaxIdLength);
    }
}
