using System.Data.Common;

namespace Alyx.Database.Import;

/// <summary>
/// Secondary indexes (and, on PostgreSQL, foreign keys) of tables about to receive many rows, dropped inside the load's
/// transaction and added again from their own definitions before it commits, as <c>pg_restore</c> does: one sorted build
/// per index instead of an insert per row (random UUIDs scatter those over the whole index), and one join per foreign
/// key instead of a trigger query per row. Every rule is still checked, when it comes back (a unique index when it is
/// built, a foreign key when it is added); primary keys stay. Nothing changes if the load fails: DDL is transactional
/// on both providers. SQLite keeps its foreign keys (checked per row, they cost little there).
/// </summary>
internal sealed class DeferredSchema
{
    readonly DbTransaction transaction;
    List<string> restore = [];

    DeferredSchema(DbTransaction transaction) => this.transaction = transaction;

    /// <summary>Drops the secondary indexes and foreign keys of <paramref name="tables"/>, keeping their definitions.</summary>
    public static async Task<DeferredSchema> DropAsync(AlyxDb db, DbTransaction transaction, IEnumerable<string> tables, CancellationToken ct)
    {
        var deferred = new DeferredSchema(transaction);
        var drop = new List<string>();
        foreach (var table in tables.Distinct(StringComparer.Ordinal))
        {
            if (db.Provider == DatabaseProvider.Sqlite)
            {
                await foreach (var (name, sql) in deferred.QueryAsync(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name = @t ORDER BY name", table, ct))
                {
                    drop.Add($"DROP INDEX {Quote(name)}");
                    deferred.restore.Add(sql);
                }
                continue;
            }
            await foreach (var (name, sql) in deferred.QueryAsync(
                "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid " +
                "WHERE i.indrelid = @t::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY c.relname", table, ct))
            {
                drop.Add($"DROP INDEX {Quote(name)}");
                deferred.restore.Add(sql);
            }
            await foreach (var (name, definition) in deferred.QueryAsync(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' AND conrelid = @t::regclass ORDER BY conname", table, ct))
            {
                drop.Add($"ALTER TABLE {Quote(table)} DROP CONSTRAINT {Quote(name)}");
                // Indexes first (restore keeps this order), so each foreign key's check can use them.
                deferred.restore.Add($"ALTER TABLE {Quote(table)} ADD CONSTRAINT {Quote(name)} {definition}");
            }
        }
        deferred.restore = [.. deferred.restore.OrderBy(s => s.StartsWith("ALTER", StringComparison.Ordinal))];
        foreach (var statement in drop) await deferred.ExecuteAsync(statement, ct);
        return deferred;
    }

    /// <summary>Adds back everything dropped: indexes, then foreign keys.</summary>
    public async Task RestoreAsync(CancellationToken ct)
    {
        foreach (var statement in restore) await ExecuteAsync(statement, ct);
        restore.Clear();
    }

    static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    DbCommand Command(string text)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandTimeout = 0;
        command.CommandText = text;
        return command;
    }

    async IAsyncEnumerable<(string, string)> QueryAsync(string sql, string table, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = Command(sql);
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@t";
        parameter.Value = table;
        command.Parameters.Add(parameter);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) yield return (reader.GetString(0), reader.GetString(1));
    }

    async Task ExecuteAsync(string text, CancellationToken ct)
    {
        await using var command = Command(text);
        await command.ExecuteNonQueryAsync(ct);
    }
}
