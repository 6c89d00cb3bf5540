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

/// <summary>Coordinate systems, chronic insertions, trajectories and channels through export-dump and import-dump (spec 40 §7).</summary>
public sealed class TrajectoryDumpTests : IAsyncLifetime
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly AlyxClock Clock = new(TimeProvider.System, TimeZoneInfo.Utc);

    readonly List<IAsyncDisposable> owners = [];
    readonly string file = Path.Combine(Path.GetTempPath(), $"alyx-trajectories-{Guid.NewGuid():N}.json");

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
    public async Task ExportDump_ChronicInsertionTrajectoryChannel_ImportBackUnchanged()
    {
        var first = await EmptyMigratedAsync();
        Guid chronicId, trajectoryId, channelId, systemId, insertionId;
        await using (var db = TestDatabase.Open(first))
        {
            var subject = new Subject { Nickname = "DUMP01", LabId = DatabaseSetup.DefaultLabId };
            var session = new Session { Subject = subject, StartTime = new DateTime(2024, 1, 2, 10, 0, 0), Number = 1 };
            // The coordinate system load-reference-data ships (the fixture's id).
            var system = await db.CoordinateSystems.SingleAsync(c => c.Name == "IBL-Allen", Ct);
            var model = await db.ProbeModels.SingleAsync(m => m.Model == "3B2", Ct);
            var chronic = new ChronicInsertion { Serial = "19019101", ModelId = model.Id };
            chronic.Recording = new ChronicRecording { Id = chronic.Id, Subject = subject, Name = "probe00", StartTime = new DateTime(2024, 1, 1) };
            var insertion = new ProbeInsertion { Name = "probe00", Session = session, ChronicInsertion = chronic, Serial = "19019101" };
            var trajectory = new TrajectoryEstimate
            {
                ProbeInsertion = insertion,
                X = -4521.2,
                Y = 2415,
                Z = 0,
                Depth = 5000,
                Theta = 10,
                Phi = 80,
                Roll = 0,
                Provenance = 70,
                CoordinateSystem = system,
                Datetime = new DateTime(2024, 1, 3, 4, 5, 6),
                Json = """{"alignment": [1, 2]}""",
            };
            var channel = new Channel { TrajectoryEstimate = trajectory, Axial = 20, Lateral = 40, X = 111.1, Y = -222.2, Z = 333.3, BrainRegionId = 1133 };
            db.AddRange(chronic, insertion, trajectory, channel);
            await db.SaveChangesAsync(Ct);
            (chronicId, trajectoryId, channelId, systemId, insertionId) = (chronic.Id, trajectory.Id, channel.Id, system.Id, insertion.Id);
            await DumpExporter.ExportAsync(db, Clock, file, null, Ct);
        }

        using (var doc = JsonDocument.Parse(await File.ReadAllTextAsync(file, Ct)))
        {
            var records = doc.RootElement.EnumerateArray().ToList();
            JsonElement Fields(string label) => records.Single(r => r.GetProperty("model").GetString() == label).GetProperty("fields");
            var traj = Fields("experiments.trajectoryestimate");
            Assert.Equal(["chronic_insertion", "coordinate_system", "datetime", "depth", "json", "phi", "probe_insertion", "provenance", "roll", "theta", "x", "y", "z"],
                traj.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal((70, insertionId.ToString(), systemId.ToString()), (traj.GetProperty("provenance").GetInt32(), traj.GetProperty("probe_insertion").GetString(),
                traj.GetProperty("coordinate_system").GetString()));
            Assert.Equal(["model", "serial"], Fields("experiments.chronicinsertion").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal(1133, Fields("experiments.channel").GetProperty("brain_region").GetInt32());
            Assert.Equal(chronicId.ToString(), Fields("experiments.probeinsertion").GetProperty("chronic_insertion").GetString());
            var systems = records.Where(r => r.GetProperty("model").GetString() == "experiments.coordinatesystem")
                .Select(r => (r.GetProperty("pk").GetString(), r.GetProperty("fields").GetProperty("name").GetString())).OrderBy(r => r.Item2).ToList();
            Assert.Equal([("cbc64f28-6aa5-4331-a9fd-7648ffa13876", "IBL-Allen"), ("3b00d02e-ea91-4a37-9427-d83de37a1b63", "Needles-Allen")], systems);
            Assert.Equal(Guid.Parse("cbc64f28-6aa5-4331-a9fd-7648ffa13876"), systemId);
        }

        var second = await EmptyMigratedAsync();
        await using (var db = TestDatabase.Open(second))
        {
            await new DumpImporter(db, Clock).ImportAsync([file], Ct);
            var chronic = await db.ChronicInsertions.Include(c => c.Recording).Include(c => c.Model).SingleAsync(c => c.Id == chronicId, Ct);
            Assert.Equal(("19019101", "3B2", "probe00"), (chronic.Serial, chronic.Model!.Model, chronic.Recording!.Name));
            var t = await db.TrajectoryEstimates.SingleAsync(x => x.Id == trajectoryId, Ct);
            Assert.Equal((insertionId, -4521.2, 70, systemId, new DateTime(2024, 1, 3, 4, 5, 6)), (t.ProbeInsertionId!.Value, t.X!.Value, t.Provenance,
                t.CoordinateSystemId!.Value, t.Datetime));
            Assert.Equal(1, JsonDocument.Parse(t.Json!).RootElement.GetProperty("alignment")[0].GetInt32());
            var c = await db.Channels.SingleAsync(x => x.Id == channelId, Ct);
            Assert.Equal((trajectoryId, 1133, 20.0, 40.0), (c.TrajectoryEstimateId!.Value, c.BrainRegionId!.Value, c.Axial!.Value, c.Lateral!.Value));
            Assert.Equal(chronicId, (await db.ProbeInsertions.SingleAsync(p => p.Id == insertionId, Ct)).ChronicInsertionId);
        }
    }
}
