using Microsoft.EntityFrameworkCore;
using Sessions.Application.Common.Persistence;
using Sessions.Domain.Common;

namespace Sessions.Infrastructure.Persistence.Repositories;

internal sealed class EfRepository<T>(SessionsDbContext db) : IRepository<T> where T : AggregateRoot
{
    public Task<T?> FirstOrDefaultAsync(Specification<T> specification, CancellationToken cancellationToken) =>
        SpecificationEvaluator.Apply(db.Set<T>(), specification).FirstOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<T>> ListAsync(Specification<T> specification, CancellationToken cancellationToken) =>
        await SpecificationEvaluator.Apply(db.Set<T>(), specification).ToListAsync(cancellationToken);

    public Task<int> CountAsync(Specification<T> specification, CancellationToken cancellationToken) =>
        SpecificationEvaluator.ApplyCriteria(db.Set<T>(), specification).CountAsync(cancellationToken);

    public Task<bool> AnyAsync(Specification<T> specification, CancellationToken cancellationToken) =>
        SpecificationEvaluator.ApplyCriteria(db.Set<T>(), specification).AnyAsync(cancellationToken);

    public void Add(T aggregate) => db.Add(aggregate);

    public void Remove(T aggregate) => db.Remove(aggregate);
}
