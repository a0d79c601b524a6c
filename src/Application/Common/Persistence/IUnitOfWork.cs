using Sessions.Domain.Common;

namespace Sessions.Application.Common.Persistence;

public interface IUnitOfWork
{
    /// <summary>
    /// Saves every pending change atomically. A lost race or a duplicate key surfaces as
    /// <see cref="Exceptions.ConcurrencyConflictException"/>. The unit-of-work behavior calls it after
    /// each command; a handler that needs store-generated ids may call it once, as its last write.
    /// </summary>
    Task CommitAsync(CancellationToken cancellationToken);

    /// <summary>The domain events of everything committed since the last call, in order.</summary>
    IReadOnlyList<IDomainEvent> DequeueCommittedEvents();

    /// <summary>Forgets every loaded and pending entity so that a retry reads fresh state.</summary>
    void Reset();
}
