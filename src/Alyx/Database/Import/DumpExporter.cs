using System.Collections;
using System.Globalization;
using System.IO.Compression;
using System.Linq.Expressions;
using System.Text.Json;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Alyx.Database.Import;

/// <summary>
/// The way back: every model the importer knows, written as a Django <c>dumpdata</c> file (model labels, primary keys, field
/// names and encodings as Django's serializer writes them) that the original's <c>loaddata</c> and our own importer accept.
/// Models come parents first, rows by primary key, so two databases with the same contents give the same file. Rows are
/// streamed; only many-to-many links of one model are held in memory at a time.
/// </summary>
public static class DumpExporter
{
    public static async Task<Dictionary<string, long>> ExportAsync(AlyxDb db, AlyxClock clock, string file, Action<string>? progress,
        CancellationToken ct)
    {
        var importer = new DumpImporter(db, clock);
        var contentTypes = await db.ContentTypes.AsNoTracking().ToDictionaryAsync(c => c.Id, c => (c.AppLabel, c.Model), ct);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var output = File.Create(file);
        await using Stream stream = file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(output, CompressionLevel.Optimal)
            : output;
        await using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false, SkipValidation = false });
        json.WriteStartArray();
        foreach (var mapper in importer.Mappers)
        {
            // Django serialises a many-to-many field on the model declaring it, whose table names the join table
            // (<app>_<model>_<field>); the reverse side (a procedure type's sessions) is not a field of the model.
            // A many-to-many to the model itself (a task's parents) has both sides on this model: only the one naming the table is a field.
            var declared = mapper.Links.Where(l => l.Table.StartsWith(mapper.Table + "_", StringComparison.Ordinal)
                && (l.Target != mapper.Entity || l.Table == $"{mapper.Table}_{l.Field}")).ToArray();
            var links = declared.Select(l => LoadLinks(db, mapper.Entity, l)).ToArray();
            long n = 0;
            foreach (var entity in Rows(db, mapper.Entity))
            {
                ct.ThrowIfCancellationRequested();
                var pk = Read(mapper.Columns[0].Property, entity);
                json.WriteStartObject();
                json.WriteString("model", mapper.Label);
                json.WritePropertyName("pk");
                WriteValue(json, mapper.Columns[0], pk, contentTypes);
                json.WriteStartObject("fields");
                for (var i = 1; i < mapper.Columns.Length; i++)
                {
                    var column = mapper.Columns[i];
                    json.WritePropertyName(column.Field);
                    WriteValue(json, column, Read(column.Property, entity), contentTypes);
                }
                for (var l = 0; l < declared.Length; l++)
                {
                    json.WriteStartArray(declared[l].Field);
                    if (links[l].TryGetValue(pk!, out var targets))
                    {
                        foreach (var target in targets) WriteValue(json, declared[l].Other, target, contentTypes);
                    }
                    json.WriteEndArray();
                }
                json.WriteEndObject();
                json.WriteEndObject();
                if (++n % 10_000 == 0) await json.FlushAsync(ct);
            }
            counts[mapper.Label] = n;
            progress?.Invoke($"{mapper.Label,-34} {n,9}");
        }
        json.WriteEndArray();
        await json.FlushAsync(ct);
        return counts;
    }

    /// <summary>The model's rows by primary key, untracked, streamed.</summary>
    static IEnumerable Rows(AlyxDb db, IEntityType entity)
    {
        var set = (IQueryable)typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!.MakeGenericMethod(entity.ClrType).Invoke(db, null)!;
        var untracked = typeof(EntityFrameworkQueryableExtensions).GetMethod(nameof(EntityFrameworkQueryableExtensions.AsNoTracking))!
            .MakeGenericMethod(entity.ClrType).Invoke(null, [set])!;
        var key = entity.FindPrimaryKey()!.Properties[0];
        var e = Expression.Parameter(entity.ClrType, "e");
        var order = Expression.Lambda(Expression.Property(e, key.PropertyInfo!), e);
        var ordered = Expression.Call(typeof(Queryable), nameof(Queryable.OrderBy), [entity.ClrType, key.ClrType],
            ((IQueryable)untracked).Expression, Expression.Quote(order));
        return ((IQueryable)untracked).Provider.CreateQuery(ordered);
    }

    /// <summary>One many-to-many field: own key → the linked keys, sorted.</summary>
    static Dictionary<object, List<object>> LoadLinks(AlyxDb db, IEntityType entity, DumpLink link)
    {
        var join = entity.GetSkipNavigations()
            .First(s => s.JoinEntityType.GetTableName() == link.Table && s.ForeignKey.Properties.Single() == link.Own.Property).JoinEntityType;
        var rows = db.Set<Dictionary<string, object>>(join.Name).AsNoTracking().ToList();
        return rows.GroupBy(r => r[link.Own.Property.Name])
            .ToDictionary(g => g.Key, g => g.Select(r => r[link.Other.Property.Name]).OrderBy(v => v.ToString(), StringComparer.Ordinal).ToList());
    }

    static object? Read(IProperty property, object entity) =>
        property.PropertyInfo?.GetValue(entity) ?? property.FieldInfo?.GetValue(entity)
        ?? (property.PropertyInfo is null && property.FieldInfo is null
            ? throw new InvalidOperationException($"{property.DeclaringType.DisplayName()}.{property.Name} is a shadow property; it cannot be exported.")
            : null);

    /// <summary>Django's serializer encodings: UUIDs and dates as text, JSON columns inline, content types by natural key.</summary>
    static void WriteValue(Utf8JsonWriter json, DumpColumn column, object? value, Dictionary<int, (string App, string Model)> contentTypes)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                return;
            case string text when column.Property.IsJsonColumn():
                json.WriteRawValue(text);
                return;
            case int id when column.Target?.ClrType == typeof(Misc.ContentType) && contentTypes.TryGetValue(id, out var natural):
                json.WriteStartArray();
                json.WriteStringValue(natural.App);
                json.WriteStringValue(natural.Model);
                json.WriteEndArray();
                return;
            case string text:
                json.WriteStringValue(text);
                return;
            case Guid g:
                json.WriteStringValue(g.ToString("D"));
                return;
            case bool b:
                json.WriteBooleanValue(b);
                return;
            case int i:
                json.WriteNumberValue(i);
                return;
            case long l:
                json.WriteNumberValue(l);
                return;
            case short s:
                json.WriteNumberValue(s);
                return;
            case double d when double.IsFinite(d):
                json.WriteNumberValue(d);
                return;
            case float f when float.IsFinite(f):
                json.WriteNumberValue(f);
                return;
            case double d:
                // Python's json module writes NaN and Infinity bare, and Django's loaddata reads them back.
                json.WriteRawValue(double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity", skipInputValidation: true);
                return;
            case decimal m:
                json.WriteStringValue(m.ToString(CultureInfo.InvariantCulture));
                return;
            case DateTime dt:
                json.WriteStringValue(AlyxFormats.FormatDateTime(dt));
                return;
            case DateOnly date:
                json.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                return;
            case TimeOnly time:
                json.WriteStringValue(time.ToString(time.Ticks % TimeSpan.TicksPerSecond == 0 ? "HH:mm:ss" : "HH:mm:ss.ffffff", CultureInfo.InvariantCulture));
                return;
            case Enum e:
                json.WriteNumberValue(Convert.ToInt64(e, CultureInfo.InvariantCulture));
                return;
            default:
                throw new InvalidOperationException($"{column.Property.DeclaringType.DisplayName()}.{column.Property.Name}: cannot export a {value.GetType().Name}.");
        }
    }
}
