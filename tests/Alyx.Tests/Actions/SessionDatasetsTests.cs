using System.Net;
using System.Text.Json.Nodes;
using Alyx.Data;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Actions;

/// <summary>Datasets seen from sessions: the nested detail list and the dataset filters (upstream test_sessions_with_related_datasets).</summary>
public sealed class SessionDatasetsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal sealed record Lab(string Nickname, Guid SubjectId, Guid Server, Guid Personal, Guid Type, Guid Format);

    /// <summary>A subject, a server repository (non-personal, with a data_url), a personal one, a dataset type and a format.</summary>
    internal static async Task<Lab> NewLabAsync(AlyxApp app, bool withServer = true)
    {
        var (_, nickname, subjectId) = await SessionsApiTests.NewSubjectAsync(app);
        var server = new DataRepository { Name = AlyxApp.Unique("flatiron"), GlobusIsPersonal = false, DataUrl = "https://data.example.org/Subjects/" };
        var personal = new DataRepository { Name = AlyxApp.Unique("rig"), GlobusIsPersonal = true, DataUrl = "http://rig.local/" };
        var type = new DatasetType { Name = AlyxApp.Unique("trials.table") };
        var format = new DataFormat { Name = AlyxApp.Unique("parquet"), FileExtension = ".pqt" };
        await app.WithDbAsync(async db =>
        {
            if (withServer) db.Add(server);
            db.Add(personal);
            db.Add(type);
            db.Add(format);
            await db.SaveChangesAsync(Ct);
        });
        return new Lab(nickname, subjectId, withServer ? server.Id : Guid.Empty, personal.Id, type.Id, format.Id);
    }

    internal static async Task<Guid> NewSessionAsync(AlyxApp app, Lab lab)
    {
        var session = new Alyx.Actions.Session { SubjectId = lab.SubjectId, StartTime = new DateTime(2024, 3, 5, 10, 0, 0) };
        await app.WithDbAsync(async db =>
        {
            db.Add(session);
            await db.SaveChangesAsync(Ct);
        });
        return session.Id;
    }

    internal static async Task<Dataset> AddDatasetAsync(AlyxApp app, Lab lab, Guid session, string name, int qc,
        params (Guid Repository, bool Exists)[] records)
    {
        var dataset = new Dataset
        {
            SessionId = session,
            Name = name,
            Qc = qc,
            DatasetTypeId = lab.Type,
            DataFormatId = lab.Format,
            Collection = "alf",
            Hash = "abc",
            Version = "1.2.3",
            FileSize = 1234,
        };
        await app.WithDbAsync(async db =>
        {
            db.Add(dataset);
            foreach (var (repository, exists) in records)
            {
                db.Add(new FileRecord
                {
                    DatasetId = dataset.Id,
                    DataRepositoryId = repository,
                    Exists = exists,
                    RelativePath = $"{lab.Nickname}/2024-03-05/001/alf/{name}/{Guid.NewGuid():N}",
                });
            }
            await db.SaveChangesAsync(Ct);
        });
        return dataset;
    }

    async Task<List<string>> IdsAsync(HttpClient client, string query)
    {
        var page = await (await client.GetAsync("/sessions?limit=1000&" + query, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        return page["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();
    }

    [Fact]
    public async Task Detail_ListsDatasetsOnTheServerWithUrlsRevisionAndTextualDefault()
    {
        var client = await app.ClientForAsync();
        var lab = await NewLabAsync(app);
        var session = await NewSessionAsync(app, lab);
        var served = await AddDatasetAsync(app, lab, session, "_ibl_trials.table.pqt", 10, (lab.Personal, true), (lab.Server, true));
        await AddDatasetAsync(app, lab, session, "_ibl_wheel.position.npy", 0, (lab.Personal, true));
        await AddDatasetAsync(app, lab, session, "_ibl_wheel.timestamps.npy", 0, (lab.Server, false));
        var detail = await (await client.GetAsync($"/sessions/{session}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var item = Assert.Single(detail["data_dataset_session_related"]!.AsArray())!;
        Assert.Equal(["id", "name", "dataset_type", "data_url", "url", "file_size", "hash", "version", "collection", "revision",
            "default_revision", "qc"], item.Keys());
        Assert.Equal(served.Id.ToString(), item["id"]!.GetValue<string>());
        Assert.Equal($"http://localhost/datasets/{served.Id}", item["url"]!.GetValue<string>());
        var dataUrl = item["data_url"]!.GetValue<string>();
        Assert.StartsWith($"https://data.example.org/Subjects/{lab.Nickname}/2024-03-05/001/alf/_ibl_trials.table.pqt/", dataUrl,
            StringComparison.Ordinal);
        Assert.EndsWith($".{served.Id}", dataUrl, StringComparison.Ordinal);
        Assert.Equal("", item["revision"]!.GetValue<string>());
        Assert.Equal("True", item["default_revision"]!.GetValue<string>());
        Assert.Equal("PASS", item["qc"]!.GetValue<string>());
        Assert.Equal(1234, item["file_size"]!.GetValue<long>());
        Assert.Equal("alf", item["collection"]!.GetValue<string>());
    }

    [Fact]
    public async Task Detail_RevisionIsItsIdAndUrlPrefersTheServer()
    {
        var client = await app.ClientForAsync();
        var lab = await NewLabAsync(app);
        var session = await NewSessionAsync(app, lab);
        var revision = new Revision { Name = AlyxApp.Unique("2024-03-05") };
        await app.WithDbAsync(async db =>
        {
            db.Add(revision);
            await db.SaveChangesAsync(Ct);
        });
        var dataset = new Dataset
        {
            SessionId = session,
            Name = "spikes.times.npy",
            DatasetTypeId = lab.Type,
            DataFormatId = lab.Format,
            RevisionId = revision.Id,
            DefaultDataset = false,
        };
        await app.WithDbAsync(async db =>
        {
            db.Add(dataset);
            db.Add(new FileRecord { DatasetId = dataset.Id, DataRepositoryId = lab.Personal, Exists = true, RelativePath = "s/spikes.times.npy" });
            db.Add(new FileRecord { DatasetId = dataset.Id, DataRepositoryId = lab.Server, Exists = true, RelativePath = "s//./spikes.times.npy" });
            await db.SaveChangesAsync(Ct);
        });
        var detail = await (await client.GetAsync($"/sessions/{session}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var item = Assert.Single(detail["data_dataset_session_related"]!.AsArray())!;
        Assert.Equal(revision.Id.ToString(), item["revision"]!.GetValue<string>());
        Assert.Equal("False", item["default_revision"]!.GetValue<string>());
        Assert.Equal($"https://data.example.org/Subjects/s/spikes.times.{dataset.Id}.npy", item["data_url"]!.GetValue<string>());
    }

    [Fact]
    public async Task DatasetsFilter_NeedsEveryNameOnTheServerBelowTheQcThreshold()
    {
        var client = await app.ClientForAsync();
        var lab = await NewLabAsync(app);
        var complete = await NewSessionAsync(app, lab);
        await AddDatasetAsync(app, lab, complete, "_ibl_trials.table.pqt", 10, (lab.Server, true));
        await AddDatasetAsync(app, lab, complete, "_ibl_wheel.position.npy", 30, (lab.Server, true));
        var critical = await NewSessionAsync(app, lab);
        await AddDatasetAsync(app, lab, critical, "_ibl_trials.table.pqt", 50, (lab.Server, true));
        var personalOnly = await NewSessionAsync(app, lab);
        await AddDatasetAsync(app, lab, personalOnly, "_ibl_trials.table.pqt", 0, (lab.Personal, true));
        var missing = await NewSessionAsync(app, lab);
        await AddDatasetAsync(app, lab, missing, "_ibl_trials.table.pqt", 0, (lab.Server, false));
        var failing = await NewSessionAsync(app, lab);
        await AddDatasetAsync(app, lab, failing, "_ibl_trials.table.pqt", 40, (lab.Server, true));
        var scope = $"subject={lab.Nickname}&";
        Assert.Equal([complete.ToString()], await IdsAsync(client, scope + "datasets=_ibl_trials.table.pqt,_ibl_wheel.position.npy"));
        // The default threshold is FAIL: CRITICAL is out, FAIL is in.
        Assert.Equal(new[] { complete.ToString(), failing.ToString() }.Order(),
            (await IdsAsync(client, scope + "datasets=_ibl_trials.table.pqt")).Order());
        Assert.Equal([complete.ToString()], await IdsAsync(client, scope + "datasets=_ibl_trials.table.pqt,_ibl_wheel.position.npy&dataset_qc_lte=WARNING"));
        Assert.Empty(await IdsAsync(client, scope + "datasets=_ibl_trials.table.pqt,_ibl_wheel.position.npy&dataset_qc_lte=PASS"));
        Assert.Equal(3, (await IdsAsync(client, scope + "datasets=_ibl_trials.table.pqt&dataset_qc_lte=50")).Count);
    }

    [Fact]
    public async Task DatasetQcLte_Alone_HasNoExistenceCheck_InvalidIs400()
    {
        var client = await app.ClientForAsync();
        var lab = await NewLabAsync(app);
        var pass = await NewSessionAsync(app, lab);
        await AddDatasetAsync(app, lab, pass, "a.b.npy", 10);
        var warning = await NewSessionAsync(app, lab);
        await AddDatasetAsync(app, lab, warning, "a.b.npy", 30, (lab.Server, false));
        var critical = await NewSessionAsync(app, lab);
        await AddDatasetAsync(app, lab, critical, "a.b.npy", 50);
        var scope = $"subject={lab.Nickname}&";
        Assert.Equal([pass.ToString()], await IdsAsync(client, scope + "dataset_qc_lte=10"));
        Assert.Equal(new[] { pass.ToString(), warning.ToString() }.Order(), (await IdsAsync(client, scope + "dataset_qc_lte=warning")).Order());
        foreach (var bad in new[] { "15", "FOO" })
        {
            var error = await (await client.GetAsync("/sessions?dataset_qc_lte=" + bad, Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
            Assert.Single(error["dataset_qc_lte"]!.AsArray());
        }
    }

    [Fact]
    public async Task DatasetTypesAndTag_SelectSessionsByTheirDatasets()
    {
        var client = await app.ClientForAsync();
        var lab = await NewLabAsync(app);
        var typeName = await app.WithDbAsync(db => db.Set<DatasetType>().Where(t => t.Id == lab.Type).Select(t => t.Name).SingleAsync(Ct));
        var other = new DatasetType { Name = AlyxApp.Unique("wheel.position") };
        var tag = new Tag { Name = AlyxApp.Unique("Release_2024") };
        await app.WithDbAsync(async db =>
        {
            db.Add(other);
            db.Add(tag);
            await db.SaveChangesAsync(Ct);
        });
        var both = await NewSessionAsync(app, lab);
        var tagged = await AddDatasetAsync(app, lab, both, "x.y.npy", 0);
        var second = new Dataset { SessionId = both, Name = "w.p.npy", DatasetTypeId = other.Id, DataFormatId = lab.Format };
        await app.WithDbAsync(async db =>
        {
            db.Add(second);
            var d = await db.Set<Dataset>().Include(x => x.Tags).SingleAsync(x => x.Id == tagged.Id, Ct);
            d.Tags.Add(await db.Set<Tag>().SingleAsync(t => t.Id == tag.Id, Ct));
            await db.SaveChangesAsync(Ct);
        });
        var one = await NewSessionAsync(app, lab);
        await AddDatasetAsync(app, lab, one, "x.y.npy", 0);
        var scope = $"subject={lab.Nickname}&";
        Assert.Equal(2, (await IdsAsync(client, scope + $"dataset_types={typeName}")).Count);
        Assert.Equal([both.ToString()], await IdsAsync(client, scope + $"dataset_types={typeName},{other.Name}"));
        Assert.Equal([both.ToString()], await IdsAsync(client, scope + $"tag={tag.Name[8..].ToUpperInvariant()}"));
    }

    [Fact]
    public async Task DeleteSession_CascadesToDatasetsAndFileRecords()
    {
        var client = await app.ClientForAsync();
        var lab = await NewLabAsync(app);
        var session = await NewSessionAsync(app, lab);
        var dataset = await AddDatasetAsync(app, lab, session, "gone.soon.npy", 0, (lab.Server, true));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/sessions/{session}", Ct)).StatusCode);
        var left = await app.WithDbAsync(async db => (
            await db.Set<Dataset>().CountAsync(d => d.Id == dataset.Id, Ct),
            await db.Set<FileRecord>().CountAsync(f => f.DatasetId == dataset.Id, Ct)));
        Assert.Equal((0, 0), left);
    }
}

/// <summary>Without any non-personal repository, a session detail lists every dataset of the session.</summary>
public sealed class SessionDatasetsWithoutServerTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    [Fact]
    public async Task Detail_NoServerRepository_ListsEveryDataset()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await app.ClientForAsync();
        var lab = await SessionDatasetsTests.NewLabAsync(app, withServer: false);
        var session = await SessionDatasetsTests.NewSessionAsync(app, lab);
        await SessionDatasetsTests.AddDatasetAsync(app, lab, session, "a.b.npy", 0);
        await SessionDatasetsTests.AddDatasetAsync(app, lab, session, "c.d.npy", 0, (lab.Personal, true));
        var detail = await (await client.GetAsync($"/sessions/{session}", ct)).ReadJsonAsync(HttpStatusCode.OK);
        var items = detail["data_dataset_session_related"]!.AsArray();
        Assert.Equal(2, items.Count);
        Assert.Contains(items, i => i!["data_url"] is JsonNode url && url.GetValue<string>().StartsWith("http://rig.local/", StringComparison.Ordinal));
        Assert.Contains(items, i => i!["data_url"] is null);
    }
}
