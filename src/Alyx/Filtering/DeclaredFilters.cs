using Alyx.Http;

namespace Alyx.Filtering;

/// <summary>A declared filter that is one Django lookup path (<c>lab__name__iexact</c>) applied to the trimmed text value.</summary>
public sealed class LookupFilter<T>(FilterDoc doc, string path) : IFilter<T> where T : class
{
    public FilterDoc Doc => doc;

    public ValueTask<IQueryable<T>> ApplyAsync(FilterContext context, IQueryable<T> query, IReadOnlyList<string> values, ErrorMap errors) =>
        ValueTask.FromResult(DjangoQuery.Where(query, context.Db, path, new DjangoValue.Str(values[^1].Trim())));
}

/// <summary>
/// <c>?json=key,value[,key,value...]</c> on a JSON column: the same pairs and value conversion as <c>django=</c>, each key
/// implicitly prefixed by the column (<c>extended_qc=a__b__gte,1</c> is <c>django=extended_qc__a__b__gte,1</c>), all AND-ed.
/// </summary>
public sealed class JsonColumnFilter<T>(string column) : IFilter<T> where T : class
{
    public FilterDoc Doc { get; } = new(column, "string", Description: $"key,value pairs matched against {column} (key__lookup allowed)");

    public async ValueTask<IQueryable<T>> ApplyAsync(FilterContext context, IQueryable<T> query, IReadOnlyList<string> values, ErrorMap errors)
    {
        try
        {
            return await DjangoQuery.ApplyJsonAsync(query, column, values[^1], context.Db, context.CancellationToken);
        }
        catch (DjangoQueryException e)
        {
            errors.Add(column, e.Message);
            return query;
        }
    }
}
