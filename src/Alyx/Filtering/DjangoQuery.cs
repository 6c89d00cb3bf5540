using Microsoft.EntityFrameworkCore.Metadata;

namespace Alyx.Filtering;

/// <summary>An invalid <c>django=</c> expression: reported to the client as a 400 naming the problem.</summary>
public sealed class DjangoQueryException(string message) : Exception(message);

/// <summary>The generic <c>django=</c> filter (conventions §15).</summary>
public static class DjangoQuery
{
    public static IQueryable<T> Apply<T>(IQueryable<T> query, string value, IModel model) where T : class =>
        throw new DjangoQueryException("The django filter is not available yet.");
}
