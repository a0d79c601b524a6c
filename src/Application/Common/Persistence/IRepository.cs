using Sessions.Domain.Common;

namespace Sessions.Application.Common.Persistence;

/// <summary>The one way handlers load and store an aggregate; what to load is said by a specification.</summary>
public interface IRepository<T> where T : AggregateRoot
{
    Task<T?> FirstOrDefaultAsync(Specification<T> specification, CancellationToken cancellationToken);

    Task<IReadOnlyList<T>> ListAsync(Specification<T> specification, CancellationToken cancellationToken);

    /// <summary>Counts what the specification's criteria match, ignoring its order and paging.</summary>
    Task<int> CountAsync(Specification<T> specification, CancellationToken cancellationToken);

    Task<bool> AnyAsync(Specification<T> specification, CancellationToken cancellationToken);

    void Add(T aggregate);

    void Remove(T aggregate);
}
