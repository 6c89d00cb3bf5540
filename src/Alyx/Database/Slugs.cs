using System.Linq.Expressions;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

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
            if (matches.Count == 0)
            {
                errors.Add(field, $"Object with {slugName}={value} does not exist.");
                continue;
            }
            if (matches.Count > 1)
            {
                errors.Add(field, $"More than one object with {slugName}={value} exists.");
                continue;
            }
            if (!result.Contains(matches[0])) result.Add(matches[0]);
        }
        return result;
    }

    public static async Task<T?> ResolveOneAsync<T>(IQueryable<T> set, Expression<Func<T, string>> slug, string slugName,
        string value, string field, ErrorMap errors, CancellationToken ct) where T : class =>
        (await ResolveAsync(set, slug, slugName, [value], field, errors, ct)).FirstOrDefault();
}
