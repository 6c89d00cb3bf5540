using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Alyx.Database.Import;

/// <summary>
/// Batched SQL for the importer, on the context's connection and transaction. Values are bound through each
/// property's EF Core type mapping (so UUIDs become lowercase text on SQLite, JSON becomes jsonb on PostgreSQL);
/// <c>INSERT ... ON CONFLICT (pk) DO UPDATE</c> is spelled the same by both providers.
/// </summary>
internal sealed class DumpWriter(AlyxDb db, DbTransaction transaction, ImportProgress? progress)
{
    /// <summary>Bound parameters per statement: below SQLite's 32766 and PostgreSQL's 65535.</summary>
    const int MaxParameters = 16_000;
    const int MaxRows = 1000;

    readonly ISqlGenerationHelper sql = db.GetService<ISqlGenerationHelper>();

    /// <summary>What is being written, for error messages.</summary>
    public string Current { get; private set; } = "";

    string Q(string identifier) => sql.DelimitIdentifier(identifier);

    DbCommand Command(string text)
    {
        var cmd = transaction.Connection!.CreateCommand();
        cmd.Transaction = transaction;
        cmd.CommandText = text;
        cmd.CommandTimeout = 600;
        return cmd;
    }

    static void Bind(DbCommand cmd, DumpColumn column, object? value)
    {
        var p = column.Mapping.CreateParameter(cmd, "@p" + cmd.Parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), value, nullable: true);
        cmd.Parameters.Add(p);
    }

    public async Task ExecuteAsync(string text, CancellationToken ct)
    {
        await using var cmd = Command(text);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Insert-or-replace every row by primary key; <paramref name="deferred"/> columns are written as NULL for now.</summary>
    public async Task UpsertAsync(ModelMapper mapper, IReadOnlyCollection<DumpRow> rows, int[] deferred, CancellationToken ct)
    {
        Current = mapper.Label;
        if (rows.Count == 0) return;
        var columns = mapper.Columns;
        var head = $"INSERT INTO {Q(mapper.Table)} ({string.Join(", ", columns.Select(c => Q(c.Name)))}) VALUES ";
        var tail = columns.Length == 1 ? $" ON CONFLICT ({Q(columns[0].Name)}) DO NOTHING"
            : $" ON CONFLICT ({Q(columns[0].Name)}) DO UPDATE SET "
              + string.Join(", ", columns.Skip(1).Select(c => $"{Q(c.Name)} = excluded.{Q(c.Name)}"));
        var perBatch = Math.Clamp(MaxParameters / columns.Length, 1, MaxRows);
        var done = 0;
        foreach (var batch in rows.Chunk(perBatch))
        {
            await using var cmd = Command("");
            var text = new StringBuilder(head);
            for (var r = 0; r < batch.Length; r++)
            {
                text.Append(r == 0 ? "(" : ", (");
                for (var i = 0; i < columns.Length; i++)
                {
                    if (i > 0) text.Append(", ");
                    text.Append("@p").Append(cmd.Parameters.Count);
                    Bind(cmd, columns[i], deferred.Contains(i) ? null : batch[r].Values[i]);
                }
                text.Append(')');
            }
            cmd.CommandText = text.Append(tail).ToString();
            await cmd.ExecuteNonQueryAsync(ct);
            done += batch.Length;
            progress?.Wrote(mapper.Label, done, rows.Count);
        }
    }

    /// <summary>Second pass for self- and cyclic references: set the columns written as NULL by <see cref="UpsertAsync"/>.</summary>
    public async Task UpdateDeferredAsync(ModelMapper mapper, IReadOnlyCollection<DumpRow> rows, int[] deferred, CancellationToken ct)
    {
        Current = mapper.Label + " (references)";
        var columns = mapper.Columns;
        var set = string.Join(", ", deferred.Select((c, n) => $"{Q(columns[c].Name)} = @p{n}"));
        var text = $"UPDATE {Q(mapper.Table)} SET {set} WHERE {Q(columns[0].Name)} = @p{deferred.Length}";
        foreach (var row in rows.Where(r => deferred.Any(c => r.Values[c] is not null)))
        {
            await using var cmd = Command(text);
            foreach (var c in deferred) Bind(cmd, columns[c], row.Values[c]);
            Bind(cmd, columns[0], row.Pk);
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Replaces the join rows of every record that has the many-to-many key (records without it keep theirs).</summary>
    public async Task ReplaceLinksAsync(ModelMapper mapper, int l, IReadOnlyCollection<DumpRow> rows, CancellationToken ct)
    {
        var link = mapper.Links[l];
        Current = $"{mapper.Label}.{link.Field}";
        var present = rows.Where(r => r.Links[l] is not null).ToList();
        foreach (var batch in present.Chunk(MaxRows))
        {
            await using var cmd = Command("");
            foreach (var row in batch) Bind(cmd, link.Own, row.Pk);
            cmd.CommandText = $"DELETE FROM {Q(link.Table)} WHERE {Q(link.Own.Name)} IN ("
                + string.Join(", ", Enumerable.Range(0, batch.Length).Select(i => $"@p{i}")) + ")";
            await cmd.ExecuteNonQueryAsync(ct);
        }
        var pairs = present.SelectMany(r => r.Links[l]!.Select(target => (r.Pk, target))).ToList();
        foreach (var batch in pairs.Chunk(MaxRows))
        {
            await using var cmd = Command("");
            var values = new StringBuilder();
            foreach (var (pk, target) in batch)
            {
                if (values.Length > 0) values.Append(", ");
                values.Append("(@p").Append(cmd.Parameters.Count).Append(", @p").Append(cmd.Parameters.Count + 1).Append(')');
                Bind(cmd, link.Own, pk);
                Bind(cmd, link.Other, target);
            }
            cmd.CommandText = $"INSERT INTO {Q(link.Table)} ({Q(link.Own.Name)}, {Q(link.Other.Name)}) VALUES {values} ON CONFLICT DO NOTHING";
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Which of <paramref name="keys"/> are primary keys of rows of <paramref name="entity"/> in the database.</summary>
    public async Task<HashSet<object>> ExistingKeysAsync(IEntityType entity, List<object> keys, CancellationToken ct)
    {
        var table = entity.GetTableName()!;
        var pk = entity.FindPrimaryKey()!.Properties.Single();
        var column = new DumpColumn(pk, pk.GetColumnName(StoreObjectIdentifier.Table(table, entity.GetSchema()))!);
        var found = new HashSet<object>();
        foreach (var batch in keys.Chunk(MaxRows))
        {
            await using var cmd = Command("");
            foreach (var key in batch) Bind(cmd, column, key);
            cmd.CommandText = $"SELECT {Q(column.Name)} FROM {Q(table)} WHERE {Q(column.Name)} IN ("
                + string.Join(", ", Enumerable.Range(0, batch.Length).Select(i => $"@p{i}")) + ")";
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var raw = reader.GetValue(0);
                found.Add(column.Mapping.Converter?.ConvertFromProvider(raw) ?? raw);
            }
        }
        return found;
    }
}
