using System.Linq.Expressions;
using System.Text;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;

namespace Alyx.Filtering;

/// <summary>
/// Lookups inside a JSON column: <c>json__key__subkey__lookup</c>, <c>json__has_key</c>, <c>json__isnull</c>. Each key
/// is checked for its JSON type first (string, number, boolean, null), so both databases give the same answers: strings
/// compare as text, numbers numerically, and a missing key is "null" for <c>isnull</c> only.
/// </summary>
sealed class DjangoJsonLookup(DatabaseProvider provider, string name, DjangoValue value)
{
    const int MaxDepth = 8;

    static readonly HashSet<string> Lookups = new(StringComparer.Ordinal)
    {
        "exact", "iexact", "icontains", "startswith", "istartswith", "endswith", "iendswith", "in", "gt", "gte", "lt", "lte",
        "range", "isnull", "regex", "iregex", "has_key", "has_keys", "has_any_keys", "contains", "contained_by",
    };

    enum JsonKind
    {
        String,
        Number,
        True,
        False,
        Null,
    }

    public Expression Build(Expression column, string[] rest)
    {
        var lookup = "exact";
        var keys = rest;
        if (rest.Length > 0 && Lookups.Contains(rest[^1]))
        {
            lookup = rest[^1];
            keys = rest[..^1];
        }
        if (lookup is "contains" or "contained_by")
            throw new DjangoQueryException($"The '{lookup}' lookup on JSON fields is not supported by this server.");
        foreach (var key in keys)
        {
            if (key.Contains('"', StringComparison.Ordinal) || key.Contains('\\', StringComparison.Ordinal) || key.Any(char.IsControl))
                throw new DjangoQueryException($"Invalid JSON key '{key}' in '{name}'.");
        }
        if (keys.Length == 0)
        {
            return lookup switch
            {
                "isnull" => value is DjangoValue.Bool b
                    ? b.Value ? IsNull(column) : Expression.Not(IsNull(column))
                    : throw new DjangoQueryException("The QuerySet value for an isnull lookup must be True or False."),
                "exact" when value is DjangoValue.Null => IsNull(column),
                "has_key" or "has_keys" or "has_any_keys" => HasKeys(column, keys, lookup),
                _ => throw new DjangoQueryException(
                    $"Unsupported lookup '{lookup}' for JSONField: compare a key inside the document (json__<key>__{lookup}) instead."),
            };
        }
        if (keys.Length > MaxDepth) throw new DjangoQueryException($"JSON paths are limited to {MaxDepth} keys ('{name}').");
        return lookup switch
        {
            "isnull" => value is DjangoValue.Bool b
                ? b.Value ? IsNull(Type(column, keys)) : Expression.Not(IsNull(Type(column, keys)))
                : throw new DjangoQueryException("The QuerySet value for an isnull lookup must be True or False."),
            "has_key" or "has_keys" or "has_any_keys" => HasKeys(column, keys, lookup),
            "exact" => Exact(column, keys, value),
            "in" => value is DjangoValue.Seq seq
                ? seq.Items.Where(i => i is not DjangoValue.Null).Select(i => Exact(column, keys, i))
                    .Aggregate((Expression)Expression.Constant(false), Expression.OrElse)
                : throw new DjangoQueryException($"The value of '{name}' must be a list or a tuple."),
            "gt" => Ordered(column, keys, ExpressionType.GreaterThan, value),
            "gte" => Ordered(column, keys, ExpressionType.GreaterThanOrEqual, value),
            "lt" => Ordered(column, keys, ExpressionType.LessThan, value),
            "lte" => Ordered(column, keys, ExpressionType.LessThanOrEqual, value),
            "range" => value is DjangoValue.Seq { Items: [var low, var high] }
                ? Expression.AndAlso(Ordered(column, keys, ExpressionType.GreaterThanOrEqual, low),
                    Ordered(column, keys, ExpressionType.LessThanOrEqual, high))
                : throw new DjangoQueryException($"The value of '{name}' must be a list or a tuple of two values."),
            _ => Expression.AndAlso(IsKind(column, keys, JsonKind.String),
                DjangoText.Match(provider, Text(column, keys), lookup, DjangoValues.Text(value))),
        };
    }

    static Expression IsNull(Expression e) => Expression.Equal(e, Expression.Constant(null, e.Type));

