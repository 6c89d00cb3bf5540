using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Database.Import;

/// <summary>
/// Connection settings for one large load, restored when disposed. SQLite: no fsync (<c>synchronous = OFF</c>: the load
/// is one transaction that an application crash still rolls back; only a power cut mid-load could damage the file), a
/// page cache of up to 512 MiB (random UUID keys touch index pages all over the file), and a rollback journal instead of
/// the write-ahead log while it runs: pages leaving the cache are written once, in place, where the log appended every
/// new version of them and then copied them all into the file (16 GB written for a 2.5 GB database). The journal mode
/// only changes when no other connection has the file open; otherwise the load runs in WAL mode. Nothing on PostgreSQL.
/// </summary>
internal sealed class BulkLoadSettings : IAsyncDisposable
{
    const int CacheKiB = 512 * 1024;

    readonly DbConnection? connection;
    readonly long synchronous, cacheSize;
    readonly bool wasWal;

    BulkLoadSettings(DbConnection? connection, long synchronous, long cacheSize, bool wasWal) =>
        (this.connection, this.synchronous, this.cacheSize, this.wasWal) = (connection, synchronous, cacheSize, wasWal);

    /// <summary>Applies the settings on <paramref name="db"/>'s open connection, outside any transaction.</summary>
    public static async Task<BulkLoadSettings> ApplyAsync(AlyxDb db, CancellationToken ct)
    {
        if (db.Provider != DatabaseProvider.Sqlite) return new(null, 0, 0, false);
        var connection = db.Database.GetDbConnection();
        var synchronous = Convert.ToInt64(await ScalarAsync(connection, "PRAGMA synchronous", ct), System.Globalization.CultureInfo.InvariantCulture);
        var cacheSize = Convert.ToInt64(await ScalarAsync(connection, "PRAGMA cache_size", ct), System.Globalization.CultureInfo.InvariantCulture);
        var wasWal = false;
        if (await ScalarAsync(connection, "PRAGMA journal_mode", ct) is "wal")
        {
            try
            {
                wasWal = await ScalarAsync(connection, "PRAGMA journal_mode = DELETE", ct) is "delete";
            }
            catch (SqliteException)
            {
                // Another connection has the file open: stay in WAL mode.
            }
        }
        await ScalarAsync(connection, $"PRAGMA synchronous = OFF; PRAGMA cache_size = -{CacheKiB}", ct);
        return new(connection, synchronous, cacheSize, wasWal);
    }

    static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (connection is null) return;
        await ScalarAsync(connection, $"PRAGMA synchronous = {synchronous}; PRAGMA cache_size = {cacheSize}", CancellationToken.None);
        if (wasWal) await ScalarAsync(connection, "PRAGMA journal_mode = WAL", CancellationToken.None);
    }
}
