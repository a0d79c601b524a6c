using System.Threading.Channels;
using MediatR;
using Sessions.Application.Common.Messaging;
using Sessions.Domain.WizardRuns;

namespace Sessions.Application.WizardRuns;

/// <summary>Which run changed: the notification carries keys only, subscribers read the row themselves.</summary>
public sealed record WizardRunKey(int ProjectId, string SessionId, string WorkflowId, string SkillId)
{
    /// <summary>
    /// Stamped by this process when it hands the change to its streams, increasing: a state read at
    /// or after a delivery shows that change, so streams can share one read per delivery.
    /// </summary>
    public long Delivery { get; init; }

    /// <summary>When this process heard of the change (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>), for the fan-out delay.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public long HeardAt { get; init; }

    /// <summary>
    /// Not one run but "changes may have been missed" (the feed was cut off a while): the stream
    /// sends its latest run again, as it does when it opens.
    /// </summary>
    public bool IsResync => SessionId.Length == 0;

    public static WizardRunKey Resync(int projectId, string workflowId) => new(projectId, string.Empty, workflowId, string.Empty);
}

/// <summary>
/// Fans committed upserts out to open streams, in this process and in every process sharing the
/// database. Subscribers are told which run changed; they never poll.
/// </summary>
public interface IWizardRunFeed
{
    Task PublishAsync(WizardRunKey key, CancellationToken cancellationToken);

    /// <summary>Changes of one project's workflow, of one skill or (null) of any; dispose to stop.</summary>
    IWizardRunSubscription Subscribe(int projectId, string workflowId, string? skillId);
}

public interface IWizardRunSubscription : IDisposable
{
    ChannelReader<WizardRunKey> Changes { get; }
}

/// <summary>Publishes an upsert to the feed once it is committed (domain events are published only after commit).</summary>
public sealed class PublishCommittedWizardRun(IWizardRunFeed feed) : INotificationHandler<DomainEventNotification<WizardRunUpserted>>
{
    public Task Handle(DomainEventNotification<WizardRunUpserted> notification, CancellationToken cancellationToken)
    {
        var upserted = notification.Event;
        return feed.PublishAsync(new WizardRunKey(upserted.ProjectId, upserted.SessionId, upserted.WorkflowId, upserted.SkillId),
            cancellationToken);
    }
}

/// <summary><c>Sessions:WizardRuns</c>.</summary>
public sealed class WizardRunsOptions
{
    /// <summary>A run that is neither completed nor failed and silent for longer than this is stale.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a stream stays open before it tells the client to reconnect.</summary>
    public int StreamMaxSeconds { get; set; } = 1800;

    /// <summary>How often an idle stream sends a comment to keep proxies from closing it.</summary>
    public int StreamPingSeconds { get; set; } = 15;

    /// <summary>How often each process reads the upserts other processes made (its own reach its streams at once).</summary>
    public TimeSpan ChangePollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Open streams one process serves at most; past it a new stream gets 503.</summary>
    public int MaxStreams { get; set; } = 10_000;

    /// <summary>Open streams one API key holds at most in a process; past it a new stream of that key gets 429.</summary>
    public int MaxStreamsPerKey { get; set; } = 100;

    /// <summary>How long a stream ticket (for a browser's EventSource, which cannot send a header) opens the stream.</summary>
    public TimeSpan StreamTicketLifetime { get; set; } = TimeSpan.FromMinutes(10);
}
