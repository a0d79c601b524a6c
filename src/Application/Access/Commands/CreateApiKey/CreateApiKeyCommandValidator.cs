using FluentValidation;
using Sessions.Application.Common.Messaging;
using Sessions.Domain.Access;

namespace Sessions.Application.Access.Commands;

/// <summary>Issues a key for a user, registering the user first when the handle is new.</summary>
public sealed record CreateApiKeyCommand(
    string UserHandle,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<int>? Projects = null,
    IReadOnlyList<int>? Tenants = null,
    IReadOnlyList<string>? Organisations = null,
    string? Name = null,
    int? ExpiresInDays = null) : ICommand<CreatedApiKey>;

/// <summary>The only moment the secret exists outside the caller's hands.</summary>
public sealed record CreatedApiKey(string Prefix, string Token, long UserId);

public sealed class CreateApiKeyCommandValidator : AbstractValidator<CreateApiKeyCommand>
{
    public CreateApiKeyCommandValidator()
    {
        RuleFor(c => c.UserHandle).NotEmpty().MaximumLength(User.MaxHandleLength).OverridePropertyName("user");
        RuleFor(c => c.Scopes).NotEmpty();
        RuleFor(c => c.ExpiresInDays).InclusiveBetween(1, 3650);
        RuleFor(c => c.Name).MaximumLength(ApiKey.MaxNameLength);
    }
}
