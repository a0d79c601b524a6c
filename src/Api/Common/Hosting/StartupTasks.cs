using MediatR;
using Sessions.Application.Access.Commands;
using Sessions.Application.Common.Security;
using Sessions.Application.Common.Telemetry;
using Sessions.Application.WizardSessions;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Api.Common.Hosting;

/// <summary>
/// What the host does once before it serves: check its own files and keys, migrate, and hand out the
/// demo key on a first run. A database that cannot be reached does not stop the host: it starts
/// (live, not ready, the API answering 503), and the migrations are tried again in the background
/// with a growing pause until the database answers.
/// </summary>
public sealed class StartupTasks(
    IServiceProvider services,
    DatabaseOptions database,
    DatabaseMigrator migrator,
    MigrationGate gate,
    SessionsMetrics metrics,
    IHostEnvironment environment,
    ILogger<StartupTasks> logger) : BackgroundService
{
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>Runs before the host starts: a broken catalog or key stops it here, and a reachable database is migrated now.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Read the wizard catalog now: a broken definition file stops the service at once, naming the file and field.
        services.GetRequiredService<IWizardCatalog>();

        // Likewise the key that seals provider secrets: a missing or malformed one stops the service now.
        services.GetRequiredService<ISecretSealer>();

        if (gate.IsOpen)
        {
            // Migrations are left to the migrate verb.
            await HandOutDemoKeyAsync(cancellationToken);
            return;
        }

        await TryMigrateAsync(TimeSpan.FromSeconds(1), cancellationToken);
    }

    /// <summary>Once the host runs: keeps trying the migrations the first attempt could not apply.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!gate.IsOpen && !stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(delay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            delay = Min(delay * 2, MaxRetryDelay);
            if (!stoppingToken.IsCancellationRequested)
            {
                await TryMigrateAsync(delay, stoppingToken);
            }
        }
    }

    /// <summary>One attempt; a database that is not there yet is one warning line, without a stack trace.</summary>
    private async Task TryMigrateAsync(TimeSpan nextDelay, CancellationToken cancellationToken)
    {
        try
        {
            await migrator.MigrateAsync(cancellationToken);
        }
        catch (Exception exception) when (DatabaseErrors.IsDatabaseFailure(exception) && !cancellationToken.IsCancellationRequested)
        {
            metrics.DatabaseReadiness(ready: false);
            logger.LogWarning("The {Provider} database cannot be reached yet (attempt {Attempt}): {Reason} Retrying in {Delay} s.",
                database.Provider, gate.AttemptFailed(), OneLine(exception), nextDelay.TotalSeconds);
            return;
        }

        gate.Open();
        metrics.DatabaseReadiness(ready: true);
        if (gate.FailedAttempts > 0)
        {
            logger.LogWarning("The {Provider} database answered after {Attempts} failed attempt(s); migrations are applied and the service is ready",
                database.Provider, gate.FailedAttempts);
        }

        await HandOutDemoKeyAsync(cancellationToken);
    }

    private async Task HandOutDemoKeyAsync(CancellationToken cancellationToken)
    {
        if (!environment.IsDevelopment() || database.Provider != DatabaseProvider.Sqlite)
        {
            return;
        }

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

    /// <summary>The innermost message, on one line: what the provider said (refused, timed out, no such database).</summary>
    internal static string OneLine(Exception exception) =>
        exception.GetBaseException().Message.ReplaceLineEndings(" ").Trim();

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
