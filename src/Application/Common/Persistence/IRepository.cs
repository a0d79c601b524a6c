using Ardalis.Specification;
using Sessions.Domain.Common;

namespace Sessions.Application.Common.Persistence;

/// <summary>
/// Reads of one aggregate, in the shape of Ardalis' <see cref="IReadRepositoryBase{T}"/>: what to read is said
/// by a specification. Reads are not tracked unless the specification says <c>AsTracking()</c>.
/// </summary>
public interface IReadRepository<T> : IReadRepositoryBase<T> where T : AggregateRoot
{
    /// <summary>
    /// What the specification selects, projected in the query to <typeparamref name="TResult"/> by its
    /// AutoMapper map: only the columns the result shows are read. For read-only lists.
    /// </summary>
    Task<List<TResult>> ProjectToListAsync<TResult>(ISpecification<T> specification, CancellationToken cancellationToken);
}

/// <summary>
/// The one way handlers load and store an aggregate: the reads, plus the write half of Ardalis'
/// <see cref="IRepositoryBase{T}"/> without its <c>SaveChangesAsync</c>. Handlers never save; the
/// unit-of-work behavior commits what they added, changed and removed.
/// </summary>
public interface IRepository<T> : IReadRepository<T> where T : AggregateRoot
{
    /// <summary>
    /// Loads the aggregate to change it (tracked), or null when nothing matches. When the client named a
    /// version (<c>If-Match</c>) and the aggregate is at another, throws
    /// <see cref="Exceptions.PreconditionFailedException"/> (412): the one place that check is made.
    /// </summary>
    Task<T?> GetForUpdateAsync(ISpecification<T> specification, long? expectedVersion, CancellationToken cancellationToken);

    void Add(T aggregate);

    void Remove(T aggregate);
}
