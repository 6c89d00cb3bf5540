using System.Globalization;
using System.Linq.Expressions;
using System.Numerics;
using System.Reflection;
using System.Text.RegularExpressions;
using Alyx.Database;
using Alyx.Http;

namespace Alyx.Filtering;

/// <summary>
/// Transforms and the final lookup on a column (or a relation's key): <c>birth_date__year__gte</c>,
/// <c>username__istartswith</c>. Values are converted to the column type and sent as parameters.
/// </summary>
sealed class DjangoScalarLookup(DatabaseProvider provider, string name, DjangoValue value)
{
    static readonly HashSet<string> Lookups = new(StringComparer.Ordinal)
    {
        "exact", "iexact", "contains", "icontains", "in", "gt", "gte", "lt", "lte", "startswith", "istartswith",
        "endswith", "iendswith", "range", "isnull", "regex", "iregex",
    };

    static readonly HashSet<string> TextOnly = new(StringComparer.Ordinal)
    {
        "iexact", "contains", "icontains", "startswith", "istartswith", "endswith", "iendswith", "regex", "iregex",
    };

    static readonly HashSet<string> Ordered = new(StringComparer.Ordinal) { "gt", "gte", "lt", "lte", "range" };

    const string TimeField = "TimeField";

    public static bool IsLookupName(string part) => Lookups.Contains(part);

    public static string FieldKindOf(Type type) => type switch
    {
        _ when type == typeof(string) => "CharField",
        _ when type == typeof(int) => "IntegerField",
        _ when type == typeof(long) => "BigIntegerField",
        _ when type == typeof(double) => "FloatField",
        _ when type == typeof(bool) => "BooleanField",
        _ when type == typeof(DateOnly) => "DateField",
        _ when type == typeof(DateTime) => "DateTimeField",
        _ when type == typeof(Guid) => "UUIDField",
        _ => type.Name,
    };

    public Expression Build(Expression member, string kind, string[] operations)
    {
        var current = Lift(member);
        for (var i = 0; i < operations.Length; i++)
        {
            var op = operations[i];
            if (i == operations.Length - 1 && Lookups.Contains(op)) return Lookup(current, kind, op);
            var transformed = Transform(current, op);
            if (transformed is null || kind == TimeField) throw Unsupported(op, kind);
            current = Lift(transformed);
            kind = op == "time" ? TimeField : FieldKindOf(CoreType(current));
        }
        return Lookup(current, kind, "exact");
    }

    static DjangoQueryException Unsupported(string op, string kind) =>
        new($"Unsupported lookup '{op}' for {kind} or join on the field not permitted.");

    /// <summary>Date and time parts, as Django's Extract/Trunc transforms (week_day 1=Sunday, iso_week_day 1=Monday).</summary>
    static Expression? Transform(Expression current, string op)
    {
        var type = CoreType(current);
        var core = Core(current);
        if (type != typeof(DateTime) && type != typeof(DateOnly)) return null;
        if (op is "week" or "iso_year")
            throw new DjangoQueryException($"The '{op}' transform is not supported by this server (it cannot be computed the same way on every database).");
        var isDate = true;
        var hasTime = type == typeof(DateTime);
        Expression DayOfWeek() => Expression.Convert(Expression.Property(core, "DayOfWeek"), typeof(int));
        return op switch
        {
            "date" when type == typeof(DateTime) =>
                Expression.Call(typeof(DateOnly).GetMethod(nameof(DateOnly.FromDateTime), [typeof(DateTime)])!, core),
            // The time of day as whole seconds (TimeOnly.FromDateTime has no SQLite translation); values are converted alike.
            "time" when type == typeof(DateTime) => Expression.Add(Expression.Add(
                Expression.Multiply(Expression.Property(core, "Hour"), Expression.Constant(3600)),
                Expression.Multiply(Expression.Property(core, "Minute"), Expression.Constant(60))), Expression.Property(core, "Second")),
            "year" or "month" or "day" when isDate => Expression.Property(core, char.ToUpperInvariant(op[0]) + op[1..]),
            "hour" or "minute" or "second" when hasTime => Expression.Property(core, char.ToUpperInvariant(op[0]) + op[1..]),
            "week_day" when isDate => Expression.Add(DayOfWeek(), Expression.Constant(1)),
            "iso_week_day" when isDate => Expression.Add(
                Expression.Modulo(Expression.Add(DayOfWeek(), Expression.Constant(6)), Expression.Constant(7)), Expression.Constant(1)),
            "quarter" when isDate => Expression.Divide(
                Expression.Add(Expression.Property(core, "Month"), Expression.Constant(2)), Expression.Constant(3)),
            _ => null,
        };
    }

