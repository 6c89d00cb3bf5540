using Alyx.Cli;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Database;

/// <summary><c>alyx seed-synthetic</c>: the counts a scale asks for, and the same lab for the same seed.</summary>
public sealed class SeedSyntheticTests : IAsyncLifetime
{
    readonly List<IAsyncDisposable> owners = [];
    readonly List<string> files = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var owner in owners) await owner.DisposeAsync();
        foreach (var file in files) File.Delete(file);
    }

    async Task<string> EmptyAsync()
    {
        var (url, owner) = await TestDatabase.CreateEmptyAsync();
        owners.Add(owner);
        return url;
    }

    string TempFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"alyx-synth-{Guid.NewGuid():N}.json");
        files.Add(file);
        return file;
    }

    [Fact]
    public async Task SeedSynthetic_SmallScale_HasTheScaledCountsAndIsDeterministic()
    {
        var first = await EmptyAsync();
        var second = await EmptyAsync();
        Assert.Equal(0, await AlyxCli.RunAsync(["seed-synthetic", "--scale", "0.02", "--seed", "7", "--database", first]));
        Assert.Equal(0, await AlyxCli.RunAsync(["seed-synthetic", "--scale", "0.02", "--seed", "7", "--database", second]));
        await using (var db = TestDatabase.Open(first))
        {
            var ct = TestContext.Current.CancellationToken;
            Assert.Equal(20, await db.Subjects.CountAsync(s => s.Nickname.StartsWith("SYN_"), ct));
            Assert.Equal(200, await db.Sessions.CountAsync(ct));
            Assert.Equal(2000, await db.Set<Alyx.Data.Dataset>().CountAsync(ct));
            Assert.Equal(6000, await db.Set<Alyx.Data.FileRecord>().CountAsync(ct));
            Assert.Equal(200, await db.Set<Alyx.Actions.Weighing>().CountAsync(ct));
            Assert.True(await db.Sessions.AnyAsync(s => s.Qc == 50, ct) && await db.Sessions.AnyAsync(s => s.Qc == 10, ct));
            Assert.True(await db.Sessions.AllAsync(s => s.Projects.Count == 1 && s.Users.Count == 1 && s.Json != null, ct));
        }
        var a = TempFile();
        var b = TempFile();
        Assert.Equal(0, await AlyxCli.RunAsync(["export-dump", a, "--database", first]));
        Assert.Equal(0, await AlyxCli.RunAsync(["export-dump", b, "--database", second]));
        var ct2 = TestContext.Current.CancellationToken;
        Assert.Equal(await File.ReadAllTextAsync(a, ct2), await File.ReadAllTextAsync(b, ct2));
        Assert.Equal(2, await AlyxCli.RunAsync(["seed-synthetic", "--scale", "0.02", "--database", first]));
    }

    /// <summary>Every index and foreign key, as the database describes them (SQLite: also the journal mode).</summary>
    static async Task<List<string>> SchemaAsync(string url)
    {
        await using var db = TestDatabase.Open(url);
        var ct = TestContext.Current.CancellationToken;
        var sql = TestDatabase.IsPostgres
            ? "SELECT indexname || ': ' || indexdef AS \"Value\" FROM pg_indexes WHERE schemaname = 'public' UNION ALL " +
              "SELECT conrelid::regclass::text || '.' || conname || ': ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f'"
            : "SELECT type || ' ' || name || ': ' || coalesce(sql, '') AS \"Value\" FROM sqlite_master WHERE type IN ('index', 'table') " +
              "UNION ALL SELECT 'journal_mode ' || journal_mode FROM pragma_journal_mode";
        return [.. (await db.Database.SqlQueryRaw<string>(sql).ToListAsync(ct)).Order(StringComparer.Ordinal)];
    }

    [Fact]
    public async Task SeedSynthetic_LeavesIndexesAndForeignKeysAsTheyWere()
    {
        var url = await EmptyAsync();
        Assert.Equal(0, await AlyxCli.RunAsync(["migrate", "--database", url]));
        var before = await SchemaAsync(url);
        Assert.Contains(before, s => s.Contains("IX_data_filerecord_dataset_id", StringComparison.Ordinal));
        Assert.Equal(0, await AlyxCli.RunAsync(["seed-synthetic", "--scale", "0.01", "--database", url]));
        Assert.Equal(before, await SchemaAsync(url));
    }
}
