using System.Linq.Expressions;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Alyx.Filtering;

/// <summary>The exact-match filters django-filter generates from a model's fields (conventions §14.1).</summary>
static class ModelFilters
{
    public static IEnumerable<IFilter<T>> For<T>(IModel model) where T : class
    {
        var entity = model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        foreach (var property in entity.GetProperties())
        {
            if (property.IsSecret() || property.IsJsonColumn() || property.PropertyInfo is null) continue;
            var fk = property.GetContainingForeignKeys().FirstOrDefault();
            if (fk is not null && !property.IsPrimaryKey())
            {
                if (fk.DependentToPrincipal is null || fk.PrincipalEntityType.IsSecret()) continue;
                yield return new ForeignKeyFilter<T>(fk.DependentToPrincipal.DjangoNameOf(), property.Name, fk.PrincipalEntityType.ClrType);
                continue;
            }
            var name = property.IsPrimaryKey() ? "id" : property.DjangoNameOf();
            var type = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
            yield return new ColumnFilter<T>(name, property.Name, type);
        }
        var table = entity.GetTableName();
        foreach (var skip in entity.GetSkipNavigations())
        {
            var name = skip.DjangoNameOf();
            if (skip.JoinEntityType.GetTableName() != $"{table}_{name}" || skip.TargetEntityType.IsSecret()) continue;
            yield return new ManyToManyFilter<T>(name, skip.Name, skip.TargetEntityType.ClrType);
        }
    }
}

/// <summary>Equality on a column, with the value parsed and validated as django-filter does for its type.</summary>
sealed class ColumnFilter<T>(string name, string clrProperty, Type type) : IFilter<T>
{
    public FilterDoc Doc { get; } = type switch
    {
        _ when type == typeof(bool) => new FilterDoc(name, "boolean"),
        _ when type == typeof(int) || type == typeof(long) => new FilterDoc(name, "integer"),
        _ when type == typeof(double) => new FilterDoc(name, "number"),
        _ when type == typeof(DateOnly) => new FilterDoc(name, "string", "date"),
        _ when type == typeof(DateTime) => new FilterDoc(name, "string", "date-time"),
        _ when type == typeof(Guid) => new FilterDoc(name, "string", "uuid"),
        _ => new FilterDoc(name, "string"),
    };

    public ValueTask<IQueryable<T>> ApplyAsync(FilterContext context, IQueryable<T> query, IReadOnlyList<string> values, ErrorMap errors)
    {
        var raw = values[^1].Trim();
        object? value = null;
        if (type == typeof(bool))
        {
            var b = FilterValues.GeneratedBool(raw);
            if (b is null) return ValueTask.FromResult(query);
            value = b.Value;
        }
        else if (type == typeof(int) || type == typeof(long) || type == typeof(double))
        {
            if (!FilterValues.TryNumber(raw, out var d))
            {
                errors.Add(name, "Enter a number.");
                return ValueTask.FromResult(query);
            }
            if (type == typeof(double)) value = d;
            else if (d != Math.Floor(d) || d > int.MaxValue || d < int.MinValue) return ValueTask.FromResult(query.Where(_ => false));
            else value = type == typeof(int) ? (int)d : (long)d;
        }
        else if (type == typeof(DateOnly))
        {
            if (!AlyxFormats.TryParseDate(raw, out var date))
            {
                errors.Add(name, "Enter a valid date.");
                return ValueTask.FromResult(query);
            }
            value = date;
        }
        else if (type == typeof(DateTime))
        {
            if (!AlyxFormats.TryParseDateTime(raw, out var dt))
            {
                errors.Add(name, "Enter a valid date/time.");
                return ValueTask.FromResult(query);
            }
            value = dt;
        }
        else if (type == typeof(Guid))
        {
            if (!Guid.TryParse(raw, out var g))
            {
                errors.Add(name, "Enter a valid UUID.");
                return ValueTask.FromResult(query);
            }
            value = g;
        }
        else value = raw;

        var member = Expr.Member<T>(clrProperty);
        if (member.ReturnType != value.GetType())
            member = Expression.Lambda(Expression.Convert(member.Body, value.GetType()), member.Parameters);
        return ValueTask.FromResult(query.Where(Expr.Equal<T>(member, value)));
    }
}

/// <summary>
/// A generated foreign-key filter: takes the target's UUID; a malformed one is a 400 in the words of Django's UUIDField (its
/// ValidationError escapes ModelChoiceField's lookup), an unknown one the choice field's own 400.
/// </summary>
sealed class ForeignKeyFilter<T>(string name, string clrProperty, Type target) : IFilter<T>
{
    public FilterDoc Doc { get; } = new(name, "string", "uuid");

    public async ValueTask<IQueryable<T>> ApplyAsync(FilterContext context, IQueryable<T> query, IReadOnlyList<string> values, ErrorMap errors)
    {
        if (!Guid.TryParse(values[^1].Trim(), out var id))
        {
            errors.Add(name, FilterValues.InvalidUuid(values[^1]));
            return query;
        }
        if (!(await Rows.ExistingAsync(context.Db, target, [id], context.CancellationToken)).Contains(id))
        {
            errors.Add(name, "Select a valid choice. That choice is not one of the available choices.");
            return query;
        }
        var member = Expr.Member<T>(clrProperty);
        return query.Where(Expr.Equal<T>(member, member.ReturnType == typeof(Guid) ? id : (Guid?)id));
    }
}

