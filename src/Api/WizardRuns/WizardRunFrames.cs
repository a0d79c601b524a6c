using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using MediatR;
using Microsoft.Extensions.Options;
using Sessions.Application.WizardRuns.Queries;

namespace Sessions.Api.WizardRuns;

/// <summary>A run's frame: which run it shows and the bytes of its <c>data:</c> event.</summary>
public sealed record RunFrame(string SessionId, byte[] Bytes);

/// <summary>
/// The <c>data:</c> frame of a run as of a delivered change, read and serialized once and shared by
/// every stream of this process that shows the change: an upsert watched by 10,000 streams costs
/// one read, not 10,000.
/// </summary>
public sealed class WizardRunFrames(IServiceScopeFactory scopes, IOptions<Microsoft.AspNetCore.Mvc.JsonOptions> json)
{
    /// <summary>Frames kept at most; past it the finished ones are dropped (a stream that needs one again reads it again).</summary>
    private const int Capacity = 1024;

    private readonly Dictionary<(int ProjectId, string SessionId), (long Delivery, Task<RunFrame> Frame)> _frames = [];
    private readonly Dictionary<(int ProjectId, string WorkflowId, string? SkillId), LatestRead> _latest = [];

    /// <summary>The read of a latest run that began at <c>StartedAt</c>, and the one queued to begin after it.</summary>
    private sealed record LatestRead(long StartedAt, Task<RunFrame?> Frame, Task<RunFrame?>? Queued);

    public static RunFrame Frame(WizardRunDto run, JsonSerializerOptions options) =>
        new(run.SessionId, Encoding.UTF8.GetBytes($"data: {JsonSerializer.Serialize(run, options)}\n\n"));

    /// <summary>A frame read at or after <paramref name="delivery"/>, so it shows that change or a later one.</summary>
    public Task<RunFrame> GetAsync(int projectId, string sessionId, long delivery)
    {
        lock (_frames)
        {
            if (_frames.TryGetValue((projectId, sessionId), out var cached) && cached.Delivery >= delivery && !cached.Frame.IsFaulted)
            {
                return cached.Frame;
            }

            DropFinished(_frames, entry => entry.Frame);

            // Read apart from any one stream: the stream that asked first may close before the read ends.
            var frame = Task.Run(() => ReadAsync(projectId, sessionId));
            _frames[(projectId, sessionId)] = (delivery, frame);
            return frame;
        }
    }

    /// <summary>
    /// The frame of the latest run, from a read that began after <paramref name="subscribedAt"/> (a
    /// <see cref="System.Diagnostics.Stopwatch"/> timestamp taken once the stream subscribed), or null
    /// when there is none; any such read is current for the stream, since every later change reaches
    /// it through its subscription. Streams that open together share reads: while one is under way, the
    /// streams that subscribed after it began all wait for the one read queued behind it, so a burst of
    /// openings costs two reads, not one per stream.
    /// </summary>
    public Task<RunFrame?> GetLatestAsync(int projectId, string workflowId, string? skillId, long subscribedAt)
    {
        var key = (projectId, workflowId, skillId);
        lock (_latest)
        {
            if (_latest.TryGetValue(key, out var read) && !read.Frame.IsFaulted)
            {
                if (read.StartedAt >= subscribedAt)
                {
                    return read.Frame;
                }

                if (read.Queued is { } queued)
                {
                    return queued;
                }

                if (!read.Frame.IsCompleted)
                {
                    var next = QueueAfter(read.Frame, key);
                    _latest[key] = read with { Queued = next };
                    return next;
                }
            }

            DropFinished(_latest, entry => entry.Frame);
            return Begin(key).Task;
        }
    }

    /// <summary>Starts a read now and records it as the latest read of its key (the caller holds the lock).</summary>
    private TaskCompletionSource<RunFrame?> Begin((int ProjectId, string WorkflowId, string? SkillId) key, TaskCompletionSource<RunFrame?>? into = null)
    {
        var frame = into ?? new TaskCompletionSource<RunFrame?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _latest[key] = new LatestRead(System.Diagnostics.Stopwatch.GetTimestamp(), frame.Task, null);
        _ = Task.Run(async () =>
        {
            try
            {
                frame.SetResult(await ReadLatestAsync(key.ProjectId, key.WorkflowId, key.SkillId));
            }
            catch (Exception exception)
            {
                frame.SetException(exception);
            }
        });
        return frame;
    }

    private Task<RunFrame?> QueueAfter(Task<RunFrame?> running, (int ProjectId, string WorkflowId, string? SkillId) key)
    {
        var next = new TaskCompletionSource<RunFrame?>(TaskCreationOptions.RunContinuationsAsynchronously);
        running.ContinueWith(_ =>
        {
            lock (_latest)
            {
                Begin(key, next);
            }
        }, TaskScheduler.Default);
        return next.Task;
    }

    /// <summary>Past <see cref="Capacity"/> entries, forgets the reads that have finished.</summary>
    private static void DropFinished<TKey, TEntry>(Dictionary<TKey, TEntry> entries, Func<TEntry, Task> frame)
        where TKey : notnull
    {
        if (entries.Count < Capacity)
        {
            return;
        }

        foreach (var done in entries.Where(e => frame(e.Value).IsCompleted).Select(e => e.Key).ToList())
        {
            entries.Remove(done);
        }
    }

    private async Task<RunFrame?> ReadLatestAsync(int projectId, string workflowId, string? skillId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var run = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetLatestWizardRunQuery(projectId, workflowId, skillId));
        return run is null ? null : Frame(run, json.Value.JsonSerializerOptions);
    }

    private async Task<RunFrame> ReadAsync(int projectId, string sessionId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var run = await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetWizardRunQuery(projectId, sessionId));
        return Frame(run, json.Value.JsonSerializerOptions);
    }
}
