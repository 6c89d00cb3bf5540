using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Database;

/// <summary>Whether a query loads its collections in split queries (one statement per collection, each repeating the rows' statement).</summary>
public static class SplitQueries
{
    static readonly System.Reflection.MethodInfo AsSplitQuery =
        typeof(RelationalQueryableExtensions).GetMethod(nameof(RelationalQueryableExtensions.AsSplitQuery))!;

    /// <summary>True when the query's expression asks for split queries (<c>AsSplitQuery</c>, as <see cref="AlyxDb.WithCollections"/> does on SQLite).</summary>
    public static bool Splits(IQueryable query)
    {
        var finder = new Finder();
        finder.Visit(query.Expression);
        return finder.Found;
    }

    /// <summary>
    /// The query's rows, read synchronously on SQLite. EF's asynchronous shaper of split collections makes a delegate
    /// (<c>DynamicMethod.CreateDelegate</c>, a runtime call) for every row of every collection it populates — 10.7 % of the
    /// server's samples on the fixture's sessions list — where the synchronous shaper calls its compiled code directly; and
    /// Microsoft.Data.Sqlite runs its asynchronous methods synchronously anyway, so no thread is held longer than before.
    /// PostgreSQL's reads (never split) stay asynchronous.
    /// </summary>
    public static Task<List<T>> ReadListAsync<T>(this IQueryable<T> query, AlyxDb db, CancellationToken ct)
    {
        if (db.Provider != DatabaseProvider.Sqlite) return query.ToListAsync(ct);
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(query.ToList());
    }

    sealed class Finder : ExpressionVisitor
    {
        public bool Found { get; private set; }

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            if (node.Method.IsGenericMethod && node.Method.GetGenericMethodDefinition() == AsSplitQuery) Found = true;
            return Found ? node : base.VisitMethodCall(node);
        }
    }
}
