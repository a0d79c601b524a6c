using FluentValidation;
using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
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

public sealed class CreateApiKeyCommandHandler(
    IRepository<User> users,
    IRepository<ApiKey> keys,
    TimeProvider clock) : IRequestHandler<CreateApiKeyCommand, CreatedApiKey>
{
    public async Task<CreatedApiKey> Handle(CreateApiKeyCommand request, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var grants = new AccessGrants(request.Scopes, request.Projects, request.Tenants, request.Organisations);
        var owner = await users.FirstOrDefaultAsync(new UserByHandleSpec(request.UserHandle, forUpdate: true), cancellationToken);
        if (owner is null)
        {
            owner = User.Register(request.UserHandle, name: null, now);
            users.Add(owner);
        }

        var (prefix, token) = ApiKeySecret.Generate();
        var expiresAt = request.ExpiresInDays is { } days ? now.AddDays(days) : (DateTimeOffset?)null;
        var key = ApiKey.Issue(owner, prefix, ApiKeySecret.Hash(token), grants, request.Name, now, expiresAt);
        keys.Add(key);
        return new CreatedApiKey(prefix, token, owner.Id);
    }
}
