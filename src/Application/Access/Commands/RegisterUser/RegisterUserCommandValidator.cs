using FluentValidation;
using Sessions.Domain.Access;

namespace Sessions.Application.Access.Commands;

public sealed class RegisterUserCommandValidator : AbstractValidator<RegisterUserCommand>
{
    public RegisterUserCommandValidator()
    {
        RuleFor(c => c.Handle).NotEmpty().MaximumLength(User.MaxHandleLength);
        RuleFor(c => c.Name).MaximumLength(User.MaxNameLength);
    }
}
