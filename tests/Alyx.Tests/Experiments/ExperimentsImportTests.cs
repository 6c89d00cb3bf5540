using System.Text;
using System.Text.Json;
using Alyx.Actions;
using Alyx.Data;
using Alyx.Database;
using Alyx.Database.Import;
using Alyx.Experiments;
using Alyx.Http;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Experiments;

/// <summary>Probe models and insertions in Django dumps (spec 40 §7): import, export, and the shipped probe models.</summary>
public sealed class ExperimentsImportTests : IAsyncLifetime
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly AlyxClock Clock = new(TimeProvider.System, TimeZoneInfo.Utc);

    readonly List<string> tempFiles = [];
    readonly List<IAsyncDisposable> owners = [];
    string url = "";

    public async ValueTask InitializeAsync()
    {
        var (created, owner) = await TestDatabase.CreateAsync();
        owners.Add(owner);
        url = created;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owner in owners) await owner.DisposeAsync();
        foreach (var file in tempFiles) File.Delete(file);
    }

    string TempFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"alyx-experiments-{Guid.NewGuid():N}.json");
        tempFiles.Add(file);
        return file;
    }

    async Task<T> WithDbAsync<T>(Func<AlyxDb, Task<T>> work)
    {
        await using var db = TestDatabase.Open(url);
        return await work(db);
    }

    /// <summary>A session with one dataset, made directly.</summary>
    async Task<(Guid Session, Guid Dataset)> SessionWithDatasetAsync() => await WithDbAsync(async db =>
    {
        var subject = new Subject { Nickname = AlyxApp.Unique("mouse"), LabId = DatabaseSetup.DefaultLabId };
        var session = new Session { Subject = subject, StartTime = new DateTime(2024, 1, 2, 10, 0, 0), Number = 1 };
        var type = new DatasetType { Name = AlyxApp.Unique("spikes.times") };
        var format = new DataFormat { Name = AlyxApp.Unique("npy") };
        var dataset = new Dataset { Session = session, Name = "spikes.times.npy", Collection = "alf/probe00", DatasetType = type, DataFormat = format };
        db.Add(dataset);
        await db.SaveChangesAsync(Ct);
        return (session.Id, dataset.Id);
    });

    [Fact]
    public async Task ImportDump_ProbeModelAndInsertion_LoadRowsAndDatasetLinks_EveryFieldKnown()
    {
        var (session, dataset) = await SessionWithDatasetAsync();
        string model = Guid.NewGuid().ToString(), insertion = Guid.NewGuid().ToString(), bare = Guid.NewGuid().ToString();
        var slug = AlyxApp.Unique("NP");
        var file = TempFile();
        await File.WriteAllTextAsync(file, $$$"""
            [{"model": "experiments.probeinsertion", "pk": "{{{insertion}}}", "fields": {"name": "probe00", "json": {"qc": "PASS", "extended_qc": {"a": 1}}, "session": "{{{session}}}", "model": "{{{model}}}", "serial": "19051010091", "auto_datetime": "2024-01-02T11:12:13.456", "chronic_insertion": null, "datasets": ["{{{dataset}}}"]}},
             {"model": "experiments.probemodel", "pk": "{{{model}}}", "fields": {"name": "Neuropixel test", "json": null, "probe_manufacturer": "Imec", "probe_model": "{{{slug}}}", "description": null}},
             {"model": "experiments.probeinsertion", "pk": "{{{bare}}}", "fields": {"name": "probe01"}}]
            """, Encoding.UTF8, Ct);

        var report = await WithDbAsync(db => new DumpImporter(db, Clock).ImportAsync([file], Ct));

        Assert.Contains(("experiments.probemodel", 1), report.Imported);
        Assert.Contains(("experiments.probeinsertion", 2), report.Imported);
        Assert.DoesNotContain(report.UnknownFields, f => f.StartsWith("experiments.probeinsertion", StringComparison.Ordinal));
        await WithDbAsync(async db =>
        {
            var p = await db.ProbeInsertions.Include(x => x.Datasets).Include(x => x.Model).SingleAsync(x => x.Id == Guid.Parse(insertion), Ct);
            Assert.Equal(("probe00", session, "19051010091", new DateTime(2024, 1, 2, 11, 12, 13, 456)),
                (p.Name, p.SessionId!.Value, p.Serial, p.AutoDatetime!.Value));
            Assert.Equal((slug, "Imec", "Neuropixel test", (string?)null), (p.Model!.Model, p.Model.ProbeManufacturer, p.Model.Name, p.Model.Description));
            Assert.Equal([dataset], p.Datasets.Select(d => d.Id));
            Assert.Equal(1, JsonDocument.Parse(p.Json!).RootElement.GetProperty("extended_qc").GetProperty("a").GetInt32());
            // Missing keys take the defaults: no session, no model, blank serial, no time.
            var b = await db.ProbeInsertions.SingleAsync(x => x.Id == Guid.Parse(bare), Ct);
            Assert.Equal(((Guid?)null, (Guid?)null, "", (DateTime?)null, (string?)null), (b.SessionId, b.ModelId, b.Serial, b.AutoDatetime, b.Json));
            return true;
        });
    }

    [Fact]
    public async Task ExportDump_WritesProbeModelsAndInsertionsWithTheirDatasets_AndImportsBackUnchanged()
    {
        var (session, dataset) = await SessionWithDatasetAsync();
        var insertionId = await WithDbAsync(async db =>
        {
            var model = new ProbeModel { Name = "Neuropixel test", ProbeManufacturer = "Imec", Model = AlyxApp.Unique("NP") };
            var insertion = new ProbeInsertion { Name = "probe00", SessionId = session, Model = model, Serial = "1", AutoDatetime = new DateTime(2024, 1, 3) };
            insertion.Datasets.Add(await db.Datasets.SingleAsync(d => d.Id == dataset, Ct));
            db.Add(insertion);
            await db.SaveChangesAsync(Ct);
            return insertion.Id;
        });
        var file = TempFile();
        var counts = await WithDbAsync(db => DumpExporter.ExportAsync(db, Clock, file, null, Ct));
        Assert.Equal(1, counts["experiments.probeinsertion"]);
        Assert.Equal(1, counts["experiments.probemodel"]);

        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(file, Ct));
        var records = doc.RootElement.EnumerateArray().ToList();
        var labels = records.Select(r => r.GetProperty("model").GetString()).ToList();
        var record = records.Single(r => r.GetProperty("model").GetString() == "experiments.probeinsertion");
        Assert.Equal(insertionId.ToString(), record.GetProperty("pk").GetString());
        var fields = record.GetProperty("fields");
        Assert.Equal(["auto_datetime", "chronic_insertion", "datasets", "json", "model", "name", "serial", "session"],
            fields.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal([dataset.ToString()], fields.GetProperty("datasets").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(session.ToString(), fields.GetProperty("session").GetString());
        var modelFields = records.Single(r => r.GetProperty("model").GetString() == "experiments.probemodel").GetProperty("fields");
        Assert.Equal(["description", "json", "name", "probe_manufacturer", "probe_model"], modelFields.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        // The probe model precedes the insertion; datasets list no reverse link.
        Assert.True(labels.IndexOf("experiments.probemodel") < labels.IndexOf("experiments.probeinsertion"));
        var datasetRecord = Assert.Single(records, r => r.GetProperty("model").GetString() == "data.dataset" && r.GetProperty("pk").GetString() == dataset.ToString());
        Assert.False(datasetRecord.GetProperty("fields").TryGetProperty("probe_insertion", out _));
        Assert.All(records.Where(r => r.GetProperty("model").GetString() == "data.dataset"),
            r => Assert.False(r.GetProperty("fields").TryGetProperty("probe_insertion", out _)));

        // Into an empty database: same insertion, same links.
        var (copy, owner) = await TestDatabase.CreateEmptyAsync();
        owners.Add(owner);
        await using (var db = TestDatabase.Open(copy))
        {
            await DatabaseSetup.MigrateAsync(db, Clock, Ct);
            await new DumpImporter(db, Clock).ImportAsync([file], Ct);
            var p = await db.ProbeInsertions.Include(x => x.Datasets).SingleAsync(x => x.Id == insertionId, Ct);
            Assert.Equal(("probe00", "1"), (p.Name, p.Serial));
            Assert.Equal([dataset], p.Datasets.Select(d => d.Id));
        }
    }

    [Fact]
    public async Task ReferenceData_ShipsTheFixtureProbeModels_AndLoadsThemOnce()
    {
        var path = Fixtures.PathOf("experiments.probemodel.json");
        if (!File.Exists(path)) Assert.Skip($"Fixture experiments.probemodel.json not found in {Fixtures.Folder}.");
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(path, Ct));
        static string? Text(JsonElement e, string key) => e.GetProperty(key).ValueKind == JsonValueKind.Null ? null : e.GetProperty(key).GetString();
        var fixture = doc.RootElement.EnumerateArray().Select(r => (Guid.Parse(r.GetProperty("pk").GetString()!),
                Text(r.GetProperty("fields"), "name"), Text(r.GetProperty("fields"), "probe_manufacturer"), Text(r.GetProperty("fields"), "probe_model"),
                Text(r.GetProperty("fields"), "description")))
            .OrderBy(r => r.Item1).ToList();
        Assert.Equal(fixture, ReferenceData.Shipped.ProbeModels
            .Select(m => (m.Id, (string?)m.Name, (string?)m.ProbeManufacturer, (string?)m.Model, m.Description)).OrderBy(r => r.Item1).ToList());

        await WithDbAsync(async db =>
        {
            // A site's own 3A row (another id and name) is kept; the others are added with their well-known ids.
            db.ProbeModels.Add(new ProbeModel { Name = "our 3A", ProbeManufacturer = "Imec", Model = "3A" });
            await db.SaveChangesAsync(Ct);
            var added = await ReferenceData.LoadAsync(db, Ct);
            Assert.Contains(("probe models", 4), added);
            Assert.DoesNotContain(await ReferenceData.LoadAsync(db, Ct), a => a.Kind == "probe models");
            Assert.Equal("our 3A", (await db.ProbeModels.SingleAsync(m => m.Model == "3A", Ct)).Name);
            Assert.True(await db.ProbeModels.AnyAsync(m => m.Model == "3B2" && m.Id == Guid.Parse("057d9a20-aaa9-4f79-8b0c-c8729b4cf160"), Ct));
            return true;
        });
    }
}
