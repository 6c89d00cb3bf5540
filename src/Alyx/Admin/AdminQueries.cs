using System.Globalization;
using System.Linq.Expressions;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Primitives;

namespace Alyx.Admin;

/// <summary>What the list page asks: the REST filters, the search words, the sort, the page.</summary>
public sealed record AdminListQuery(IReadOnlyDictionary<string, StringValues> Filters, string? Search, string? Sort, int Offset, int Limit);

/// <summary>A page of the list: the rows (id and REST list item), the count of all matching rows, or why the filters were refused.</summary>
public sealed record AdminListResult(int Count, IReadOnlyList<(object Id, JsonObject Item)> Rows, string? FilterError);

/// <summary>The generic queries of the admin pages over any model, in SQL (paged, counted), from its declaration and options.</summary>
public static class AdminQueries
{
    public const int LookupPageSize = 20;

    public static Task<AdminListResult> ListAsync(AdminModel model, AlyxDb db, HttpRequest request, ListCounts counts, AdminListQuery query,
        CancellationToken ct) => model.Resource.Accept(new ListVisitor(model, db, request, counts, query, ct));

    /// <summary>The object's name (Django's __str__); null when there is no such row.</summary>
    public static Task<string?> DisplayAsync(AdminModel model, AlyxDb db, object id, CancellationToken ct) =>
        model.Resource.Accept(new DisplayVisitor(model, db, id, ct));

    /// <summary>Search-as-you-type: a page of (value the write path accepts, text shown) and whether more follow.</summary>
    public static Task<(List<(string Value, string Text)> Results, bool More)> LookupAsync(AdminModel model, AlyxDb db, string term, int page,
        CancellationToken ct) => model.Resource.Accept(new LookupVisitor(model, db, term, page, ct));