    Expression HasKeys(Expression column, string[] keys, string lookup)
    {
        var names = lookup == "has_key"
            ? [DjangoValues.Text(value)]
            : value is DjangoValue.Seq seq
                ? seq.Items.Select(DjangoValues.Text).ToList()
                : throw new DjangoQueryException($"The value of '{name}' must be a list or a tuple.");
        if (keys.Length + 1 > MaxDepth) throw new DjangoQueryException($"JSON paths are limited to {MaxDepth} keys ('{name}').");
        var tests = names.Select(k =>
        {
            if (k.Contains('"', StringComparison.Ordinal) || k.Contains('\\', StringComparison.Ordinal))
                throw new DjangoQueryException($"Invalid JSON key '{k}' in '{name}'.");
            return (Expression)Expression.Not(IsNull(Type(column, [.. keys, k])));
        }).ToList();
        if (tests.Count == 0) return Expression.Constant(lookup == "has_keys");
        return tests.Aggregate(lookup == "has_any_keys" ? Expression.OrElse : Expression.AndAlso);
    }

    /// <summary>
    /// The comparison of <see cref="Typed"/>, on PostgreSQL preceded by the containment it implies (<c>column @&gt; '{"k": v}'</c>),
    /// which a GIN index of the column (jsonb_path_ops) answers; the typed comparison still decides, so the answers are the same.
    /// For a string, a boolean or null the containment alone is the comparison (an object with that key holding an equal jsonb
    /// scalar: jsonb containment lets an array contain a scalar only at the top, never at a key), and it is left alone: PostgreSQL
    /// estimates a containment from the column's statistics, but each typed test with its default selectivity of 0.5 %, so that
    /// with them a value held by 12,588 of 100,000 sessions was planned as 1 row (the page then read every match and sorted them
    /// all, instead of walking the start-time index and stopping after the page).
    /// </summary>
    Expression Exact(Expression column, string[] keys, DjangoValue v)
    {
        var typed = Typed(column, keys, v);
        if (provider != DatabaseProvider.Postgres || Containment(keys, v) is not { } document) return typed;
        var contains = Expression.Call(JsonSql.PgContainsMethod, Expression.Constant(EF.Functions),
            Expression.Convert(column, typeof(object)),
            Expression.Convert(Expr.Param(System.Text.Json.JsonDocument.Parse(document), typeof(System.Text.Json.JsonDocument)), typeof(object)));
        // A column that is NULL must give false, not unknown, so that an exclusion (~) keeps the row (as the typed test does).
        return v is DjangoValue.Str or DjangoValue.Bool or DjangoValue.Null
            ? Expression.AndAlso(Expression.Not(IsNull(column)), contains)
            : Expression.AndAlso(contains, typed);
    }

    /// <summary>
    /// The document a row must contain when the value at <paramref name="keys"/> equals <paramref name="v"/>: nested objects, one per key,
    /// around the value. None when a key may index an array (digits only, as Django reads them) or the value has no JSON form.
    /// jsonb compares numbers by value (1 and 1.0 are equal), as the typed comparison does.
    /// </summary>
    static string? Containment(string[] keys, DjangoValue v)
    {
        if (keys.Any(k => k.Length > 0 && k.All(char.IsAsciiDigit))) return null;
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            foreach (var key in keys)
            {
                writer.WriteStartObject();
                writer.WritePropertyName(key);
            }
            switch (v)
            {
                case DjangoValue.Null:
                    writer.WriteNullValue();
                    break;
                case DjangoValue.Bool b:
                    writer.WriteBooleanValue(b.Value);
                    break;
                case DjangoValue.Str s:
                    writer.WriteStringValue(s.Value);
                    break;
                default:
                    if (Number(v) is not { } n || !double.IsFinite(n)) return null;
                    writer.WriteNumberValue(n);
                    break;
            }
            foreach (var _ in keys) writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    Expression Typed(Expression column, string[] keys, DjangoValue v) => v switch
    {
        DjangoValue.Null => IsKind(column, keys, JsonKind.Null),
        DjangoValue.Bool b => IsKind(column, keys, b.Value ? JsonKind.True : JsonKind.False),
        DjangoValue.Str s => Expression.AndAlso(IsKind(column, keys, JsonKind.String),
            Expression.Equal(Text(column, keys), Expr.Param(s.Value, typeof(string)))),
        _ when Number(v) is { } n => Expression.AndAlso(IsKind(column, keys, JsonKind.Number), CompareNumber(column, keys, ExpressionType.Equal, n)),
        _ => throw new DjangoQueryException($"Lists and tuples cannot be compared with a JSON key ('{name}')."),
    };

    Expression Ordered(Expression column, string[] keys, ExpressionType op, DjangoValue v)
    {
        if (Number(v) is { } n) return Expression.AndAlso(IsKind(column, keys, JsonKind.Number), CompareNumber(column, keys, op, n));
        if (v is DjangoValue.Str s)
        {
            var compare = Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!,
                Text(column, keys), Expr.Param(s.Value, typeof(string)));
            return Expression.AndAlso(IsKind(column, keys, JsonKind.String), Expression.MakeBinary(op, compare, Expression.Constant(0)));
        }
        throw new DjangoQueryException($"'{name}' needs a number or a string.");
    }

