using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Application.Common.Idempotency;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Infrastructure.Idempotency;

/// <summary>
/// Deletes expired idempotency records and abandoned claims at start and then every
/// <see cref="IdempotencyOptions.PurgeInterval"/>, so what a flood of one-off keys stored goes
/// when its 24 hours are over rather than when the same key comes back. Every instance runs one;
/// the delete is one statement, and instances that overlap delete nothing twice.
/// </summary>
internal sealed class IdempotencyPurger(
    IIdempotencyStore store, IOptions<IdempotencyOptions> options, TimeProvider clock, MigrationGate gate, ILogger<IdempotencyPurger> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Until the startup migrations reached the database there is no table to purge.
        await gate.Opened.WaitAsync(stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        using var timer = new PeriodicTimer(options.Value.PurgeInterval, clock);
        try
        {
            do
            {
                await PurgeAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task PurgeAsync(CancellationToken stoppingToken)
    {
        try
        {
            var purged = await store.PurgeExpiredAsync(stoppingToken);
            if (purged > 0)
            {
                logger.LogInformation("Purged {Count} expired idempotency record(s)", purged);
            }
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
        {
            // The database may be down for a while; the next round tries again.
            logger.LogWarning("Purging expired idempotency records failed; retrying in {Interval}: {Reason}",
                options.Value.PurgeInterval, exception.GetBaseException().Message);
        }
    }
}
