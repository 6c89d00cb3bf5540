using System.Globalization;
using System.Linq.Expressions;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Primitives;

namespace Alyx.Filtering;

/// <summary>How a filter parameter is typed in the OpenAPI document.</summary>
public sealed record FilterDoc(string Name, string Type, string? Format = null, bool Many = false, IReadOnlyList<string>? Enum = null,
    string? Description = null);

/// <summary>One query-string filter: reads its raw values, validates, narrows the query.</summary>
public interface IFilter<T>
{
    FilterDoc Doc { get; }

    /// <summary>Returns the narrowed query, or adds a message to <paramref name="errors"/>.</summary>
    ValueTask<IQueryable<T>> ApplyAsync(FilterContext context, IQueryable<T> query, IReadOnlyList<string> values, ErrorMap errors);
}

/// <summary>What a filter may consult besides its own values: the database and the whole query string (for filters that pair up).</summary>
public sealed record FilterContext(AlyxDb Db, IReadOnlyDictionary<string, StringValues> Parameters, CancellationToken CancellationToken)
{
    /// <summary>The last non-blank value of another parameter, as a filter of that name would read it.</summary>
    public string? Last(string name) =>
        Parameters.TryGetValue(name, out var raw) ? raw.LastOrDefault(v => !string.IsNullOrWhiteSpace(v)) : null;
}

/// <summary>
/// A resource's filters, as django-filter's FilterSet: filters generated from the model's columns and forward
/// many-to-many fields (exact matching, names as Django's), declared filters that add or override names, and
/// optionally the generic <c>django=</c> filter. Unknown parameters are ignored; all invalid values are reported together.
/// </summary>
public sealed class FilterSet<T> where T : class
{
    readonly List<IFilter<T>> declared = [];
    readonly HashSet<string> except = new(StringComparer.Ordinal);
    bool generated;
    bool django;
    IReadOnlyList<IFilter<T>>? all;
    readonly Lock gate = new();

    /// <summary>Adds the filters Django generates from every concrete column and forward many-to-many field.</summary>
    public FilterSet<T> Generated(params string[] exceptNames)
    {
        generated = true;
        except.UnionWith(exceptNames);
        return this;
    }

    public FilterSet<T> Django()
    {
        django = true;
        return this;
    }

    public bool HasDjango => django;

    public FilterSet<T> Add(IFilter<T> filter)
    {
        declared.Add(filter);
        return this;
    }

    /// <summary>A declared filter written inline: <paramref name="apply"/> gets the last non-empty value.</summary>
    public FilterSet<T> Add(FilterDoc doc, Func<IQueryable<T>, string, ErrorMap, IQueryable<T>> apply) =>
        Add(new DelegateFilter<T>(doc, apply));

    /// <summary>A name the schema lists and the server accepts but does not apply (secrets, auth tables).</summary>
    public FilterSet<T> Inert(string name, string type = "string", bool many = false) =>
        Add(new DelegateFilter<T>(new FilterDoc(name, type, Many: many), (q, _, _) => q));

    public IReadOnlyList<IFilter<T>> Filters(IModel model)
    {
        if (all is not null) return all;
        lock (gate)
        {
            if (all is not null) return all;
            var byName = new List<IFilter<T>>();
            if (generated)
            {
                foreach (var f in ModelFilters.For<T>(model))
                {
                    if (!except.Contains(f.Doc.Name) && !declared.Exists(d => d.Doc.Name == f.Doc.Name)) byName.Add(f);
                }
            }
            byName.AddRange(declared);
            all = byName;
            return all;
        }
    }

    public IReadOnlyList<FilterDoc> Describe(IModel model)
    {
        var docs = Filters(model).Select(f => f.Doc).ToList();
        if (django) docs.Add(new FilterDoc("django", "string", Description: "Django-style query: field__lookup,value[,field__lookup,value...]"));
        return docs.OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Applies every filter present in the query string (declaration order), then <c>django=</c>.</summary>
    public async Task<(IQueryable<T> Query, IResult? Error)> ApplyAsync(AlyxDb db, IQueryable<T> query, IReadOnlyDictionary<string, StringValues> parameters,
        CancellationToken ct)
    {
        var errors = new ErrorMap();
        var context = new FilterContext(db, parameters, ct);
        foreach (var filter in Filters(db.Model))
        {
            if (!parameters.TryGetValue(filter.Doc.Name, out var raw)) continue;
            var values = raw.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v!).ToList();
            if (values.Count == 0) continue;
            if (!filter.Doc.Many) values = [values[^1]];
            query = await filter.ApplyAsync(context, query, values, errors);
        }
        if (errors.Any) return (query, AlyxResults.Validation(errors));
        if (django && parameters.TryGetValue("django", out var d) && !string.IsNullOrWhiteSpace(d.LastOrDefault()))
        {
            try
            {
                query = await DjangoQuery.ApplyAsync(query, d.LastOrDefault()!, db, ct);
            }
            catch (DjangoQueryException e)
            {
                return (query, AlyxResults.Validation("django", e.Message));
            }
        }
        return (query, null);
    }
}

sealed class DelegateFilter<T>(FilterDoc doc, Func<IQueryable<T>, string, ErrorMap, IQueryable<T>> apply) : IFilter<T>
{
    public FilterDoc Doc => doc;

    public ValueTask<IQueryable<T>> ApplyAsync(FilterContext context, IQueryable<T> query, IReadOnlyList<string> values, ErrorMap errors) =>
        ValueTask.FromResult(apply(query, values[^1], errors));
}

/// <summary>Expression helpers: parameterised constants (EF sends them as SQL parameters, never literals).</summary>
public static class Expr
{
    sealed class Box<TValue>(TValue value)
    {
        public TValue Value { get; } = value;
    }

    public static Expression Param(object? value, Type type)
    {
        var box = Activator.CreateInstance(typeof(Box<>).MakeGenericType(type), value)!;
        return Expression.Property(Expression.Constant(box), "Value");
    }

    public static Expression<Func<T, bool>> Equal<T>(LambdaExpression member, object? value)
    {
        var body = Expression.Equal(member.Body, Param(value, member.ReturnType));
        return Expression.Lambda<Func<T, bool>>(body, member.Parameters);
    }

    public static LambdaExpression Member<T>(string clrProperty)
    {
        var p = Expression.Parameter(typeof(T), "e");
        return Expression.Lambda(Expression.Property(p, clrProperty), p);
    }
}

/// <summary>Parsers shared by filters, with django-filter's messages.</summary>
public static class FilterValues
{
    public static bool? GeneratedBool(string raw) => raw.Trim().ToUpperInvariant() switch
    {
        "TRUE" or "1" => true,
        "FALSE" or "0" => false,
        _ => null,
    };

    /// <summary>Declared boolean filters: exactly True/true/False/false (and legacy 2/3); anything else is ignored.</summary>
    public static bool? DeclaredBool(string raw) => raw switch
    {
        "True" or "true" or "2" => true,
        "False" or "false" or "3" => false,
        _ => null,
    };

    /// <summary>
    /// Django's UUIDField message for a malformed id given to a foreign-key or many-to-many filter (the model field's
    /// ValidationError escapes the choice field's lookup, so it is not "Select a valid choice").
    /// </summary>
    public static string InvalidUuid(string raw) => $"\u201c{raw}\u201d is not a valid UUID.";

    public static bool TryNumber(string raw, out double value) =>
        double.TryParse(raw.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