    Expression Lookup(Expression current, string kind, string lookup)
    {
        var type = CoreType(current);
        if (TextOnly.Contains(lookup) && type != typeof(string)) throw Unsupported(lookup, kind);
        if (Ordered.Contains(lookup) && (type == typeof(bool) || type == typeof(Guid))) throw Unsupported(lookup, kind);
        var core = Core(current);
        switch (lookup)
        {
            case "isnull":
                {
                    if (value is not DjangoValue.Bool b) throw new DjangoQueryException("The QuerySet value for an isnull lookup must be True or False.");
                    var isNull = Expression.Equal(current, Expression.Constant(null, current.Type));
                    return b.Value ? isNull : Expression.Not(isNull);
                }
            case "exact" or "iexact" when value is DjangoValue.Null:
                return Expression.Equal(current, Expression.Constant(null, current.Type));
            case "exact":
                return Guard(current, Expression.Equal(core, Param(Convert(value, type, kind), type)));
            case "in":
                {
                    if (value is not DjangoValue.Seq seq) throw new DjangoQueryException($"The value of '{name}' must be a list or a tuple.");
                    var items = seq.Items.Where(i => i is not DjangoValue.Null).Select(i => Convert(i, type, kind)).ToList();
                    if (items.Count == 0) return Expression.Constant(false);
                    var list = typeof(List<>).MakeGenericType(type);
                    var typed = (System.Collections.IList)Activator.CreateInstance(list)!;
                    foreach (var item in items) typed.Add(item);
                    return Guard(current, Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [type], Expr.Param(typed, list), core));
                }
            case "range":
                {
                    if (value is not DjangoValue.Seq { Items: [var low, var high] })
                        throw new DjangoQueryException($"The value of '{name}' must be a list or a tuple of two values.");
                    return Guard(current, Expression.AndAlso(
                        Compare(core, ExpressionType.GreaterThanOrEqual, Param(Convert(low, type, kind), type)),
                        Compare(core, ExpressionType.LessThanOrEqual, Param(Convert(high, type, kind), type))));
                }
            case "gt": return Guard(current, Compare(core, ExpressionType.GreaterThan, Param(Convert(value, type, kind), type)));
            case "gte": return Guard(current, Compare(core, ExpressionType.GreaterThanOrEqual, Param(Convert(value, type, kind), type)));
            case "lt": return Guard(current, Compare(core, ExpressionType.LessThan, Param(Convert(value, type, kind), type)));
            case "lte": return Guard(current, Compare(core, ExpressionType.LessThanOrEqual, Param(Convert(value, type, kind), type)));
            default:
                return Guard(current, DjangoText.Match(provider, core, lookup, (string)Convert(value, typeof(string), kind)));
        }
    }

    /// <summary>Comparison with the condition false (not unknown) when the column is NULL, so exclusion keeps NULL rows.</summary>
    static Expression Guard(Expression current, Expression predicate) =>
        current.Type.IsValueType && Nullable.GetUnderlyingType(current.Type) is null
            ? predicate
            : Expression.AndAlso(Expression.NotEqual(current, Expression.Constant(null, current.Type)), predicate);

    static Expression Compare(Expression core, ExpressionType op, Expression param)
    {
        if (core.Type != typeof(string)) return Expression.MakeBinary(op, core, param);
        // Strings: string.Compare(a, b) > 0, which EF translates to a > b.
        var compare = Expression.Call(typeof(string).GetMethod(nameof(string.Compare), [typeof(string), typeof(string)])!, core, param);
        return Expression.MakeBinary(op, compare, Expression.Constant(0));
    }

    static Expression Param(object value, Type type) => Expr.Param(value, type);

    static Type CoreType(Expression e) => Nullable.GetUnderlyingType(e.Type) ?? e.Type;

    static Expression Core(Expression e) => Nullable.GetUnderlyingType(e.Type) is null ? e : Expression.Property(e, "Value");

    static Expression Lift(Expression e) =>
        e.Type.IsValueType && Nullable.GetUnderlyingType(e.Type) is null ? Expression.Convert(e, typeof(Nullable<>).MakeGenericType(e.Type)) : e;

    /// <summary>Converts a value to the column type as Django's get_prep_value does; a mismatch is a 400.</summary>
    object Convert(DjangoValue v, Type type, string kind)
    {
        if (kind == TimeField)
        {
            if (v is DjangoValue.Str s && TimeOnly.TryParseExact(s.Value.Trim(), ["H:mm", "H:mm:ss", "H:mm:ss.FFFFFF"], CultureInfo.InvariantCulture,
                    DateTimeStyles.None, out var t))
                return (int)(t.Ticks / TimeSpan.TicksPerSecond);
            throw new DjangoQueryException($"“{DjangoValues.Text(v)}” value has an invalid format. It must be in HH:MM[:ss[.uuuuuu]] format.");
        }
        if (v is DjangoValue.Null) throw new DjangoQueryException($"None is not a valid value for '{name}' with this lookup.");
        if (v is DjangoValue.Seq) throw new DjangoQueryException($"A list or tuple is not a valid value for '{name}' with this lookup.");
        if (type == typeof(string)) return DjangoValues.Text(v);
        if (type == typeof(int) || type == typeof(long))
        {
            var n = v switch
            {
                DjangoValue.Int i => i.Value,
                DjangoValue.Number d => new BigInteger(Math.Truncate(d.Value)),
                DjangoValue.Float d => new BigInteger(Math.Truncate(d.Value)),
                DjangoValue.Bool b => b.Value ? BigInteger.One : BigInteger.Zero,
                DjangoValue.Str s when BigInteger.TryParse(s.Value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) => p,
                _ => throw new DjangoQueryException($"Field '{name}' expected a number but got {DjangoValues.Repr(v)}."),
            };
            if (type == typeof(int) && (n < int.MinValue || n > int.MaxValue) || n < long.MinValue || n > long.MaxValue)
                throw new DjangoQueryException($"Field '{name}': {n} is out of range.");
            return type == typeof(int) ? (object)(int)n : (long)n;
        }
        if (type == typeof(double))
        {
            return v switch
            {
                DjangoValue.Int i => (double)i.Value,
                DjangoValue.Number d => d.Value,
                DjangoValue.Float d => d.Value,
                DjangoValue.Bool b => b.Value ? 1.0 : 0.0,
                DjangoValue.Str s when FilterValues.TryNumber(s.Value, out var d) => d,
                _ => throw new DjangoQueryException($"Field '{name}' expected a number but got {DjangoValues.Repr(v)}."),
            };
        }
        if (type == typeof(bool))
        {
            return v switch
            {
                DjangoValue.Bool b => b.Value,
                DjangoValue.Number { Value: 1 } or DjangoValue.Int { Value.IsOne: true } or DjangoValue.Float { Value: 1 } => true,
                DjangoValue.Number { Value: 0 } or DjangoValue.Int { Value.IsZero: true } or DjangoValue.Float { Value: 0 } => false,
                DjangoValue.Str { Value: "t" or "True" or "1" } => true,
                DjangoValue.Str { Value: "f" or "False" or "0" } => false,
                _ => throw new DjangoQueryException($"“{DjangoValues.Text(v)}” value must be either True or False."),
            };
        }
        if (type == typeof(Guid))
        {
            if (v is DjangoValue.Str s && Guid.TryParse(s.Value.Trim(), out var g)) return g;
            throw new DjangoQueryException($"“{DjangoValues.Text(v)}” is not a valid UUID.");
        }
        if (type == typeof(DateOnly))
        {
            if (v is DjangoValue.Str s)
            {
                if (AlyxFormats.TryParseDate(s.Value, out var d)) return d;
                if (AlyxFormats.TryParseDateTime(s.Value, out var dt)) return DateOnly.FromDateTime(dt);
            }
            throw new DjangoQueryException($"“{DjangoValues.Text(v)}” value has an invalid date format. It must be in YYYY-MM-DD format.");
        }
        if (type == typeof(DateTime))
        {
            if (v is DjangoValue.Str s && AlyxFormats.TryParseDateTime(s.Value, out var dt)) return dt;
            throw new DjangoQueryException(
                $"“{DjangoValues.Text(v)}” value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format.");
        }
        throw new DjangoQueryException($"Field '{name}' cannot be filtered with django=.");
    }
}

