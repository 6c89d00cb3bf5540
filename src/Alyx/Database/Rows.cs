using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Alyx.Database;

/// <summary>Row existence by primary key in an entity set known only at run time (generic references such as notes).</summary>
public static class Rows
{
    static readonly MethodInfo Method = typeof(Rows).GetMethod(nameof(ExistsGenericAsync), BindingFlags.NonPublic | BindingFlags.Static)!;

    public static IEntityType? ByLabel(AlyxDb db, string appLabel, string model) =>
        db.Model.GetEntityTypes().FirstOrDefault(e => e.ModelLabelOf() == $"{appLabel}.{model}");

    public static Task<bool> ExistsAsync(AlyxDb db, IEntityType entity, Guid id, CancellationToken ct) =>
        (Task<bool>)Method.MakeGenericMethod(entity.ClrType).Invoke(null, [db, id, ct])!;

    static Task<bool> ExistsGenericAsync<T>(AlyxDb db, Guid id, CancellationToken ct) where T : class =>
        db.Set<T>().AnyAsync(x => EF.Property<Guid>(x, "Id") == id, ct);
}
