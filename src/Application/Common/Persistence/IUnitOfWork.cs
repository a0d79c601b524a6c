using Sessions.Domain.Common;

namespace Sessions.Application.Common.Persistence;

public interface IUnitOfWork
{
    /// <summary>
    /// Saves every pending change atomically. A lost race or a duplicate key surfaces as
    /// <see cref="Exceptions.ConcurrencyConflictException"/>. Only the unit-of-work behavior calls it, after
    /// each command: handlers never commit.
    /// </summary>
    Task CommitAsync(CancellationToken cancellationToken);

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

    /// <summary>Forgets every loaded and pending entity so that a retry reads fresh state.</summary>
    void Reset();
}
