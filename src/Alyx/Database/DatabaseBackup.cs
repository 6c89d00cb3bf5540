using System.Data;
using Alyx.Database.Import;
using Alyx.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Alyx.Database;

/// <summary>
/// Online backup and restore. On SQLite, a backup is a SQLite file made with SQLite's online backup API: one read transaction,
/// so the copy is the database as of one commit while the server goes on writing. On PostgreSQL, a backup is a Django dumpdata
/// file (<see cref="DumpExporter"/>) whose tables are all read in one REPEATABLE READ, READ ONLY transaction, i.e. from one
/// snapshot. A restore loads either kind into the configured database and replaces its rows.
/// </summary>
public static class DatabaseBackup
{
    static readonly byte[] SqliteHeader = "SQLite format 3\0"u8.ToArray();

    /// <summary>Writes the backup to <paramref name="file"/> (through a temporary file beside it, renamed when complete).</summary>
    public static async Task<string> BackupAsync(AlyxDb db, AlyxClock clock, string file, CancellationToken ct)
    {
        var full = Path.GetFullPath(file);
        var partial = Path.Combine(Path.GetDirectoryName(full)!, $".{Guid.NewGuid():N}.partial.{Path.GetFileName(full)}");
        try
        {
            string kind;
            if (db.Provider == DatabaseProvider.Sqlite)
            {
                await BackupSqliteAsync(db, partial, ct);
                kind = "SQLite database";
            }
            else
            {
                await BackupPostgresAsync(db, clock, partial, ct);
                kind = "dumpdata file read in one snapshot";
            }
            File.Move(partial, full, overwrite: true);
            return kind;
        }
        finally
        {
            if (File.Exists(partial)) File.Delete(partial);
        }
    }

