using Sessions.Domain.Common;

namespace Sessions.Application.Common.Persistence;

public interface IUnitOfWork
{
    /// <summary>
    /// Saves every pending change atomically. A lost race or a duplicate key surfaces as
    /// <see cref="Exceptions.ConcurrencyConflictException"/>. Only the unit-of-work behavior calls it, after
    /// each command: handlers never commit. In a request that claimed an Idempotency-Key
    /// (<see cref="Idempotency.IdempotentRequest"/>) the changes are saved in a transaction left open
    /// until <see cref="CommitWithResponseAsync"/>: they become durable only together with their response.
    /// </summary>
    Task CommitAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores the response of the request's claimed Idempotency-Key (its body only up to
    /// <see cref="Idempotency.IdempotencyOptions.MaxStoredResponseBytes"/>, and within the user's
    /// <see cref="Idempotency.IdempotencyOptions.MaxStoredBytesPerUser"/>, the user's oldest records forgotten
    /// first) and commits it in one transaction with the changes <see cref="CommitAsync"/> saved, if any.
    /// Their domain events are then ready in <see cref="DequeueCommittedEvents"/>.
    /// </summary>
    Task CommitWithResponseAsync(Idempotency.StoredResponse response, CancellationToken cancellationToken);

    /// <summary>
    /// For a command whose response shows what only the commit gives (an id the store generates): the
    /// handler returns what this returns (a placeholder), and the unit-of-work behavior, once it has
    /// committed, answers with <paramref name="respond"/>'s result instead.
    /// </summary>
    T RespondAfterCommit<T>(Func<T> respond);

    /// <summary>Builds the response a handler deferred with <see cref="RespondAfterCommit{T}"/>, if any; called after the commit.</summary>
    bool TryBuildDeferredResponse(out object? response);

    /// <summary>The domain events of everything committed since the last call, in order.</summary>
    IReadOnlyList<IDomainEvent> DequeueCommittedEvents();

    /// <summary>
    /// Forgets every loaded and pending entity so that a retry reads fresh state, and rolls back changes
    /// saved but held for their response.
    /// </summary>
    void Reset();
}