    static double? Number(DjangoValue v) => v switch
    {
        DjangoValue.Number n => n.Value,
        DjangoValue.Float f => f.Value,
        DjangoValue.Int i => (double)i.Value,
        _ => null,
    };

    Expression CompareNumber(Expression column, string[] keys, ExpressionType op, double n)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var number = Expression.Call(JsonSql.SqliteNumberMethod, column, SqlitePath(keys));
            return Expression.MakeBinary(op, number, Expression.Convert(Expr.Param(n, typeof(double)), typeof(double?)));
        }
        // PostgreSQL: jsonb against to_jsonb(@n), a numeric comparison once both are known to be numbers.
        var json = Expression.Call(JsonSql.PgJsonMethod, new[] { column }.Concat(PgKeys(keys)));
        var other = Expression.Call(JsonSql.PgToJsonbMethod, Expr.Param(n, typeof(double)));
        if (op == ExpressionType.Equal) return Expression.Equal(json, other);
        var compare = Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, json, other);
        return Expression.MakeBinary(op, compare, Expression.Constant(0));
    }

    Expression IsKind(Expression column, string[] keys, JsonKind kind)
    {
        var type = Type(column, keys);
        Expression Is(string s) => Expression.Equal(type, Expression.Constant(s, typeof(string)));
        if (provider == DatabaseProvider.Sqlite)
        {
            return kind switch
            {
                JsonKind.String => Is("text"),
                JsonKind.Number => Expression.OrElse(Is("integer"), Is("real")),
                JsonKind.True => Is("true"),
                JsonKind.False => Is("false"),
                _ => Is("null"),
            };
        }
        return kind switch
        {
            JsonKind.String => Is("string"),
            JsonKind.Number => Is("number"),
            JsonKind.True => Expression.AndAlso(Is("boolean"), Expression.Equal(Text(column, keys), Expression.Constant("true", typeof(string)))),
            JsonKind.False => Expression.AndAlso(Is("boolean"), Expression.Equal(Text(column, keys), Expression.Constant("false", typeof(string)))),
            _ => Is("null"),
        };
    }

    /// <summary>The JSON type name at a path, NULL when the path does not exist.</summary>
    Expression Type(Expression column, string[] keys) => provider == DatabaseProvider.Sqlite
        ? Expression.Call(JsonSql.SqliteTypeMethod, column, SqlitePath(keys))
        : Expression.Call(JsonSql.PgTypeMethod, new[] { column }.Concat(PgKeys(keys)));

    /// <summary>The value at a path as SQL text (strings unquoted).</summary>
    Expression Text(Expression column, string[] keys) => provider == DatabaseProvider.Sqlite
        ? Expression.Call(JsonSql.SqliteTextMethod, column, SqlitePath(keys))
        : Expression.Call(JsonSql.PgTextMethod, new[] { column }.Concat(PgKeys(keys)));

    /// <summary>A SQLite JSON path (<c>$."a"[0]</c>), sent as a parameter; digit-only keys index arrays as Django does.</summary>
    static Expression SqlitePath(string[] keys)
    {
        var path = new StringBuilder("$");
        foreach (var key in keys)
        {
            if (key.Length > 0 && key.Length < 10 && key.All(char.IsAsciiDigit)) path.Append('[').Append(key).Append(']');
            else path.Append(".\"").Append(key).Append('"');
        }
        return Expr.Param(path.ToString(), typeof(string));
    }

    /// <summary>PostgreSQL path elements: one parameter per key, unused slots a NULL constant the translation drops.</summary>
    static IEnumerable<Expression> PgKeys(string[] keys) =>
        Enumerable.Range(0, MaxDepth).Select(i => i < keys.Length ? Expr.Param(keys[i], typeof(string)) : Expression.Constant(null, typeof(string)));
}

/// <summary>
/// SQL functions behind JSON lookups, mapped per provider with <c>HasDbFunction</c>: SQLite's <c>json_type</c> and
/// <c>json_extract</c>, PostgreSQL's <c>jsonb_typeof</c>, <c>jsonb_extract_path(_text)</c> and <c>to_jsonb</c>.
/// The methods only exist to be translated; calling them in .NET throws.
/// </summary>
public static class JsonSql
{
    public static string? SqliteType(string? json, string path) => throw new InvalidOperationException("SQL only.");

