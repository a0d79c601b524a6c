using Microsoft.EntityFrameworkCore;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.Common;

namespace Sessions.Infrastructure.Persistence.Repositories;

internal sealed class EfUnitOfWork(SessionsDbContext db) : IUnitOfWork
{
    private readonly List<IDomainEvent> _committedEvents = [];
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
        try
        {
            await db.SaveChangesAsync(cancellationToken);
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
            _committedEvents.AddRange(aggregate.DomainEvents);
            aggregate.ClearDomainEvents();
        }
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
    }
}