    static async Task BackupSqliteAsync(AlyxDb db, string target, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var source = (SqliteConnection)db.Database.GetDbConnection();
            await using var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ToString());
            await destination.OpenAsync(ct);
            // One backup step copies every page under one read transaction: a consistent copy, and writers go on meanwhile
            // in WAL mode (in rollback-journal mode they wait for the copy, as for any reader).
            // A writer holding the lock (rollback-journal mode) makes the step report busy: wait and try again, as a reader would.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    source.BackupDatabase(destination);
                    break;
                }
                catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6 && attempt < 600)
                {
                    await Task.Delay(50, ct);
                }
            }
            // The copy is one self-contained file, whatever the journal mode of the source.
            await using var command = destination.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = DELETE";
            await command.ExecuteScalarAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    static async Task BackupPostgresAsync(AlyxDb db, AlyxClock clock, string target, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
            await using (var command = db.Database.GetDbConnection().CreateCommand())
            {
                command.Transaction = tx.GetDbTransaction();
                command.CommandText = "SET TRANSACTION READ ONLY";
                await command.ExecuteNonQueryAsync(ct);
            }
            // Every query of the export runs in this transaction, so every table is read from its first query's snapshot.
            await DumpExporter.ExportAsync(db, clock, target, null, ct);
            await tx.RollbackAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Whether the database holds anything beyond what migrating an empty database creates (content types, the default lab, the unknown dataset type and data format).</summary>
    public static async Task<bool> HoldsDataAsync(AlyxDb db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var connection = db.Database.GetDbConnection();
            var existing = new HashSet<string>(StringComparer.Ordinal);
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = db.Provider == DatabaseProvider.Sqlite
                    ? "SELECT name FROM sqlite_master WHERE type = 'table'"
                    : "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()";
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) existing.Add(reader.GetString(0));
            }
            var contentTypes = db.Model.FindEntityType(typeof(Misc.ContentType))!.GetTableName();
            var labs = db.Model.FindEntityType(typeof(Misc.Lab))!.GetTableName();
            var datasetTypes = db.Model.FindEntityType(typeof(Data.DatasetType))!.GetTableName();
            var dataFormats = db.Model.FindEntityType(typeof(Data.DataFormat))!.GetTableName();
            // Lab records only: the server's own bookkeeping (e.g. the schedule's last runs) is not data to protect.
            foreach (var table in db.Model.GetEntityTypes().Where(e => e.ModelLabelOf() is not null || e.IsPropertyBag)
                .Select(e => e.GetTableName()).OfType<string>().Distinct())
            {
                if (table == contentTypes || !existing.Contains(table)) continue;
                if (table == datasetTypes || table == dataFormats)
                {
                    var named = table == datasetTypes
                        ? await db.DatasetTypes.AnyAsync(t => t.Name != DatabaseSetup.UnknownName, ct)
                        : await db.DataFormats.AnyAsync(f => f.Name != DatabaseSetup.UnknownName, ct);
                    if (named) return true;
                    continue;
                }
                if (table == labs)
                {
                    if (await db.Labs.AnyAsync(l => l.Id != DatabaseSetup.DefaultLabId || l.Name != DatabaseSetup.DefaultLabName, ct)) return true;
                    continue;
                }
                await using var command = connection.CreateCommand();
                command.CommandText = $"SELECT 1 FROM \"{table}\" LIMIT 1";
                if (await command.ExecuteScalarAsync(ct) is not null) return true;
            }
            return false;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Loads a backup into <paramref name="db"/>, replacing its contents: a SQLite backup into a SQLite database page by page
    /// (then migrated to this version's schema); a dumpdata backup, or a SQLite backup into PostgreSQL, through the importer
    /// in one transaction that first empties the tables. Returns the number of records loaded from a dump (null for a page copy).
    /// </summary>
    public static async Task<int?> RestoreAsync(AlyxDb db, AlyxClock clock, string file, TextWriter? progress, CancellationToken ct)
    {
        if (!File.Exists(file)) throw new BackupException($"{file}: no such file.");
        if (!await IsSqliteFileAsync(file, ct))
            return await RestoreDumpAsync(db, clock, file, progress, ct);
        await using (var backup = OpenReadOnly(file))
        {
            await backup.OpenAsync(ct);
            await using var command = backup.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'misc_lab'";
            if (Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 0)
                throw new BackupException($"{file}: a SQLite database, but not an Alyx one (it has no misc_lab table).");
            if (db.Provider == DatabaseProvider.Sqlite)
            {
                await db.Database.OpenConnectionAsync(ct);
                try
                {
                    backup.BackupDatabase((SqliteConnection)db.Database.GetDbConnection());
                }
                finally
                {
                    await db.Database.CloseConnectionAsync();
                }
                await DatabaseSetup.MigrateAsync(db, clock, ct);
                return null;
            }
        }
        // A SQLite backup into PostgreSQL: bring a copy to this version's schema, export it, import the dump.
        var copy = Path.Combine(Path.GetTempPath(), $"alyx-restore-{Guid.NewGuid():N}.db");
        var dump = Path.ChangeExtension(copy, ".json");
        try
        {
            File.Copy(file, copy);
            await using (var source = DatabaseUrl.Parse("sqlite:///" + copy).Open())
            {
                await DatabaseSetup.MigrateAsync(source, clock, ct);
                await DumpExporter.ExportAsync(source, clock, dump, null, ct);
            }
            SqliteConnection.ClearAllPools();
            return await RestoreDumpAsync(db, clock, dump, progress, ct);
        }
        finally
        {
            File.Delete(copy);
            File.Delete(dump);
        }
    }

    static async Task<int> RestoreDumpAsync(AlyxDb db, AlyxClock clock, string file, TextWriter? progress, CancellationToken ct)
    {
        var importer = new DumpImporter(db, clock, progress);
        var contents = await importer.ReadAsync([file], ct);
        await DatabaseSetup.MigrateAsync(db, clock, ct);
        var report = await importer.WriteAsync(contents, replace: true, ct);
        return report.Records;
    }

    static SqliteConnection OpenReadOnly(string file) =>
        new(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());

    static async Task<bool> IsSqliteFileAsync(string file, CancellationToken ct)
    {
        var head = new byte[SqliteHeader.Length];
        await using var stream = File.OpenRead(file);
        var n = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        return n == head.Length && head.AsSpan().SequenceEqual(SqliteHeader);
    }
}

/// <summary>A backup cannot be made or restored; nothing was changed.</summary>
public sealed class BackupException(string message) : Exception(message);
