using Alyx.Cli;
using Alyx.Database;
using Alyx.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Alyx.Tests.Database;

/// <summary>
/// A process killed while it migrated a SQLite file (EF's lock row left in <c>__EFMigrationsLock</c>) no longer makes every
/// later start wait forever; two processes migrating one file still take turns.
/// </summary>
public sealed class SqliteMigrationLockTests : EmptyDatabaseTests
{
    async Task<string> MigratedFileAsync()
    {
        var url = await CreateEmptyAsync();
        Assert.Equal(0, await AlyxCli.RunAsync(["migrate", "--database", url]));
        return url;
    }

    static async Task<long> ExecuteAsync(string file, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct) ?? 0L);
    }

    [Fact]
    public async Task Migrate_AfterAMigratorWasKilled_RemovesItsLockRow_InsteadOfWaitingForever()
    {
        Assert.SkipWhen(TestDatabase.IsPostgres, "EF's lock table is SQLite's (PostgreSQL's advisory lock ends with its session)");
        var url = await MigratedFileAsync();
        var file = FileOf(url);
        // What a process killed between taking EF's lock and releasing it leaves behind.
        await ExecuteAsync(file, $"CREATE TABLE IF NOT EXISTS \"{SqliteMigrationLock.LockTable}\" (\"Id\" INTEGER PRIMARY KEY, \"Timestamp\" TEXT NOT NULL)");
        await ExecuteAsync(file, $"INSERT INTO \"{SqliteMigrationLock.LockTable}\" VALUES (1, '2026-12-07 10:00:00+00:00')");
        SqliteConnection.ClearAllPools();

        var migrate = AlyxCli.RunAsync(["migrate", "--database", url]);
        Assert.Equal(0, await migrate.WaitAsync(TimeSpan.FromSeconds(60), Ct));
        Assert.Equal(0, await ExecuteAsync(file, $"SELECT COUNT(*) FROM \"{SqliteMigrationLock.LockTable}\""));
        // The server starts on it too (it migrates at start).
        var (server, http) = await AlyxProcess.ServeAsync(url, Ct);
        using (server)
        using (http)
        {
            using var response = await http.GetAsync("/labs", Ct);
            Assert.True(response.IsSuccessStatusCode);
        }
    }

    [Fact]
    public async Task Migrate_WhileAnotherProcessHoldsTheFilesMigrationLock_WaitsForIt()
    {
        Assert.SkipWhen(TestDatabase.IsPostgres, "SQLite files only");
        var url = await MigratedFileAsync();
        var held = new FileStream(Path.GetFullPath(FileOf(url)) + ".migrate-lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        Task<int> migrate;
        try
        {
            migrate = Task.Run(() => AlyxCli.RunAsync(["migrate", "--database", url]), Ct);
            await Task.Delay(1500, Ct);
            Assert.False(migrate.IsCompleted);
        }
        finally
        {
            await held.DisposeAsync();
        }
        Assert.Equal(0, await migrate.WaitAsync(TimeSpan.FromSeconds(60), Ct));
    }
}
