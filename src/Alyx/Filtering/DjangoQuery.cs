using System.Data.Common;
using System.Linq.Expressions;
using System.Text.RegularExpressions;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Alyx.Filtering;

/// <summary>An invalid <c>django=</c> expression: reported to the client as a 400 naming the problem.</summary>
public sealed class DjangoQueryException(string message) : Exception(message);

/// <summary>
/// The generic <c>django=</c> filter (conventions §15): each condition becomes a LINQ predicate over the EF model
/// (parameterised values only), applied one at a time as a filter or, with <c>~</c>, an exclusion. Only names the model
/// declares (minus secrets) can be reached; anything else is a <see cref="DjangoQueryException"/>.
/// </summary>
public static class DjangoQuery
{
    /// <summary>Narrows <paramref name="query"/>; on PostgreSQL, regular expressions are first checked by the server.</summary>
    public static async Task<IQueryable<T>> ApplyAsync<T>(IQueryable<T> query, string value, AlyxDb db, CancellationToken ct) where T : class
    {
        var filtered = Apply(query, value, db);
        if (db.Provider == DatabaseProvider.Postgres)
        {
            foreach (var pattern in RegexPatterns.In(filtered.Expression)) await CheckPostgresRegexAsync(db, pattern, ct);
        }
        return filtered;
    }

    /// <summary>.NET already accepted the pattern (it is SQLite's REGEXP); PostgreSQL's syntax differs in places, so ask it.</summary>
    static async Task CheckPostgresRegexAsync(AlyxDb db, string pattern, CancellationToken ct)
    {
        try
        {
            await db.Database.SqlQuery<int>($"SELECT 1 AS \"Value\" WHERE '' ~ {pattern}").ToListAsync(ct);
        }
        catch (DbException e) when (e.SqlState == "2201B")
        {
            throw new DjangoQueryException($"Invalid regular expression: {pattern}");
        }
    }

    /// <summary>
    /// One condition given programmatically (declared filters): <paramref name="name"/> is a lookup path such as
    /// <c>lab__name__iexact</c>, <paramref name="value"/> the raw text, never parsed as a literal.
    /// </summary>
    public static IQueryable<T> Where<T>(IQueryable<T> query, AlyxDb db, string name, DjangoValue value) where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var e = Expression.Parameter(typeof(T), "e");
        var body = new DjangoPredicate(db.Provider, name, value).Build(e, entity);
        return query.Where(Expression.Lambda<Func<T, bool>>(body, e));
    }

    /// <summary>
    /// A JSON-column filter (<c>json=</c>, <c>extended_qc=</c>; spec 20-actions §5.5): the same as <c>django=</c> with every
    /// name prefixed by <c>{column}__</c>, all conditions applied together. A <c>~</c> has no meaning here.
    /// </summary>
    public static async Task<IQueryable<T>> ApplyJsonAsync<T>(IQueryable<T> query, string column, string value, AlyxDb db, CancellationToken ct)
        where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var e = Expression.Parameter(typeof(T), "e");
        Expression? all = null;
        foreach (var condition in DjangoSyntax.Parse(value))
        {
            var body = new DjangoPredicate(db.Provider, column + "__" + condition.Name, condition.Value).Build(e, entity);
            all = all is null ? body : Expression.AndAlso(all, body);
        }
        if (all is null) return query;
        var filtered = query.Where(Expression.Lambda<Func<T, bool>>(all, e));
        if (db.Provider == DatabaseProvider.Postgres)
        {
            foreach (var pattern in RegexPatterns.In(filtered.Expression)) await CheckPostgresRegexAsync(db, pattern, ct);
        }
        return filtered;
    }

    public static IQueryable<T> Apply<T>(IQueryable<T> query, string value, AlyxDb db) where T : class
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        foreach (var condition in DjangoSyntax.Parse(value))
        {
            var exclude = condition.Name.StartsWith('~');
            var name = exclude ? condition.Name[1..] : condition.Name;
            var e = Expression.Parameter(typeof(T), "e");
            var body = new DjangoPredicate(db.Provider, name, condition.Value).Build(e, entity);
            // Exclusion keeps rows for which the condition is not true, unknown included (predicates are null-guarded),
            // and through a multi-valued relation means "no related row satisfies it" (the predicate is an EXISTS).
            if (exclude) body = Expression.Not(body);
            // Every step is an EXISTS or a many-to-one join, so rows never multiply: no DISTINCT needed (§16).
            query = query.Where(Expression.Lambda<Func<T, bool>>(body, e));
        }
        return query;
    }
}

/// <summary>Translates one condition name (a <c>__</c> path) and its value into a predicate.</summary>
sealed class DjangoPredicate(DatabaseProvider provider, string name, DjangoValue value)
{
    /// <summary>The most relations one condition may follow (each is a join or a nested EXISTS).</summary>
    public const int MaxRelations = 5;

    readonly string[] parts = name.Split("__");

    int relations;

    /// <summary>isnull=True through a multi-valued relation also matches rows that have no related row at all.</summary>
    bool IsNullTrue => parts.Length > 1 && parts[^1] == "isnull" && value is DjangoValue.Bool { Value: true };

    public Expression Build(Expression root, IEntityType entity)
    {
        if (parts.Any(p => p.Length == 0)) throw new DjangoQueryException($"Invalid field name \"{name}\".");
        return Walk(root, entity, 0);
    }

