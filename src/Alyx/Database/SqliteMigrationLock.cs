using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Database;

/// <summary>
/// EF's migrator marks a SQLite migration in progress with a row of <c>__EFMigrationsLock</c> and, while such a row exists,
/// waits without end: a process killed while it migrated (an import's or a server's start) left its row behind, and every later
/// start of the server or of a command on that file waited forever. Our processes migrate a SQLite file only while they hold
/// an exclusive lock on <c>FILE.migrate-lock</c> beside it, which the operating system releases when a process ends however it
/// ends: a row found while holding it was left by a process that is gone, and is removed before migrating. A second process
/// migrating the same file waits for the lock instead (up to <see cref="Wait"/>).
/// </summary>
public static class SqliteMigrationLock
{
    /// <summary>EF's lock table on SQLite (Microsoft.EntityFrameworkCore.Sqlite's SqliteHistoryRepository).</summary>
    public const string LockTable = "__EFMigrationsLock";

    /// <summary>How long a process waits for another's migration of the same file before it gives up.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Takes the lock of the SQLite file of <paramref name="db"/> and clears a stale EF lock row; null for PostgreSQL, an
    /// in-memory database, or a folder where the lock file cannot be made (then EF's own lock is all there is).
    /// </summary>
    public static async Task<IAsyncDisposable?> TakeAsync(AlyxDb db, CancellationToken ct)
    {
        if (db.Provider != DatabaseProvider.Sqlite) return null;
        var builder = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:") return null;
        var path = Path.GetFullPath(builder.DataSource) + ".migrate-lock";
        var until = DateTime.UtcNow + Wait;
        FileStream? held = null;
        while (held is null)
        {
            try
            {
                held = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }
            catch (IOException) when (DateTime.UtcNow < until)
            {
                // Another process is migrating this file.
                await Task.Delay(100, ct);
            }
        }
        try
        {
            await ClearStaleRowAsync(db, ct);
            return held;
        }
        catch
        {
            await held.DisposeAsync();
            throw;
        }
    }

    static async Task ClearStaleRowAsync(AlyxDb db, CancellationToken ct)
    {
        var exists = await db.Database.SqlQueryRaw<int>(
            "SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = {0}", LockTable).SingleAsync(ct);
        if (exists > 0) await db.Database.ExecuteSqlRawAsync($"DELETE FROM \"{LockTable}\"", ct);
    }
}
