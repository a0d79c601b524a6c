using Ardalis.Specification;
using AutoMapper.QueryableExtensions;
using Microsoft.EntityFrameworkCore;
using Sessions.Application.Common.Exceptions;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.Common;

namespace Sessions.Infrastructure.Persistence.Repositories;

internal sealed class EfRepository<T>(SessionsDbContext db, AutoMapper.IConfigurationProvider mappings) : IRepository<T>, IKeyQueries<T> where T : AggregateRoot
{
    public async Task<T?> GetByIdAsync<TId>(TId id, CancellationToken cancellationToken = default) where TId : notnull =>
        await db.Set<T>().FindAsync([id], cancellationToken);

    public Task<T?> FirstOrDefaultAsync(ISpecification<T> specification, CancellationToken cancellationToken = default) =>
        specification is IKeySpecification<T> byKey
            ? byKey.FirstOrDefaultAsync(this, specification.AsTracking, cancellationToken)
            : SpecificationEvaluator.Apply(db.Set<T>(), specification).FirstOrDefaultAsync(cancellationToken);

    public Task<TResult?> FirstOrDefaultAsync<TResult>(ISpecification<T, TResult> specification, CancellationToken cancellationToken = default) =>
        SpecificationEvaluator.Apply(db.Set<T>(), specification).FirstOrDefaultAsync(cancellationToken);

    public Task<T?> SingleOrDefaultAsync(ISingleResultSpecification<T> specification, CancellationToken cancellationToken = default) =>
        specification is IKeySpecification<T> byKey
            ? byKey.FirstOrDefaultAsync(this, specification.AsTracking, cancellationToken)
            : SpecificationEvaluator.Apply(db.Set<T>(), specification).SingleOrDefaultAsync(cancellationToken);

    public Task<TResult?> SingleOrDefaultAsync<TResult>(ISingleResultSpecification<T, TResult> specification, CancellationToken cancellationToken = default) =>
        SpecificationEvaluator.Apply(db.Set<T>(), specification).SingleOrDefaultAsync(cancellationToken);

    public Task<List<T>> ListAsync(CancellationToken cancellationToken = default) =>
        db.Set<T>().AsNoTracking().ToListAsync(cancellationToken);

    public Task<List<T>> ListAsync(ISpecification<T> specification, CancellationToken cancellationToken = default) =>
        SpecificationEvaluator.Apply(db.Set<T>(), specification).ToListAsync(cancellationToken);

    public Task<List<TResult>> ListAsync<TResult>(ISpecification<T, TResult> specification, CancellationToken cancellationToken = default) =>
        SpecificationEvaluator.Apply(db.Set<T>(), specification).ToListAsync(cancellationToken);

    public Task<List<TResult>> ProjectToListAsync<TResult>(ISpecification<T> specification, CancellationToken cancellationToken) =>
        SpecificationEvaluator.Apply(db.Set<T>(), specification).ProjectTo<TResult>(mappings).ToListAsync(cancellationToken);

    /// <summary>Counts what the specification's criteria match, ignoring its order and paging.</summary>
    public Task<int> CountAsync(ISpecification<T> specification, CancellationToken cancellationToken = default) =>
        SpecificationEvaluator.ApplyCriteria(db.Set<T>(), specification).CountAsync(cancellationToken);

    public Task<int> CountAsync(CancellationToken cancellationToken = default) => db.Set<T>().CountAsync(cancellationToken);

    public Task<bool> AnyAsync(ISpecification<T> specification, CancellationToken cancellationToken = default) =>
        SpecificationEvaluator.ApplyCriteria(db.Set<T>(), specification).AnyAsync(cancellationToken);

    public Task<bool> AnyAsync(CancellationToken cancellationToken = default) => db.Set<T>().AnyAsync(cancellationToken);

    public IAsyncEnumerable<T> AsAsyncEnumerable(ISpecification<T> specification) =>
        SpecificationEvaluator.Apply(db.Set<T>(), specification).AsAsyncEnumerable();

    public async Task<T?> GetForUpdateAsync(ISpecification<T> specification, long? expectedVersion, CancellationToken cancellationToken)
    {
        var aggregate = specification is IKeySpecification<T> byKey
            ? await byKey.FirstOrDefaultAsync(this, tracking: true, cancellationToken)
            : await SpecificationEvaluator.Apply(db.Set<T>(), specification).AsTracking().FirstOrDefaultAsync(cancellationToken);
        if (aggregate is not null && expectedVersion is { } expected && expected != aggregate.Version)
        {
            throw new PreconditionFailedException(expected, aggregate.Version);
        }

        return aggregate;
    }

    /// <summary>A key names at most one aggregate, so the first match is the single one.</summary>
    Task<T?> IKeyQueries<T>.FirstOrDefaultAsync<TOwner, TId>(
        System.Linq.Expressions.Expression<Func<T, TOwner, TId, bool>> criteria, TOwner owner, TId id, bool tracking, CancellationToken cancellationToken) =>
        CompiledKeyQueries<T, TOwner, TId>.FirstOrDefaultAsync(db, criteria, owner, id, tracking);

    public void Add(T aggregate) => db.Add(aggregate);

    public void Remove(T aggregate) => db.Remove(aggregate);
}
