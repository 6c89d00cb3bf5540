using System.Net;
using System.Text.Json.Nodes;
using Alyx.Data;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Data;

/// <summary>/data-notices (spec 30 §3.14), /downloads (§3.12) and /new-download (§3.11).</summary>
public sealed class DataNoticesAndDownloadsApiTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<JsonNode> PostAsync(HttpClient client, string path, object body, HttpStatusCode expected = HttpStatusCode.Created) =>
        await (await client.PostAsync(path, Json.Body(body), Ct)).ReadJsonAsync(expected);

    static async Task<JsonNode> GetAsync(HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await client.GetAsync(path, Ct)).ReadJsonAsync(expected);

    static List<string> Names(JsonNode page) => page["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();

    static async Task<JsonNode> NoticeAsync(HttpClient client, string name, params Guid[] datasets) =>
        await PostAsync(client, "/data-notices", new { name, datasets });

    [Fact]
    public async Task DataNotice_Create_FieldsDefaultsAndHtml()
    {
        // Upstream TestDataNoticeModel.test_defaults_and_relations, through REST.
        var client = await app.ClientForAsync("notice_author");
        var dataset = await DataSeed.DatasetAsync(app);
        var created = await PostAsync(client, "/data-notices",
            new { name = AlyxApp.Unique("notice"), datasets = new[] { dataset }, description = "The **wheel** was off" });
        Assert.Equal(["id", "created_by", "datasets", "description_html", "name", "json", "description", "importance", "created_datetime",
            "version_affected", "affected_date_start", "affected_date_end"], created.Keys());
        Assert.Equal(20, created["importance"]!.GetValue<int>());
        Assert.Null(created["created_by"]);
        Assert.Equal([dataset.ToString()], created["datasets"].Strings());
        Assert.Equal("<p>The <strong>wheel</strong> was off</p>", created["description_html"]!.GetValue<string>());
        Assert.Equal(1, await app.WithDbAsync(db => db.Datasets.Where(d => d.Id == dataset).Select(d => d.DataNotices.Count).SingleAsync(Ct)));
        var detail = await GetAsync(client, $"/data-notices/{created["id"]!.GetValue<string>()}");
        Assert.Equal(created.ToJsonString(), detail.ToJsonString());
        var empty = await PostAsync(client, "/data-notices", new { name = "" });
        Assert.Equal("", empty["description_html"]!.GetValue<string>());
    }

    [Fact]
    public async Task DataNotice_Validation_DatesImportanceDatasetsUser()
    {
        var client = await app.ClientForAsync();
        var dates = await PostAsync(client, "/data-notices", new { affected_date_start = "2024-02-01", affected_date_end = "2024-01-01" }, HttpStatusCode.BadRequest);
        Assert.Equal("affected_date_end must be on or after affected_date_start.", dates["affected_date_end"]![0]!.GetValue<string>());
        var choice = await PostAsync(client, "/data-notices", new { importance = 25 }, HttpStatusCode.BadRequest);
        Assert.Equal("\"25\" is not a valid choice.", choice["importance"]![0]!.GetValue<string>());
        var missing = Guid.NewGuid();
        var datasets = await PostAsync(client, "/data-notices", new { datasets = new[] { missing } }, HttpStatusCode.BadRequest);
        Assert.Equal($"Object with pk={missing} does not exist.", datasets["datasets"]![0]!.GetValue<string>());
        var user = await PostAsync(client, "/data-notices", new { created_by = "no_such_user" }, HttpStatusCode.BadRequest);
        Assert.Equal("Object with username=no_such_user does not exist.", user["created_by"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task DataNotice_PatchEndBeforeStoredStart_Returns400()
    {
        var client = await app.ClientForAsync();
        var created = await PostAsync(client, "/data-notices", new { name = AlyxApp.Unique("n"), affected_date_start = "2024-02-01", importance = 50 });
        var id = created["id"]!.GetValue<string>();
        var body = await (await client.PatchAsync($"/data-notices/{id}", Json.Body(new { affected_date_end = "2024-01-31" }), Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("affected_date_end must be on or after affected_date_start.", body["affected_date_end"]![0]!.GetValue<string>());
        var ok = await (await client.PatchAsync($"/data-notices/{id}", Json.Body(new { affected_date_end = "2024-02-01" }), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("2024-02-01", 50), (ok["affected_date_end"]!.GetValue<string>(), ok["importance"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/data-notices/{id}", Ct)).StatusCode);
        await GetAsync(client, $"/data-notices/{id}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DataNotice_FilterByDataset_MatchesAnyListedOnce()
    {
        // Upstream test_datanotice_list_filter_by_dataset.
        var client = await app.ClientForAsync();
        var d1 = await DataSeed.DatasetAsync(app);
        var d2 = await DataSeed.DatasetAsync(app);
        string a = AlyxApp.Unique("notice-a"), b = AlyxApp.Unique("notice-b"), c = AlyxApp.Unique("notice-c");
        await NoticeAsync(client, a, d1);
        await NoticeAsync(client, b, d2);
        await NoticeAsync(client, c, d1, d2);
        Assert.Equal(new[] { a, c }.Order(), Names(await GetAsync(client, $"/data-notices?datasets={d1}")).Order());
        Assert.Equal(new[] { a, b, c }.Order(), Names(await GetAsync(client, $"/data-notices?datasets={d1},{d2}")).Order());
        var bad = await GetAsync(client, "/data-notices?datasets=nope", HttpStatusCode.BadRequest);
        Assert.Equal("Enter a valid UUID.", bad["datasets"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task DataNotice_FilterByDatasetTag_NoDuplicates()
    {
        // Upstream test_datanotice_list_filter_by_dataset_tag and ..._optimization.
        var client = await app.ClientForAsync();
        string target = AlyxApp.Unique("opt-target"), other = AlyxApp.Unique("opt-other");
        var ds = new List<Guid>
        {
            await DataSeed.DatasetAsync(app, tags: [target]),
            await DataSeed.DatasetAsync(app, tags: [other]),
            await DataSeed.DatasetAsync(app, tags: [target, other]),
            await DataSeed.DatasetAsync(app, tags: [other]),
            await DataSeed.DatasetAsync(app, tags: [target]),
        };
        string n1 = AlyxApp.Unique("opt-notice-1"), n2 = AlyxApp.Unique("opt-notice-2"), n3 = AlyxApp.Unique("opt-notice-3");
        await NoticeAsync(client, n1, ds[0], ds[1], ds[2]);
        await NoticeAsync(client, n2, ds[3], ds[4]);
        await NoticeAsync(client, n3, ds[4]);
        Assert.Equal(new[] { n1, n2, n3 }.Order(), Names(await GetAsync(client, $"/data-notices?dataset_tag={target}")).Order());
        Assert.Equal(new[] { n1, n2 }.Order(), Names(await GetAsync(client, $"/data-notices?dataset_tag={other}")).Order());
    }

    [Fact]
    public async Task DataNotice_List_OrderedByImportanceThenNewestThenName()
    {
        // Upstream test_datanotice_list_ordering_importance_date_name.
        var client = await app.ClientForAsync();
        var prefix = AlyxApp.Unique("ord");
        await PostAsync(client, "/data-notices", new { name = prefix + "-z-high", importance = 40 });
        await PostAsync(client, "/data-notices", new { name = prefix + "-m-low", importance = 30 });
        await PostAsync(client, "/data-notices", new { name = prefix + "-a-high", importance = 40 });
        var names = Names(await GetAsync(client, $"/data-notices?django=name__startswith,{prefix}")).ToList();
        Assert.Equal(3, names.Count);
        Assert.Equal(prefix + "-m-low", names[2]);
        Assert.Equal(new[] { prefix + "-a-high", prefix + "-z-high" }.Order(), names.Take(2).Order());
        // Same importance: newest first, and at equal times the name decides.
        await app.WithDbAsync(async db =>
        {
            var rows = await db.DataNotices.Where(n => n.Name.StartsWith(prefix)).ToListAsync(Ct);
            foreach (var row in rows) row.CreatedDatetime = new DateTime(2024, 1, 1);
            await db.SaveChangesAsync(Ct);
        });
        Assert.Equal([prefix + "-a-high", prefix + "-z-high", prefix + "-m-low"], Names(await GetAsync(client, $"/data-notices?django=name__startswith,{prefix}")));
    }

    [Fact]
    public async Task DataNotice_ImportanceAndCreatedByFilters()
    {
        var client = await app.ClientForAsync("notice_filter_user");
        var name = AlyxApp.Unique("imp");
        await PostAsync(client, "/data-notices", new { name, importance = 50, created_by = "notice_filter_user", version_affected = "9.9" });
        var userId = await app.WithDbAsync(db => db.Users.Where(u => u.Username == "notice_filter_user").Select(u => u.Id).SingleAsync(Ct));
        Assert.Contains(name, Names(await GetAsync(client, "/data-notices?importance=50&limit=1000")));
        Assert.DoesNotContain(name, Names(await GetAsync(client, "/data-notices?importance=20&limit=1000")));
        Assert.Contains(name, Names(await GetAsync(client, $"/data-notices?created_by={userId}&version_affected=9.9")));
        var bad = await GetAsync(client, "/data-notices?importance=7", HttpStatusCode.BadRequest);
        Assert.Equal("Select a valid choice. 7 is not one of the available choices.", bad["importance"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task NewDownload_CountsPerUserAndDatasetWithProjects()
    {
        // Upstream test_download.
        var client = await app.ClientForAsync("downloader");
        var pks = new List<Guid> { await DataSeed.DatasetAsync(app), await DataSeed.DatasetAsync(app), await DataSeed.DatasetAsync(app) };
        string? first = null;
        for (var i = 0; i < 3; i++)
        {
            var r = await PostAsync(client, "/new-download", new { user = "someone_else", datasets = pks[0].ToString() });
            Assert.Equal(i + 1, r["count"]![0]!.GetValue<int>());
            first ??= r["download"]![0]!.GetValue<string>();
            Assert.Equal(first, r["download"]![0]!.GetValue<string>());
        }
        string tp1 = AlyxApp.Unique("tp1"), tp2 = AlyxApp.Unique("tp2"), tp3 = AlyxApp.Unique("tp3");
        await app.WithDbAsync(async db =>
        {
            db.Projects.AddRange(new Project { Name = tp1 }, new Project { Name = tp2 }, new Project { Name = tp3 });
            await db.SaveChangesAsync(Ct);
        });
        var withProjects = await PostAsync(client, "/new-download", new { datasets = pks[0].ToString(), projects = $"{tp1},{tp2}" });
        Assert.Equal(4, withProjects["count"]![0]!.GetValue<int>());
        var projects = await app.WithDbAsync(db => db.Downloads.Where(d => d.Id == Guid.Parse(first!)).SelectMany(d => d.Projects.Select(p => p.Name)).ToListAsync(Ct));
        Assert.Equal(new[] { tp1, tp2 }.Order(), projects.Order());

        var several = await PostAsync(client, "/new-download", new { datasets = string.Join(",", pks), projects = new[] { tp3 } });
        Assert.Equal(3, several["download"]!.AsArray().Count);
        Assert.Equal([5, 1, 1], several["count"]!.AsArray().Select(c => c!.GetValue<int>()));
        Assert.Equal(3, await app.WithDbAsync(db => db.Downloads.CountAsync(d => d.Projects.Any(p => p.Name == tp3), Ct)));
        var owner = await app.WithDbAsync(db => db.Downloads.Where(d => d.Id == Guid.Parse(first!)).Select(d => d.User!.Username).SingleAsync(Ct));
        Assert.Equal("downloader", owner);
    }

    [Fact]
    public async Task NewDownload_BadInput_Returns400AndOnlyPostIsAllowed()
    {
        var client = await app.ClientForAsync();
        var missing = await PostAsync(client, "/new-download", new { projects = "x" }, HttpStatusCode.BadRequest);
        Assert.Equal("This field is required.", missing["datasets"]![0]!.GetValue<string>());
        var unknown = await PostAsync(client, "/new-download", new { datasets = new[] { Guid.NewGuid() } }, HttpStatusCode.BadRequest);
        Assert.Equal("Dataset matching query does not exist.", unknown["detail"]!.GetValue<string>());
        var dataset = await DataSeed.DatasetAsync(app);
        var project = await PostAsync(client, "/new-download", new { datasets = new[] { dataset }, projects = "no_such_project" }, HttpStatusCode.BadRequest);
        Assert.Equal("Project matching query does not exist.", project["detail"]!.GetValue<string>());
        Assert.Equal(0, await app.WithDbAsync(db => db.Downloads.CountAsync(d => d.DatasetId == dataset, Ct)));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.GetAsync("/new-download", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.AnonymousClient().PostAsync("/new-download", Json.Body(new { datasets = new[] { dataset } }), Ct)).StatusCode);
    }

    [Fact]
    public async Task Downloads_ListFiltersRetrievePatch_NoCreateOrDelete()
    {
        var client = await app.ClientForAsync("download_lister");
        var typeName = AlyxApp.Unique("Trials.Table");
        var typeId = await app.WithDbAsync(async db =>
        {
            var type = new DatasetType { Name = typeName };
            db.DatasetTypes.Add(type);
            await db.SaveChangesAsync(Ct);
            return type.Id;
        });
        var datasetName = AlyxApp.Unique("ds") + ".pqt";
        var dataset = await DataSeed.DatasetAsync(app, typeId: typeId, name: datasetName);
        var id = (await PostAsync(client, "/new-download", new { datasets = new[] { dataset } }))["download"]![0]!.GetValue<string>();

        var item = (await GetAsync(client, $"/downloads?dataset={datasetName}"))["results"]!.AsArray().Single()!;
        Assert.Equal(["id", "user", "dataset", "count", "json"], item.Keys());
        Assert.Equal((id, "download_lister", dataset.ToString(), 1), (item["id"]!.GetValue<string>(), item["user"]!.GetValue<string>(),
            item["dataset"]!.GetValue<string>(), item["count"]!.GetValue<int>()));
        Assert.Equal(1, (await GetAsync(client, $"/downloads?dataset_type={typeName.ToUpperInvariant()[..10]}&user=download_lister&dataset={datasetName}"))["count"]!.GetValue<int>());
        Assert.Equal(0, (await GetAsync(client, $"/downloads?user=someone&dataset={datasetName}"))["count"]!.GetValue<int>());

        var patched = await (await client.PatchAsync($"/downloads/{id}", Json.Body(new { count = 7, json = new { Source = "ONE" } }), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(7, patched["count"]!.GetValue<int>());
        Assert.Equal(1, (await GetAsync(client, $"/downloads?count=7&json=source&dataset={datasetName}"))["count"]!.GetValue<int>());
        Assert.Equal(0, (await GetAsync(client, $"/downloads?json=nothing_like_it&dataset={datasetName}"))["count"]!.GetValue<int>());
        Assert.Equal(item["id"]!.ToJsonString(), (await GetAsync(client, $"/downloads/{id}"))["id"]!.ToJsonString());

        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.PostAsync("/downloads", Json.Body(new { user = "download_lister" }), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.DeleteAsync($"/downloads/{id}", Ct)).StatusCode);
        var unknownUser = await (await client.PatchAsync($"/downloads/{id}", Json.Body(new { user = "nobody_at_all" }), Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Object with username=nobody_at_all does not exist.", unknownUser["user"]![0]!.GetValue<string>());
    }
}
