using System.Text.Json;
using Alyx.Actions;
using Alyx.Cli;
using Alyx.Data;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Data;

/// <summary>The reference rows the server ships and <c>alyx load-reference-data</c>.</summary>
public sealed class ReferenceDataTests : IAsyncLifetime
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    readonly List<IAsyncDisposable> owners = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var owner in owners) await owner.DisposeAsync();
    }

    /// <summary>(pk, fields) of a fixture file; skips the test when the shared fixtures are absent.</summary>
    static List<(Guid Pk, JsonElement Fields)> Fixture(string name)
    {
        var path = Fixtures.PathOf(name);
        if (!File.Exists(path)) Assert.Skip($"Fixture {name} not found in {Fixtures.Folder} (set ALYX_FIXTURES to the shared fixtures folder).");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return [.. doc.RootElement.EnumerateArray().Select(r => (Guid.Parse(r.GetProperty("pk").GetString()!), r.GetProperty("fields").Clone()))];
    }

    static string S(JsonElement fields, string key) => fields.GetProperty(key).ValueKind == JsonValueKind.Null ? "" : fields.GetProperty(key).GetString()!;

    static void SameRows<T>(IEnumerable<T> expected, IEnumerable<T> actual)
    {
        var e = expected.Select(x => x!.ToString()!).Order(StringComparer.Ordinal).ToList();
        var a = actual.Select(x => x!.ToString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(e, a);
    }

    [Fact]
    public void Shipped_DatasetTypes_AreTheFixtureRows()
    {
        var fixture = Fixture("data.datasettype.json");
        SameRows(fixture.Select(f => (f.Pk, S(f.Fields, "name"), S(f.Fields, "filename_pattern"), S(f.Fields, "description"))),
            ReferenceData.Shipped.DatasetTypes.Select(t => (t.Id, t.Name, t.FilenamePattern ?? "", t.Description)));
        Assert.Equal(113, fixture.Count);
        Assert.Equal(79, ReferenceData.Shipped.DatasetTypes.Count(t => t.FilenamePattern is not null));
    }

    [Fact]
    public void Shipped_DataFormats_AreTheFixtureRows()
    {
        var fixture = Fixture("data.dataformat.json");
        SameRows(fixture.Select(f => (f.Pk, S(f.Fields, "name"), S(f.Fields, "file_extension"), S(f.Fields, "description"),
                S(f.Fields, "matlab_loader_function"), S(f.Fields, "python_loader_function"))),
            ReferenceData.Shipped.Formats.Select(f => (f.Id, f.Name, f.FileExtension, f.Description, f.MatlabLoaderFunction, f.PythonLoaderFunction)));
    }

    [Fact]
    public void Shipped_RepositoryProcedureAndWaterTypes_AreTheFixtureRows()
    {
        SameRows(Fixture("data.datarepositorytype.json").Select(f => (f.Pk, S(f.Fields, "name"))), ReferenceData.Shipped.RepositoryTypes);
        SameRows(Fixture("actions.proceduretype.json").Select(f => (f.Pk, S(f.Fields, "name"), S(f.Fields, "description"))), ReferenceData.Shipped.ProcedureTypes);
        SameRows(Fixture("actions.watertype.json").Select(f => (f.Pk, S(f.Fields, "name"))), ReferenceData.Shipped.WaterTypes);
    }

    [Fact]
    public async Task LoadReferenceData_EmptyDatabase_AddsEverythingOnceAndKeepsExistingRows()
    {
        var (url, owner) = await TestDatabase.CreateEmptyAsync();
        owners.Add(owner);
        Assert.Equal(0, await AlyxCli.RunAsync(["migrate", "--database", url]));
        // A site's own 'npy' format with another description, and a dataset type named like a shipped one but with another id.
        await using (var db = TestDatabase.Open(url))
        {
            db.DataFormats.Add(new DataFormat { Name = "npy", FileExtension = ".npy", Description = "ours" });
            db.DatasetTypes.Add(new DatasetType { Name = "spikes.times", FilenamePattern = "*spikes.times*.npy" });
            await db.SaveChangesAsync(Ct);
        }

        Assert.Equal(0, await AlyxCli.RunAsync(["load-reference-data", "--database", url]));
        Assert.Equal(0, await AlyxCli.RunAsync(["load-reference-data", "--database", url]));

        await using var check = TestDatabase.Open(url);
        var shipped = ReferenceData.Shipped;
        // The rows of the fixture files data.datasettype.json (113), data.dataformat.json (28), data.datarepositorytype.json
        // (2), actions.proceduretype.json (33) and actions.watertype.json (7): the site's npy and spikes.times are matched by
        // name, not added a second time.
        // ... plus the unknown dataset type and data format every migrated database has.
        Assert.Equal(113 + 1, await check.DatasetTypes.CountAsync(Ct));
        Assert.Equal(28 + 1, await check.DataFormats.CountAsync(Ct));
        Assert.Equal(2, await check.DataRepositoryTypes.CountAsync(Ct));
        Assert.Equal(33, await check.Set<ProcedureType>().CountAsync(Ct));
        Assert.Equal(7, await check.Set<WaterType>().CountAsync(Ct));
        Assert.Equal("ours", (await check.DataFormats.SingleAsync(f => f.Name == "npy", Ct)).Description);
        // Shipped ids are kept, so dumps from other sites refer to the same rows.
        var parquet = shipped.Formats.Single(f => f.Name == "parquet");
        Assert.Equal(".pqt", (await check.DataFormats.SingleAsync(f => f.Id == parquet.Id, Ct)).FileExtension);
        Assert.True(await check.DatasetTypes.AnyAsync(t => t.Name == "spikes.clusters" && t.FilenamePattern == "*spikes.clusters*.npy", Ct));
    }

    [Fact]
    public async Task LoadReferenceData_ThenApi_ServesShippedFormatsAndTypes()
    {
        await using var app = new AlyxApp();
        await app.InitializeAsync();
        await app.WithDbAsync(db => ReferenceData.LoadAsync(db, Ct));
        var client = await app.ClientForAsync();
        var page = await (await client.GetAsync("/data-formats/parquet", Ct)).ReadJsonAsync(System.Net.HttpStatusCode.OK);
        Assert.Equal(".pqt", page["file_extension"]!.GetValue<string>());
        var types = await (await client.GetAsync("/dataset-types/spikes.clusters", Ct)).ReadJsonAsync(System.Net.HttpStatusCode.OK);
        Assert.NotEqual("", types["filename_pattern"]!.GetValue<string>());
    }
}
