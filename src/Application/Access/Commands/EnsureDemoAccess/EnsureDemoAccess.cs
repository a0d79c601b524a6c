using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.Access;

namespace Sessions.Application.Access.Commands;

/// <summary>
/// On an empty database, creates <c>usr-demo</c> with every scope and the demo grants and
/// returns its key; on any other database, does nothing and returns null.
/// </summary>
public sealed record EnsureDemoAccessCommand : ICommand<CreatedApiKey?>
{
    public const string DemoHandle = "usr-demo";
    public const int DemoProject = 1;
    public const int DemoTenant = 1;
    public const string DemoOrganisation = "org_demo";
}

public sealed class EnsureDemoAccessCommandHandler(IRepository<User> users, IMediator mediator)
    : IRequestHandler<EnsureDemoAccessCommand, CreatedApiKey?>
{
    public async Task<CreatedApiKey?> Handle(EnsureDemoAccessCommand request, CancellationToken cancellationToken)
    {
        if (await users.AnyAsync(new AnyUserSpec(), cancellationToken))
        {
            return null;
        }

        // The key command registers the user and issues the key in one commit (its own unit of work).
        return await mediator.Send(new CreateApiKeyCommand(
            EnsureDemoAccessCommand.DemoHandle,
            Scopes.All,
            Projects: [EnsureDemoAccessCommand.DemoProject],
            Tenants: [EnsureDemoAccessCommand.DemoTenant],
            Organisations: [EnsureDemoAccessCommand.DemoOrganisation],
            Name: "demo"), cancellationToken);
    }
}
