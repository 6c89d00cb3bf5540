using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Alyx.Database;

/// <summary>
/// <c>DATABASE_URL</c>: <c>sqlite:///path/alyx.db</c> (default <c>alyx.db</c> in the working directory),
/// <c>sqlite::memory:name</c> (a shared in-memory database, for tests) or <c>postgres://user:pass@host:port/db</c>.
/// </summary>
public sealed record DatabaseUrl(DatabaseProvider Provider, string ConnectionString)
{
    public const string Default = "sqlite:///alyx.db";

    /// <summary>The database's own name (the SQLite file's stem, the PostgreSQL database), as cache tables record their origin.</summary>
    public string Name => Provider == DatabaseProvider.Sqlite
        ? Path.GetFileNameWithoutExtension(new SqliteConnectionStringBuilder(ConnectionString).DataSource)
        : new NpgsqlConnectionStringBuilder(ConnectionString).Database ?? "alyx";

    /// <summary>
    /// A context on this database outside any host (CLI helpers, tests); the caller disposes it. Its writes move
    /// <paramref name="tracker"/>'s versions when one is given (none: no cache of this process watches them).
    /// </summary>
    public AlyxDb Open(WriteTracker? tracker = null) => Provider == DatabaseProvider.Postgres
        ? new PostgresAlyxDb(Tracked(new DbContextOptionsBuilder<PostgresAlyxDb>().UseNpgsql(ConnectionString), tracker).Options)
        : new SqliteAlyxDb(Tracked(new DbContextOptionsBuilder<SqliteAlyxDb>().UseSqlite(ConnectionString).ConfigureWarnings(SqliteAlyxDb.MigrationWarnings), tracker)
            .AddInterceptors(SqliteConnectionSetup.Default).Options);

    static DbContextOptionsBuilder<T> Tracked<T>(DbContextOptionsBuilder<T> builder, WriteTracker? tracker) where T : DbContext =>
        tracker is null ? builder : builder.AddInterceptors(tracker);

    /// <summary>The SQLite file, or null (PostgreSQL, in-memory SQLite).</summary>
    public string? SqliteFile
    {
        get
        {
            if (Provider != DatabaseProvider.Sqlite) return null;
            var builder = new SqliteConnectionStringBuilder(ConnectionString);
            return builder.Mode == SqliteOpenMode.Memory ? null : builder.DataSource;
        }
    }

    /// <summary>Creates the folder of the SQLite file when it is missing (SQLite creates the file, not its folder).</summary>
    public void EnsureFolder()
    {
        if (SqliteFile is { } file && Path.GetDirectoryName(Path.GetFullPath(file)) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
    }

    /// <summary>Statements a server's pooled PostgreSQL connection keeps prepared (Npgsql's <c>Max Auto Prepare</c>).</summary>
    public const int ServerAutoPrepare = 256;

    /// <summary>
    /// The connection string a server uses. On PostgreSQL, Npgsql prepares a statement on a connection once it has been sent
    /// there twice (later requests bind and execute the kept plan instead of parsing and planning the SQL again), and a
    /// connection going back to the pool is not reset: EF opens and closes the connection around each query outside a
    /// transaction, and each reset (RESET ALL, CLOSE ALL, UNLISTEN, advisory unlock, DISCARD SEQUENCES and TEMP, sent with the
    /// next query) cost more server time than the request's own statements. The server keeps no session state on pooled
    /// connections: its SET commands are transaction-local, advisory locks are released by their holders (the ONE cache lock
    /// on an unpooled connection), and it makes no temporary tables. A URL's own <c>Max Auto Prepare</c>,
    /// <c>Auto Prepare Min Usages</c> or <c>No Reset On Close</c> wins. SQLite is unchanged: Microsoft.Data.Sqlite keeps a
    /// statement prepared per command object, and EF makes a command per execution, so a request prepares its statements
    /// again (about 7 % of a dataset page's CPU samples on SQLite; a per-connection cache of prepared commands is not built).
    /// </summary>
    public DatabaseUrl ForServer()
    {
        if (Provider != DatabaseProvider.Postgres) return this;
        var given = new NpgsqlConnectionStringBuilder(ConnectionString);
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        if (!Names(ConnectionString, "Max Auto Prepare", "MaxAutoPrepare")) builder.MaxAutoPrepare = ServerAutoPrepare;
        if (!Names(ConnectionString, "Auto Prepare Min Usages", "AutoPrepareMinUsages")) builder.AutoPrepareMinUsages = 2;
        if (!Names(ConnectionString, "No Reset On Close", "NoResetOnClose")) builder.NoResetOnClose = true;
        return builder.ConnectionString == given.ConnectionString ? this : this with { ConnectionString = builder.ConnectionString };
    }

    static bool Names(string connectionString, params string[] keys) =>
        keys.Any(k => connectionString.Contains(k, StringComparison.OrdinalIgnoreCase));

    public static DatabaseUrl Parse(string? url)
    {
        url = string.IsNullOrWhiteSpace(url) ? Default : url.Trim();
        if (url.StartsWith("sqlite::memory:", StringComparison.OrdinalIgnoreCase))
        {
            var name = url["sqlite::memory:".Length..];
            return new(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder
            {
                DataSource = name,
                Mode = SqliteOpenMode.Memory,
                Cache = SqliteCacheMode.Shared,
            }.ToString());
        }
        if (url.StartsWith("sqlite://", StringComparison.OrdinalIgnoreCase))
        {
            // sqlite:///relative.db and sqlite:////absolute/path.db, as SQLAlchemy and dj-database-url spell them.
            var path = url["sqlite://".Length..];
            if (path.StartsWith('/')) path = path[1..];
            if (path.Length == 0) throw new FormatException("DATABASE_URL: sqlite:/// needs a file path.");
            // A relative path is the folder the command was started in, whatever the process's later working folder.
            return new(DatabaseProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(path), Pooling = true }.ToString());
        }
        if (url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            var uri = new Uri(url);
            var builder = new NpgsqlConnectionStringBuilder
            {
                Host = uri.Host,
                Port = uri.Port > 0 ? uri.Port : 5432,
                Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
            };
            if (!string.IsNullOrEmpty(uri.UserInfo))
            {
                var parts = uri.UserInfo.Split(':', 2);
                builder.Username = Uri.UnescapeDataString(parts[0]);
                if (parts.Length > 1) builder.Password = Uri.UnescapeDataString(parts[1]);
            }
            foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = pair.Split('=', 2);
                builder[Uri.UnescapeDataString(kv[0])] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : "";
            }
            return new(DatabaseProvider.Postgres, builder.ToString());
        }
        throw new FormatException($"DATABASE_URL must start with sqlite:// or postgres://, not \"{url}\".");
    }
}
