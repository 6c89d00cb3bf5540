using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Alyx.Database;

/// <summary>
/// How every SQLite connection of the server and the command line is set up, once per native connection (pooled
/// connections keep it): the file in write-ahead-log mode, so that readers never wait for a writer nor a writer for
/// readers; <c>synchronous = NORMAL</c>, which in WAL mode syncs at checkpoints instead of at every commit (a killed
/// process loses nothing committed; a power cut can lose the last commits, never the file's consistency); and a busy
/// timeout, so that a lock held by another connection is waited for inside SQLite (in steps of a few milliseconds)
/// rather than failed at once and retried by Microsoft.Data.Sqlite after a blocking sleep of 150 ms per attempt. The server's
/// connections also get a page cache of <paramref name="cacheKiB"/> (0: SQLite's default of 2 MiB): each pooled connection
/// keeps its own, and with the default a page of 100 subjects of a 2.6 GB file (scale 10) re-read about 1.5 ms of pages per
/// request from the operating system (system time; none once the cache held the pages the page's statements walk).
/// </summary>
public sealed class SqliteConnectionSetup(int busyTimeoutSeconds, int cacheKiB = 0) : DbConnectionInterceptor
{
    /// <summary>The set-up of contexts outside a host (command line), with SQLite's usual 30 s of waiting for a lock.</summary>
    public static readonly SqliteConnectionSetup Default = new(30);

    /// <summary>The page cache of each of the server's connections: 8 MiB, filled only as pages are read.</summary>
    public const int ServerCacheKiB = 8 * 1024;

    readonly ConditionalWeakTable<object, object> configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Configure(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Configure(connection);
        return Task.CompletedTask;
    }

    /// <summary>Sets up <paramref name="connection"/> (an open SQLite connection) unless its native connection already was.</summary>
    public void Configure(DbConnection connection)
    {
        if (connection is not SqliteConnection sqlite || sqlite.Handle is not { } handle || configured.TryGetValue(handle, out _)) return;
        using var command = sqlite.CreateCommand();
        // Each pragma answers with a row (busy_timeout its value): the journal mode is asked on its own, or the scalar read
        // would be the timeout and a file left in rollback-journal mode (a bulk load's, a backup's copy) would stay so.
        command.CommandText = $"PRAGMA busy_timeout = {busyTimeoutSeconds * 1000L}; PRAGMA synchronous = NORMAL"
            + (cacheKiB > 0 ? $"; PRAGMA cache_size = -{cacheKiB}" : "");
        command.ExecuteNonQuery();
        command.CommandText = "PRAGMA journal_mode";
        // An in-memory database keeps its journal in memory ("memory"); a file switches to WAL once, and stays so.
        if (command.ExecuteScalar() is "delete" or "truncate" or "persist")
        {
            command.CommandText = "PRAGMA journal_mode = WAL";
            try
            {
                // SQLite answers the mode it is in: the old one when it could not switch (another connection in a transaction).
                if (command.ExecuteScalar() is not "wal") return;
            }
            catch (SqliteException)
            {
                // A read-only file, or another process holding it open in a transaction all along: the next connection tries again.
                return;
            }
        }
        configured.AddOrUpdate(handle, this);
    }
}
