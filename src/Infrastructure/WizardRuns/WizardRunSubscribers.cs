using System.Collections.Concurrent;
using System.Threading.Channels;
using Sessions.Application.Common.Telemetry;
using Sessions.Application.WizardRuns;

namespace Sessions.Infrastructure.WizardRuns;

/// <summary>
/// The open streams of this process, by (project, workflow). Delivery never blocks the publisher:
/// each subscriber has a small buffer that keeps the newest keys, which is enough because a key
/// only says "read this run again".
/// </summary>
public sealed class WizardRunSubscribers(SessionsMetrics metrics)
{
    private const int BufferPerSubscriber = 64;

    private readonly ConcurrentDictionary<(int ProjectId, string WorkflowId), ConcurrentDictionary<Subscription, byte>> _byWorkflow = new();

    public int Count => _byWorkflow.Values.Sum(s => s.Count);

    public IWizardRunSubscription Subscribe(int projectId, string workflowId, string? skillId)
    {
        var subscription = new Subscription(this, (projectId, workflowId), skillId);
        _byWorkflow.GetOrAdd((projectId, workflowId), _ => new ConcurrentDictionary<Subscription, byte>())[subscription] = 0;
        return subscription;
    }

    private long _deliveries;

    public void Deliver(WizardRunKey change)
    {
        if (!_byWorkflow.TryGetValue((change.ProjectId, change.WorkflowId), out var subscriptions))
        {
            return;
        }

        var key = change with { Delivery = Interlocked.Increment(ref _deliveries), HeardAt = System.Diagnostics.Stopwatch.GetTimestamp() };
        if (!key.IsResync)
        {
            metrics.UpsertFannedOut();
        }

        foreach (var subscription in subscriptions.Keys)
        {
            if (subscription.SkillId is null || subscription.SkillId == key.SkillId || key.IsResync)
            {
                subscription.Writer.TryWrite(key);
            }
        }
    }

    /// <summary>Tells every open stream that changes may have been missed, so each sends its latest run again.</summary>
    public void ResyncAll()
    {
        foreach (var (project, workflow) in _byWorkflow.Keys)
        {
            Deliver(WizardRunKey.Resync(project, workflow));
        }
    }

    private void Remove(Subscription subscription)
    {
        if (_byWorkflow.TryGetValue(subscription.Workflow, out var subscriptions))
        {
            subscriptions.TryRemove(subscription, out _);
        }
    }

    private sealed class Subscription(WizardRunSubscribers owner, (int, string) workflow, string? skillId) : IWizardRunSubscription
    {
        private readonly Channel<WizardRunKey> _channel = Channel.CreateBounded<WizardRunKey>(
            new BoundedChannelOptions(BufferPerSubscriber) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public (int, string) Workflow { get; } = workflow;
        public string? SkillId { get; } = skillId;
        public ChannelWriter<WizardRunKey> Writer => _channel.Writer;
        public ChannelReader<WizardRunKey> Changes => _channel.Reader;

        public void Dispose()
        {
            owner.Remove(this);
            _channel.Writer.TryComplete();
        }
    }
}
