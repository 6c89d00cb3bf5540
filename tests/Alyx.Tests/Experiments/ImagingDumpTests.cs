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

/// <summary>Imaging types, stacks, fields of view and their locations through export-dump and import-dump (spec 40 §7).</summary>
public sealed class ImagingDumpTests : IAsyncLifetime
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly AlyxClock Clock = new(TimeProvider.System, TimeZoneInfo.Utc);

    readonly List<IAsyncDisposable> owners = [];
    readonly string file = Path.Combine(Path.GetTempPath(), $"alyx-imaging-{Guid.NewGuid():N}.json");

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
        await ReferenceData.LoadAsync(db, Ct);
        return url;
    }

    [Fact]
    public async Task LoadReferenceData_ShipsTheMesoscopeImagingType_WithItsWellKnownId()
    {
        var url = await EmptyMigratedAsync();
        await using var db = TestDatabase.Open(url);
        var type = await db.Set<ImagingType>().SingleAsync(Ct);
        Assert.Equal((Guid.Parse("8c009775-2bff-4de7-baca-c27dc949426e"), "mesoscope"), (type.Id, type.Name));
        Assert.DoesNotContain(await ReferenceData.LoadAsync(db, Ct), a => a.Kind == "imaging types");
    }

    [Fact]
    public async Task ExportDump_StackFovLocation_ArraysAsDjangoWritesThem_ImportBackUnchanged()
    {
        var first = await EmptyMigratedAsync();
        Guid stackId, fovId, locationId, datasetId, sessionId, systemId, typeId;
        await using (var db = TestDatabase.Open(first))
        {
            var subject = new Subject { Nickname = "IMG01", LabId = DatabaseSetup.DefaultLabId };
            var session = new Session { Subject = subject, StartTime = new DateTime(2024, 1, 2, 10, 0, 0), Number = 1 };
            var dataset = new Dataset
            {
                Session = session,
                Name = "mpci.times.npy",
                Collection = "alf/FOV_00",
                Hash = "",
                Version = "",
                DatasetTypeId = (await db.DatasetTypes.FirstAsync(Ct)).Id,
                DataFormatId = (await db.DataFormats.FirstAsync(Ct)).Id,
            };
            var system = new CoordinateSystem { Name = "IBL-Allen", Description = "Allen, Bregma origin" };
            var type = await db.Set<ImagingType>().SingleAsync(t => t.Name == "mesoscope", Ct);
            var stack = new ImagingStack { Name = "stack_a", Json = """{"z": [1]}""" };
            var fov = new Fov { Name = "FOV_00", Session = session, ImagingTypeId = type.Id, Stack = stack, Datasets = [dataset] };
            var location = new FovLocation
            {
                FieldOfView = fov,
                Provenance = "H",
                DefaultProvenance = true,
                CoordinateSystem = system,
                AutoDatetime = new DateTime(2024, 1, 3, 4, 5, 6),
                X = """["-1.25", "3.0", null]""",
                Y = "[]",
                Z = """["1e-05"]""",
                NXyz = """["512", "512", "1"]""",
            };
            location.BrainRegions.AddRange(await db.BrainRegions.Where(r => r.Id == 355 || r.Id == 9).ToListAsync(Ct));
            db.AddRange(subject, session, dataset, system, stack, fov, location);
            await db.SaveChangesAsync(Ct);
            (stackId, fovId, locationId, datasetId, sessionId, systemId, typeId) = (stack.Id, fov.Id, location.Id, dataset.Id, session.Id, system.Id, type.Id);
            await DumpExporter.ExportAsync(db, Clock, file, null, Ct);
        }

        using (var doc = JsonDocument.Parse(await File.ReadAllTextAsync(file, Ct)))
        {
            var records = doc.RootElement.EnumerateArray().ToList();
            JsonElement Fields(string label) => records.Single(r => r.GetProperty("model").GetString() == label).GetProperty("fields");
            var loc = Fields("experiments.fovlocation");
            Assert.Equal(["auto_datetime", "brain_region", "coordinate_system", "default_provenance", "field_of_view", "json", "n_xyz", "name", "provenance", "x", "y", "z"],
                loc.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal(("""["-1.25", "3.0", null]""", """["512", "512", "1"]""", "H", fovId.ToString()), (loc.GetProperty("x").GetString(),
                loc.GetProperty("n_xyz").GetString(), loc.GetProperty("provenance").GetString(), loc.GetProperty("field_of_view").GetString()));
            Assert.Equal([9, 355], loc.GetProperty("brain_region").EnumerateArray().Select(r => r.GetInt32()).Order());
            var fov = Fields("experiments.fov");
            Assert.Equal(["datasets", "imaging_type", "json", "name", "session", "stack"], fov.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal((sessionId.ToString(), typeId.ToString(), stackId.ToString(), datasetId.ToString()), (fov.GetProperty("session").GetString(),
                fov.GetProperty("imaging_type").GetString(), fov.GetProperty("stack").GetString(), fov.GetProperty("datasets")[0].GetString()));
            Assert.Equal(["json", "name"], Fields("experiments.imagingstack").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal("mesoscope", Fields("experiments.imagingtype").GetProperty("name").GetString());
        }

        var second = await EmptyMigratedAsync();
        await using (var db = TestDatabase.Open(second))
        {
            await new DumpImporter(db, Clock).ImportAsync([file], Ct);
            var stack = await db.Set<ImagingStack>().SingleAsync(s => s.Id == stackId, Ct);
            Assert.Equal(("stack_a", 1), (stack.Name, JsonDocument.Parse(stack.Json!).RootElement.GetProperty("z")[0].GetInt32()));
            var fov = await db.Set<Fov>().Include(f => f.Datasets).SingleAsync(f => f.Id == fovId, Ct);
            Assert.Equal(("FOV_00", sessionId, typeId, stackId, datasetId), (fov.Name, fov.SessionId, fov.ImagingTypeId, fov.StackId!.Value, fov.Datasets.Single().Id));
            var l = await db.Set<FovLocation>().Include(x => x.BrainRegions).SingleAsync(x => x.Id == locationId, Ct);
            Assert.Equal((fovId, "H", true, systemId, new DateTime(2024, 1, 3, 4, 5, 6)), (l.FieldOfViewId, l.Provenance, l.DefaultProvenance,
                l.CoordinateSystemId!.Value, l.AutoDatetime));
            Assert.Equal(("""["-1.25", "3.0", null]""", "[]", """["1e-05"]""", """["512", "512", "1"]"""), (l.X, l.Y, l.Z, l.NXyz));
            Assert.Equal([9, 355], l.BrainRegions.Select(r => r.Id).Order());
        }
    }
}
