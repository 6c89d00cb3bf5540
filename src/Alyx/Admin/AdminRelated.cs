using System.Linq.Expressions;
using System.Reflection;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Alyx.Admin;

/// <summary>An inline table on a change page: its rows (id, cells), how many there are in all, and where they link.</summary>
public sealed record InlineTable(AdminInline Inline, AdminModel? Model, IReadOnlyList<(Guid Id, string[] Cells)> Rows, int Count);

/// <summary>What deleting an object removes with it (Django's delete confirmation): per model, the count and the first names.</summary>
public sealed record CascadeGroup(string Plural, int Count, IReadOnlyList<string> Names);

/// <summary>Related rows of an object: the inlines of its change page and the cascade of its delete page, in SQL.</summary>
public static class AdminRelated
{
    const int NamesShown = 10;
    const int MaxDepth = 4;

    static readonly MethodInfo InlineMethod = typeof(AdminRelated).GetMethod(nameof(InlineOfAsync), BindingFlags.NonPublic | BindingFlags.Static)!;
    static readonly MethodInfo ChildrenMethod = typeof(AdminRelated).GetMethod(nameof(Children), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static async Task<InlineTable> InlineAsync(AdminInline inline, AdminModels models, AlyxDb db, Guid parent, CancellationToken ct)
    {
        var task = (Task<(List<(Guid, string[])>, int)>)InlineMethod.MakeGenericMethod(inline.Entity).Invoke(null, [inline, db, parent, ct])!;
        var (rows, count) = await task;
        return new InlineTable(inline, models.For(db.Model, inline.Entity), rows, count);
    }

    static async Task<(List<(Guid, string[])>, int)> InlineOfAsync<TChild>(AdminInline inline, AlyxDb db, Guid parent, CancellationToken ct)
        where TChild : class, IEntity
    {
        var p = Expression.Parameter(typeof(TChild), "e");
        var key = Paths.Access(p, inline.ForeignKey);
        var match = Expression.Lambda<Func<TChild, bool>>(
            Expression.Equal(Expression.Convert(key, typeof(Guid?)), Filtering.Expr.Param((Guid?)parent, typeof(Guid?))), p);
        var query = db.Set<TChild>().AsNoTracking().Where(match);
        var count = await query.CountAsync(ct);
        if (inline.OrderBy is { } order)
        {
            var path = Paths.Lambda<TChild>(order.TrimStart('-'));
            query = order[0] == '-' ? query.OrderByDescending(path).ThenBy(e => e.Id) : query.OrderBy(path).ThenBy(e => e.Id);
        }
        var cells = new List<Expression> { Expression.Convert(Expression.Property(p, nameof(IEntity.Id)), typeof(object)) };
        cells.AddRange(inline.Columns.Select(c => (Expression)Expression.Convert(Paths.Access(p, c.Path), typeof(object))));
        var projection = Expression.Lambda<Func<TChild, object?[]>>(Expression.NewArrayInit(typeof(object), cells), p);
        var rows = await query.Take(inline.Limit).Select(projection).ToListAsync(ct);
        return (rows.Select(r => ((Guid)r[0]!, r.Skip(1).Select(AdminQueries.Format).ToArray())).ToList(), count);
    }

    /// <summary>The rows a delete of <paramref name="id"/> removes with it, following the database's cascading foreign keys.</summary>
    public static async Task<List<CascadeGroup>> CascadeAsync(AdminModels models, AlyxDb db, IEntityType type, object id, CancellationToken ct)
    {
        var groups = new List<CascadeGroup>();
        await WalkAsync(models, db, type, null, id, groups, 0, ct);
        return groups;
    }

    /// <summary>
    /// One level of the cascade: for each cascading foreign key to <paramref name="type"/>, the dependent rows whose key is the
    /// root's (<paramref name="parentIds"/> null) or one of <paramref name="parentIds"/> (the previous level's keys, a query);
    /// keys are UUIDs or integers, whichever the models have.
    /// </summary>
    static async Task WalkAsync(AdminModels models, AlyxDb db, IEntityType type, IQueryable? parentIds, object root, List<CascadeGroup> groups, int depth,
        CancellationToken ct)
    {
        if (depth >= MaxDepth) return;
        foreach (var fk in type.GetReferencingForeignKeys())
        {
            if (fk.DeleteBehavior is not (DeleteBehavior.Cascade or DeleteBehavior.ClientCascade)) continue;
            var dependent = fk.DeclaringEntityType;
            if (dependent.HasSharedClrType && depth == 0)
            {
                await JoinRowsAsync(models, db, dependent, fk, root, groups, ct);
                continue;
            }
            if (dependent.HasSharedClrType || !typeof(IEntity).IsAssignableFrom(dependent.ClrType) || fk.Properties.Count != 1) continue;
            if (dependent.FindPrimaryKey()?.Properties is not [{ ClrType: var childKey }] || childKey != typeof(Guid) && childKey != typeof(int)) continue;
            var parentKey = Nullable.GetUnderlyingType(fk.Properties[0].ClrType) ?? fk.Properties[0].ClrType;
            if (parentKey != typeof(Guid) && parentKey != typeof(int)) continue;
            var step = ChildrenMethod.MakeGenericMethod(dependent.ClrType, parentKey, childKey)
                .Invoke(null, [models, db, fk.Properties[0].Name, dependent.FindPrimaryKey()!.Properties[0].Name, parentIds, root, ct])!;
            var (count, names, query) = await (Task<(int, List<string>, IQueryable)>)step;
            if (count == 0) continue;
            var model = models.For(db.Model, dependent.ClrType);
            groups.Add(new CascadeGroup(model?.Plural ?? AdminModels.Capitalise(dependent.ClrType.Name), count, names));
            await WalkAsync(models, db, dependent, query, root, groups, depth + 1, ct);
        }
    }

    static readonly MethodInfo JoinMethod = typeof(AdminRelated).GetMethod(nameof(JoinRows), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>
    /// The rows of a many-to-many join table that a delete of the object removes (Django lists them as "labmember-group
    /// relationships", named after the table's two key columns), named by the objects at their other end.
    /// </summary>
    static async Task JoinRowsAsync(AdminModels models, AlyxDb db, IEntityType join, IForeignKey fk, object root, List<CascadeGroup> groups, CancellationToken ct)
    {
        if (join.FindPrimaryKey()?.Properties is not [var from, var to] || fk.Properties is not [var own]) return;
        if (join.GetForeignKeys().FirstOrDefault(f => f != fk) is not { Properties: [var other] } otherFk) return;
        var ownKey = Nullable.GetUnderlyingType(own.ClrType) ?? own.ClrType;
        if (ownKey != root.GetType()) return;
        var otherKey = Nullable.GetUnderlyingType(other.ClrType) ?? other.ClrType;
        if (otherKey != typeof(Guid) && otherKey != typeof(int)) return;
        var task = (Task<(int, List<object>)>)JoinMethod.MakeGenericMethod(ownKey, otherKey).Invoke(null, [db, join.Name, own.Name, other.Name, root, ct])!;
        var (count, keys) = await task;
        if (count == 0) return;
        var target = models.For(db.Model, otherFk.PrincipalEntityType.ClrType);
        var names = new List<string>();
        foreach (var key in keys)
            names.Add((target is null ? null : await AdminQueries.DisplayAsync(target, db, key, ct)) ?? AdminModel.KeyText(key));
        var label = $"{Column(from.Name)}-{Column(to.Name)} relationships";
        groups.Add(new CascadeGroup(AdminModels.Capitalise(label), count, names));
    }

    static string Column(string name) => name.EndsWith("_id", StringComparison.Ordinal) ? name[..^3] : name;

    static async Task<(int, List<object>)> JoinRows<TOwnKey, TOtherKey>(AlyxDb db, string table, string own, string other, object root, CancellationToken ct)
        where TOwnKey : struct where TOtherKey : struct
    {
        var p = Expression.Parameter(typeof(Dictionary<string, object>), "e");
        var column = Expression.Call(typeof(EF), nameof(EF.Property), [typeof(TOwnKey)], p, Expression.Constant(own));
        var match = Expression.Lambda<Func<Dictionary<string, object>, bool>>(Expression.Equal(column, Filtering.Expr.Param((TOwnKey)root, typeof(TOwnKey))), p);
        var rows = db.Set<Dictionary<string, object>>(table).AsNoTracking().Where(match);
        var count = await rows.CountAsync(ct);
        var keys = count == 0 ? [] : await rows.Select(e => EF.Property<TOtherKey>(e, other)).OrderBy(k => k).Take(NamesShown).ToListAsync(ct);
        return (count, keys.Select(k => (object)k).ToList());
    }

    static async Task<(int, List<string>, IQueryable)> Children<TChild, TParentKey, TChildKey>(AdminModels models, AlyxDb db, string foreignKey,
        string primaryKey, IQueryable? parents, object root, CancellationToken ct)
        where TChild : class, IEntity where TParentKey : struct where TChildKey : struct
    {
        var p = Expression.Parameter(typeof(TChild), "e");
        var key = Expression.Convert(Expression.Property(p, foreignKey), typeof(TParentKey?));
        Expression test;
        if (parents is null) test = Expression.Equal(key, Filtering.Expr.Param((TParentKey?)(TParentKey)root, typeof(TParentKey?)));
        else
        {
            var nullable = ((IQueryable<TParentKey>)parents).Select(x => (TParentKey?)x);
            test = Expression.Call(typeof(Queryable), nameof(Queryable.Contains), [typeof(TParentKey?)], nullable.Expression, key);
        }
        var query = db.Set<TChild>().AsNoTracking().Where(Expression.Lambda<Func<TChild, bool>>(test, p))
            .Select(e => EF.Property<TChildKey>(e, primaryKey));
        var count = await query.CountAsync(ct);
        var names = new List<string>();
        if (count > 0 && models.For(db.Model, typeof(TChild)) is { } model)
            foreach (var child in await query.OrderBy(x => x).Take(NamesShown).ToListAsync(ct))
                names.Add(await AdminQueries.DisplayAsync(model, db, child, ct) ?? AdminModel.KeyText(child));
        return (count, names, query);
    }
}
