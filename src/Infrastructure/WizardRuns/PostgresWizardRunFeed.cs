using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Sessions.Application.WizardRuns;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Infrastructure.WizardRuns;

/// <summary>
/// Fan-out across every process sharing one PostgreSQL database: an upsert is announced with
/// <c>NOTIFY</c> after its commit, and each process keeps one connection that <c>LISTEN</c>s and hands
/// the keys to its own open streams (its own announcements included). The listening connection is
/// re-opened when it fails.
/// </summary>
public sealed class PostgresWizardRunFeed(
    WizardRunSubscribers subscribers,
    DatabaseOptions database,
    ILogger<PostgresWizardRunFeed> logger) : BackgroundService, IWizardRunFeed
{
    public const string Channel = "sessions_wizard_runs";
    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(1);

    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first LISTEN is in place.</summary>
    public Task Listening => _listening.Task;

    public async Task PublishAsync(WizardRunKey key, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var notify = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
            notify.Parameters.AddWithValue("channel", Channel);
            notify.Parameters.AddWithValue("payload", JsonSerializer.Serialize(key));
            await notify.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            // The upsert is committed and its caller must hear so; other processes miss this one
            // announcement, but this process's own streams are still told.
            logger.LogWarning(exception, "Could not announce wizard run {SessionId} to other processes", key.SessionId);
            subscribers.Deliver(key);
        }
    }

    public IWizardRunSubscription Subscribe(int projectId, string workflowId, string? skillId) =>
        subscribers.Subscribe(projectId, workflowId, skillId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(
                    new NpgsqlConnectionStringBuilder(database.ConnectionString) { KeepAlive = 15, Pooling = false }.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, notification) => Deliver(notification.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                if (!_listening.TrySetResult())
                {
                    // Upserts announced while the listener was away were not heard: every stream re-reads.
                    subscribers.ResyncAll();
                }

                logger.LogInformation("Listening for wizard run upserts on {Channel}", Channel);
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (DatabaseErrors.IsDatabaseFailure(exception))
            {
                // The database is down or restarting: one line per try, no stack trace.
                logger.LogWarning("The wizard run listener cannot reach the database ({Reason}); reconnecting in {Delay}",
                    exception.GetBaseException().Message, ReconnectDelay);
                await Task.Delay(ReconnectDelay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "The wizard run listener lost its connection; reconnecting in {Delay}", ReconnectDelay);
                await Task.Delay(ReconnectDelay, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private void Deliver(string payload)
    {
        try
        {
            if (JsonSerializer.Deserialize<WizardRunKey>(payload) is { } key)
            {
                subscribers.Deliver(key);
            }
        }
        catch (JsonException exception)
        {
            logger.LogWarning(exception, "Ignored a malformed wizard run notification");
        }
    }
}
