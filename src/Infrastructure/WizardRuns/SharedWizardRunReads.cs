using Microsoft.Extensions.DependencyInjection;
using Sessions.Application.WizardRuns;
using Sessions.Application.WizardRuns.Queries;

namespace Sessions.Infrastructure.WizardRuns;

/// <summary>
/// The runs behind stream frames, each read once and shared by every stream of this process that
/// shows the same change: an upsert watched by 10,000 streams costs one read, not 10,000. A read runs
/// in a scope of its own, apart from the request of the stream that asked first (that stream may close
/// before the read ends), with no caller: <see cref="IWizardRunReader"/> reads by project.
/// </summary>
/// <remarks>
/// Not <c>HybridCache</c>: its entries are found by exact key, while a stream needs "a read that began
/// after this point" (its subscription, or the delivery of a change), which a newer read answers too.
/// </remarks>
internal sealed class SharedWizardRunReads(IServiceScopeFactory scopes) : IWizardRunStreamReads
{
    /// <summary>Reads kept at most; past it the finished ones are dropped (a stream that needs one again reads it again).</summary>
    private const int Capacity = 1024;

    private readonly Dictionary<(int ProjectId, string SessionId), (long Delivery, Task<WizardRunDto> Run)> _runs = [];
    private readonly Dictionary<(int ProjectId, string WorkflowId, string? SkillId), LatestRead> _latest = [];

    /// <summary>The read of a latest run that began at <c>StartedAt</c>, and the one queued to begin after it.</summary>
    private sealed record LatestRead(long StartedAt, Task<WizardRunDto?> Run, Task<WizardRunDto?>? Queued);

    public Task<WizardRunDto> GetAsync(int projectId, string sessionId, long delivery)
    {
        lock (_runs)
        {
            if (_runs.TryGetValue((projectId, sessionId), out var cached) && cached.Delivery >= delivery && !cached.Run.IsFaulted)
            {
                return cached.Run;
            }

            DropFinished(_runs, entry => entry.Run);
            var run = Detached(() => ReadAsync((reader, cancellationToken) => reader.GetAsync(projectId, sessionId, cancellationToken)));
            _runs[(projectId, sessionId)] = (delivery, run);
            return run;
        }
    }

    /// <remarks>
    /// Streams that open together share reads: while one is under way, the streams that subscribed after
    /// it began all wait for the one read queued behind it, so a burst of openings costs two reads, not
    /// one per stream. Any read that began after a stream subscribed is current for it, since every later
    /// change reaches it through its subscription.
    /// </remarks>
    public Task<WizardRunDto?> GetLatestAsync(int projectId, string workflowId, string? skillId, long subscribedAt)
    {
        var key = (projectId, workflowId, skillId);
        lock (_latest)
        {
            if (_latest.TryGetValue(key, out var read) && !read.Run.IsFaulted)
            {
                if (read.StartedAt >= subscribedAt)
                {
                    return read.Run;
                }

                if (read.Queued is { } queued)
                {
                    return queued;
                }

                if (!read.Run.IsCompleted)
                {
                    var next = QueueAfter(read.Run, key);
                    _latest[key] = read with { Queued = next };
                    return next;
                }
            }

            DropFinished(_latest, entry => entry.Run);
            return Begin(key).Task;
        }
    }

    /// <summary>Starts a read now and records it as the latest read of its key (the caller holds the lock).</summary>
    private TaskCompletionSource<WizardRunDto?> Begin(
        (int ProjectId, string WorkflowId, string? SkillId) key, TaskCompletionSource<WizardRunDto?>? into = null)
    {
        var run = into ?? new TaskCompletionSource<WizardRunDto?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _latest[key] = new LatestRead(System.Diagnostics.Stopwatch.GetTimestamp(), run.Task, null);
        _ = Detached(async () =>
        {
            try
            {
                run.SetResult(await ReadAsync((reader, cancellationToken) =>
                    reader.FindLatestAsync(key.ProjectId, key.WorkflowId, key.SkillId, cancellationToken)));
            }
            catch (Exception exception)
            {
                run.SetException(exception);
            }
        });
        return run;
    }

    private Task<WizardRunDto?> QueueAfter(Task<WizardRunDto?> running, (int ProjectId, string WorkflowId, string? SkillId) key)
    {
        var next = new TaskCompletionSource<WizardRunDto?>(TaskCreationOptions.RunContinuationsAsynchronously);
        running.ContinueWith(_ =>
        {
            lock (_latest)
            {
                Begin(key, next);
            }
        }, TaskScheduler.Default);
        return next.Task;
    }

    /// <summary>
    /// Runs a shared read without the execution context of the stream that asked first: nothing of that
    /// stream's request (its caller, its cancellation, its activity) reaches a read other streams wait for.
    /// </summary>
    private static Task<T> Detached<T>(Func<Task<T>> read)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(read);
        }
    }

    private static Task Detached(Func<Task> read)
    {
        using (ExecutionContext.SuppressFlow())
        {
            return Task.Run(read);
        }
    }

    private async Task<T> ReadAsync<T>(Func<IWizardRunReader, CancellationToken, Task<T>> read)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await read(scope.ServiceProvider.GetRequiredService<IWizardRunReader>(), CancellationToken.None);
    }

    /// <summary>Past <see cref="Capacity"/> entries, forgets the reads that have finished.</summary>
    private static void DropFinished<TKey, TEntry>(Dictionary<TKey, TEntry> entries, Func<TEntry, Task> read)
        where TKey : notnull
    {
        if (entries.Count < Capacity)
        {
            return;
        }

        foreach (var done in entries.Where(e => read(e.Value).IsCompleted).Select(e => e.Key).ToList())
        {
            entries.Remove(done);
        }
    }
}
