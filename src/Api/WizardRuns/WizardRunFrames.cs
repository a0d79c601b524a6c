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
    private readonly Dictionary<(int ProjectId, string WorkflowId, string? SkillId), (long StartedAt, Task<RunFrame?> Frame)> _latest = [];

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

            if (_frames.Count >= Capacity)
            {
                foreach (var done in _frames.Where(f => f.Value.Frame.IsCompleted).Select(f => f.Key).ToList())
                {
                    _frames.Remove(done);
                }
            }

            // Read apart from any one stream: the stream that asked first may close before the read ends.
            var frame = Task.Run(() => ReadAsync(projectId, sessionId));
            _frames[(projectId, sessionId)] = (delivery, frame);
            return frame;
        }
    }

    /// <summary>
    /// The frame of the latest run, read after <paramref name="subscribedAt"/> (a <see cref="System.Diagnostics.Stopwatch"/>
    /// timestamp taken once the stream subscribed), or null when there is none. Streams that open
    /// together share one read: any read that began after a stream subscribed is current for it,
    /// since every later change reaches it through its subscription.
    /// </summary>
    public Task<RunFrame?> GetLatestAsync(int projectId, string workflowId, string? skillId, long subscribedAt)
    {
        lock (_latest)
        {
            var key = (projectId, workflowId, skillId);
            if (_latest.TryGetValue(key, out var cached) && cached.StartedAt >= subscribedAt && !cached.Frame.IsFaulted)
            {
                return cached.Frame;
            }

            if (_latest.Count >= Capacity)
            {
                foreach (var done in _latest.Where(f => f.Value.Frame.IsCompleted).Select(f => f.Key).ToList())
                {
                    _latest.Remove(done);
                }
            }

            var startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            var frame = Task.Run(() => ReadLatestAsync(projectId, workflowId, skillId));
            _latest[key] = (startedAt, frame);
            return frame;
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
