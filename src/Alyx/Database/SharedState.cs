using Npgsql;

namespace Alyx.Database;

/// <summary>
/// What several server processes on one PostgreSQL database share through it (SHARED_STATE, on by default there): the
/// versions of the stored data and of the users and tokens (the sequences <c>alyx_data_version</c> and
/// <c>alyx_auth_version</c>), moved on by every committed write (<see cref="WriteTracker"/>) and read at the start of every
/// request (<see cref="SharedStatePipeline"/>), so that no cache of a process answers from before a commit whose request has
/// returned; and the throttle budgets (<c>alyx_throttle</c>, <see cref="Http.SharedThrottle"/>). On SQLite, or with
/// SHARED_STATE=false, <see cref="Enabled"/> is false and everything stays in the process.
/// </summary>
/// <remarks>
/// A version read per request (one round trip, about 0.1 ms on loopback: bench/RESULTS.md) rather than LISTEN/NOTIFY: a
/// notification arrives asynchronously and may come after the next request of the client that made the write, so a check
/// per request would be needed for the guarantee anyway. The sequences move outside transactions (<c>nextval</c>) after the
/// commit, so a reader never sees a version whose data it cannot see yet, and writers do not queue on a version row.
/// </remarks>
public sealed class SharedState
{
    readonly string? connectionString;

    public SharedState(DatabaseUrl url, bool setting)
    {
        if (setting && url.Provider == DatabaseProvider.Postgres) connectionString = url.ConnectionString;
    }

    /// <summary>No sharing: SQLite, or a single PostgreSQL process (SHARED_STATE=false).</summary>
    public static readonly SharedState Off = new(DatabaseUrl.Parse(DatabaseUrl.Default), false);

    /// <summary>PostgreSQL with SHARED_STATE on.</summary>
    public bool Enabled => connectionString is not null;

    /// <summary>A connection from the pool the contexts use (same connection string), opened.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new NpgsqlConnection(connectionString ?? throw new InvalidOperationException("Shared state is off."));
        await connection.OpenAsync(ct);
        return connection;
    }

    const string ReadSql = "SELECT (SELECT last_value FROM alyx_data_version), (SELECT last_value FROM alyx_auth_version)";

    /// <summary>The current shared versions (data, auth); zeros before the migration that makes them.</summary>
    public async Task<(long Data, long Auth)> ReadAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(ReadSql, connection);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return (reader.GetInt64(0), reader.GetInt64(1));
        }
        catch (PostgresException e) when (NotMigrated(e))
        {
            return (0, 0);
        }
    }

    /// <summary>
    /// Writes made while the schema is older than the sequences (the migrations themselves, a server started with
    /// MIGRATE_ON_START=false) have nothing to publish to: no process shares state with them yet.
    /// </summary>
    static bool NotMigrated(PostgresException e) => e.SqlState == PostgresErrorCodes.UndefinedTable;

    static string BumpSql(bool auth) => auth
        ? "SELECT nextval('alyx_data_version'), nextval('alyx_auth_version')"
        : "SELECT nextval('alyx_data_version'), (SELECT last_value FROM alyx_auth_version)";

    /// <summary>Moves the data version (and the auth one) on; returns the new versions.</summary>
    public async Task<(long Data, long Auth)> BumpAsync(bool auth, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = new NpgsqlCommand(BumpSql(auth), connection);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return (reader.GetInt64(0), reader.GetInt64(1));
        }
        catch (PostgresException e) when (NotMigrated(e))
        {
            return (0, 0);
        }
    }

    /// <summary>Synchronous <see cref="BumpAsync"/>, for synchronous saves.</summary>
    public (long Data, long Auth) Bump(bool auth)
    {
        using var connection = new NpgsqlConnection(connectionString ?? throw new InvalidOperationException("Shared state is off."));
        connection.Open();
        using var command = new NpgsqlCommand(BumpSql(auth), connection);
        try
        {
            using var reader = command.ExecuteReader();
            reader.Read();
            return (reader.GetInt64(0), reader.GetInt64(1));
        }
        catch (PostgresException e) when (NotMigrated(e))
        {
            return (0, 0);
        }
    }
}

public static class SharedStatePipeline
{
    /// <summary>
    /// With shared state on, every routed request first reads the shared versions into the <see cref="WriteTracker"/>,
    /// before authentication looks its token up and before a list looks its count up. Skipped for the routes outside the
    /// throttle (health, metrics, /auth-token, the file server) unless they carry a token, the only cache they can consult.
    /// </summary>
    public static IApplicationBuilder UseAlyxSharedState(this IApplicationBuilder app)
    {
        var shared = app.ApplicationServices.GetRequiredService<SharedState>();
        if (!shared.Enabled) return app;
        var tracker = app.ApplicationServices.GetRequiredService<WriteTracker>();
        return app.Use(async (context, next) =>
        {
            var endpoint = context.GetEndpoint();
            var outside = endpoint is null
                || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.RateLimiting.DisableRateLimitingAttribute>() is not null;
            if (!outside || context.Request.Headers.Authorization.ToString().TrimStart().StartsWith("token", StringComparison.OrdinalIgnoreCase))
            {
                var (data, auth) = await shared.ReadAsync(context.RequestAborted);
                tracker.Observe(data, auth);
            }
            await next(context);
        });
    }
}

/// <summary>
/// SQLite is served by one process: <c>serve</c> holds an exclusive lock on <c>FILE.serve-lock</c> beside the database file
/// while it runs, and a second server on the same file says so in one warning at start-up (it still serves: its caches and
/// throttle budgets are its own, so counts and revoked tokens can lag behind the other's writes by COUNT_CACHE_SECONDS and
/// TOKEN_CACHE_SECONDS).
/// </summary>
public static class SqliteServeLock
{
    /// <summary>Takes the lock for the life of the process; null when another process holds it (or for PostgreSQL and in-memory databases).</summary>
    public static FileStream? TryTake(DatabaseUrl url, out bool heldElsewhere)
    {
        heldElsewhere = false;
        if (url.SqliteFile is not { } file) return null;
        try
        {
            var stream = new FileStream(Path.GetFullPath(file) + ".serve-lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            var pid = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
            stream.Write(pid);
            stream.Flush();
            return stream;
        }
        catch (IOException)
        {
            heldElsewhere = true;
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
