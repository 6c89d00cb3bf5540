using System.Globalization;
using Alyx.Database;
using Npgsql;

namespace Alyx.Data;

/// <summary>
/// One build of the ONE cache tables at a time across the processes on a PostgreSQL database (<c>alyx one-cache</c>, the
/// scheduled rebuild of every server): a session advisory lock, <c>pg_advisory_lock(1095522648, 1)</c> (in
/// <c>pg_locks</c>: locktype advisory, classid 1095522648, objid 1, objsubid 2), held on a connection of its own for the
/// build, whose <c>application_name</c> names the holder. <c>one-cache</c> waits for a build in progress (saying who holds
/// it); the scheduled rebuild skips its occurrence (the build in progress writes the same tables). On SQLite there is no
/// lock: one server process, and the CLI verbs are run by hand.
/// </summary>
public sealed class OneCacheLock : IAsyncDisposable
{
    /// <summary>The advisory lock's two keys ("ALYX" as a 32-bit number, then the lock's number among the server's).</summary>
    public const int ClassKey = 1095522648;

    public const int ObjectKey = 1;

    readonly NpgsqlConnection? connection;

    OneCacheLock(NpgsqlConnection? connection) => this.connection = connection;

    /// <summary>
    /// Takes the lock for a build by <paramref name="who"/>. When another process holds it: with <paramref name="wait"/>,
    /// reports the holder through <paramref name="report"/> and waits for it; without, returns no lock and the holder.
    /// </summary>
    public static async Task<(OneCacheLock? Lock, string? Holder)> AcquireAsync(DatabaseUrl url, string who, bool wait, Action<string>? report,
        CancellationToken ct)
    {
        if (url.Provider != DatabaseProvider.Postgres) return (new OneCacheLock(null), null);
        var builder = new NpgsqlConnectionStringBuilder(url.ConnectionString) { ApplicationName = who, Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            if (await ScalarAsync<bool>(connection, "SELECT pg_try_advisory_lock($1, $2)", ct)) return (new OneCacheLock(connection), null);
            var holder = await HolderAsync(connection, ct);
            if (!wait)
            {
                await connection.DisposeAsync();
                return (null, holder);
            }
            report?.Invoke($"The ONE cache tables are being built by {holder}; waiting for that build to finish.");
            await using (var command = Command(connection, "SELECT pg_advisory_lock($1, $2)"))
            {
                command.CommandTimeout = 0;
                await command.ExecuteNonQueryAsync(ct);
            }
            return (new OneCacheLock(connection), null);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Who holds the lock: its <c>application_name</c>, backend, client address and since when.</summary>
    static async Task<string> HolderAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = Command(connection, """
            SELECT a.application_name, a.pid, coalesce(host(a.client_addr), 'a local socket'), a.backend_start
            FROM pg_locks AS l JOIN pg_stat_activity AS a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.classid::bigint = $1 AND l.objid::bigint = $2 AND l.objsubid = 2 AND l.granted
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct)) return "another process (which has just finished)";
        var name = reader.IsDBNull(0) || reader.GetString(0).Length == 0 ? "another process" : reader.GetString(0);
        var since = reader.GetFieldValue<DateTime>(3).ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return $"'{name}' (PostgreSQL backend {reader.GetInt32(1)} from {reader.GetString(2)}, connected {since} UTC)";
    }

    static NpgsqlCommand Command(NpgsqlConnection connection, string sql)
    {
        var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = ClassKey });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = ObjectKey });
        return command;
    }

    static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = Command(connection, sql);
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The name a build gives itself in <c>pg_stat_activity</c> (at most 63 characters are kept).</summary>
    public static string Who(string what) => $"alyx {what} {Environment.MachineName} pid {Environment.ProcessId}";

    /// <summary>Releases the lock (closing its connection, which ends the session and every lock it holds).</summary>
    public async ValueTask DisposeAsync()
    {
        if (connection is not null) await connection.DisposeAsync();
    }
}
