using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Idempotency;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.Common;
using Sessions.Infrastructure.Idempotency;

namespace Sessions.Infrastructure.Persistence.Repositories;

internal sealed class EfUnitOfWork(
    SessionsDbContext db, IdempotentRequest idempotentRequest, IOptions<IdempotencyOptions> idempotency, TimeProvider clock,
    IdempotencyFaults faults) : IUnitOfWork
{
    private readonly List<IDomainEvent> _committedEvents = [];

    /// <summary>Events of changes saved in <see cref="_held"/>: they are committed (and published) with the response.</summary>
    private readonly List<IDomainEvent> _heldEvents = [];

    /// <summary>The transaction holding a claimed idempotent request's changes until its response is stored with them.</summary>
    private IDbContextTransaction? _held;

    private Func<object?>? _deferredResponse;

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        if (!db.ChangeTracker.HasChanges())
        {
            return;
        }

        var changed = db.ChangeTracker.Entries<AggregateRoot>()
            .Where(entry => entry.State != EntityState.Unchanged)
            .Select(entry => entry.Entity)
            .ToList();
        var holds = idempotentRequest.Key is not null;
        var began = holds && _held is null;
        try
        {
            try
            {
                if (began)
                {
                    _held = await db.Database.BeginTransactionAsync(cancellationToken);
                }

                await db.SaveChangesAsync(cancellationToken);
            }
            catch when (began)
            {
                // Nothing else is in the transaction yet: a retry of the command begins a new one.
                await RollBackHeldAsync();
                throw;
            }
        }
        catch (DbUpdateConcurrencyException exception)
        {
            throw new ConcurrencyConflictException("Another request changed the same resource first.", exception);
        }
        catch (DbUpdateException exception) when (DatabaseErrors.IsUniqueViolation(exception))
        {
            throw new ConcurrencyConflictException("Another request created the same resource first.", exception);
        }
        catch (Exception exception) when (DatabaseErrors.IsWriteConflict(exception))
        {
            // A deadlock victim (SQL Server, PostgreSQL) or a serialization failure: nothing was written; run it again.
            throw new ConcurrencyConflictException("The database rolled this write back in favour of a concurrent one.", exception);
        }

        foreach (var aggregate in changed)
        {
            (holds ? _heldEvents : _committedEvents).AddRange(aggregate.DomainEvents);
            aggregate.ClearDomainEvents();
        }
    }

    public async Task CommitWithResponseAsync(StoredResponse response, CancellationToken cancellationToken)
    {
        if (idempotentRequest is not { Owner: { } owner, Key: { } key })
        {
            throw new InvalidOperationException("Only a request that claimed an Idempotency-Key stores a response.");
        }

        // A failed command left tracked entities behind (and was reset); only the record is written now.
        await IdempotencyResponses.StoreAsync(db, owner, key, response, idempotency.Value, clock.GetUtcNow(), cancellationToken);
        if (_held is { } transaction)
        {
            await transaction.CommitAsync(cancellationToken);
            await transaction.DisposeAsync();
            _held = null;
            faults.AfterIdempotentCommit();
        }

        _committedEvents.AddRange(_heldEvents);
        _heldEvents.Clear();
    }

    public T RespondAfterCommit<T>(Func<T> respond)
    {
        _deferredResponse = () => respond();
        return default!;
    }

    public bool TryBuildDeferredResponse(out object? response)
    {
        var respond = _deferredResponse;
        _deferredResponse = null;
        response = respond?.Invoke();
        return respond is not null;
    }

    public IReadOnlyList<IDomainEvent> DequeueCommittedEvents()
    {
        var events = _committedEvents.ToArray();
        _committedEvents.Clear();
        return events;
    }

    public void Reset()
    {
        _deferredResponse = null;
        db.ChangeTracker.Clear();
        _heldEvents.Clear();

        // Disposing an uncommitted transaction rolls it back.
        _held?.Dispose();
        _held = null;
    }

    private async Task RollBackHeldAsync()
    {
        if (_held is { } transaction)
        {
            _held = null;
            await transaction.DisposeAsync();
        }
    }
}
