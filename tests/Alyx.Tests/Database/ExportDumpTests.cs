using System.IO.Compression;
using System.Text.Json;
using Alyx.Cli;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Database;

/// <summary><c>alyx export-dump</c>: the fixture round-trips (import, export, import into an empty database: same tables, same file).</summary>
public sealed class ExportDumpTests : IAsyncLifetime
{
    readonly List<string> tempFiles = [];
    readonly List<IAsyncDisposable> owners = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var owner in owners) await owner.DisposeAsync();
        foreach (var file in tempFiles) File.Delete(file);
    }

    string TempFile(string extension)
    {
        var file = Path.Combine(Path.GetTempPath(), $"alyx-export-test-{Guid.NewGuid():N}{extension}");
        tempFiles.Add(file);
        return file;
    }

    async Task<string> DatabaseAsync(bool empty)
    {
        var (url, owner) = empty ? await TestDatabase.CreateEmptyAsync() : await TestDatabase.CreateAsync();
        owners.Add(owner);
        return url;
    }

    [Fact]
    public async Task ExportDump_FixtureRoundTrip_SameTablesAndSameFile()
    {
        Fixtures.RequireDump();
        var source = await DatabaseAsync(empty: false);
        var first = TempFile(".json.gz");
        Assert.Equal(0, await AlyxCli.RunAsync(["export-dump", first, "--database", source]));
        var copy = await DatabaseAsync(empty: true);
        Assert.Equal(0, await AlyxCli.RunAsync(["import-dump", first, "--database", copy]));
        Assert.Equal(await ImportDumpTests.SnapshotAsync(source), await ImportDumpTests.SnapshotAsync(copy));
        var second = TempFile(".json.gz");
        Assert.Equal(0, await AlyxCli.RunAsync(["export-dump", second, "--database", copy]));
        Assert.Equal(await ReadAsync(first), await ReadAsync(second));
    }

    [Fact]
    public async Task ExportDump_WritesDjangoRecords_ManyToManyOnTheDeclaringModelOnly()
    {
        Fixtures.RequireDump();
        var source = await DatabaseAsync(empty: false);
        var file = TempFile(".json");
        Assert.Equal(0, await AlyxCli.RunAsync(["export-dump", file, "--database", source]));
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        var records = doc.RootElement.EnumerateArray().ToList();
        Assert.All(records, r => Assert.Equal(["model", "pk", "fields"], r.EnumerateObject().Select(p => p.Name).ToList()));
        var byModel = records.GroupBy(r => r.GetProperty("model").GetString()!).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(337, byModel["actions.session"].Count);
        Assert.Equal(968, byModel["subjects.subject"].Count);
        var session = byModel["actions.session"][0].GetProperty("fields");
        Assert.Equal(JsonValueKind.Array, session.GetProperty("users").ValueKind);
        Assert.Equal(JsonValueKind.String, session.GetProperty("subject").ValueKind);
        Assert.False(byModel["actions.proceduretype"][0].GetProperty("fields").TryGetProperty("session", out _));
        // Parents come first: every subject precedes every session.
        var order = records.Select(r => r.GetProperty("model").GetString()).ToList();
        Assert.True(order.LastIndexOf("subjects.subject") < order.IndexOf("actions.session"));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?$", session.GetProperty("start_time").GetString());
    }

    static async Task<string> ReadAsync(string gz)
    {
        await using var stream = new GZipStream(File.OpenRead(gz), CompressionMode.Decompress);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
    }
}
