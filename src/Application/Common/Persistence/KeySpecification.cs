using System.Linq.Expressions;
using Ardalis.Specification;
using Sessions.Domain.Common;

namespace Sessions.Application.Common.Persistence;

/// <summary>
/// Runs a read of one aggregate by its key with a query compiled once per criteria: what a repository
/// offers to <see cref="KeySpecification{T,TOwner,TId}"/>.
/// </summary>
public interface IKeyQueries<T> where T : AggregateRoot
{
    Task<T?> FirstOrDefaultAsync<TOwner, TId>(
        Expression<Func<T, TOwner, TId, bool>> criteria, TOwner owner, TId id, bool tracking, CancellationToken cancellationToken);
}

/// <summary>A specification that a repository can run as a compiled query (<see cref="IKeyQueries{T}"/>).</summary>
public interface IKeySpecification<T> : ISingleResultSpecification<T> where T : AggregateRoot
{
    Task<T?> FirstOrDefaultAsync(IKeyQueries<T> queries, bool tracking, CancellationToken cancellationToken);
}

/// <summary>
/// A key specification's criteria with its key values bound in, for the rare query that is not a read by
/// key (a list, a count): the specification evaluator applies it. Built only when such a query asks.
/// </summary>
public interface IKeyCriteria<T>
{
    Expression<Func<T, bool>> BoundCriteria();
}

/// <summary>
/// One aggregate by its owner and id, the read every request of a module makes. The criteria is one
/// expression over the aggregate and the two key values, kept once per specification type, so the
/// repository compiles its query once instead of translating a new expression tree per request.
/// As a plain specification (lists, counts) it filters the same way, through <see cref="IKeyCriteria{T}"/>.
/// </summary>
public abstract class KeySpecification<T, TOwner, TId> : Specification<T>, IKeySpecification<T>, IKeyCriteria<T> where T : AggregateRoot
{
    private readonly Expression<Func<T, TOwner, TId, bool>> _criteria;

    /// <param name="criteria">A static expression of the derived type: the same object for every instance.</param>
    protected KeySpecification(Expression<Func<T, TOwner, TId, bool>> criteria, TOwner owner, TId id)
    {
        _criteria = criteria;
        Owner = owner;
        Id = id;
    }

    public TOwner Owner { get; }

    public TId Id { get; }

    public Task<T?> FirstOrDefaultAsync(IKeyQueries<T> queries, bool tracking, CancellationToken cancellationToken) =>
        queries.FirstOrDefaultAsync(_criteria, Owner, Id, tracking, cancellationToken);

    /// <summary>The key parameters become reads of this specification's values, which EF sends as query parameters.</summary>
    public Expression<Func<T, bool>> BoundCriteria()
    {
        var self = Expression.Constant(this);
        var bound = new KeyBinder(_criteria.Parameters[1], Expression.Property(self, nameof(Owner)),
            _criteria.Parameters[2], Expression.Property(self, nameof(Id))).Visit(_criteria.Body);
        return Expression.Lambda<Func<T, bool>>(bound, _criteria.Parameters[0]);
    }

    private sealed class KeyBinder(ParameterExpression owner, Expression ownerValue, ParameterExpression id, Expression idValue) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) =>
            node == owner ? ownerValue : node == id ? idValue : node;
    }
}
