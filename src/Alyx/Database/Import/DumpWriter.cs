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
    /// <summary>
    /// Bound parameters per statement. Microsoft.Data.Sqlite binds each parameter by looking its name up among the
    /// statement's (a linear scan), so big SQLite statements cost quadratic time: 16,000 parameters made SQLite 4x
    /// slower than 100-200 (measured on 100k records). PostgreSQL allows 65535 and gains from fewer round trips.
    /// </summary>
    readonly int maxParameters = db.Provider == DatabaseProvider.Sqlite ? 200 : 16_000;

    const int MaxRows = 1000;

    /// <summary>Keys per <c>IN (...)</c> list.</summary>
    const int InList = 500;

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

    /// <summary>
    /// Before the rows are written: the database's own row holding the <see cref="DumpModel.CreatedOnMigrate"/> value under
    /// another key than the dump's row with that value is renamed out of the way; its key is returned for <see cref="ReplaceSentinelAsync"/>.
    /// </summary>
    public async Task<object?> MoveSentinelAsync(ModelMapper mapper, IReadOnlyCollection<DumpRow> rows, CancellationToken ct)
    {
        if (mapper.Model.Sentinel is not var (field, value)) return null;
        var c = mapper.ColumnOf(field);
        if (c < 0) return null;
        var row = rows.FirstOrDefault(r => Equals(r.Values[c], value));
        if (row is null) return null;
        Current = mapper.Label;
        var key = mapper.Columns[0];
        var column = mapper.Columns[c];
        object? old;
        await using (var find = Command($"SELECT {Q(key.Name)} FROM {Q(mapper.Table)} WHERE {Q(column.Name)} = @p0 AND {Q(key.Name)} <> @p1"))
        {
            Bind(find, column, value);
            Bind(find, key, row.Pk);
            old = await find.ExecuteScalarAsync(ct);
        }
        if (old is null or DBNull) return null;
        var stale = key.Property.ClrType == typeof(Guid) && old is not Guid ? Guid.Parse(old.ToString()!) : old;
        await using var rename = Command($"UPDATE {Q(mapper.Table)} SET {Q(column.Name)} = @p0 WHERE {Q(key.Name)} = @p1");
        Bind(rename, column, $"{value} (replaced by {row.Pk})");
        Bind(rename, key, stale);
        await rename.ExecuteNonQueryAsync(ct);
        return stale;
    }

    /// <summary>After the rows are written: what referred to the moved row refers to the dump's row, and the moved row goes.</summary>
    public async Task ReplaceSentinelAsync(ModelMapper mapper, IReadOnlyCollection<DumpRow> rows, object stale, CancellationToken ct)
    {
        var (field, value) = mapper.Model.Sentinel!.Value;
        var row = rows.First(r => Equals(r.Values[mapper.ColumnOf(field)], value));
        var key = mapper.Columns[0];
        foreach (var fk in mapper.Entity.GetReferencingForeignKeys().Where(f => f.Properties.Count == 1))
        {
            var table = fk.DeclaringEntityType.GetTableName();
            if (table is null) continue;
            var property = fk.Properties[0];
            var column = new DumpColumn(property, property.GetColumnName(StoreObjectIdentifier.Table(table, fk.DeclaringEntityType.GetSchema()))!);
            await using var repoint = Command($"UPDATE {Q(table)} SET {Q(column.Name)} = @p0 WHERE {Q(column.Name)} = @p1");
            Bind(repoint, column, row.Pk);
            Bind(repoint, column, stale);
            await repoint.ExecuteNonQueryAsync(ct);
        }
        await using var delete = Command($"DELETE FROM {Q(mapper.Table)} WHERE {Q(key.Name)} = @p0");
        Bind(delete, key, stale);
        await delete.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Insert-or-replace every row by primary key; <paramref name="deferred"/> columns are written as NULL for now.</summary>
    public async Task UpsertAsync(ModelMapper mapper, IReadOnlyCollection<DumpRow> rows, int[] deferred, CancellationToken ct)
    {
        Current = mapper.Label;
        var columns = mapper.Columns;
        var head = $"INSERT INTO {Q(mapper.Table)} ({string.Join(", ", columns.Select(c => Q(c.Name)))}) VALUES ";
        var tail = columns.Length == 1 ? $" ON CONFLICT ({Q(columns[0].Name)}) DO NOTHING"
            : $" ON CONFLICT ({Q(columns[0].Name)}) DO UPDATE SET "
              + string.Join(", ", columns.Skip(1).Select(c => $"{Q(c.Name)} = excluded.{Q(c.Name)}"));
        await InsertAsync(head, tail, columns.Length, rows, (cmd, row) =>
        {
            for (var i = 0; i < columns.Length; i++) Bind(cmd, columns[i], deferred.Contains(i) ? null : row.Values[i]);
        }, done => progress?.Wrote(mapper.Label, done, rows.Count), ct);
    }

    /// <summary>
    /// <c>head (row), (row), ... tail</c> over <paramref name="items"/>, as many rows per statement as the parameter budget
    /// allows; full batches reuse one command (and its prepared statement on SQLite).
    /// </summary>
    async Task InsertAsync<T>(string head, string tail, int width, IReadOnlyCollection<T> items, Action<DbCommand, T> bind,
        Action<int>? wrote, CancellationToken ct)
    {
        var perStatement = Math.Clamp(maxParameters / width, 1, MaxRows);
        DbCommand? cmd = null;
        var done = 0;
        try
        {
            foreach (var chunk in items.Chunk(perStatement))
            {
                if (cmd is null || cmd.Parameters.Count != chunk.Length * width)
                {
                    if (cmd is not null) await cmd.DisposeAsync();
                    var text = new StringBuilder(head);
                    for (var r = 0; r < chunk.Length; r++)
                    {
                        text.Append(r == 0 ? "(" : ", (");
                        for (var i = 0; i < width; i++) text.Append(i == 0 ? "@p" : ", @p").Append(r * width + i);
                        text.Append(')');
                    }
                    cmd = Command(text.Append(tail).ToString());
                }
                cmd.Parameters.Clear();
                foreach (var item in chunk) bind(cmd, item);
                await cmd.ExecuteNonQueryAsync(ct);
                done += chunk.Length;
                wrote?.Invoke(done);
            }
        }
        finally
        {
            if (cmd is not null) await cmd.DisposeAsync();
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
        foreach (var batch in present.Chunk(InList))
        {
            await using var cmd = Command("");
            foreach (var row in batch) Bind(cmd, link.Own, row.Pk);
            cmd.CommandText = $"DELETE FROM {Q(link.Table)} WHERE {Q(link.Own.Name)} IN ("
                + string.Join(", ", Enumerable.Range(0, batch.Length).Select(i => $"@p{i}")) + ")";
            await cmd.ExecuteNonQueryAsync(ct);
        }
        var pairs = present.SelectMany(r => r.Links[l]!.Select(target => (r.Pk, target))).ToList();
        await InsertAsync($"INSERT INTO {Q(link.Table)} ({Q(link.Own.Name)}, {Q(link.Other.Name)}) VALUES ", " ON CONFLICT DO NOTHING", 2,
            pairs, (cmd, pair) =>
            {
                Bind(cmd, link.Own, pair.Pk);
                Bind(cmd, link.Other, pair.target);
            }, null, ct);
    }

    /// <summary>Which of <paramref name="keys"/> are primary keys of rows of <paramref name="entity"/> in the database.</summary>
    public async Task<HashSet<object>> ExistingKeysAsync(IEntityType entity, List<object> keys, CancellationToken ct)
    {
        var table = entity.GetTableName()!;
        var pk = entity.FindPrimaryKey()!.Properties.Single();
        var column = new DumpColumn(pk, pk.GetColumnName(StoreObjectIdentifier.Table(table, entity.GetSchema()))!);
        var found = new HashSet<object>();
        foreach (var batch in keys.Chunk(InList))
        {
            await using var cmd = Command("");
            foreach (var key in batch) Bind(cmd, column, key);
            cmd.CommandText = $"SELECT {Q(column.Name)} FROM {Q(table)} WHERE {Q(column.Name)} IN ("
                + string.Join(", ", Enumerable.Range(0, batch.Length).Select(i => $"@p{i}")) + ")";
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var raw = reader.GetValue(0);
                var value = column.Mapping.Converter?.ConvertFromProvider(raw) ?? raw;
                // Integer keys come back as the provider's integer type (SQLite: long); compare as the key's CLR type.
                var type = Nullable.GetUnderlyingType(pk.ClrType) ?? pk.ClrType;
                if (value.GetType() != type && value is IConvertible) value = Convert.ChangeType(value, type, System.Globalization.CultureInfo.InvariantCulture);
                found.Add(value);
            }
        }
        return found;
    }
}
