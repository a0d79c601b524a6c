using Ardalis.Specification;
using Sessions.Domain.Common;

namespace Sessions.Application.Common.Persistence;

/// <summary>
/// Reads of one aggregate, in the shape of Ardalis' <see cref="IReadRepositoryBase{T}"/>: what to read is said
/// by a specification. Reads are not tracked unless the specification says <c>AsTracking()</c>.
/// </summary>
public interface IReadRepository<T> : IReadRepositoryBase<T> where T : AggregateRoot;

/// <summary>
/// The one way handlers load and store an aggregate: the reads, plus the write half of Ardalis'
/// <see cref="IRepositoryBase{T}"/> without its <c>SaveChangesAsync</c>. Handlers never save; the
/// unit-of-work behavior commits what they added, changed and removed.
/// </summary>
public interface IRepository<T> : IReadRepository<T> where T : AggregateRoot
{
    void Add(T aggregate);

    void Remove(T aggregate);
}
