using System.Text;
using Alyx.Actions;
using Alyx.Database;
using Alyx.Database.Import;
using Alyx.Http;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Data;

/// <summary>Dump import of every data-app model (spec 30 §1.14), from a small hand-written dump.</summary>
public sealed class DataImportTests : IAsyncLifetime
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    readonly List<string> tempFiles = [];
    IAsyncDisposable? owner;
    string url = "";

    public async ValueTask InitializeAsync() => (url, owner) = await TestDatabase.CreateAsync();

    public async ValueTask DisposeAsync()
    {
        if (owner is not null) await owner.DisposeAsync();
        foreach (var file in tempFiles) File.Delete(file);
    }

    async Task<string> WriteDumpAsync(string json)
    {
        var file = Path.Combine(Path.GetTempPath(), $"alyx-data-import-{Guid.NewGuid():N}.json");
        tempFiles.Add(file);
        await File.WriteAllTextAsync(file, json, Encoding.UTF8, Ct);
        return file;
    }

    async Task<T> WithDbAsync<T>(Func<AlyxDb, Task<T>> work)
    {
        await using var db = TestDatabase.Open(url);
        return await work(db);
    }

    Task<DumpImportReport> ImportAsync(string file) =>
        WithDbAsync(db => new DumpImporter(db, new AlyxClock(TimeProvider.System, TimeZoneInfo.Utc)).ImportAsync([file], Ct));

    static string Uuid() => Guid.NewGuid().ToString();

    /// <summary>A subject and a session made directly, for datasets to hang off.</summary>
    async Task<Guid> SessionAsync() => await WithDbAsync(async db =>
    {
        var subject = new Subject { Nickname = AlyxApp.Unique("mouse"), LabId = DatabaseSetup.DefaultLabId };
        var session = new Session { Subject = subject, StartTime = new DateTime(2024, 1, 2, 10, 0, 0), Number = 1 };
        db.Add(session);
        await db.SaveChangesAsync(Ct);
        return session.Id;
    });

    [Fact]
    public async Task ImportDump_EveryDataModel_LoadsRowsLinksAndDefaults()
    {
        var session = await SessionAsync();
        string user = Uuid(), repoType = Uuid(), repo = Uuid(), format = Uuid(), plainType = Uuid(), patternType = Uuid(),
            revision = Uuid(), tag = Uuid(), dataset = Uuid(), aggregate = Uuid(), record = Uuid(), download = Uuid(),
            notice = Uuid(), project = Uuid(), subjectPk = Uuid();
        string typeName = AlyxApp.Unique("trials.table"), pattern = "*" + AlyxApp.Unique("Trials").ToUpperInvariant() + ".*";
        var file = await WriteDumpAsync($$$"""
            [{"model": "misc.labmember", "pk": "{{{user}}}", "fields": {"password": "", "username": "{{{AlyxApp.Unique("u")}}}", "date_joined": "2020-01-01T00:00:00"}},
             {"model": "subjects.project", "pk": "{{{project}}}", "fields": {"name": "{{{AlyxApp.Unique("p")}}}", "json": null, "users": []}},
             {"model": "data.datarepositorytype", "pk": "{{{repoType}}}", "fields": {"json": null, "name": "{{{AlyxApp.Unique("rt")}}}"}},
             {"model": "data.datarepository", "pk": "{{{repo}}}", "fields": {"json": null, "name": "{{{AlyxApp.Unique("repo")}}}", "repository_type": "{{{repoType}}}", "hostname": "host", "data_url": "https://example.org/data/", "globus_path": "/mnt/s0/", "globus_endpoint_id": null, "globus_is_personal": false}},
             {"model": "data.dataformat", "pk": "{{{format}}}", "fields": {"json": null, "name": "{{{AlyxApp.Unique("pqt")}}}", "description": "parquet", "file_extension": ".pqt", "matlab_loader_function": "", "python_loader_function": "pandas.read_parquet"}},
             {"model": "data.datasettype", "pk": "{{{plainType}}}", "fields": {"json": null, "name": "{{{AlyxApp.Unique("plain")}}}", "created_by": null, "description": "", "filename_pattern": ""}},
             {"model": "data.datasettype", "pk": "{{{patternType}}}", "fields": {"json": null, "name": "{{{typeName}}}", "created_by": "{{{user}}}", "description": "d", "filename_pattern": "{{{pattern}}}"}},
             {"model": "data.revision", "pk": "{{{revision}}}", "fields": {"json": null, "name": "{{{AlyxApp.Unique("rev")}}}", "description": ""}},
             {"model": "data.tag", "pk": "{{{tag}}}", "fields": {"json": null, "name": "{{{AlyxApp.Unique("tag")}}}", "description": "", "protected": true, "public": false, "hash": null}},
             {"model": "data.dataset", "pk": "{{{dataset}}}", "fields": {"name": "_ibl_trials.table.pqt", "json": null, "session": "{{{session}}}", "created_by": "{{{user}}}", "created_datetime": "2024-01-02T11:12:13.456", "generating_software": "", "provenance_directory": null, "content_type": null, "object_id": null, "file_size": 5000000000, "md5": null, "hash": "abc", "version": "1.2.3", "collection": "alf", "dataset_type": "{{{patternType}}}", "data_format": "{{{format}}}", "revision": "{{{revision}}}", "auto_datetime": "2024-01-03T00:00:00", "default_dataset": false, "qc": 40, "tags": ["{{{tag}}}"]}},
             {"model": "data.dataset", "pk": "{{{aggregate}}}", "fields": {"name": "_ibl_subjectTrials.table.pqt", "session": null, "content_type": ["subjects", "subject"], "object_id": "{{{subjectPk}}}", "collection": "Subjects/lab/mouse", "dataset_type": "{{{plainType}}}", "data_format": "{{{format}}}"}},
             {"model": "data.filerecord", "pk": "{{{record}}}", "fields": {"name": "", "json": {"transfer_pending": true}, "dataset": "{{{dataset}}}", "data_repository": "{{{repo}}}", "relative_path": "mouse/2024-01-02/001/alf/_ibl_trials.table.pqt", "exists": true}},
             {"model": "data.download", "pk": "{{{download}}}", "fields": {"name": "", "json": null, "user": "{{{user}}}", "dataset": "{{{dataset}}}", "first_download": "2024-02-01T00:00:00", "last_download": "2024-02-03T00:00:00", "count": 3, "projects": ["{{{project}}}"]}},
             {"model": "data.datanotice", "pk": "{{{notice}}}", "fields": {"name": "bad wheel", "json": null, "description": "**wheel**", "importance": 40, "created_by": "{{{user}}}", "created_datetime": "2024-03-01T00:00:00", "version_affected": "2.0", "affected_date_start": "2024-01-01", "affected_date_end": null, "datasets": ["{{{dataset}}}"]}}]
            """);

        await ImportAsync(file);

        await WithDbAsync(async db =>
        {
            var ds = await db.Datasets.Include(d => d.Tags).Include(d => d.FileRecords).Include(d => d.DataNotices)
                .SingleAsync(d => d.Id == Guid.Parse(dataset), Ct);
            Assert.Equal((session, Guid.Parse(user), new DateTime(2024, 1, 2, 11, 12, 13, 456)), (ds.SessionId!.Value, ds.CreatedById!.Value, ds.CreatedDatetime!.Value));
            Assert.Equal((5000000000L, "abc", "1.2.3", "alf", false, 40), (ds.FileSize!.Value, ds.Hash, ds.Version, ds.Collection, ds.DefaultDataset, ds.Qc));
            Assert.Equal((Guid.Parse(patternType), Guid.Parse(format), Guid.Parse(revision)), (ds.DatasetTypeId, ds.DataFormatId, ds.RevisionId!.Value));
            Assert.Equal([Guid.Parse(tag)], ds.Tags.Select(t => t.Id));
            var fr = Assert.Single(ds.FileRecords);
            Assert.Equal((Guid.Parse(record), Guid.Parse(repo), true), (fr.Id, fr.DataRepositoryId, fr.Exists));
            Assert.Equal("""{"transfer_pending": true}""".Replace(" ", "", StringComparison.Ordinal), fr.Json!.Replace(" ", "", StringComparison.Ordinal));
            Assert.Equal([Guid.Parse(notice)], ds.DataNotices.Select(n => n.Id));

            // Missing keys take Django's defaults; the content type natural key is this database's id.
            var agg = await db.Datasets.Include(d => d.ContentType).SingleAsync(d => d.Id == Guid.Parse(aggregate), Ct);
            Assert.Equal(("subjects", "subject", Guid.Parse(subjectPk)), (agg.ContentType!.AppLabel, agg.ContentType.Model, agg.ObjectId!.Value));
            Assert.Equal((true, 0, "", "", (Guid?)null, (long?)null), (agg.DefaultDataset, agg.Qc, agg.Hash, agg.Version, agg.SessionId, agg.FileSize));
            Assert.NotNull(agg.CreatedDatetime);

            // An empty pattern is stored as NULL; a pattern is kept as dumped (the import runs no save hooks).
            var types = await db.DatasetTypes.Where(t => t.Id == Guid.Parse(plainType) || t.Id == Guid.Parse(patternType)).ToListAsync(Ct);
            Assert.Null(types.Single(t => t.Id == Guid.Parse(plainType)).FilenamePattern);
            Assert.Equal(pattern, types.Single(t => t.Id == Guid.Parse(patternType)).FilenamePattern);

            var dl = await db.Downloads.Include(d => d.Projects).SingleAsync(d => d.Id == Guid.Parse(download), Ct);
            Assert.Equal((3, new DateTime(2024, 2, 1), new DateTime(2024, 2, 3)), (dl.Count, dl.FirstDownload, dl.LastDownload));
            Assert.Equal([Guid.Parse(project)], dl.Projects.Select(p => p.Id));

            var dn = await db.DataNotices.SingleAsync(n => n.Id == Guid.Parse(notice), Ct);
            Assert.Equal(("bad wheel", 40, "2.0", new DateOnly(2024, 1, 1), (DateOnly?)null), (dn.Name, dn.Importance, dn.VersionAffected, dn.AffectedDateStart!.Value, dn.AffectedDateEnd));

            var rev = await db.Revisions.SingleAsync(r => r.Id == Guid.Parse(revision), Ct);
            Assert.NotNull(rev.CreatedDatetime);
            var t = await db.Tags.SingleAsync(x => x.Id == Guid.Parse(tag), Ct);
            Assert.True(t.Protected);
            var r = await db.DataRepositories.SingleAsync(x => x.Id == Guid.Parse(repo), Ct);
            Assert.Equal(("https://example.org/data/", false, Guid.Parse(repoType)), (r.DataUrl, r.GlobusIsPersonal!.Value, r.RepositoryTypeId!.Value));
            return true;
        });
    }

    [Fact]
    public async Task ImportDump_UnknownContentTypeNaturalKey_FailsNamingRecordAndChangesNothing()
    {
        string format = Uuid(), type = Uuid(), dataset = Uuid();
        var file = await WriteDumpAsync($$$"""
            [{"model": "data.dataformat", "pk": "{{{format}}}", "fields": {"name": "{{{AlyxApp.Unique("f")}}}", "file_extension": ".x"}},
             {"model": "data.datasettype", "pk": "{{{type}}}", "fields": {"name": "{{{AlyxApp.Unique("t")}}}", "filename_pattern": ""}},
             {"model": "data.dataset", "pk": "{{{dataset}}}", "fields": {"name": "a.b.x", "content_type": ["nowhere", "nothing"], "dataset_type": "{{{type}}}", "data_format": "{{{format}}}"}}]
            """);
        var error = await Assert.ThrowsAsync<DumpImportException>(() => ImportAsync(file));
        Assert.Contains("nowhere.nothing", error.Message, StringComparison.Ordinal);
        Assert.Contains($"data.dataset pk={dataset}", error.Message, StringComparison.Ordinal);
        Assert.False(await WithDbAsync(db => db.DataFormats.AnyAsync(f => f.Id == Guid.Parse(format), Ct)));
    }

    [Fact]
    public async Task ImportDump_SecondFileRecordOnSameRepositoryPath_IsRefusedByTheDatabase()
    {
        var session = await SessionAsync();
        string format = Uuid(), type = Uuid(), dataset = Uuid(), repo = Uuid();
        var records = string.Join(",", Enumerable.Range(0, 2).Select(_ =>
            $$$"""{"model": "data.filerecord", "pk": "{{{Uuid()}}}", "fields": {"dataset": "{{{dataset}}}", "data_repository": "{{{repo}}}", "relative_path": "same/path.x", "exists": false}}"""));
        var file = await WriteDumpAsync($$$"""
            [{"model": "data.dataformat", "pk": "{{{format}}}", "fields": {"name": "{{{AlyxApp.Unique("f")}}}", "file_extension": ".x"}},
             {"model": "data.datasettype", "pk": "{{{type}}}", "fields": {"name": "{{{AlyxApp.Unique("t")}}}", "filename_pattern": ""}},
             {"model": "data.datarepository", "pk": "{{{repo}}}", "fields": {"name": "{{{AlyxApp.Unique("r")}}}"}},
             {"model": "data.dataset", "pk": "{{{dataset}}}", "fields": {"name": "a.b.x", "session": "{{{session}}}", "dataset_type": "{{{type}}}", "data_format": "{{{format}}}"}},
             {{{records}}}]
            """);
        await Assert.ThrowsAsync<DumpImportException>(() => ImportAsync(file));
        Assert.False(await WithDbAsync(db => db.Datasets.AnyAsync(d => d.Id == Guid.Parse(dataset), Ct)));
    }

    /// <summary>
    /// Every session of a real dump has the same alf/... dataset names: two datasets alike but for their session, in one
    /// import, with the sessions in the dump or already in the database. A true duplicate (same session) is still refused.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ImportDump_SameCollectionNameAndRevisionInTwoSessions_LoadsBoth(bool sessionsInDump)
    {
        string format = Uuid(), type = Uuid(), first = Uuid(), second = Uuid();
        string sessions;
        Guid a, b;
        if (sessionsInDump)
        {
            var subject = await WithDbAsync(async db =>
            {
                var s = new Subject { Nickname = AlyxApp.Unique("mouse"), LabId = DatabaseSetup.DefaultLabId };
                db.Add(s);
                await db.SaveChangesAsync(Ct);
                return s.Id;
            });
            (a, b) = (Guid.NewGuid(), Guid.NewGuid());
            sessions = string.Concat(new[] { (a, 1), (b, 2) }.Select(x =>
                $$$"""{"model": "actions.session", "pk": "{{{x.Item1}}}", "fields": {"subject": "{{{subject}}}", "start_time": "2024-01-02T10:00:00", "number": {{{x.Item2}}}}},"""));
        }
        else
        {
            (a, b, sessions) = (await SessionAsync(), await SessionAsync(), "");
        }
        string Dataset(string pk, Guid session) =>
            $$$"""{"model": "data.dataset", "pk": "{{{pk}}}", "fields": {"name": "_ibl_trials.table.pqt", "collection": "alf", "revision": null, "session": "{{{session}}}", "dataset_type": "{{{type}}}", "data_format": "{{{format}}}"}}""";
        var head = $$$"""
            [{"model": "data.dataformat", "pk": "{{{format}}}", "fields": {"name": "{{{AlyxApp.Unique("f")}}}", "file_extension": ".pqt"}},
             {"model": "data.datasettype", "pk": "{{{type}}}", "fields": {"name": "{{{AlyxApp.Unique("t")}}}", "filename_pattern": ""}},
             {{{sessions}}}
            """;
        var file = await WriteDumpAsync(head + Dataset(first, a) + ",\n" + Dataset(second, b) + "]");

        await ImportAsync(file);

        var stored = await WithDbAsync(db => db.Datasets.Where(d => d.Id == Guid.Parse(first) || d.Id == Guid.Parse(second))
            .Select(d => new { d.Id, d.SessionId, d.Collection, d.Name, d.RevisionId }).ToListAsync(Ct));
        Assert.Equal(
            [(Guid.Parse(first), (Guid?)a, "alf", "_ibl_trials.table.pqt", (Guid?)null), (Guid.Parse(second), (Guid?)b, "alf", "_ibl_trials.table.pqt", (Guid?)null)],
            stored.Select(d => (d.Id, d.SessionId, d.Collection, d.Name, d.RevisionId)).OrderBy(d => d.Id == Guid.Parse(first) ? 0 : 1));

        // The same pair in one session is a duplicate identity: refused, nothing of the dump written.
        string third = Uuid(), fourth = Uuid();
        var duplicate = await WriteDumpAsync(head + Dataset(third, a) + ",\n" + Dataset(fourth, a) + "]");
        await Assert.ThrowsAsync<DumpImportException>(() => ImportAsync(duplicate));
        Assert.False(await WithDbAsync(db => db.Datasets.AnyAsync(d => d.Id == Guid.Parse(third) || d.Id == Guid.Parse(fourth), Ct)));
    }
}
