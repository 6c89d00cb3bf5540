using Alyx.Database;
using Alyx.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Alyx.Tests.Infrastructure;

/// <summary>
/// Databases for test fixtures. A template is built once per run with the real migrations (and, where the fixtures
/// are present, the real dump import); each fixture gets its own copy: an in-memory SQLite database filled with
/// SQLite's backup API, or, when ALYX_TEST_DATABASE_URL names a PostgreSQL server, a database cloned from a template.
/// </summary>
public static class TestDatabase
{
    static readonly SemaphoreSlim Gate = new(1, 1);
    static string? sqliteTemplate;
    static string? postgresTemplate;
    static readonly string RunId = Guid.NewGuid().ToString("N")[..8];
    static int counter;

    public static string? PostgresUrl => Environment.GetEnvironmentVariable("ALYX_TEST_DATABASE_URL") is { Length: > 0 } u ? u : null;

    public static bool IsPostgres => PostgresUrl is not null;

    /// <summary>
    /// The order of names sorted by the database: SQLite's BINARY collation (code points); on PostgreSQL the cluster's
    /// en_US.UTF-8 (.ci/postgres.sh), which compares letters before case ('camera.dlc' before 'DAQdata.meta'): for names that
    /// differ in letters and digits, not only in case or punctuation, that is the case-insensitive order.
    /// </summary>
    public static StringComparer NameOrder => IsPostgres ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    /// <summary>Hooks that fill the template after migrations; the first imports the shared anonymised dump.</summary>
    public static readonly List<Func<AlyxDb, Task>> TemplateFillers = [Fixtures.ImportIntoTemplateAsync];

    /// <summary>A fresh database for one fixture: its URL and an owner that keeps it alive and removes it.</summary>
    public static async Task<(string Url, IAsyncDisposable Owner)> CreateAsync()
    {
        var n = Interlocked.Increment(ref counter);
        if (IsPostgres)
        {
            var template = await PostgresTemplateAsync();
            var name = $"alyx_test_{RunId}_{n}";
            await ExecuteAdminAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
            return (WithDatabase(PostgresUrl!, name), new PostgresOwner(name));
        }
        var file = await SqliteTemplateAsync();
        var memoryName = $"alyx-test-{RunId}-{n}";
        var keeper = new SqliteConnection($"Data Source={memoryName};Mode=Memory;Cache=Shared");
        await keeper.OpenAsync();
        // Copies run one at a time and retry: SQLite's backup step can report a transient shared-cache lock
        // (SQLITE_LOCKED) while other tests use in-memory databases of the same process.
        await Gate.WaitAsync();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var source = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
                    await source.OpenAsync();
                    source.BackupDatabase(keeper);
                    break;
                }
                catch (SqliteException e) when (e.SqliteErrorCode is 5 or 6 && attempt < 50)
                {
                    await Task.Delay(20 * attempt);
                }
            }
        }
        finally
        {
            Gate.Release();
        }
        return ($"sqlite::memory:{memoryName}", keeper);
    }

    /// <summary>An empty database (no schema) for tests of set-up commands: a temporary SQLite file or a new PostgreSQL database.</summary>
    public static async Task<(string Url, IAsyncDisposable Owner)> CreateEmptyAsync()
    {
        var n = Interlocked.Increment(ref counter);
        if (IsPostgres)
        {
            var name = $"alyx_empty_{RunId}_{n}";
            await ExecuteAdminAsync($"CREATE DATABASE \"{name}\"");
            return (WithDatabase(PostgresUrl!, name), new PostgresOwner(name));
        }
        var file = Path.Combine(Path.GetTempPath(), $"alyx-test-empty-{RunId}-{n}.db");
        return ("sqlite:///" + file, new FileOwner(file));
    }

    /// <summary>A context on <paramref name="url"/>, outside any host (the caller disposes it).</summary>
    public static AlyxDb Open(string url) => DatabaseUrl.Parse(url).Open();

    static async Task<string> SqliteTemplateAsync()
    {
        if (sqliteTemplate is not null) return sqliteTemplate;
        await Gate.WaitAsync();
        try
        {
            if (sqliteTemplate is not null) return sqliteTemplate;
            var file = Path.Combine(Path.GetTempPath(), $"alyx-test-template-{RunId}.db");
            var options = new DbContextOptionsBuilder<SqliteAlyxDb>().UseSqlite($"Data Source={file};Pooling=False").Options;
            await using (var db = new SqliteAlyxDb(options)) await FillAsync(db);
            sqliteTemplate = file;
            // The template outlives every fixture; remove it when the test process ends.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteSqliteFiles(file);
            return file;
        }
        finally
        {
            Gate.Release();
        }
    }

    static async Task<string> PostgresTemplateAsync()
    {
        if (postgresTemplate is not null) return postgresTemplate;
        await Gate.WaitAsync();
        try
        {
            if (postgresTemplate is not null) return postgresTemplate;
            var name = $"alyx_template_{RunId}";
            await ExecuteAdminAsync($"CREATE DATABASE \"{name}\"");
            var url = DatabaseUrl.Parse(WithDatabase(PostgresUrl!, name));
            var options = new DbContextOptionsBuilder<PostgresAlyxDb>().UseNpgsql(url.ConnectionString).Options;
            await using (var db = new PostgresAlyxDb(options)) await FillAsync(db);
            NpgsqlConnection.ClearAllPools();
            postgresTemplate = name;
            // The template outlives every fixture; drop it when the test process ends.
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                NpgsqlConnection.ClearAllPools();
                ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)").GetAwaiter().GetResult();
            };
            return name;
        }
        finally
        {
            Gate.Release();
        }
    }

    static async Task FillAsync(AlyxDb db)
    {
        var clock = new AlyxClock(TimeProvider.System, TimeZoneInfo.Utc);
        await DatabaseSetup.MigrateAsync(db, clock);
        foreach (var fill in TemplateFillers) await fill(db);
    }

    static string WithDatabase(string url, string database)
    {
        var uri = new UriBuilder(url) { Path = "/" + database };
        return uri.Uri.ToString();
    }

    static async Task ExecuteAdminAsync(string sql)
    {
        var admin = DatabaseUrl.Parse(WithDatabase(PostgresUrl!, "postgres"));
        await using var conn = new NpgsqlConnection(admin.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    sealed class FileOwner(string file) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            SqliteConnection.ClearAllPools();
            DeleteSqliteFiles(file);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A SQLite file with what SQLite and <c>serve</c> leave beside it (journal, WAL and its index, the serve and migration locks).</summary>
    static void DeleteSqliteFiles(string file)
    {
        foreach (var suffix in (string[])["", "-journal", "-wal", "-shm", ".serve-lock", ".migrate-lock"]) File.Delete(file + suffix);
    }

    sealed class PostgresOwner(string name) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        }
    }
}