    sealed class ListVisitor(AdminModel model, AlyxDb db, HttpRequest request, ListCounts counts, AdminListQuery q, CancellationToken ct)
        : IResourceVisitor<Task<AdminListResult>>
    {
        public async Task<AdminListResult> Visit<T, TList, TDetail>(Resource<T, TList, TDetail> resource)
            where T : class, IEntity, new() where TList : class where TDetail : class
        {
            var query = resource.Ordered(db).AsNoTracking();
            if (resource.Filters is not null)
            {
                var (filtered, error) = await resource.Filters.ApplyAsync(db, query, q.Filters, ct);
                if (error is not null) return new AdminListResult(0, [], "The filters are not valid: " + string.Join(", ", q.Filters.Keys));
                query = filtered;
            }
            query = Searched(model, resource, query, q.Search);
            var sort = q.Sort ?? model.Options.Ordering;
            if (sort is { Length: > 0 })
            {
                var descending = sort[0] == '-';
                var key = Paths.Lambda<T>(sort.TrimStart('-'));
                query = descending ? query.OrderByDescending(key).ThenBy(resource.KeyOf) : query.OrderBy(key).ThenBy(resource.KeyOf);
            }
            var countKey = ListCounts.Key("/admin/" + model.App + "/" + model.Name,
                q.Filters.Append(new("q", q.Search ?? "")).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal));
            var count = await counts.GetAsync(countKey, () => query.CountAsync(ct));
            var rows = await query.Skip(q.Offset).Take(q.Limit).Select(WithId(resource.Project(request), resource.KeyOf)).ToListAsync(ct);
            var items = rows.Select(r => r.Item).ToList();
            if (resource.Enrich is not null && items.Count > 0) await resource.Enrich(db, items, ct);
            var result = rows.Select((r, i) => (r.Id, (JsonObject)JsonSerializer.SerializeToNode(items[i], items[i].GetType(), AlyxJson.Options)!)).ToList();
            return new AdminListResult(count, result, null);
        }
    }

    /// <summary>The rows whose search fields contain every word of <paramref name="search"/> (each word in any field), as Django's admin search.</summary>
    static IQueryable<T> Searched<T, TList, TDetail>(AdminModel model, Resource<T, TList, TDetail> resource, IQueryable<T> query, string? search)
        where T : class, IEntity, new() where TList : class where TDetail : class
    {
        if (string.IsNullOrWhiteSpace(search)) return query;
        var fields = SearchFields(model, resource);
        if (fields.Count == 0) return query;
        foreach (var word in search.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var p = Expression.Parameter(typeof(T), "e");
            Expression? any = null;
            foreach (var field in fields)
            {
                var matches = Contains(Rebind(field, p), word);
                any = any is null ? matches : Expression.OrElse(any, matches);
            }
            query = query.Where(Expression.Lambda<Func<T, bool>>(any!, p));
        }
        return query;
    }

    static readonly System.Reflection.MethodInfo StringContains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    static readonly System.Reflection.MethodInfo StringToLower = typeof(string).GetMethod(nameof(string.ToLower), Type.EmptyTypes)!;

    /// <summary><c>text != null &amp;&amp; text.ToLower().Contains(word)</c>: case-insensitive on SQLite and PostgreSQL alike.</summary>
    static Expression Contains(Expression text, string word) =>
        Expression.AndAlso(Expression.NotEqual(text, Expression.Constant(null, typeof(string))),
            Expression.Call(Expression.Call(text, StringToLower), StringContains, Filtering.Expr.Param(word.ToLowerInvariant(), typeof(string))));

    static List<Expression<Func<T, string>>> SearchFields<T, TList, TDetail>(AdminModel model, Resource<T, TList, TDetail> resource)
        where T : class, IEntity, new() where TList : class where TDetail : class
    {
        if (model.Options.Search is { } declared) return declared.Select(Paths.Text<T>).ToList();
        var fields = new List<Expression<Func<T, string>>>();
        if (resource.Slug is { } slug) fields.Add(slug.Column);
        else if (typeof(T).GetProperty("Name")?.PropertyType == typeof(string)) fields.Add(Paths.Text<T>("Name"));
        return fields;
    }

    static Expression Rebind(LambdaExpression lambda, ParameterExpression p) => new Rebinder(lambda.Parameters[0], p).Visit(lambda.Body);

    sealed class Rebinder(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }

    /// <summary>A row of the list: the entity's id beside the REST projection.</summary>
    public sealed class Row<TList>
    {
        public object Id { get; set; } = default!;

        public TList Item { get; set; } = default!;
    }

    static Expression<Func<T, Row<TList>>> WithId<T, TList>(Expression<Func<T, TList>> item, Expression<Func<T, object>> key) where T : class, IEntity
    {
        var p = item.Parameters[0];
        var init = Expression.MemberInit(Expression.New(typeof(Row<TList>)),
            Expression.Bind(typeof(Row<TList>).GetProperty(nameof(Row<TList>.Id))!, Rebind(key, p)),
            Expression.Bind(typeof(Row<TList>).GetProperty(nameof(Row<TList>.Item))!, item.Body));
        return Expression.Lambda<Func<T, Row<TList>>>(init, p);
    }

    /// <summary>The name of a row of <typeparamref name="T"/> as an expression: the declared display paths, else the slug column, else Name, else the id.</summary>
    static Expression<Func<T, object?[]>> DisplayParts<T, TList, TDetail>(AdminModel model, Resource<T, TList, TDetail> resource)
        where T : class, IEntity, new() where TList : class where TDetail : class
    {
        var p = Expression.Parameter(typeof(T), "e");
        List<Expression> parts;
        if (model.Options.Display is { } paths) parts = paths.Select(path => Paths.Access(p, path)).ToList();
        else if (resource.Slug is { } slug) parts = [Rebind(slug.Column, p)];
        else if (typeof(T).GetProperty("Name")?.PropertyType == typeof(string)) parts = [Expression.Property(p, "Name")];
        else parts = [Rebind(resource.KeyOf, p)];
        return Expression.Lambda<Func<T, object?[]>>(Expression.NewArrayInit(typeof(object), parts.Select(e => Expression.Convert(e, typeof(object)))), p);
    }

    public static string Join(object?[] parts)
    {
        var text = string.Join(" ", parts.Select(Format).Where(s => s.Length > 0));
        return text.Length == 0 ? "(no name)" : text;
    }

    sealed class DisplayVisitor(AdminModel model, AlyxDb db, object id, CancellationToken ct) : IResourceVisitor<Task<string?>>
    {
        public async Task<string?> Visit<T, TList, TDetail>(Resource<T, TList, TDetail> resource)
            where T : class, IEntity, new() where TList : class where TDetail : class
        {
            var parts = await db.Set<T>().AsNoTracking().Where(resource.KeyEquals(id)).Select(DisplayParts(model, resource)).FirstOrDefaultAsync(ct);
            return parts is null ? null : Join(parts);
        }
    }

    sealed class LookupVisitor(AdminModel model, AlyxDb db, string term, int page, CancellationToken ct)
        : IResourceVisitor<Task<(List<(string Value, string Text)>, bool)>>
    {
        public async Task<(List<(string Value, string Text)>, bool)> Visit<T, TList, TDetail>(Resource<T, TList, TDetail> resource)
            where T : class, IEntity, new() where TList : class where TDetail : class
        {
            var query = Searched(model, resource, db.Set<T>().AsNoTracking(), term);
            // The value is what the REST API's field accepts: the slug (name, nickname, username), else the id.
            var p = Expression.Parameter(typeof(T), "e");
            var key = Rebind(resource.KeyOf, p) is UnaryExpression { NodeType: ExpressionType.Convert } boxed ? boxed.Operand : Rebind(resource.KeyOf, p);
            var value = resource.Slug is { } slug ? Rebind(slug.Column, p) : Expression.Call(key, nameof(ToString), Type.EmptyTypes);
            var display = DisplayParts(model, resource);
            var ordered = resource.Slug is { } s ? query.OrderBy(s.Column).ThenBy(resource.KeyOf) : query.OrderBy(resource.KeyOf);
            var rows = await ordered.Skip((page - 1) * LookupPageSize).Take(LookupPageSize + 1)
                .Select(Expression.Lambda<Func<T, LookupRow>>(Expression.MemberInit(Expression.New(typeof(LookupRow)),
                    Expression.Bind(typeof(LookupRow).GetProperty(nameof(LookupRow.Value))!, value),
                    Expression.Bind(typeof(LookupRow).GetProperty(nameof(LookupRow.Parts))!, Rebind(display, p))), p))
                .ToListAsync(ct);
            var results = rows.Take(LookupPageSize).Select(r => (r.Value ?? "", Join(r.Parts))).ToList();
            return (results, rows.Count > LookupPageSize);
        }
    }

    public sealed class LookupRow
    {
        public string? Value { get; set; }

        public object?[] Parts { get; set; } = [];
    }

    /// <summary>How a value reads on a page: ISO dates, invariant numbers, Yes/No.</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "Yes" : "No",
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        double x => x.ToString("0.###", CultureInfo.InvariantCulture),
        float x => x.ToString("0.###", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>
    /// A REST JSON value as a person reads it (a read-only field, a list cell): fractional numbers to three decimals, as the
    /// list columns show them (0.9400000000000001 reads 0.94); anything else as <see cref="Text"/>. Inputs keep full precision.
    /// </summary>
    public static string Display(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<double>(out var x) && x != Math.Floor(x)
            ? x.ToString("0.###", CultureInfo.InvariantCulture)
            : Text(node);

    /// <summary>A REST JSON value as text for a cell or an input: strings as they are, lists joined by ", ", objects as JSON.</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => "",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.True => "Yes",
        JsonValue v when v.GetValueKind() == JsonValueKind.False => "No",
        JsonArray a when a.All(x => x is JsonValue xv && xv.GetValueKind() == JsonValueKind.String) => string.Join(", ", a.Select(x => x!.GetValue<string>())),
        _ => node.ToJsonString(),
    };
}

