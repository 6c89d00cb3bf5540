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

    /// <summary>The fixture's json value as stored: null, or the raw JSON text (<c>""</c> for an empty string).</summary>
    static string? StoredJson(JsonElement fields) => fields.GetProperty("json").ValueKind == JsonValueKind.Null ? null : fields.GetProperty("json").GetRawText();

    [Fact]
    public void Shipped_CoordinateSystems_AreTheFixtureRows()
    {
        var fixture = Fixture("experiments.coordinatesystem.json");
        Assert.Equal(2, fixture.Count);
        SameRows(fixture.Select(f => (f.Pk, S(f.Fields, "name"), S(f.Fields, "description"), StoredJson(f.Fields) ?? "null")),
            ReferenceData.Shipped.CoordinateSystems.Select(c => (c.Id, c.Name, c.Description, c.Json ?? "null")));
    }

    [Theory]
    [InlineData("data.dataformat.json", 12)]
    [InlineData("data.datarepositorytype.json", 2)]
    [InlineData("data.datasettype.json", 0)]
    [InlineData("actions.proceduretype.json", 0)]
    [InlineData("actions.watertype.json", 0)]
    [InlineData("experiments.probemodel.json", 0)]
    [InlineData("experiments.coordinatesystem.json", 0)]
    public void Shipped_JsonValues_AreTheFixtures(string file, int emptyStrings)
    {
        var fixture = Fixture(file);
        Assert.All(fixture, f => Assert.Equal(StoredJson(f.Fields), ReferenceData.Shipped.JsonOf(f.Pk)));
        Assert.Equal(emptyStrings, fixture.Count(f => ReferenceData.Shipped.JsonOf(f.Pk) == "\"\""));
    }

    [Fact]
    public async Task LoadReferenceData_KeepsTheStoredJsonAndAddsCoordinateSystems()
    {
        await using var app = new AlyxApp();
        await app.InitializeAsync();
        var added = await app.WithDbAsync(db => ReferenceData.LoadAsync(db, Ct));
        Assert.Contains(("coordinate systems", 2), added);
        Assert.DoesNotContain(await app.WithDbAsync(db => ReferenceData.LoadAsync(db, Ct)), a => a.Kind == "coordinate systems");

        var stored = await app.WithDbAsync(async db => (
            Formats: await db.DataFormats.Select(f => new { f.Name, f.Json }).ToDictionaryAsync(f => f.Name, f => f.Json, Ct),
            RepositoryTypes: await db.DataRepositoryTypes.Select(t => new { t.Name, t.Json }).ToDictionaryAsync(t => t.Name, t => t.Json, Ct),
            Systems: await db.CoordinateSystems.OrderBy(c => c.Name).Select(c => new { c.Id, c.Name, c.Json }).ToListAsync(Ct),
            DatasetTypesWithJson: await db.DatasetTypes.CountAsync(t => t.Json != null, Ct)));
        // Fixture data.dataformat.json: tsv, parquet, npz ... hold "", csv, npy, bin ... hold null; the unknown row made by migrate holds null.
        Assert.Equal("\"\"", stored.Formats["tsv"]);
        Assert.Equal("\"\"", stored.Formats["sparse npz"]);
        Assert.Null(stored.Formats["csv"]);
        Assert.Null(stored.Formats["npy"]);
        Assert.Null(stored.Formats["unknown"]);
        Assert.Equal(12, stored.Formats.Values.Count(j => j == "\"\""));
        Assert.Equal("\"\"", stored.RepositoryTypes["Fileserver"]);
        Assert.Equal("\"\"", stored.RepositoryTypes["Cardboard box"]);
        Assert.Equal(0, stored.DatasetTypesWithJson);
        Assert.Equal([(Guid.Parse("cbc64f28-6aa5-4331-a9fd-7648ffa13876"), "IBL-Allen", (string?)null),
            (Guid.Parse("3b00d02e-ea91-4a37-9427-d83de37a1b63"), "Needles-Allen", null)], stored.Systems.Select(c => (c.Id, c.Name, c.Json)));

        // On the wire: "" stays "", null stays null.
        var client = await app.ClientForAsync();
        Assert.Equal("", (await (await client.GetAsync("/data-formats/tsv", Ct)).ReadJsonAsync(System.Net.HttpStatusCode.OK))["json"]!.GetValue<string>());
        var csv = await (await client.GetAsync("/data-formats/csv", Ct)).ReadJsonAsync(System.Net.HttpStatusCode.OK);
        Assert.True(csv.AsObject().ContainsKey("json"));
        Assert.Null(csv["json"]);
        Assert.Equal("", (await (await client.GetAsync("/data-repository-type/Fileserver", Ct)).ReadJsonAsync(System.Net.HttpStatusCode.OK))["json"]!.GetValue<string>());
    }
}
