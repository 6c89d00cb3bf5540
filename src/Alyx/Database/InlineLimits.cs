using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Database;

/// <summary>
/// Row limits written into the SQL rather than bound. EF binds <c>Take(n)</c> as a parameter; SQLite plans with a bound LIMIT's
/// value and so expires the statement whenever that parameter is bound again: a kept statement (<see cref="SqliteStatementCache"/>)
/// would be prepared anew at every execution.
/// </summary>
public static class InlineLimits
{
    /// <summary><c>query.Take(count)</c> with <paramref name="count"/> a constant of the SQL (one statement per distinct count).</summary>
    public static IQueryable<T> TakeInline<T>(this IQueryable<T> query, int count) =>
        query.Provider.CreateQuery<T>(Expression.Call(typeof(Queryable), nameof(Queryable.Take), [typeof(T)], query.Expression,
            Expression.Call(typeof(EF), nameof(EF.Constant), [typeof(int)], Expression.Constant(count))));
}
