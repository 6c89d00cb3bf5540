using System.Collections.Concurrent;
using System.Linq.Expressions;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Alyx.Database;

/// <summary>DRF's SlugRelatedField: resolves human-readable references (<c>"lab": "cortexlab"</c>) to rows, with its messages.</summary>
public static class Slugs
{
    /// <summary>Rows for each value, in the order given; adds <c>Object with {slug}={value} does not exist.</c> for misses.</summary>
    public static async Task<List<T>> ResolveAsync<T>(IQueryable<T> set, Expression<Func<T, string>> slug, string slugName,
        IReadOnlyList<string> values, string field, ErrorMap errors, CancellationToken ct) where T : class
    {
        if (values.Count == 0) return [];
        var distinct = values.Distinct().ToList();
        var contains = Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(string)],
            Filtering.Expr.Param(distinct, typeof(List<string>)), slug.Body);
        var rows = await set.Where(Expression.Lambda<Func<T, bool>>(contains, slug.Parameters)).ToListAsync(ct);
        // Interpreted: compiling would emit and JIT a new method on every call.
        var get = slug.Compile(preferInterpretation: true);
        var result = new List<T>();
        foreach (var value in values)
        {
            var matches = rows.Where(r => get(r) == value).ToList();
            if (Check(matches.Count, slugName, value, field, errors)) continue;
            if (!result.Contains(matches[0])) result.Add(matches[0]);
        }
        return result;
    }

    /// <summary>
    /// The row of one value, or null with the field's error: <see cref="ResolveAsync{T}"/> of one value, as a compiled query
    /// (<see cref="Lookup{T}"/>) of <paramref name="set"/>'s rows with that slug, of which it reads at most two. A set that
    /// captures a value (a filtered set) is queried without compiling.
    /// </summary>
    public static async Task<T?> ResolveOneAsync<T>(AlyxDb db, IQueryable<T> set, Expression<Func<T, string>> slug, string slugName,
        string value, string field, ErrorMap errors, CancellationToken ct) where T : class
    {
        var rows = new List<T>(1);
        var matching = Constants.In(set.Expression)
            ? set.Where(Expression.Lambda<Func<T, bool>>(Expression.Equal(slug.Body, Filtering.Expr.Param(value, typeof(string))), slug.Parameters)).TakeInline(2).AsAsyncEnumerable()
            : Lookup(set, slug)(db, value);
        await foreach (var row in matching.WithCancellation(ct)) rows.Add(row);
        return Check(rows.Count, slugName, value, field, errors) ? null : rows[0];
    }

    /// <summary>Adds DRF's message when <paramref name="count"/> rows matched a value and that is not one; true then.</summary>
    static bool Check(int count, string slugName, string value, string field, ErrorMap errors)
    {
        if (count == 1) return false;
        errors.Add(field, count == 0 ? $"Object with {slugName}={value} does not exist." : $"More than one object with {slugName}={value} exists.");
        return true;
    }

    /// <summary>
    /// The compiled lookups, one per query shape (the set's expression, e.g. subjects with their lab, and the slug column).
    /// A query that is not compiled costs EF a walk of its whole expression tree and a search of its query cache at every
    /// execution, which is most of a lookup's time; the key here is the set's few nodes and the slug's lambda.
    /// </summary>
    static readonly ConcurrentDictionary<(Expression Set, Expression Slug), Delegate> Lookups = new(ShapeComparer.Instance);

    /// <summary><c>(db, value) => set.Where(row => slug(row) == value).Take(2)</c>, compiled once per shape.</summary>
    internal static Func<AlyxDb, string, IAsyncEnumerable<T>> Lookup<T>(IQueryable<T> set, Expression<Func<T, string>> slug) where T : class =>
        (Func<AlyxDb, string, IAsyncEnumerable<T>>)Lookups.GetOrAdd((set.Expression, slug), static key =>
        {
            var db = Expression.Parameter(typeof(AlyxDb), "db");
            var value = Expression.Parameter(typeof(string), "value");
            var take = Expression.Call(typeof(Queryable), nameof(Queryable.Take), [typeof(T)],
                Matching(key.Set, (Expression<Func<T, string>>)key.Slug, value), Expression.Constant(2));
            return EF.CompileAsyncQuery(Expression.Lambda<Func<AlyxDb, string, IQueryable<T>>>(take, db, value));
        });

    /// <summary>
    /// <c>(db, value) => ids of the rows of T whose slug is value, in id order, at most two</c>, compiled: a lookup by slug that
    /// needs only the id (the generic retrieve's). Callers keep the delegate (one per resource).
    /// </summary>
    internal static Func<AlyxDb, string, IAsyncEnumerable<Guid>> IdLookup<T>(Expression<Func<T, string>> slug) where T : class, IEntity
    {
        var db = Expression.Parameter(typeof(AlyxDb), "db");
        var value = Expression.Parameter(typeof(string), "value");
        Expression<Func<T, Guid>> id = e => e.Id;
        var rows = Matching(Expression.Call(db, nameof(DbContext.Set), [typeof(T)]), slug, value);
        var ordered = Expression.Call(typeof(Queryable), nameof(Queryable.OrderBy), [typeof(T), typeof(Guid)], rows, Expression.Quote(id));
        var ids = Expression.Call(typeof(Queryable), nameof(Queryable.Select), [typeof(T), typeof(Guid)], ordered, Expression.Quote(id));
        var two = Expression.Call(typeof(Queryable), nameof(Queryable.Take), [typeof(Guid)], ids, Expression.Constant(2));
        return EF.CompileAsyncQuery(Expression.Lambda<Func<AlyxDb, string, IQueryable<Guid>>>(two, db, value));
    }

    /// <summary><c>set.Where(row => slug(row) == value)</c> as a tree, <paramref name="value"/> a parameter of the compiled query.</summary>
    static MethodCallExpression Matching<T>(Expression set, Expression<Func<T, string>> slug, ParameterExpression value) =>
        Expression.Call(typeof(Queryable), nameof(Queryable.Where), [typeof(T)], set,
            Expression.Quote(Expression.Lambda<Func<T, bool>>(Expression.Equal(slug.Body, value), slug.Parameters)));

    /// <summary>Whether a tree holds a constant (a captured value): such a set is queried as it is, never compiled and kept.</summary>
    sealed class Constants : ExpressionVisitor
    {
        bool found;

        public static bool In(Expression expression)
        {
            var visitor = new Constants();
            visitor.Visit(expression);
            return visitor.found;
        }

        public override Expression? Visit(Expression? node)
        {
            if (node is ConstantExpression) found = true;
            return found ? node : base.Visit(node);
        }
    }

    /// <summary>Expression trees compared by structure (EF's comparer: query roots by entity type, lambdas by shape).</summary>
    sealed class ShapeComparer : IEqualityComparer<(Expression Set, Expression Slug)>
    {
        public static readonly ShapeComparer Instance = new();

        public bool Equals((Expression Set, Expression Slug) x, (Expression Set, Expression Slug) y) =>
            ExpressionEqualityComparer.Instance.Equals(x.Set, y.Set) && ExpressionEqualityComparer.Instance.Equals(x.Slug, y.Slug);

        public int GetHashCode((Expression Set, Expression Slug) key) =>
            HashCode.Combine(ExpressionEqualityComparer.Instance.GetHashCode(key.Set), ExpressionEqualityComparer.Instance.GetHashCode(key.Slug));
    }
}
