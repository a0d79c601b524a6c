using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Sessions.Application.WizardRuns;
using Sessions.Infrastructure.Persistence;

namespace Sessions.Infrastructure.WizardRuns;

/// <summary>
/// Fan-out across every process sharing one database, the same on every provider: an upsert is told
/// to this process's streams at once and, after its commit, written to the <c>wizard_run_changes</c>
/// table; one poller per process reads that table on from its cursor every
/// <see cref="WizardRunsOptions.ChangePollInterval"/> and hands other processes' changes to its own streams.
/// Streams never query the database to learn of a change: one read per process does.
/// </summary>
public sealed class DatabaseWizardRunFeed(
    WizardRunSubscribers subscribers,
    IDbContextFactory<SessionsDbContext> contexts,
    IOptions<WizardRunsOptions> options,
    MigrationGate gate,
    TimeProvider clock,
    ILogger<DatabaseWizardRunFeed> logger) : BackgroundService, IWizardRunFeed
{
    /// <summary>How long a change row is kept: far longer than any poll interval, short enough to keep the table small.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Ids are handed out when a row is inserted but become visible when it commits, so a lower id may
    /// appear after a higher one: a hole below the cursor is looked at again for this long.
    /// </summary>
    private static readonly TimeSpan GapPatience = TimeSpan.FromSeconds(10);

    /// <summary>An id jump wider than this (SQL Server skips a block of identity values after a restart) is not a set of holes.</summary>
    private const int MaxGapWidth = 100;

    private const int BatchSize = 500;

    private readonly string _origin = Guid.NewGuid().ToString("N");
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<long, long> _gaps = [];
    private long _cursor;
    private DateTimeOffset _nextCleanup;

    /// <summary>Completes once the poller knows where the table ends: changes from then on reach this process.</summary>
    public Task Started => _started.Task;

    public async Task PublishAsync(WizardRunKey key, CancellationToken cancellationToken)
    {
        subscribers.Deliver(key);
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            db.WizardRunChanges.Add(new WizardRunChange
            {
                ProjectId = key.ProjectId,
                SessionId = key.SessionId,
                WorkflowId = key.WorkflowId,
                SkillId = key.SkillId,
                Origin = _origin,
                RecordedAt = clock.GetUtcNow(),
            });
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The upsert is committed and its caller must hear so; other processes miss this one
            // change (until their streams reconnect), this process's own streams were told above.
            logger.LogWarning("Could not announce wizard run {SessionId} to other processes: {Reason}", key.SessionId,
                exception.GetBaseException().Message);
        }
    }

    public IWizardRunSubscription Subscribe(int projectId, string workflowId, string? skillId) =>
        subscribers.Subscribe(projectId, workflowId, skillId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The change table may not exist until the startup migrations have reached the database.
        await gate.Opened.WaitAsync(stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!_started.Task.IsCompleted)
                {
                    await using var db = await contexts.CreateDbContextAsync(stoppingToken);
                    _cursor = await db.WizardRunChanges.MaxAsync(c => (long?)c.Id, stoppingToken) ?? 0;
                    _started.TrySetResult();
                }

                await PollAsync(stoppingToken);
                if (failing)
                {
                    // Changes made while the database could not be read may have been missed: every stream re-reads.
                    failing = false;
                    subscribers.ResyncAll();
                    logger.LogInformation("Reading wizard run changes again");
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                if (!failing)
                {
                    logger.LogWarning("Cannot read wizard run changes; retrying every {Interval}: {Reason}",
                        options.Value.ChangePollInterval, exception.GetBaseException().Message);
                }

                failing = true;
            }

            await Task.Delay(options.Value.ChangePollInterval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var from = _gaps.Count == 0 ? _cursor : Math.Min(_cursor, _gaps.Keys.Min() - 1);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var changes = await db.WizardRunChanges.AsNoTracking()
            .Where(c => c.Id > from).OrderBy(c => c.Id).Take(BatchSize)
            .ToListAsync(cancellationToken);

        var now = clock.GetTimestamp();
        foreach (var change in changes)
        {
            if (change.Id <= _cursor)
            {
                if (!_gaps.Remove(change.Id))
                {
                    continue;
                }
            }
            else
            {
                if (change.Id - _cursor - 1 <= MaxGapWidth)
                {
                    for (var missing = _cursor + 1; missing < change.Id; missing++)
                    {
                        _gaps[missing] = now;
                    }
                }

                _cursor = change.Id;
            }

            if (change.Origin != _origin)
            {
                subscribers.Deliver(new WizardRunKey(change.ProjectId, change.SessionId, change.WorkflowId, change.SkillId));
            }
        }

        foreach (var (id, seen) in _gaps.Where(gap => clock.GetElapsedTime(gap.Value) > GapPatience).ToList())
        {
            _gaps.Remove(id);
        }

        if (clock.GetUtcNow() >= _nextCleanup)
        {
            var before = clock.GetUtcNow() - Retention;
            await db.WizardRunChanges.Where(c => c.RecordedAt < before).ExecuteDeleteAsync(cancellationToken);
            _nextCleanup = clock.GetUtcNow() + Retention / 5;
        }
    }
}