/// <summary>Entity property paths (<c>Subject.Nickname</c>) as expressions.</summary>
public static class Paths
{
    public static Expression Access(Expression root, string path)
    {
        var e = root;
        foreach (var part in path.Split('.'))
        {
            var property = e.Type.GetProperty(part) ?? throw new InvalidOperationException($"{e.Type.Name} has no property {part} (admin path {path}).");
            e = Expression.Property(e, property);
        }
        return e;
    }

    public static Expression<Func<T, object?>> Lambda<T>(string path)
    {
        var p = Expression.Parameter(typeof(T), "e");
        return Expression.Lambda<Func<T, object?>>(Expression.Convert(Access(p, path), typeof(object)), p);
    }

    public static Expression<Func<T, string>> Text<T>(string path)
    {
        var p = Expression.Parameter(typeof(T), "e");
        var body = Access(p, path);
        if (body.Type != typeof(string)) throw new InvalidOperationException($"Admin search path {path} of {typeof(T).Name} is not text.");
        return Expression.Lambda<Func<T, string>>(body, p);
    }

    public static bool Exists(Type type, string path)
    {
        foreach (var part in path.Split('.'))
        {
            var property = type.GetProperty(part);
            if (property is null) return false;
            type = property.PropertyType;
        }
        return true;
    }
}