/// <summary>Text lookups shared by columns and JSON keys: LIKE-free, so <c>%</c> and <c>_</c> in values are literal.</summary>
static class DjangoText
{
    static readonly MethodInfo ToUpper = typeof(string).GetMethod(nameof(string.ToUpper), Type.EmptyTypes)!;
    static readonly MethodInfo Contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
    static readonly MethodInfo Substring1 = typeof(string).GetMethod(nameof(string.Substring), [typeof(int)])!;
    static readonly MethodInfo Substring2 = typeof(string).GetMethod(nameof(string.Substring), [typeof(int), typeof(int)])!;
    static readonly MethodInfo IsMatch = typeof(Regex).GetMethod(nameof(Regex.IsMatch), [typeof(string), typeof(string)])!;
    static readonly MethodInfo IsMatchWithOptions =
        typeof(Regex).GetMethod(nameof(Regex.IsMatch), [typeof(string), typeof(string), typeof(RegexOptions)])!;

    public static Expression Match(DatabaseProvider provider, Expression text, string lookup, string value)
    {
        var insensitive = lookup is "iexact" or "icontains" or "istartswith" or "iendswith";
        if (insensitive)
        {
            text = Expression.Call(text, ToUpper);
            value = Upper(provider, value);
        }
        if (lookup is "regex" or "iregex")
        {
            // PostgreSQL regular expressions and .NET's (SQLite's REGEXP) agree on the common syntax. EF's SQLite REGEXP
            // takes no options, so case-insensitivity is an inline (?i) there; Npgsql prefixes its own (?p), so it gets the option.
            if (lookup == "iregex" && provider == DatabaseProvider.Sqlite) value = "(?i)" + value;
            try
            {
                _ = new Regex(value, RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                throw new DjangoQueryException($"Invalid regular expression: {e.Message}");
            }
        }
        var param = Expr.Param(value, typeof(string));
        return lookup switch
        {
            "exact" or "iexact" => Expression.Equal(text, param),
            "contains" or "icontains" => Expression.Call(text, Contains, param),
            // Not string.StartsWith/EndsWith: EF turns them into LIKE, which SQLite compares case-insensitively.
            "startswith" or "istartswith" => Expression.Equal(
                Expression.Call(text, Substring2, Expression.Constant(0), Expr.Param(value.Length, typeof(int))), param),
            "endswith" or "iendswith" => Expression.AndAlso(
                Expression.GreaterThanOrEqual(Expression.Property(text, "Length"), Expr.Param(value.Length, typeof(int))),
                Expression.Equal(Expression.Call(text, Substring1,
                    Expression.Subtract(Expression.Property(text, "Length"), Expr.Param(value.Length, typeof(int)))), param)),
            "iregex" when provider == DatabaseProvider.Postgres =>
                Expression.Call(IsMatchWithOptions, text, param, Expression.Constant(RegexOptions.IgnoreCase)),
            "regex" or "iregex" => Expression.Call(IsMatch, text, param),
            _ => throw new DjangoQueryException($"Unsupported lookup '{lookup}'."),
        };
    }

    /// <summary>The parameter side of an upper-cased comparison, as the database's upper() would do it (SQLite: ASCII only).</summary>
    static string Upper(DatabaseProvider provider, string value) => provider == DatabaseProvider.Sqlite
        ? string.Create(value.Length, value, (span, v) =>
        {
            for (var i = 0; i < v.Length; i++) span[i] = char.IsAsciiLetterLower(v[i]) ? (char)(v[i] - 32) : v[i];
        })
        : value.ToUpperInvariant();
}

/// <summary>Textual forms of values, as Python's str() and repr() give them.</summary>
static class DjangoValues
{
    /// <summary>
    /// The text compared with a text column. Bare numbers are the floats Alyx's parser makes of them, written as Python does
    /// (<c>5</c> compares as <c>'5.0'</c>), as the original compares them.
    /// </summary>
    public static string Text(DjangoValue v) => v switch
    {
        DjangoValue.Str s => s.Value,
        DjangoValue.Number n => PythonFloat.Repr(n.Value),
        DjangoValue.Int i => i.Value.ToString(CultureInfo.InvariantCulture),
        DjangoValue.Float f => PythonFloat.Repr(f.Value),
        DjangoValue.Bool b => b.Value ? "True" : "False",
        DjangoValue.Null => "None",
        _ => throw new DjangoQueryException("A list or tuple is not a valid value here."),
    };

    public static string Repr(DjangoValue v) => v switch
    {
        DjangoValue.Str s => "'" + s.Value + "'",
        DjangoValue.Number n => PythonFloat.Repr(n.Value),
        _ => Text(v),
    };
}
