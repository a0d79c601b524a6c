using MediatR;
using Sessions.Application.Access.Commands;
using Sessions.Application.Common.Security;
using Sessions.Application.WizardSessions;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Api.Common.Hosting;

/// <summary>What the host does once before it serves: migrate, and hand out the demo key on a first run.</summary>
public sealed class StartupTasks(IServiceProvider services, DatabaseOptions database, IHostEnvironment environment, ILogger<StartupTasks> logger)
{
    private static readonly TimeSpan MigrationRetryDelay = TimeSpan.FromSeconds(5);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Read the wizard catalog now: a broken definition file stops the service at once, naming the file and field.
        services.GetRequiredService<IWizardCatalog>();

        // Likewise the key that seals provider secrets: a missing or malformed one stops the service now.
        services.GetRequiredService<ISecretSealer>();

        if (database.MigrateOnStartup && !await TryMigrateAsync(cancellationToken))
        {
            // The database is down: serve anyway (ready 503, API 503) and migrate as soon as it answers.
            _ = MigrateWhenReachableAsync(cancellationToken);
            return;
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

    private async Task<bool> TryMigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await services.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            return true;
        }
        catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception) && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("The database cannot be reached to apply migrations; retrying every {Delay}: {Reason}",
                MigrationRetryDelay, exception.GetBaseException().Message);
            return false;
        }
    }

    private async Task MigrateWhenReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            do
            {
                await Task.Delay(MigrationRetryDelay, cancellationToken);
            }
            while (!await TryMigrateAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            // The host is stopping.
        }
    }
}