    public static string? SqliteText(string? json, string path) => throw new InvalidOperationException("SQL only.");

    public static double? SqliteNumber(string? json, string path) => throw new InvalidOperationException("SQL only.");

    public static string? PgType(string? json, string? k1, string? k2, string? k3, string? k4, string? k5, string? k6, string? k7, string? k8) =>
        throw new InvalidOperationException("SQL only.");

    public static string? PgText(string? json, string? k1, string? k2, string? k3, string? k4, string? k5, string? k6, string? k7, string? k8) =>
        throw new InvalidOperationException("SQL only.");

    public static string? PgJson(string? json, string? k1, string? k2, string? k3, string? k4, string? k5, string? k6, string? k7, string? k8) =>
        throw new InvalidOperationException("SQL only.");

    public static string? PgToJsonb(double value) => throw new InvalidOperationException("SQL only.");

    /// <summary>A JSON column as text (Django's <c>json::text</c>), for substring filters.</summary>
    public static string? Text(string? json) => throw new InvalidOperationException("SQL only.");

    internal static readonly System.Reflection.MethodInfo TextMethod = typeof(JsonSql).GetMethod(nameof(Text))!;

    internal static readonly System.Reflection.MethodInfo SqliteTypeMethod = typeof(JsonSql).GetMethod(nameof(SqliteType))!;
    internal static readonly System.Reflection.MethodInfo SqliteTextMethod = typeof(JsonSql).GetMethod(nameof(SqliteText))!;
    internal static readonly System.Reflection.MethodInfo SqliteNumberMethod = typeof(JsonSql).GetMethod(nameof(SqliteNumber))!;
    internal static readonly System.Reflection.MethodInfo PgTypeMethod = typeof(JsonSql).GetMethod(nameof(PgType))!;
    internal static readonly System.Reflection.MethodInfo PgTextMethod = typeof(JsonSql).GetMethod(nameof(PgText))!;
    internal static readonly System.Reflection.MethodInfo PgJsonMethod = typeof(JsonSql).GetMethod(nameof(PgJson))!;
    internal static readonly System.Reflection.MethodInfo PgToJsonbMethod = typeof(JsonSql).GetMethod(nameof(PgToJsonb))!;

    /// <summary>PostgreSQL's jsonb containment, <c>json @&gt; document</c> (Npgsql's <c>EF.Functions.JsonContains</c>).</summary>
    internal static readonly System.Reflection.MethodInfo PgContainsMethod =
        typeof(NpgsqlJsonDbFunctionsExtensions).GetMethod(nameof(NpgsqlJsonDbFunctionsExtensions.JsonContains))!;

    public static void RegisterSqlite(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDbFunction(SqliteTypeMethod).HasTranslation(a => Function("json_type", a, typeof(string)));
        modelBuilder.HasDbFunction(SqliteTextMethod).HasTranslation(a => Function("json_extract", a, typeof(string)));
        modelBuilder.HasDbFunction(SqliteNumberMethod).HasTranslation(a => Function("json_extract", a, typeof(double)));
        modelBuilder.HasDbFunction(TextMethod).HasTranslation(a => a[0]);
    }

    public static void RegisterPostgres(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDbFunction(PgTypeMethod).HasTranslation(a =>
            Function("jsonb_typeof", [Function("jsonb_extract_path", Keys(a), typeof(string), a[0].TypeMapping)], typeof(string)));
        modelBuilder.HasDbFunction(PgTextMethod).HasTranslation(a => Function("jsonb_extract_path_text", Keys(a), typeof(string)));
        modelBuilder.HasDbFunction(PgJsonMethod).HasTranslation(a => Function("jsonb_extract_path", Keys(a), typeof(string), a[0].TypeMapping));
        modelBuilder.HasDbFunction(PgToJsonbMethod).HasTranslation(a => Function("to_jsonb", a, typeof(string)));
        // concat() renders any value through its text output function: jsonb::text.
        modelBuilder.HasDbFunction(TextMethod).HasTranslation(a => Function("concat", a, typeof(string)));
    }

    static List<SqlExpression> Keys(IReadOnlyList<SqlExpression> args) =>
        [args[0], .. args.Skip(1).Where(a => a is not SqlConstantExpression { Value: null })];

    static SqlFunctionExpression Function(string name, IReadOnlyList<SqlExpression> args, Type type,
        Microsoft.EntityFrameworkCore.Storage.RelationalTypeMapping? mapping = null) =>
        new(name, args, nullable: true, argumentsPropagateNullability: args.Select(_ => false), type, mapping);
}