    Expression Walk(Expression instance, IEntityType entity, int index)
    {
        var member = DjangoFields.Find(entity, parts[index])
            ?? throw new DjangoQueryException($"Cannot resolve keyword '{parts[index]}' into field. Choices are: {DjangoFields.Choices(entity)}");
        var rest = parts[(index + 1)..];
        if (member is INavigationBase && ++relations > MaxRelations)
            throw new DjangoQueryException($"\"{name}\" follows more than {MaxRelations} relations.");
        switch (member)
        {
            case IProperty property when property.IsJsonColumn():
                return new DjangoJsonLookup(provider, name, value).Build(Expression.Property(instance, property.PropertyInfo!), rest);
            case IProperty property:
                return new DjangoScalarLookup(provider, name, value)
                    .Build(Expression.Property(instance, property.PropertyInfo!), DjangoFields.FieldKind(property), rest);
            case INavigation { IsCollection: false } navigation:
                {
                    var target = navigation.TargetEntityType;
                    if (rest.Length > 0 && DjangoFields.Find(target, rest[0]) is not null)
                        return Walk(Expression.Property(instance, navigation.PropertyInfo!), target, index + 1);
                    CheckRelationLookups(target, rest);
                    // A relation compared by itself compares the target's primary key; from the dependent side that is the FK column.
                    var fk = navigation.ForeignKey;
                    var key = navigation.IsOnDependent && fk.Properties.Count == 1
                        ? Expression.Property(instance, fk.Properties[0].PropertyInfo!)
                        : Expression.Property(Expression.Property(instance, navigation.PropertyInfo!), target.FindPrimaryKey()!.Properties[0].PropertyInfo!);
                    return new DjangoScalarLookup(provider, name, value).Build(key, "ForeignKey", rest);
                }
            default:
                {
                    var navigation = (INavigationBase)member;
                    var target = navigation.TargetEntityType;
                    var t = Expression.Parameter(target.ClrType, "t" + index);
                    Expression inner;
                    if (rest.Length > 0 && DjangoFields.Find(target, rest[0]) is not null) inner = Walk(t, target, index + 1);
                    else
                    {
                        CheckRelationLookups(target, rest);
                        var key = Expression.Property(t, target.FindPrimaryKey()!.Properties[0].PropertyInfo!);
                        inner = new DjangoScalarLookup(provider, name, value).Build(key, "ManyToManyField", rest);
                    }
                    var collection = Expression.Property(instance, navigation.PropertyInfo!);
                    var any = Expression.Call(typeof(Enumerable), nameof(Enumerable.Any), [target.ClrType], collection, Expression.Lambda(inner, t));
                    if (!IsNullTrue) return any;
                    var none = Expression.Not(Expression.Call(typeof(Enumerable), nameof(Enumerable.Any), [target.ClrType], collection));
                    return Expression.OrElse(none, any);
                }
        }
    }

    /// <summary>After a relation, what follows must be lookups on its key; otherwise it is an unknown field of the target.</summary>
    static void CheckRelationLookups(IEntityType target, string[] rest)
    {
        if (rest.Length == 0) return;
        if (rest.Length == 1 && DjangoScalarLookup.IsLookupName(rest[0])) return;
        throw new DjangoQueryException($"Cannot resolve keyword '{rest[0]}' into field. Choices are: {DjangoFields.Choices(target)}");
    }
}

/// <summary>The names a Django query can use on an entity, derived from the EF model minus secrets.</summary>
static class DjangoFields
{
    static readonly Dictionary<IReadOnlyEntityType, Dictionary<string, IPropertyBase>> Cache = [];
    static readonly Lock Gate = new();

    public static IPropertyBase? Find(IEntityType entity, string name) => Names(entity).GetValueOrDefault(name);

    public static string Choices(IEntityType entity) =>
        string.Join(", ", Names(entity).Keys.Where(n => n != "pk").Order(StringComparer.Ordinal));

    static Dictionary<string, IPropertyBase> Names(IEntityType entity)
    {
        lock (Gate)
        {
            if (Cache.TryGetValue(entity, out var names)) return names;
            names = new Dictionary<string, IPropertyBase>(StringComparer.Ordinal);
            if (!entity.IsSecret())
            {
                foreach (var property in entity.GetProperties())
                {
                    if (property.IsSecret() || property.PropertyInfo is null) continue;
                    names[property.DjangoNameOf()] = property;
                }
                if (entity.FindPrimaryKey() is { Properties: [var pk] } && pk.PropertyInfo is not null) names["pk"] = pk;
                foreach (var navigation in entity.GetNavigations().Cast<INavigationBase>().Concat(entity.GetSkipNavigations()))
                {
                    if (navigation.IsSecret() || navigation.TargetEntityType.IsSecret() || navigation.PropertyInfo is null) continue;
                    if (navigation.TargetEntityType.ClrType == typeof(Dictionary<string, object>)) continue;
                    names[navigation.DjangoNameOf()] = navigation;
                }
            }
            Cache[entity] = names;
            return names;
        }
    }

    /// <summary>The Django field class a property would have, for error messages.</summary>
    public static string FieldKind(IProperty property)
    {
        var type = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
        if (property.IsForeignKey()) return "ForeignKey";
        return DjangoScalarLookup.FieldKindOf(type);
    }
}

/// <summary>Finds the patterns of <c>Regex.IsMatch</c> calls in a predicate (they are parameter boxes, never column values).</summary>
sealed class RegexPatterns : ExpressionVisitor
{
    readonly List<string> patterns = [];

    public static List<string> In(Expression expression)
    {
        var visitor = new RegexPatterns();
        visitor.Visit(expression);
        return visitor.patterns;
    }

    protected override Expression VisitMethodCall(MethodCallExpression node)
    {
        if (node.Method.DeclaringType == typeof(Regex) && node.Method.Name == nameof(Regex.IsMatch)
            && Expression.Lambda<Func<string>>(node.Arguments[1]).Compile(preferInterpretation: true)() is { } pattern)
            patterns.Add(pattern);
        return base.VisitMethodCall(node);
    }
}
