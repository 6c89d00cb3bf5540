using System.Text.Json;
using Alyx.Database;
using Alyx.Database.Import;
using Alyx.Http;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Experiments;

/// <summary>The brain-region tree through import-dump and export-dump (spec 40 §7): the fixture file in, the same rows out.</summary>
public sealed class BrainRegionDumpTests : IAsyncLifetime
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly AlyxClock Clock = new(TimeProvider.System, TimeZoneInfo.Utc);

    readonly List<IAsyncDisposable> owners = [];
    readonly string file = Path.Combine(Path.GetTempPath(), $"alyx-brainregions-{Guid.NewGuid():N}.json");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var owner in owners) await owner.DisposeAsync();
        File.Delete(file);
    }

    async Task<string> EmptyMigratedAsync()
    {
        var (url, owner) = await TestDatabase.CreateEmptyAsync();
        owners.Add(owner);
        await using var db = TestDatabase.Open(url);
        await DatabaseSetup.MigrateAsync(db, Clock, Ct);
        return url;
    }

    static async Task AssertFixtureTreeAsync(string url)
    {
        await using var db = TestDatabase.Open(url);
        var stored = await db.BrainRegions.AsNoTracking().ToListAsync(Ct);
        Assert.Equal(FixtureAtlas.Regions.Count, stored.Count);
        foreach (var r in stored)
        {
            var f = FixtureAtlas.Regions[r.Id];
            Assert.Equal((f.Acronym, f.Name, f.Parent, f.Lft, f.Rght, f.TreeId, f.Level), (r.Acronym, r.Name, r.ParentId, r.Lft, r.Rght, r.TreeId, r.Level));
        }
    }

    [Fact]
    public async Task ImportDump_BrainRegionFixture_ThenExportDump_RoundTripsTheTree()
    {
        _ = FixtureAtlas.Regions;
        var first = await EmptyMigratedAsync();
        await using (var db = TestDatabase.Open(first))
        {
            var report = await new DumpImporter(db, Clock).ImportAsync([Fixtures.PathOf(FixtureAtlas.File)], Ct);
            Assert.Contains(("experiments.brainregion", FixtureAtlas.Regions.Count), report.Imported);
            await db.BrainRegions.Where(r => r.Id == 688).ExecuteUpdateAsync(s => s.SetProperty(r => r.Description, "cortex"), Ct);
        }
        await AssertFixtureTreeAsync(first);

        await using (var db = TestDatabase.Open(first)) await DumpExporter.ExportAsync(db, Clock, file, null, Ct);
        using (var doc = JsonDocument.Parse(await File.ReadAllTextAsync(file, Ct)))
        {
            var records = doc.RootElement.EnumerateArray().Where(r => r.GetProperty("model").GetString() == "experiments.brainregion").ToList();
            Assert.Equal(FixtureAtlas.Regions.Count, records.Count);
            var ctx = records.Single(r => r.GetProperty("pk").GetInt32() == 688).GetProperty("fields");
            Assert.Equal(["acronym", "description", "level", "lft", "name", "ontology", "parent", "rght", "tree_id"],
                ctx.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal(("CTX", 567, "cortex", JsonValueKind.Null), (ctx.GetProperty("acronym").GetString(), ctx.GetProperty("parent").GetInt32(),
                ctx.GetProperty("description").GetString(), ctx.GetProperty("ontology").ValueKind));
        }

        var second = await EmptyMigratedAsync();
        await using (var db = TestDatabase.Open(second)) await new DumpImporter(db, Clock).ImportAsync([file], Ct);
        await AssertFixtureTreeAsync(second);
        await using (var db = TestDatabase.Open(second))
            Assert.Equal("cortex", await db.BrainRegions.Where(r => r.Id == 688).Select(r => r.Description).SingleAsync(Ct));
    }
}
