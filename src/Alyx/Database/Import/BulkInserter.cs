using System.Data.Common;
using Microsoft.EntityFrameworkCore;
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

/// <summary>
/// Connection settings for one large load, restored when disposed. SQLite: no fsync (<c>synchronous = OFF</c>: the load
/// is one transaction that an application crash still rolls back; only a power cut mid-load could damage the file) and a
/// page cache of up to 512 MiB, since random UUID keys touch index pages all over the file. Nothing on PostgreSQL.
/// </summary>
internal sealed class BulkLoadSettings : IAsyncDisposable
{
    const int CacheKiB = 512 * 1024;

    readonly DbConnection? connection;
    readonly long synchronous, cacheSize;

    BulkLoadSettings(DbConnection? connection, long synchronous, long cacheSize) =>
        (this.connection, this.synchronous, this.cacheSize) = (connection, synchronous, cacheSize);

    /// <summary>Applies the settings on <paramref name="db"/>'s open connection, outside any transaction.</summary>
    public static async Task<BulkLoadSettings> ApplyAsync(AlyxDb db, CancellationToken ct)
    {
        if (db.Provider != DatabaseProvider.Sqlite) return new(null, 0, 0);
        var connection = db.Database.GetDbConnection();
        var settings = new BulkLoadSettings(connection, await ScalarAsync(connection, "PRAGMA synchronous", ct), await ScalarAsync(connection, "PRAGMA cache_size", ct));
        await ScalarAsync(connection, $"PRAGMA synchronous = OFF; PRAGMA cache_size = -{CacheKiB}", ct);
        return settings;
    }

    static async Task<long> ScalarAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct) ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is null) return;
        await ScalarAsync(connection, $"PRAGMA synchronous = {synchronous}; PRAGMA cache_size = {cacheSize}", CancellationToken.None);
    }
}
