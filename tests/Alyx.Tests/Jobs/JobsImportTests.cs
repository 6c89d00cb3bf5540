using System.Text;
using System.Text.Json;
using Alyx.Actions;
using Alyx.Data;
using Alyx.Database;
using Alyx.Database.Import;
using Alyx.Http;
using Alyx.Jobs;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Jobs;

/// <summary>Tasks in Django dumps (spec 50 §8): import with parent links, export in dumpdata's shape, and back.</summary>
public sealed class JobsImportTests : IAsyncLifetime
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
        var file = Path.Combine(Path.GetTempPath(), $"alyx-jobs-{Guid.NewGuid():N}.json");
        tempFiles.Add(file);
        return file;
    }

    async Task<T> WithDbAsync<T>(Func<AlyxDb, Task<T>> work)
    {
        await using var db = TestDatabase.Open(url);
        return await work(db);
    }

    async Task<(Guid Session, Guid Repository)> SessionAndRepositoryAsync() => await WithDbAsync(async db =>
    {
        var subject = new Subject { Nickname = AlyxApp.Unique("mouse"), LabId = DatabaseSetup.DefaultLabId };
        var session = new Session { Subject = subject, StartTime = new DateTime(2024, 1, 2, 10, 0, 0), Number = 1 };
        var repository = new DataRepository { Name = AlyxApp.Unique("repo") };
        db.AddRange(session, repository);
        await db.SaveChangesAsync(Ct);
        return (session.Id, repository.Id);
    });

    [Fact]
    public async Task ImportDump_Tasks_LoadRowsAndParentLinks_ChildBeforeParent()
    {
        var (session, repository) = await SessionAndRepositoryAsync();
        string parent = Guid.NewGuid().ToString(), child = Guid.NewGuid().ToString(), bare = Guid.NewGuid().ToString();
        var file = TempFile();
        // The child comes first in the file: links are written after every row.
        await File.WriteAllTextAsync(file, $$$"""
            [{"model": "jobs.task", "pk": "{{{child}}}", "fields": {"name": "SpikeSorting", "priority": 60, "io_charge": 20, "level": 1, "gpu": 1, "cpu": 4,
              "ram": 16, "time_out_secs": 3600, "time_elapsed_secs": 12.5, "executable": "ibllib.pipes.ephys_preprocessing.SpikeSorting",
              "graph": "EphysExtractionPipeline", "status": 40, "log": "Traceback", "session": "{{{session}}}", "version": "2.40.0",
              "datetime": "2024-01-02T11:12:13.456", "arguments": {"titi": "toto"}, "data_repository": "{{{repository}}}", "parents": ["{{{parent}}}"]}},
             {"model": "jobs.task", "pk": "{{{parent}}}", "fields": {"name": "EphysPulses", "status": 60, "session": "{{{session}}}",
              "datetime": "2024-01-02T10:00:00", "parents": []}},
             {"model": "jobs.task", "pk": "{{{bare}}}", "fields": {"datetime": "2024-01-03T00:00:00"}}]
            """, Encoding.UTF8, Ct);

        var report = await WithDbAsync(db => new DumpImporter(db, Clock).ImportAsync([file], Ct));

        Assert.Contains(("jobs.task", 3), report.Imported);
        Assert.Empty(report.UnknownFields);
        await WithDbAsync(async db =>
        {
            var c = await db.Set<PipelineTask>().Include(t => t.Parents).SingleAsync(t => t.Id == Guid.Parse(child), Ct);
            Assert.Equal(("SpikeSorting", (int?)60, (int?)20, (int?)1, (int?)1, (int?)4, (int?)16, (int?)3600, (double?)12.5),
                (c.Name, c.Priority, c.IoCharge, c.Level, c.Gpu, c.Cpu, c.Ram, c.TimeOutSecs, c.TimeElapsedSecs));
            Assert.Equal(("ibllib.pipes.ephys_preprocessing.SpikeSorting", "EphysExtractionPipeline", 40, "Traceback", "2.40.0"),
                (c.Executable, c.Graph, c.Status, c.Log, c.Version));
            Assert.Equal((session, repository, new DateTime(2024, 1, 2, 11, 12, 13, 456)), (c.SessionId!.Value, c.DataRepositoryId!.Value, c.Datetime));
            Assert.Equal("toto", JsonDocument.Parse(c.Arguments!).RootElement.GetProperty("titi").GetString());
            Assert.Equal([Guid.Parse(parent)], c.Parents.Select(p => p.Id));
            // Missing keys take the model's defaults: status 10 (Django's default), everything else null.
            var b = await db.Set<PipelineTask>().SingleAsync(t => t.Id == Guid.Parse(bare), Ct);
            Assert.Equal((10, (string?)null, (Guid?)null, (string?)null, (int?)null), (b.Status, b.Name, b.SessionId, b.Arguments, b.Priority));
            return true;
        });
    }

    [Fact]
    public async Task ExportDump_WritesTasksAsDumpdata_ParentsOnly_AndImportsBackUnchanged()
    {
        var (session, repository) = await SessionAndRepositoryAsync();
        var (parentId, childId) = await WithDbAsync(async db =>
        {
            var parent = new PipelineTask { Name = "P", SessionId = session, Status = 60, Datetime = new DateTime(2024, 2, 1, 8, 0, 0, 123) };
            var child = new PipelineTask
            {
                Name = "C",
                SessionId = session,
                DataRepositoryId = repository,
                Status = 20,
                Level = 1,
                Priority = 90,
                TimeElapsedSecs = 2,
                Datetime = new DateTime(2024, 2, 1, 9, 0, 0),
                Arguments = """{"a": [1, 2]}""",
                Parents = [parent],
            };
            db.AddRange(parent, child);
            await db.SaveChangesAsync(Ct);
            return (parent.Id, child.Id);
        });
        var file = TempFile();
        var counts = await WithDbAsync(db => DumpExporter.ExportAsync(db, Clock, file, null, Ct));
        Assert.Equal(2, counts["jobs.task"]);

        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(file, Ct));
        var records = doc.RootElement.EnumerateArray().Where(r => r.GetProperty("model").GetString() == "jobs.task").ToList();
        var fields = records.Single(r => r.GetProperty("pk").GetString() == childId.ToString()).GetProperty("fields");
        Assert.Equal(["arguments", "cpu", "data_repository", "datetime", "executable", "gpu", "graph", "io_charge", "level", "log", "name", "parents",
            "priority", "ram", "session", "status", "time_elapsed_secs", "time_out_secs", "version"],
            fields.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal([parentId.ToString()], fields.GetProperty("parents").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal((20, 90, "2024-02-01T09:00:00", repository.ToString()),
            (fields.GetProperty("status").GetInt32(), fields.GetProperty("priority").GetInt32(), fields.GetProperty("datetime").GetString(),
                fields.GetProperty("data_repository").GetString()));
        Assert.Equal(JsonValueKind.Object, fields.GetProperty("arguments").ValueKind);
        var parentFields = records.Single(r => r.GetProperty("pk").GetString() == parentId.ToString()).GetProperty("fields");
        Assert.Equal(0, parentFields.GetProperty("parents").GetArrayLength());

        // Into an empty database: the same rows and link.
        var (copy, owner) = await TestDatabase.CreateEmptyAsync();
        owners.Add(owner);
        await using var target = TestDatabase.Open(copy);
        await DatabaseSetup.MigrateAsync(target, Clock, Ct);
        await new DumpImporter(target, Clock).ImportAsync([file], Ct);
        var c = await target.Set<PipelineTask>().Include(t => t.Parents).SingleAsync(t => t.Id == childId, Ct);
        Assert.Equal(("C", 20, (int?)1, (double?)2, new DateTime(2024, 2, 1, 9, 0, 0)), (c.Name, c.Status, c.Level, c.TimeElapsedSecs, c.Datetime));
        Assert.Equal([parentId], c.Parents.Select(p => p.Id));
        Assert.Equal(new DateTime(2024, 2, 1, 8, 0, 0, 123), (await target.Set<PipelineTask>().SingleAsync(t => t.Id == parentId, Ct)).Datetime);
    }
}
