using System.Linq.Expressions;
using System.Reflection;
using Ardalis.Specification;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Sessions.Application.Common.Persistence;

namespace Sessions.Infrastructure.Persistence.Repositories;

/// <summary>
/// Turns a specification into a query, the only place that does: the package's evaluators apply its
/// criteria, order and paging; the EF-specific step (the package's EF Core evaluator is not used) applies
/// includes and tracking. Without <c>AsTracking()</c> a specification reads without tracking.
/// </summary>
internal static class SpecificationEvaluator
{
    private static readonly IEvaluator[] OrderAndPaging = [OrderEvaluator.Instance, PaginationEvaluator.Instance];

    private static readonly MethodInfo IncludeMethod = typeof(EntityFrameworkQueryableExtensions).GetMethods()
        .Single(m => m.Name == nameof(EntityFrameworkQueryableExtensions.Include)
                     && m.GetParameters() is [_, { ParameterType.IsGenericType: true }]);

    private static readonly MethodInfo ThenIncludeAfterReference = ThenIncludeMethod(afterCollection: false);
    private static readonly MethodInfo ThenIncludeAfterCollection = ThenIncludeMethod(afterCollection: true);

    public static IQueryable<T> Apply<T>(IQueryable<T> source, ISpecification<T> specification) where T : class
    {
        var query = OrderAndPaging.Aggregate(ApplyCriteria(Includes(source, specification), specification), (q, evaluator) => evaluator.GetQuery(q, specification));
        return specification.AsTracking ? query : query.AsNoTracking();
    }

    public static IQueryable<TResult> Apply<T, TResult>(IQueryable<T> source, ISpecification<T, TResult> specification) where T : class
    {
        var selector = specification.Selector
                       ?? throw new InvalidOperationException($"{specification.GetType().Name} has no Select.");
        return Apply(source, (ISpecification<T>)specification).Select(selector);
    }

    /// <summary>Criteria only: what counting and existence checks need.</summary>
    public static IQueryable<T> ApplyCriteria<T>(IQueryable<T> source, ISpecification<T> specification) where T : class =>
        WhereEvaluator.Instance.GetQuery(specification is IKeyCriteria<T> byKey ? source.Where(byKey.BoundCriteria()) : source, specification);

    private static IQueryable<T> Includes<T>(IQueryable<T> source, ISpecification<T> specification) where T : class
    {
        IQueryable<T> query = source;
        foreach (var include in specification.IncludeExpressions)
        {
            var lambda = include.LambdaExpression;
            var method = include.Type == IncludeTypeEnum.Include
                ? IncludeMethod.MakeGenericMethod(typeof(T), lambda.ReturnType)
                : ThenInclude(typeof(T), include.PreviousPropertyType!, lambda);
            query = (IQueryable<T>)method.Invoke(null, [query, lambda])!;
        }

        return query;
    }

    /// <summary>EF has one ThenInclude after a reference and one after a collection of the previous include.</summary>
    private static MethodInfo ThenInclude(Type entity, Type previousProperty, LambdaExpression lambda)
    {
        var previous = lambda.Parameters[0].Type;
        return previous == previousProperty
            ? ThenIncludeAfterReference.MakeGenericMethod(entity, previous, lambda.ReturnType)
            : ThenIncludeAfterCollection.MakeGenericMethod(entity, previous, lambda.ReturnType);
    }

    private static MethodInfo ThenIncludeMethod(bool afterCollection) => typeof(EntityFrameworkQueryableExtensions).GetMethods()
        .Single(m => m.Name == nameof(EntityFrameworkQueryableExtensions.ThenInclude)
                     && m.GetParameters()[0].ParameterType.GetGenericArguments()[1] is var previous
                     && previous.IsGenericType == afterCollection
                     && (!afterCollection || previous.GetGenericTypeDefinition() == typeof(IEnumerable<>)));
}
