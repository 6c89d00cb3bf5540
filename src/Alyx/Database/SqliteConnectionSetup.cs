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
/// rather than failed at once and retried by Microsoft.Data.Sqlite after a blocking sleep of 150 ms per attempt.
/// </summary>
public sealed class SqliteConnectionSetup(int busyTimeoutSeconds) : DbConnectionInterceptor
{
    /// <summary>The set-up of contexts outside a host (command line), with SQLite's usual 30 s of waiting for a lock.</summary>
    public static readonly SqliteConnectionSetup Default = new(30);

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
        command.CommandText = $"PRAGMA busy_timeout = {busyTimeoutSeconds * 1000L}; PRAGMA synchronous = NORMAL";
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
