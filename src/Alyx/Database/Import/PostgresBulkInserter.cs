using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Alyx.Database.Import;

/// <summary>
/// PostgreSQL: <c>COPY table (columns) FROM STDIN (FORMAT BINARY)</c>. Each column is written with the PostgreSQL type
/// its EF Core type mapping gives a parameter (jsonb, timestamp without time zone, uuid, ...), so the server stores
/// what an <c>INSERT</c> through EF Core would. COPY runs in the connection's current transaction.
/// </summary>
internal sealed class PostgresBulkInserter(NpgsqlConnection connection, ISqlGenerationHelper sql) : BulkInserter
{
    readonly Dictionary<DumpColumn, (NpgsqlDbType Type, string? Name)> types = [];

    public override async Task InsertAsync(string table, DumpColumn[] columns, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return;
        var pgTypes = columns.Select(TypeOf).ToArray();
        var copy = $"COPY {sql.DelimitIdentifier(table)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)))}) FROM STDIN (FORMAT BINARY)";
        await using var importer = await connection.BeginBinaryImportAsync(copy, ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            for (var i = 0; i < columns.Length; i++)
            {
                var value = ToProvider(columns[i], row[i]);
                if (value is null) await importer.WriteNullAsync(ct);
                else if (pgTypes[i].Type != NpgsqlDbType.Unknown) await importer.WriteAsync(value, pgTypes[i].Type, ct);
                else if (pgTypes[i].Name is { } name) await importer.WriteAsync(value, name, ct);
                else await importer.WriteAsync(value, ct);
            }
        }
        await importer.CompleteAsync(ct);
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The PostgreSQL type the column's type mapping gives a parameter (by enum, else by name).</summary>
    (NpgsqlDbType Type, string? Name) TypeOf(DumpColumn column)
    {
        if (types.TryGetValue(column, out var known)) return known;
        using var command = new NpgsqlCommand();
        var parameter = (NpgsqlParameter)column.Mapping.CreateParameter(command, "p", null, nullable: true);
        var type = (parameter.NpgsqlDbType, parameter.DataTypeName);
        types[column] = type;
        return type;
    }
}
