using System.Linq.Expressions;

namespace Sessions.Application.Common.Persistence;

/// <summary>
/// A named query over one aggregate: criteria, order and paging, written with the
/// <see cref="Query"/> builder (shaped like Ardalis.Specification's). One evaluator in
/// Infrastructure turns it into SQL. Specifications read without tracking unless they say
/// <see cref="SpecificationBuilder{T}.ForUpdate"/>.
/// </summary>
public abstract class Specification<T>
{
    private readonly List<Expression<Func<T, bool>>> _criteria = [];
    private readonly List<(Expression<Func<T, object?>> KeySelector, bool Descending)> _orderings = [];
    private readonly List<Expression<Func<T, object?>>> _includes = [];

    protected Specification()
    {
        Query = new SpecificationBuilder<T>(this);
    }

    protected SpecificationBuilder<T> Query { get; }

    public IReadOnlyList<Expression<Func<T, bool>>> Criteria => _criteria;
    public IReadOnlyList<(Expression<Func<T, object?>> KeySelector, bool Descending)> Orderings => _orderings;
    public IReadOnlyList<Expression<Func<T, object?>>> Includes => _includes;
    public int? Skip { get; internal set; }
    public int? Take { get; internal set; }
    public bool IsForUpdate { get; internal set; }

    internal void AddCriterion(Expression<Func<T, bool>> criterion) => _criteria.Add(criterion);

    internal void AddInclude(Expression<Func<T, object?>> navigation) => _includes.Add(navigation);

    internal void AddOrdering(Expression<Func<T, object?>> keySelector, bool descending) =>
        _orderings.Add((keySelector, descending));
}

public sealed class SpecificationBuilder<T>
{
    private readonly Specification<T> _specification;

    internal SpecificationBuilder(Specification<T> specification) => _specification = specification;

    public SpecificationBuilder<T> Where(Expression<Func<T, bool>> criterion)
    {
        _specification.AddCriterion(criterion);
        return this;
    }

    public SpecificationBuilder<T> OrderBy(Expression<Func<T, object?>> keySelector)
    {
        _specification.AddOrdering(keySelector, descending: false);
        return this;
    }

    public SpecificationBuilder<T> OrderByDescending(Expression<Func<T, object?>> keySelector)
    {
        _specification.AddOrdering(keySelector, descending: true);
        return this;
    }

    /// <summary>Loads a related collection or reference with the result.</summary>
    public SpecificationBuilder<T> Include(Expression<Func<T, object?>> navigation)
    {
        _specification.AddInclude(navigation);
        return this;
    }

    public SpecificationBuilder<T> Skip(int count)
    {
        _specification.Skip = count;
        return this;
    }

    public SpecificationBuilder<T> Take(int count)
    {
        _specification.Take = count;
        return this;
    }

    /// <summary>The result will be changed and saved: track it.</summary>
    public SpecificationBuilder<T> ForUpdate()
    {
        _specification.IsForUpdate = true;
        return this;
    }
}
