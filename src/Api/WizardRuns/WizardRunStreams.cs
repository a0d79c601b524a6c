using System.Text;
using Microsoft.Extensions.Options;
using Sessions.Application.Common.Telemetry;
using Sessions.Application.WizardRuns;

namespace Sessions.Api.WizardRuns;

/// <summary>
/// Serves the Server-Sent-Events stream of a (project, workflow[, skill]): subscribe first, then send
/// the current latest run, then every committed upsert, with <c>: ping</c> comments while idle and an
/// <c>event: end</c> after the configured lifetime or once the caller's key is no longer usable. Counts
/// open streams against a per-key and a per-process cap.
/// </summary>
public sealed class WizardRunStreams(
    IWizardRunFeed feed, WizardRunFrames frames, IOptions<WizardRunsOptions> options, SessionsMetrics metrics)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _openPerKey = new(StringComparer.Ordinal);
    private int _open;

    public int Open => Volatile.Read(ref _open);

    /// <summary>
    /// Takes a place among the open streams for the key with this prefix: refused when the key holds
    /// <see cref="WizardRunsOptions.MaxStreamsPerKey"/> (so one client cannot take every place) or the
    /// process holds <see cref="WizardRunsOptions.MaxStreams"/>. A granted place is given back with <see cref="Release"/>.
    /// </summary>
    public StreamReservation TryReserve(string keyPrefix)
    {
        var settings = options.Value;
        if (_openPerKey.AddOrUpdate(keyPrefix, 1, (_, open) => open + 1) > settings.MaxStreamsPerKey)
        {
            ReleaseKey(keyPrefix);
            return StreamReservation.KeyAtCap;
        }

        if (Interlocked.Increment(ref _open) <= settings.MaxStreams)
        {
            metrics.StreamOpened();
            return StreamReservation.Granted;
        }

        Interlocked.Decrement(ref _open);
        ReleaseKey(keyPrefix);
        return StreamReservation.ProcessAtCap;
    }

    public void Release(string keyPrefix)
    {
        Interlocked.Decrement(ref _open);
        ReleaseKey(keyPrefix);
        metrics.StreamClosed();
    }

    /// <summary>Counts one stream of the key less, forgetting a key without streams so the table stays as small as the open streams.</summary>
    private void ReleaseKey(string keyPrefix)
    {
        while (_openPerKey.TryGetValue(keyPrefix, out var open))
        {
            if (open <= 1
                    ? _openPerKey.TryRemove(new KeyValuePair<string, int>(keyPrefix, open))
                    : _openPerKey.TryUpdate(keyPrefix, open - 1, open))
            {
                return;
            }
        }
    }

    /// <summary>Seconds a client refused a stream (at either cap) waits before it tries again.</summary>
    public const string RetryAfterSeconds = "5";

    /// <summary>
    /// Writes the run's events to the response until the client leaves or <paramref name="keyUnusable"/>
    /// is cancelled (the caller's key is revoked or expires): the stream then ends.
    /// </summary>
    public async Task StreamAsync(HttpContext context, int projectId, string workflowId, string? skillId, CancellationToken keyUnusable)
    {
        var aborted = context.RequestAborted;
        using var subscription = feed.Subscribe(projectId, workflowId, skillId);
        var subscribedAt = System.Diagnostics.Stopwatch.GetTimestamp();

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-transform";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.FlushAsync(aborted);

        // The last frame sent per run: a change this stream already showed (the notice of an upsert
        // that its first read already saw, say) is not sent twice.
        var sent = new Dictionary<string, byte[]>();
        if (await frames.GetLatestAsync(projectId, workflowId, skillId, subscribedAt).WaitAsync(aborted) is { } latest)
        {
            await SendAsync(response, latest, sent, aborted);
        }

        var settings = options.Value;
        var ends = DateTime.UtcNow.AddSeconds(settings.StreamMaxSeconds);
        var ping = TimeSpan.FromSeconds(settings.StreamPingSeconds);
        while (true)
        {
            var remaining = ends - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero || keyUnusable.IsCancellationRequested)
            {
                await WriteAsync(response, "event: end\ndata: reconnect\n\n", aborted);
                return;
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(aborted, keyUnusable);
            wait.CancelAfter(remaining < ping ? remaining : ping);
            bool changed;
            try
            {
                changed = await subscription.Changes.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
            {
                if (DateTime.UtcNow < ends && !keyUnusable.IsCancellationRequested)
                {
                    await WriteAsync(response, ": ping\n\n", aborted);
                }

                continue;
            }

            if (!changed)
            {
                return;
            }

            // Several keys may be waiting; each run is sent once, in its latest state, from a read
            // shared with every other stream showing the same change.
            var deliveries = new Dictionary<string, (long Delivery, long HeardAt)>();
            long? resyncAt = null;
            while (subscription.Changes.TryRead(out var key))
            {
                if (key.IsResync)
                {
                    resyncAt = System.Diagnostics.Stopwatch.GetTimestamp();
                    continue;
                }

                // The latest delivery decides what is read; the earliest says how long the change has waited.
                deliveries[key.SessionId] = deliveries.TryGetValue(key.SessionId, out var earlier)
                    ? (Math.Max(key.Delivery, earlier.Delivery), Math.Min(key.HeardAt, earlier.HeardAt))
                    : (key.Delivery, key.HeardAt);
            }

            if (resyncAt is { } after
                && await frames.GetLatestAsync(projectId, workflowId, skillId, after).WaitAsync(aborted) is { } current)
            {
                await SendAsync(response, current, sent, aborted);
            }

            foreach (var (sessionId, (delivery, heardAt)) in deliveries)
            {
                if (await SendAsync(response, await frames.GetAsync(projectId, sessionId, delivery).WaitAsync(aborted), sent, aborted))
                {
                    metrics.FanOutDelivered(heardAt);
                }
            }
        }
    }

    /// <summary>Sends a run's frame unless this stream already showed that state; true when sent.</summary>
    private async Task<bool> SendAsync(HttpResponse response, RunFrame frame, Dictionary<string, byte[]> sent, CancellationToken cancellationToken)
    {
        if (sent.TryGetValue(frame.SessionId, out var previous) && (previous == frame.Bytes || previous.AsSpan().SequenceEqual(frame.Bytes)))
        {
            return false;
        }

        sent[frame.SessionId] = frame.Bytes;
        await WriteAsync(response, frame.Bytes, cancellationToken);
        metrics.FrameSent();
        return true;
    }

    private static Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken) =>
        WriteAsync(response, Encoding.UTF8.GetBytes(text), cancellationToken);

    private static async Task WriteAsync(HttpResponse response, byte[] bytes, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(bytes, cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}

public enum StreamReservation
{
    Granted,
    KeyAtCap,
    ProcessAtCap,
}
