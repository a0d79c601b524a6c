using System.Collections.Concurrent;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Sessions.Infrastructure.Persistence.Repositories;

/// <summary>
/// Reads of one aggregate by key as EF Core compiled queries: translated once per criteria, tracking
/// mode and model (one per database provider: every provider runs the same context type), then run
/// with the key values as parameters. A
/// query built from a specification per request costs an expression tree and a cache lookup that
/// hashes it; this costs a dictionary lookup.
/// </summary>
internal static class CompiledKeyQueries<T, TOwner, TId> where T : class
{
    private static readonly ConcurrentDictionary<(Expression Criteria, bool Tracking, Microsoft.EntityFrameworkCore.Metadata.IModel Model), Func<SessionsDbContext, TOwner, TId, Task<T?>>> Queries = new();

    public static Task<T?> FirstOrDefaultAsync(
        SessionsDbContext db, Expression<Func<T, TOwner, TId, bool>> criteria, TOwner owner, TId id, bool tracking) =>
        Queries.GetOrAdd((criteria, tracking, db.Model), static key => Compile((Expression<Func<T, TOwner, TId, bool>>)key.Criteria, key.Tracking))(db, owner, id);

    private static Func<SessionsDbContext, TOwner, TId, Task<T?>> Compile(Expression<Func<T, TOwner, TId, bool>> criteria, bool tracking)
    {
        var db = Expression.Parameter(typeof(SessionsDbContext), "db");
        Expression source = Expression.Call(db, nameof(DbContext.Set), [typeof(T)]);
        source = Expression.Call(typeof(EntityFrameworkQueryableExtensions),
            tracking ? nameof(EntityFrameworkQueryableExtensions.AsTracking) : nameof(EntityFrameworkQueryableExtensions.AsNoTracking), [typeof(T)], source);
        var filtered = Expression.Call(typeof(Queryable), nameof(Queryable.Where), [typeof(T)], source,
            Expression.Quote(Expression.Lambda<Func<T, bool>>(criteria.Body, criteria.Parameters[0])));
        var first = Expression.Call(typeof(Queryable), nameof(Queryable.FirstOrDefault), [typeof(T)], filtered);
        return EF.CompileAsyncQuery(Expression.Lambda<Func<SessionsDbContext, TOwner, TId, T?>>(first, db, criteria.Parameters[1], criteria.Parameters[2]));
    }
}
