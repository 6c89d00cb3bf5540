using System.Data.Common;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Alyx.Database.Import;

/// <summary>
/// Appends new rows to a table as fast as the provider takes them, on the context's connection and inside its
/// transaction: binary <c>COPY</c> on PostgreSQL, one prepared single-row <c>INSERT</c> run once per row on SQLite (the
/// fastest form for Microsoft.Data.Sqlite, which binds parameters by a name lookup per parameter). Values are the CLR
/// values of <see cref="DumpRow.Values"/>, in column order; each property's EF Core value converter is applied, so the
/// stored form is the one <see cref="DumpWriter"/> and EF Core write. No upsert: the rows must be new.
/// </summary>
internal abstract class BulkInserter : IAsyncDisposable
{
    /// <summary>The inserter for <paramref name="db"/>'s provider, on the connection of <paramref name="transaction"/>.</summary>
    public static BulkInserter For(AlyxDb db, DbTransaction transaction) => db.Provider == DatabaseProvider.Postgres
        ? new PostgresBulkInserter((NpgsqlConnection)transaction.Connection!, db.GetService<ISqlGenerationHelper>())
        : new SqliteBulkInserter(transaction, db.GetService<ISqlGenerationHelper>());

    /// <summary>Writes <paramref name="rows"/> (one value per column of <paramref name="columns"/>) into <paramref name="table"/>.</summary>
    public abstract Task InsertAsync(string table, DumpColumn[] columns, IReadOnlyList<object?[]> rows, CancellationToken ct);

    public abstract ValueTask DisposeAsync();

    /// <summary>The value as the provider stores it (a UUID as lowercase text on SQLite); null for NULL.</summary>
    protected static object? ToProvider(DumpColumn column, object? value) =>
        value is null ? null : column.Mapping.Converter is { } converter ? converter.ConvertToProvider(value) : value;
}

/// <summary>SQLite: one prepared <c>INSERT</c> per table, its parameters created once by the type mappings and re-bound per row.</summary>
internal sealed class SqliteBulkInserter(DbTransaction transaction, ISqlGenerationHelper sql) : BulkInserter
{
    readonly Dictionary<string, (DbCommand Command, DbParameter[] Parameters)> statements = new(StringComparer.Ordinal);

    public override async Task InsertAsync(string table, DumpColumn[] columns, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        var (command, parameters) = Statement(table, columns);
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            for (var i = 0; i < parameters.Length; i++) parameters[i].Value = ToProvider(columns[i], row[i]) ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    (DbCommand, DbParameter[]) Statement(string table, DumpColumn[] columns)
    {
        var key = table + "(" + string.Join(",", columns.Select(c => c.Name)) + ")";
        if (statements.TryGetValue(key, out var known)) return known;
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandTimeout = 600;
        command.CommandText = $"INSERT INTO {sql.DelimitIdentifier(table)} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Name)))}) " +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => $"@p{i}"))})";
        var parameters = columns.Select((c, i) => c.Mapping.CreateParameter(command, $"@p{i}", null, nullable: true)).ToArray();
        command.Parameters.AddRange(parameters);
        command.Prepare();
        statements[key] = (command, parameters);
        return (command, parameters);
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var (command, _) in statements.Values) await command.DisposeAsync();
        statements.Clear();
    }
}
