using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Application.Common.Security;
using Sessions.Application.Common.Telemetry;
using Sessions.Application.Onboarding;
using Sessions.Domain.Onboarding;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Infrastructure.Onboarding;

/// <summary>
/// Runs queued onboarding tasks inside the host. The rules are the <see cref="OperationRun"/>
/// aggregate's (claim, renew, give up, succeed); this worker loads a run, applies one, and saves it
/// under the run's version, so of two workers acting on one run from the same read only the first
/// save applies (the same on every provider). A claim takes a lease, which is renewed while the task
/// works; the evidence and the run's completion are committed together, only while this worker still
/// holds the lease. A run whose lease expired (its worker died) is claimed again, up to
/// <see cref="OnboardingOptions.MaxAttempts"/>; then it is given up with evidence saying so.
/// </summary>
public sealed class OperationRunWorker(
    IServiceScopeFactory scopes,
    IDbContextFactory<SessionsDbContext> contexts,
    IOnboardingTaskCatalog catalog,
    ISecretSealer sealer,
    IOptions<OnboardingOptions> options,
    TimeProvider clock,
    MigrationGate gate,
    SessionsMetrics metrics,
    ILogger<OperationRunWorker> logger) : BackgroundService
{
    /// <summary>How often the queue depth gauge is brought up to date (one grouped count).</summary>
    private static readonly TimeSpan QueueCountInterval = TimeSpan.FromSeconds(5);

    private long _queueCountedAt;

    public string WorkerId { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    /// <summary>The connection with its secret, or null when the secret was sealed with another key (or altered).</summary>
    private ProviderAccess? Unseal(ProviderConnection connection)
    {
        try
        {
            return new ProviderAccess(connection, sealer.Unseal(connection.SealedClientSecret));
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            logger.LogWarning("The client secret of provider connection {ConnectionId} cannot be unsealed with this service's key", connection.Id);
            return null;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunWorker)
        {
            return;
        }

        // Until the startup migrations ran there is no queue to read.
        await gate.Opened.WaitAsync(stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await ClaimNextAsync(stoppingToken) is { } runId)
                {
                    await ExecuteAsync(runId, stoppingToken);
                    continue;
                }

                await FailExhaustedAsync(stoppingToken);
                await CountQueueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception))
            {
                logger.LogWarning("The operation run worker cannot reach the database ({Reason}); it carries on", exception.GetBaseException().Message);
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "The operation run worker hit an error; it carries on");
            }

            await Task.Delay(options.Value.WorkerPollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>How many of the oldest claimable runs one claim tries before giving up for this poll.</summary>
    private const int ClaimCandidates = 5;

    /// <summary>
    /// Takes the oldest claimable run. Of two workers that read the same run, one saves its claim and
    /// the other's save finds the version moved on (a claim or a renewal in between) and tries the next.
    /// </summary>
    public async Task<long?> ClaimNextAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var maxAttempts = options.Value.MaxAttempts;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var candidates = await db.OperationRuns
            .Where(OperationRun.ClaimableAt(now, maxAttempts))
            .OrderBy(r => r.Id)
            .Take(ClaimCandidates)
            .ToListAsync(cancellationToken);

        foreach (var run in candidates)
        {
            run.Claim(WorkerId, now, options.Value.Lease, maxAttempts);
            if (await SavedAsync(db, run, cancellationToken))
            {
                return run.Id;
            }
        }

        return null;
    }

    /// <summary>Saves a transition of a run; false when another worker changed the run since it was read.</summary>
    private static async Task<bool> SavedAsync(SessionsDbContext db, OperationRun run, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.Entry(run).State = EntityState.Detached;
            return false;
        }
    }

    /// <summary>One attempt at a run, in a span of its own (its database calls and provider requests are its children).</summary>
    private async Task ExecuteAsync(long runId, CancellationToken stoppingToken)
    {
        using var activity = SessionsTelemetry.Source.StartActivity("OperationRunAttempt", System.Diagnostics.ActivityKind.Internal);
        activity?.SetTag("sessions.run.id", runId);
        try
        {
            await AttemptAsync(runId, activity, stoppingToken);
        }
        catch (Exception exception)
        {
            activity.RecordFailure(exception);
            throw;
        }
    }

    private async Task AttemptAsync(long runId, System.Diagnostics.Activity? activity, CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SessionsDbContext>();
        var run = await db.OperationRuns.SingleAsync(r => r.Id == runId, stoppingToken);
        activity?.SetTag("sessions.run.task_type", run.TaskType);
        activity?.SetTag("sessions.run.attempt", run.Attempts);

        // Attempts only grow by a claim: a run claimed a second time was left by a worker whose lease expired.
        metrics.RunAttemptStarted(leaseExpired: run.Attempts > 1);
        var connection = run.ProviderConnectionId is { } id ? await db.ProviderConnections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, stoppingToken) : null;
        var task = catalog.Find(run.TaskType);

        using var working = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var renewal = RenewLeaseAsync(runId, working.Token);
        var provider = connection is null ? null : Unseal(connection);
        TaskOutcome outcome;
        try
        {
            outcome = task is null || provider is null
                ? new TaskOutcome(EvidenceStatus.Fail,
                    task is null ? "unknown_task" : connection is null ? "provider_connection_missing" : "provider_secret_unreadable",
                    "The run cannot be executed.", "{}")
                : await task.RunAsync(provider, working.Token);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
        {
            // A task that throws would leave its run running until the lease expires, then be retried
            // to no avail: the run fails now. Only the exception's type is logged, never its text,
            // which may quote the provider's answer.
            logger.LogWarning("Run {RunId} ({TaskType}) failed with {ExceptionType}", runId, run.TaskType, exception.GetType().Name);
            outcome = new TaskOutcome(EvidenceStatus.Fail, "task_failed", "The task failed unexpectedly.", "{}");
        }
        finally
        {
            await working.CancelAsync();
            await renewal;
        }

        if (provider is not null)
        {
            outcome = outcome with { Message = outcome.Message is null ? null : provider.Redact(outcome.Message), Payload = provider.Redact(outcome.Payload) };
        }

        try
        {
            // The renewals moved the run's version on: finish the run as it is now.
            await db.Entry(run).ReloadAsync(stoppingToken);
            var finishedAt = clock.GetUtcNow();
            db.OnboardingEvidence.Add(run.Succeed(WorkerId, outcome, finishedAt));
            await db.SaveChangesAsync(stoppingToken);
            metrics.RunSucceeded(finishedAt - run.CreatedAt);
            activity?.SetTag("sessions.run.verdict", outcome.Status.ToString().ToLowerInvariant());
            logger.LogInformation("Run {RunId} ({TaskType}) finished: {Status}", runId, run.TaskType, outcome.Status);
        }
        catch (Exception exception) when (exception is DbUpdateException or Domain.Common.DomainException)
        {
            // Another worker took the run over after our lease expired; its result stands.
            logger.LogInformation("Run {RunId} was taken over by another worker; dropping this result", runId);
        }
    }

    /// <summary>Renews the lease every third of its length while the task works; stops once the run is no longer this worker's.</summary>
    private async Task RenewLeaseAsync(long runId, CancellationToken cancellationToken)
    {
        var every = options.Value.Lease / 3;
        try
        {
            while (true)
            {
                await Task.Delay(every, cancellationToken);
                await using var db = await contexts.CreateDbContextAsync(cancellationToken);
                var run = await db.OperationRuns.SingleAsync(r => r.Id == runId, cancellationToken);
                run.RenewLease(WorkerId, clock.GetUtcNow(), options.Value.Lease);
                if (!await SavedAsync(db, run, cancellationToken))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The task finished (or the host is stopping): no more renewals.
        }
        catch (Domain.Common.DomainException)
        {
            // Another worker took the run over after this lease expired; its finish will be refused too.
        }
    }

    /// <summary>Runs whose workers died too often are given up, with evidence saying so.</summary>
    private async Task FailExhaustedAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var maxAttempts = options.Value.MaxAttempts;
        var exhausted = await db.OperationRuns.Where(OperationRun.ExhaustedAt(now, maxAttempts)).OrderBy(r => r.Id).Take(20).ToListAsync(cancellationToken);
        foreach (var run in exhausted)
        {
            db.OnboardingEvidence.Add(run.GiveUp(now, maxAttempts));
        }

        if (exhausted.Count > 0)
        {
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                foreach (var run in exhausted)
                {
                    metrics.RunAttemptsExhausted(now - run.CreatedAt);
                }
            }
            catch (DbUpdateException)
            {
                // Another worker settled them first.
            }
        }
    }

    /// <summary>Counts the runs waiting and being worked on for the queue depth gauge, every few seconds at most.</summary>
    private async Task CountQueueAsync(CancellationToken cancellationToken)
    {
        if (_queueCountedAt != 0 && System.Diagnostics.Stopwatch.GetElapsedTime(_queueCountedAt) < QueueCountInterval)
        {
            return;
        }

        _queueCountedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var counts = await db.OperationRuns
            .Where(r => r.Status == OperationRunStatus.Queued || r.Status == OperationRunStatus.Running)
            .GroupBy(r => r.Status)
            .Select(group => new { Status = group.Key, Count = group.LongCount() })
            .ToListAsync(cancellationToken);
        metrics.RunQueueCounted(
            counts.Where(c => c.Status == OperationRunStatus.Queued).Sum(c => c.Count),
            counts.Where(c => c.Status == OperationRunStatus.Running).Sum(c => c.Count));
    }
}
