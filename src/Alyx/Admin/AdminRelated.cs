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
    public static async Task<List<CascadeGroup>> CascadeAsync(AdminModels models, AlyxDb db, IEntityType type, Guid id, CancellationToken ct)
    {
        var groups = new List<CascadeGroup>();
        await WalkAsync(models, db, type, null, id, groups, 0, ct);
        return groups;
    }

    static async Task WalkAsync(AdminModels models, AlyxDb db, IEntityType type, IQueryable<Guid>? parentIds, Guid root, List<CascadeGroup> groups, int depth,
        CancellationToken ct)
    {
        if (depth >= MaxDepth) return;
        foreach (var fk in type.GetReferencingForeignKeys())
        {
            if (fk.DeleteBehavior is not (DeleteBehavior.Cascade or DeleteBehavior.ClientCascade)) continue;
            var dependent = fk.DeclaringEntityType;
            if (dependent.HasSharedClrType || !typeof(IEntity).IsAssignableFrom(dependent.ClrType) || fk.Properties.Count != 1) continue;
            var children = ChildrenMethod.MakeGenericMethod(dependent.ClrType).Invoke(null, [db, fk.Properties[0].Name, parentIds, root])!;
            var query = (IQueryable<Guid>)children;
            var count = await query.CountAsync(ct);
            if (count == 0) continue;
            var model = models.For(db.Model, dependent.ClrType);
            var names = new List<string>();
            if (model is not null)
                foreach (var child in await query.OrderBy(x => x).Take(NamesShown).ToListAsync(ct))
                    names.Add(await AdminQueries.DisplayAsync(model, db, child, ct) ?? child.ToString());
            groups.Add(new CascadeGroup(model?.Plural ?? AdminModels.Capitalise(dependent.ClrType.Name), count, names));
            await WalkAsync(models, db, dependent, query, root, groups, depth + 1, ct);
        }
    }

    static IQueryable<Guid> Children<TChild>(AlyxDb db, string foreignKey, IQueryable<Guid>? parents, Guid root) where TChild : class, IEntity
    {
        var p = Expression.Parameter(typeof(TChild), "e");
        var key = Expression.Convert(Expression.Property(p, foreignKey), typeof(Guid?));
        Expression test;
        if (parents is null) test = Expression.Equal(key, Filtering.Expr.Param((Guid?)root, typeof(Guid?)));
        else
        {
            var nullable = parents.Select(x => (Guid?)x);
            test = Expression.Call(typeof(Queryable), nameof(Queryable.Contains), [typeof(Guid?)], nullable.Expression, key);
        }
        return db.Set<TChild>().AsNoTracking().Where(Expression.Lambda<Func<TChild, bool>>(test, p)).Select(e => e.Id);
    }
}
