using System.Text;
using System.Text.Json;
using MediatR;
using Microsoft.Extensions.Options;
using Sessions.Application.WizardRuns;
using Sessions.Application.WizardRuns.Queries;

namespace Sessions.Api.WizardRuns;

/// <summary>
/// Serves the Server-Sent-Events stream of a (project, workflow[, skill]): subscribe first, then send
/// the current latest run, then every committed upsert, with <c>: ping</c> comments while idle and an
/// <c>event: end</c> after the configured lifetime. Counts open streams against a per-process cap.
/// </summary>
public sealed class WizardRunStreams(IWizardRunFeed feed, IOptions<WizardRunsOptions> options, IOptions<Microsoft.AspNetCore.Mvc.JsonOptions> json)
{
    private int _open;

    public int Open => Volatile.Read(ref _open);

    /// <summary>Takes a place among the open streams, or false when the process is at its cap.</summary>
    public bool TryReserve()
    {
        if (Interlocked.Increment(ref _open) <= options.Value.MaxStreams)
        {
            return true;
        }

        Interlocked.Decrement(ref _open);
        return false;
    }

    public void Release() => Interlocked.Decrement(ref _open);

    public async Task StreamAsync(HttpContext context, IMediator mediator, int projectId, string workflowId, string? skillId)
    {
        var aborted = context.RequestAborted;
        using var subscription = feed.Subscribe(projectId, workflowId, skillId);

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache, no-transform";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.Body.FlushAsync(aborted);

        var latest = await mediator.Send(new GetLatestWizardRunQuery(projectId, workflowId, skillId), aborted);
        if (latest is not null)
        {
            await WriteAsync(response, Frame(latest), aborted);
        }

        var settings = options.Value;
        var ends = DateTime.UtcNow.AddSeconds(settings.StreamMaxSeconds);
        var ping = TimeSpan.FromSeconds(settings.StreamPingSeconds);
        while (true)
        {
            var remaining = ends - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                await WriteAsync(response, "event: end\ndata: reconnect\n\n", aborted);
                return;
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            wait.CancelAfter(remaining < ping ? remaining : ping);
            bool changed;
            try
            {
                changed = await subscription.Changes.WaitToReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
            {
                if (DateTime.UtcNow < ends)
                {
                    await WriteAsync(response, ": ping\n\n", aborted);
                }

                continue;
            }

            if (!changed)
            {
                return;
            }

            // Several keys may be waiting; each run is read (and sent) once, in its latest state.
            var sessions = new List<string>();
            while (subscription.Changes.TryRead(out var key))
            {
                if (!sessions.Contains(key.SessionId))
                {
                    sessions.Add(key.SessionId);
                }
            }

            foreach (var sessionId in sessions)
            {
                var run = await mediator.Send(new GetWizardRunQuery(projectId, sessionId), aborted);
                await WriteAsync(response, Frame(run), aborted);
            }
        }
    }

    private string Frame(WizardRunDto run) => $"data: {JsonSerializer.Serialize(run, json.Value.JsonSerializerOptions)}\n\n";

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }
}
