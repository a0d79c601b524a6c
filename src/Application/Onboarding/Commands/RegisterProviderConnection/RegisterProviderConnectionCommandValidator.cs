using FluentValidation;
using Sessions.Application.Onboarding.Queries;
using Sessions.Domain.Onboarding;

namespace Sessions.Application.Onboarding.Commands;

public sealed class RegisterProviderConnectionCommandValidator : AbstractValidator<RegisterProviderConnectionCommand>
{
    public RegisterProviderConnectionCommandValidator()
    {
        RuleFor(c => c.DisplayName).NotEmpty().MaximumLength(ProviderConnection.MaxTextLength);
        RuleFor(c => c.BaseUrl).NotEmpty().MaximumLength(ProviderConnection.MaxBaseUrlLength)
            .Must(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http" && string.IsNullOrEmpty(uri.UserInfo))
            .WithMessage("'base_url' must be an absolute https URL without credentials.");
        RuleFor(c => c.AuthMode).NotEmpty().MaximumLength(ProviderConnection.MaxAuthModeLength);
        RuleFor(c => c.ClientId).NotEmpty().MaximumLength(ProviderConnection.MaxTextLength);
        RuleFor(c => c.ClientSecret).NotEmpty().MinimumLength(ProviderConnection.MinSecretLength).MaximumLength(ProviderConnection.MaxSecretLength);
    }
}
