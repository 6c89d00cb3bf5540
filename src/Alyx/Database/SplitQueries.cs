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
