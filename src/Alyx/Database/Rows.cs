using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Alyx.Database;

/// <summary>Row existence by primary key in an entity set known only at run time (filters, generic references such as notes).</summary>
public static class Rows
{
    static readonly MethodInfo Method = typeof(Rows).GetMethod(nameof(ExistingGenericAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static IEntityType? ByLabel(AlyxDb db, string appLabel, string model) =>
        db.Model.GetEntityTypes().FirstOrDefault(e => e.ModelLabelOf() == $"{appLabel}.{model}");

    public static async Task<bool> ExistsAsync(AlyxDb db, IEntityType entity, Guid id, CancellationToken ct) =>
        (await ExistingAsync(db, entity.ClrType, [id], ct)).Contains(id);

    /// <summary>Which of <paramref name="ids"/> are primary keys of <paramref name="entity"/> rows, in one query.</summary>
    public static Task<HashSet<Guid>> ExistingAsync(AlyxDb db, Type entity, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        (Task<HashSet<Guid>>)Method.MakeGenericMethod(entity).Invoke(null, [db, ids.Distinct().ToList(), ct])!;

    static async Task<HashSet<Guid>> ExistingGenericAsync<T>(AlyxDb db, List<Guid> ids, CancellationToken ct) where T : class =>
        [.. await db.Set<T>().Where(x => ids.Contains(EF.Property<Guid>(x, "Id"))).Select(x => EF.Property<Guid>(x, "Id")).ToListAsync(ct)];
}
