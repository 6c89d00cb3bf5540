using System.Net;
using Alyx.Cli;
using Alyx.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Alyx.Tests.Database;

/// <summary>
/// The server runs a SQLite file in write-ahead-log mode whatever mode it was left in: a bulk load (seed-synthetic,
/// import-dump) or a backup's copy leaves a rollback journal, in which readers and the writer wait for each other and every
/// commit syncs the file. The first connection the server opens switches the file to WAL.
/// </summary>
public sealed class SqliteJournalModeTests : EmptyDatabaseTests
{
    static async Task<string> JournalModeAsync(string file, string? set = null)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = set is null ? "PRAGMA journal_mode" : $"PRAGMA journal_mode = {set}";
        return (string)(await command.ExecuteScalarAsync(Ct))!;
    }

    [Fact]
    public async Task Serve_SwitchesARollbackJournalFileToWal()
    {
        Assert.SkipWhen(TestDatabase.IsPostgres, "SQLite's journal modes");
        var url = await CreateEmptyAsync();
        Assert.Equal(0, await AlyxCli.RunAsync(["seed-synthetic", "--scale", "0.01", "--database", url]));
        Assert.Equal(0, await AlyxCli.RunAsync(["create-user", AlyxProcess.AdminUser, "--password", AlyxProcess.AdminPassword, "--superuser",
            "--database", url]));
        SqliteConnection.ClearAllPools();
        var file = FileOf(url);
        Assert.Equal("delete", await JournalModeAsync(file, "DELETE"));
        Assert.Equal("delete", await JournalModeAsync(file));

        var (server, http) = await AlyxProcess.ServeAsync(url, Ct, createUser: false);
        using (server)
        using (http)
        {
            using var created = await http.PostAsync("/weighings",
                Json.Body(new { subject = "SYN_00001", weight = 21.5, date_time = "2024-05-01T10:00:00" }), Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            // Persistent in the file: any connection now finds it in WAL mode, while the server runs and after.
            Assert.Equal("wal", await JournalModeAsync(file));
        }
        Assert.Equal("wal", await JournalModeAsync(file));
        File.Delete(file + "-wal");
        File.Delete(file + "-shm");
    }
}
