namespace Sessions.Domain.Common;

/// <summary>
/// Base of every aggregate: an app-managed <see cref="Version"/> used as the optimistic
/// concurrency token (and as the HTTP ETag), plus the domain events raised by the last change.
/// </summary>
public abstract class AggregateRoot
{
    private readonly List<IDomainEvent> _domainEvents = [];

    public long Version { get; private set; }

    public IReadOnlyList<IDomainEvent> DomainEvents => _domainEvents;

    /// <summary>Marks a state change: every transition calls it exactly once.</summary>
    protected void Changed() => Version++;

    protected void Raise(IDomainEvent domainEvent) => _domainEvents.Add(domainEvent);

    public void ClearDomainEvents() => _domainEvents.Clear();
}
