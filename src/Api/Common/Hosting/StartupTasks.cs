using MediatR;
using Sessions.Application.Access.Commands;
using Sessions.Application.Common.Security;
using Sessions.Application.WizardSessions;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Api.Common.Hosting;

/// <summary>What the host does once before it serves: migrate, and hand out the demo key on a first run.</summary>
public sealed class StartupTasks(IServiceProvider services, DatabaseOptions database, IHostEnvironment environment)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Read the wizard catalog now: a broken definition file stops the service at once, naming the file and field.
        services.GetRequiredService<IWizardCatalog>();

        // Likewise the key that seals provider secrets: a missing or malformed one stops the service now.
        services.GetRequiredService<ISecretSealer>();

        if (database.MigrateOnStartup)
        {
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        }

        if (environment.IsDevelopment() && database.Provider == DatabaseProvider.Sqlite)
        {
            await using var scope = services.CreateAsyncScope();
            var demo = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new EnsureDemoAccessCommand(), cancellationToken);
            if (demo is not null)
            {
                Console.WriteLine($"""

                    First run: created user {EnsureDemoAccessCommand.DemoHandle} with every scope, project {EnsureDemoAccessCommand.DemoProject}, tenant {EnsureDemoAccessCommand.DemoTenant} and organisation {EnsureDemoAccessCommand.DemoOrganisation}.
                    Its API key is shown this once:

                        {demo.Token}

                    """);
            }
        }
    }
}