/// <summary>
/// A many-to-many filter: rows related to any of the given target UUIDs (a malformed one: Django's UUIDField message, as
/// for <see cref="ForeignKeyFilter{T}"/>). Generated for plain many-to-many fields (<c>e.nav.Any(t => ids.Contains(t.Id))</c>);
/// the public constructor builds one over a through model with extra columns.
/// </summary>
public sealed class ManyToManyFilter<T> : IFilter<T>
{
    readonly string name;
    readonly Type target;
    readonly Func<List<Guid>, Expression<Func<T, bool>>> match;

    ManyToManyFilter(string name, Type target, Func<List<Guid>, Expression<Func<T, bool>>> match)
    {
        this.name = name;
        this.target = target;
        this.match = match;
    }

    internal ManyToManyFilter(string name, string clrNavigation, Type target)
        : this(name, target, ids => Navigation(clrNavigation, target, ids))
    {
    }

    /// <summary>E.g. <c>new("genotype", (ids, s) => s.Zygosities.Any(z => ids.Contains(z.AlleleId)), typeof(Allele))</c>.</summary>
    public ManyToManyFilter(string name, Expression<Func<List<Guid>, T, bool>> predicate, Type target)
        : this(name, target, ids => Bind(predicate, ids))
    {
    }

    public FilterDoc Doc => new(name, "string", "uuid", Many: true);

    public async ValueTask<IQueryable<T>> ApplyAsync(FilterContext context, IQueryable<T> query, IReadOnlyList<string> values, ErrorMap errors)
    {
        var ids = new List<Guid>();
        foreach (var v in values)
        {
            if (!Guid.TryParse(v.Trim(), out var id))
            {
                errors.Add(name, FilterValues.InvalidUuid(v));
                return query;
            }
            ids.Add(id);
        }
        var existing = await Rows.ExistingAsync(context.Db, target, ids, context.CancellationToken);
        var missing = ids.Where(id => !existing.Contains(id)).Select(id => (Guid?)id).FirstOrDefault();
        if (missing is not null)
        {
            errors.Add(name, $"Select a valid choice. {missing} is not one of the available choices.");
            return query;
        }
        // A Where on an Any never repeats a row, so no Distinct (Django's .distinct() keeps the order; EF's drops it).
        return query.Where(match(ids));
    }

    static Expression<Func<T, bool>> Navigation(string clrNavigation, Type target, List<Guid> ids)
    {
        var e = Expression.Parameter(typeof(T), "e");
        var t = Expression.Parameter(target, "t");
        var contains = Expression.Call(typeof(Enumerable), nameof(Enumerable.Contains), [typeof(Guid)],
            Expr.Param(ids, typeof(List<Guid>)), Expression.Property(t, "Id"));
        var any = Expression.Call(typeof(Enumerable), nameof(Enumerable.Any), [target],
            Expression.Property(e, clrNavigation), Expression.Lambda(contains, t));
        return Expression.Lambda<Func<T, bool>>(any, e);
    }

    static Expression<Func<T, bool>> Bind(Expression<Func<List<Guid>, T, bool>> predicate, List<Guid> ids)
    {
        var body = new Replace(predicate.Parameters[0], Expr.Param(ids, typeof(List<Guid>))).Visit(predicate.Body);
        return Expression.Lambda<Func<T, bool>>(body, predicate.Parameters[1]);
    }

    sealed class Replace(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}

/// <summary>django-filter's ChoiceFilter for a field with choices: an unknown code is a 400 naming it.</summary>
public sealed class ChoiceFilter<T>(string name, string type, string[] choices, Func<string, Expression<Func<T, bool>>> match) : IFilter<T>
{
    public FilterDoc Doc { get; } = new(name, type, Enum: choices);

    public ValueTask<IQueryable<T>> ApplyAsync(FilterContext context, IQueryable<T> query, IReadOnlyList<string> values, ErrorMap errors)
    {
        var v = values[^1].Trim();
        if (!choices.Contains(v))
        {
            errors.Add(name, $"Select a valid choice. {v} is not one of the available choices.");
            return ValueTask.FromResult(query);
        }
        return ValueTask.FromResult(query.Where(match(v)));
    }
}

/// <summary>A declared text filter with a Django lookup (<c>exact</c>, <c>icontains</c>, ...) on a column or a path through to-one relations.</summary>
public sealed class TextFilter<T>(string name, Expression<Func<T, string?>> member, string lookup = "exact") : IFilter<T>
{
    public FilterDoc Doc { get; } = new(name, "string");

    public ValueTask<IQueryable<T>> ApplyAsync(FilterContext context, IQueryable<T> query, IReadOnlyList<string> values, ErrorMap errors)
    {
        var text = member.Body;
        var match = DjangoText.Match(context.Db.Provider, text, lookup, values[^1]);
        var body = Expression.AndAlso(Expression.NotEqual(text, Expression.Constant(null, typeof(string))), match);
        return ValueTask.FromResult(query.Where(Expression.Lambda<Func<T, bool>>(body, member.Parameters)));
    }
}
