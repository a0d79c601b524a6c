using Microsoft.EntityFrameworkCore;
using Sessions.Application.Common.Persistence;

namespace Sessions.Infrastructure.Persistence.Repositories;

/// <summary>Turns a <see cref="Specification{T}"/> into a query: the only place that does.</summary>
internal static class SpecificationEvaluator
{
    public static IQueryable<T> Apply<T>(IQueryable<T> source, Specification<T> specification) where T : class
    {
        var query = specification.Includes.Aggregate(ApplyCriteria(source, specification), (q, navigation) => q.Include(navigation));
        if (specification.Orderings.Count > 0)
        {
            var (firstKey, firstDescending) = specification.Orderings[0];
            var ordered = firstDescending ? query.OrderByDescending(firstKey) : query.OrderBy(firstKey);
            foreach (var (key, descending) in specification.Orderings.Skip(1))
            {
                ordered = descending ? ordered.ThenByDescending(key) : ordered.ThenBy(key);
            }

            query = ordered;
        }

        if (specification.Skip is { } skip)
        {
            query = query.Skip(skip);
        }

        if (specification.Take is { } take)
        {
            query = query.Take(take);
        }

        return specification.IsForUpdate ? query : query.AsNoTracking();
    }

    /// <summary>Criteria only: what counting and existence checks need.</summary>
    public static IQueryable<T> ApplyCriteria<T>(IQueryable<T> source, Specification<T> specification) where T : class =>
        specification.Criteria.Aggregate(source, (query, criterion) => query.Where(criterion));
}
