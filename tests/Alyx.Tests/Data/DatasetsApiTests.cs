using System.Net;
using System.Text.Json.Nodes;
using Alyx.Data;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Data;

/// <summary>/datasets, /files, /check-protected and /sync-file-status (upstream test_dataset*, test_check_protected, test_auto_datetime_field).</summary>
public sealed class DatasetsApiTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<JsonNode> PostAsync(HttpClient client, string route, object body, HttpStatusCode expected = HttpStatusCode.Created) =>
        await (await client.PostAsync(route, Json.Body(body), Ct)).ReadJsonAsync(expected);

    async Task<JsonNode> ListAsync(HttpClient client, string query) =>
        await (await client.GetAsync("/datasets?limit=1000&" + query, Ct)).ReadJsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task CreateWithoutSession_ListAndDetail_FieldOrderAndFileRecords()
    {
        var client = await app.ClientForAsync("ds_user");
        var w = await DataWorld.CreateAsync(app);
        var name = AlyxApp.Unique("mydataset");
        var created = await PostAsync(client, "/datasets", new { name, dataset_type = w.Type('a'), data_format = w.Format(1), file_size = 5_000_000_000L });
        Assert.Equal(["url", "name", "created_by", "created_datetime", "dataset_type", "data_format", "collection", "session", "file_size", "hash",
            "version", "experiment_number", "file_records", "auto_datetime", "revision", "default_dataset", "tags", "qc", "json"], created.Keys());
        var url = created["url"]!.GetValue<string>();
        Assert.Equal(("ds_user", 5_000_000_000L, "", "NOT_SET"), (created["created_by"]!.GetValue<string>(), created["file_size"]!.GetValue<long>(),
            created["revision"]!.GetValue<string>(), created["qc"]!.GetValue<string>()));
        Assert.Null(created["session"]);
        var id = url[^36..];

        var list = await ListAsync(client, "name=" + name);
        var item = Assert.Single(list["results"]!.AsArray())!;
        Assert.Contains("protected", item.Keys());
        Assert.Equal(0, item["protected"]!.GetValue<int>());
        var detail = await (await client.GetAsync(url, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(name, detail["name"]!.GetValue<string>());
        var modified = detail["auto_datetime"]!.GetValue<string>();

        // A file record: its url carries the id; the dataset's auto_datetime moves on.
        var path = AlyxApp.Unique("path/to/file");
        var record = await PostAsync(client, "/files", new { dataset = url, data_repository = w.Repository, relative_path = path });
        Assert.Equal(["url", "dataset", "data_repository", "name", "json", "relative_path", "exists"], record.Keys());
        Assert.Equal((url, w.Repository, false), (record["dataset"]!.GetValue<string>(), record["data_repository"]!.GetValue<string>(), record["exists"]!.GetValue<bool>()));
        var files = await (await client.GetAsync($"/files?dataset={id}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(path, files["results"]![0]!["relative_path"]!.GetValue<string>());
        detail = await (await client.GetAsync(url, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(string.CompareOrdinal(detail["auto_datetime"]!.GetValue<string>(), modified) > 0);
        var nested = Assert.Single(detail["file_records"]!.AsArray())!;
        Assert.Equal(["id", "data_repository", "data_repository_path", "relative_path", "data_url", "exists"], nested.Keys());
        Assert.Null(nested["data_url"]);

        var duplicate = await PostAsync(client, "/files", new { dataset = url, data_repository = w.Repository, relative_path = path }, HttpStatusCode.BadRequest);
        Assert.Equal("The fields data_repository, relative_path must make a unique set.", duplicate["non_field_errors"]![0]!.GetValue<string>());
        var badPath = await PostAsync(client, "/files", new { dataset = url, data_repository = w.Repository, relative_path = "a:b" }, HttpStatusCode.BadRequest);
        Assert.Equal("Invalid path", badPath["relative_path"]![0]!.GetValue<string>());
        var bareId = await PostAsync(client, "/files", new { dataset = id, data_repository = w.Repository, relative_path = "ok/x" }, HttpStatusCode.BadRequest);
        Assert.Equal("Invalid hyperlink - No URL match.", bareId["dataset"]![0]!.GetValue<string>());
        var patched = await (await client.PatchAsync(record["url"]!.GetValue<string>(), Json.Body(new { json = new { mismatch_hash = true } }), Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(patched["json"]!["mismatch_hash"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(record["url"]!.GetValue<string>(), Ct)).StatusCode);
    }

    [Fact]
    public async Task CreateFromSubjectAndDate_DefaultCascade_QcAndProtectedDelete()
    {
        var client = await app.ClientForAsync("ds_user");
        var w = await DataWorld.CreateAsync(app);
        var name = AlyxApp.Unique("some-dataset");
        var revision = new Revision { Name = AlyxApp.Unique("v1") };
        var tag = new Tag { Name = AlyxApp.Unique("foo_tag"), Protected = true };
        await app.WithDbAsync(async db =>
        {
            db.AddRange(revision, tag);
            await db.SaveChangesAsync(Ct);
        });
        var body = new Dictionary<string, object>
        {
            ["name"] = name,
            ["dataset_type"] = w.Type('a'),
            ["created_by"] = "ds_user",
            ["subject"] = w.Subject,
            ["data_format"] = w.Format(1),
            ["date"] = "2018-01-01",
            ["number"] = 2,
        };
        var first = await PostAsync(client, "/datasets", body);
        Assert.Equal(("", "", true, "NOT_SET"), (first["revision"]!.GetValue<string>(), first["collection"]!.GetValue<string>(),
            first["default_dataset"]!.GetValue<bool>(), first["qc"]!.GetValue<string>()));
        Assert.Equal($"http://localhost/sessions/{w.Session}", first["session"]!.GetValue<string>());
        Assert.Equal(2, first["experiment_number"]!.GetValue<int>());

        body["collection"] = "test_path";
        body["qc"] = "PASS";
        var second = await PostAsync(client, "/datasets", body);
        Assert.Equal(("test_path", "PASS"), (second["collection"]!.GetValue<string>(), second["qc"]!.GetValue<string>()));
        body["revision"] = revision.Name;
        var third = await PostAsync(client, "/datasets", body);
        Assert.Equal(revision.Name, third["revision"]!.GetValue<string>());
        var previous = await (await client.GetAsync(second["url"]!.GetValue<string>(), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.False(previous["default_dataset"]!.GetValue<bool>());
        body["collection"] = "";
        body["default_dataset"] = false;
        Assert.False((await PostAsync(client, "/datasets", body))["default_dataset"]!.GetValue<bool>());
        // The same identity again is refused (the database enforces it).
        Assert.Equal("A dataset with this session, collection, name and revision already exists.", (await PostAsync(client, "/datasets", body, HttpStatusCode.BadRequest))["non_field_errors"]![0]!.GetValue<string>());
        body["qc"] = "pass";
        Assert.Equal("Invalid qc, choices are: CRITICAL, FAIL, WARNING, NOT_SET, PASS",
            (await PostAsync(client, "/datasets", body, HttpStatusCode.BadRequest))["qc"]![0]!.GetValue<string>());

        var locked = await PostAsync(client, "/datasets", new
        {
            name = AlyxApp.Unique("foo.bar"),
            dataset_type = w.Type('a'),
            data_format = w.Format(1),
            date = "2018-01-01",
            number = 2,
            subject = w.Subject,
            tags = new[] { tag.Name },
        });
        var refused = await (await client.DeleteAsync(locked["url"]!.GetValue<string>(), Ct)).ReadJsonAsync(HttpStatusCode.Forbidden);
        Assert.Equal($"Failed to delete dataset {locked["name"]!.GetValue<string>()} due to protected tag(s) \"{tag.Name}\"", refused["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync(first["url"]!.GetValue<string>(), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(first["url"]!.GetValue<string>(), Ct)).StatusCode);

        var missing = await PostAsync(client, "/datasets", new { name = "x", dataset_type = w.Type('a'), subject = w.Subject, date = "2018-02-01" },
            HttpStatusCode.BadRequest);
        Assert.Equal($"A base session for {w.Subject} on 2018-02-01 does not exist", missing["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Filters_DatesUsersTypesTagsQcAndExists()
    {
        var client = await app.ClientForAsync("ds_filter");
        var w = await DataWorld.CreateAsync(app);
        var (lab, repos) = await DataWorld.LabWithRepositoriesAsync(app, true, false);
        var early = await PostAsync(client, "/datasets", new
        {
            name = w.File('a'),
            dataset_type = w.Type('a'),
            subject = w.Subject,
            date = "2018-01-01",
            number = 2,
            created_datetime = "2018-01-01T12:34",
        });
        await PostAsync(client, "/datasets", new
        {
            name = w.File('b'),
            dataset_type = w.Type('b'),
            subject = w.Subject,
            date = "2018-01-01",
            number = 2,
            created_datetime = "2018-02-21T12:00",
            qc = "FAIL",
        });
        var scope = $"subject={w.Subject}&";
        async Task<List<string>> NamesAsync(string query) =>
            (await ListAsync(client, scope + query))["results"]!.AsArray().Select(d => d!["name"]!.GetValue<string>()).Order().ToList();
        Assert.Equal([w.File('a')], await NamesAsync("created_date_lte=2018-01-01T12:00"));
        Assert.Equal([w.File('b')], await NamesAsync("created_date=2018-02-21"));
        Assert.Equal([w.File('b')], await NamesAsync("created_date_gte=2018-02-21"));
        Assert.Equal(2, (await NamesAsync("date=2018-01-01")).Count);
        Assert.Equal(2, (await NamesAsync("experiment_number=2&created_by=ds_filter")).Count);
        Assert.Equal([w.File('b')], await NamesAsync($"dataset_type={w.Type('b')}"));
        Assert.Equal([w.File('b')], await NamesAsync("qc=fail"));
        Assert.Equal([w.File('a')], await NamesAsync($"id={early["url"]!.GetValue<string>()[^36..]}"));
        Assert.Equal(2, (await NamesAsync($"lab={w.Lab}")).Count);
        Assert.Equal([w.File('a')], await NamesAsync($"django=name__startswith,{w.Type('a')}"));
        Assert.Equal([w.File('a')], await NamesAsync($"django=session__subject__nickname,{w.Subject},dataset_type__name,{w.Type('a')}"));

        var bad = await (await client.GetAsync("/datasets?created_date_gte=nope&qc=nope", Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Enter a valid date/time.", bad["created_date_gte"]![0]!.GetValue<string>());
        Assert.Single(bad["qc"]!.AsArray());

        // exists / tags / protected / public.
        await DataWorld.RegisterAsync(client, new { path = $"{w.Subject}/2018-01-01/2", filenames = w.File('c'), labs = lab, server_only = true });
        Assert.Equal([w.File('c')], await NamesAsync("exists=True"));
        await DataWorld.RegisterAsync(client, new { path = $"{w.Subject}/2018-01-01/2", filenames = w.File('d'), labs = lab, exists = false });
        Assert.Equal([w.File('d')], await NamesAsync("exists=False"));
        var tag = new Tag { Name = AlyxApp.Unique("release"), Public = true };
        await app.WithDbAsync(async db =>
        {
            db.Add(tag);
            var d = await db.Datasets.Include(x => x.Tags).SingleAsync(x => x.Name == w.File('c'), Ct);
            d.Tags.Add(tag);
            await db.SaveChangesAsync(Ct);
        });
        Assert.Equal([w.File('c')], await NamesAsync($"tag={tag.Name}"));
        Assert.Equal([w.File('c')], await NamesAsync("public=True"));
        Assert.Equal(3, (await NamesAsync("public=False")).Count);
        Assert.Empty(await NamesAsync("protected=True"));
        Assert.Equal(1, (await ListAsync(client, scope + "public=True"))["results"]![0]!["public"]!.GetValue<int>());
        Assert.Equal(2, repos.Count);
    }

    [Fact]
    public async Task CheckProtected_BodyWithGet_OrQuery_AlwaysHttp200()
    {
        var client = await app.ClientForAsync("ds_user");
        var w = await DataWorld.CreateAsync(app);
        var registered = await DataWorld.RegisterAsync(client, new { path = $"{w.Subject}/2018-01-01/002/", filenames = $"test_prot/{w.File('c', 2)}", name = w.Repository, filesizes = 14564 });
        Assert.Equal(14564, registered[0]!["file_size"]!.GetValue<long>());
        async Task<JsonNode> CheckAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/check-protected")
            {
                Content = Json.Body(new { path = $"{w.Subject}/2018-01-01/002/", filenames = $"test_prot/{w.File('c', 2)}", filesizes = 14564 }),
            };
            return await (await client.SendAsync(request, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        }
        var open = await CheckAsync();
        Assert.Equal(200, open["status_code"]!.GetValue<int>());
        Assert.Equal("None of the datasets are protected", open["details"]!.GetValue<string>());
        await RegisterFileTests.ProtectAsync(app, Guid.Parse(registered[0]!["id"]!.GetValue<string>()));
        var locked = await CheckAsync();
        Assert.Equal((403, "One or more datasets is protected"), (locked["status_code"]!.GetValue<int>(), locked["error"]!.GetValue<string>()));

        // Aggregate datasets through the query string.
        var subjectType = await app.WithDbAsync(db => db.ContentTypes.SingleAsync(c => c.AppLabel == "subjects" && c.Model == "subject", Ct));
        var collection = $"subjects/laba/{w.Subject}";
        var datasets = Enumerable.Range(0, 2).Select(i => new Dataset
        {
            Name = $"{w.Prefix}a.d.e{i}",
            Collection = collection,
            DatasetTypeId = Guid.Empty,
            ContentTypeId = subjectType.Id,
            ObjectId = w.SubjectId,
        }).ToList();
        await app.WithDbAsync(async db =>
        {
            var type = await db.DatasetTypes.FirstAsync(t => t.Name == w.Type('d'), Ct);
            var format = await db.DataFormats.FirstAsync(f => f.Name == w.Format(1), Ct);
            foreach (var d in datasets) (d.DatasetTypeId, d.DataFormatId) = (type.Id, format.Id);
            db.AddRange(datasets);
            await db.SaveChangesAsync(Ct);
        });
        await RegisterFileTests.ProtectAsync(app, datasets[1].Id);
        var query = $"/check-protected?path={collection}&filenames={w.Prefix}a.d.e0,{w.Prefix}a.d.e1,{w.Prefix}a.d.e2&object_id={w.SubjectId}&content_type=subjects.subject";
        var aggregate = await (await client.GetAsync(query, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(403, aggregate["status_code"]!.GetValue<int>());
        Assert.Equal($"[{{\"{w.Prefix}a.d.e0\":[{{\"\":false}}]}},{{\"{w.Prefix}a.d.e1\":[{{\"\":true}}]}},{{\"{w.Prefix}a.d.e2\":[]}}]",
            aggregate["details"]!.ToJsonString());
    }

    [Fact]
    public async Task CheckProtected_ListsLatestRevisionFirstAndUnrevisionedLast()
    {
        var client = await app.ClientForAsync("ds_user");
        var w = await DataWorld.CreateAsync(app);
        var older = new Revision { Name = AlyxApp.Unique("r2020"), CreatedDatetime = new DateTime(2020, 1, 1) };
        var newer = new Revision { Name = AlyxApp.Unique("r2024"), CreatedDatetime = new DateTime(2024, 1, 1) };
        await app.WithDbAsync(async db =>
        {
            db.AddRange(older, newer);
            await db.SaveChangesAsync(Ct);
        });
        foreach (var folder in new[] { "", $"#{older.Name}#/", $"#{newer.Name}#/" })
            await DataWorld.RegisterAsync(client, new { path = $"{w.Subject}/2018-01-01/002", filenames = $"alf/{folder}{w.File('a')}", name = w.Repository });
        var original = await app.WithDbAsync(db => db.Datasets.SingleAsync(d => d.Name == w.File('a') && d.RevisionId == null, Ct));
        await RegisterFileTests.ProtectAsync(app, original.Id);
        var result = await (await client.GetAsync($"/check-protected?path={w.Subject}/2018-01-01/002&filenames=alf/{w.File('a')}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal($"[{{\"alf/{w.File('a')}\":[{{\"{newer.Name}\":false}},{{\"{older.Name}\":false}},{{\"\":true}}]}}]", result["details"]!.ToJsonString());
    }

    [Fact]
    public async Task SyncFileStatus_DryRunListsPersonalCopiesOfDatasetsMissingOnFlatiron()
    {
        var client = await app.ClientForAsync("ds_user");
        var w = await DataWorld.CreateAsync(app);
        var lab = new Alyx.Misc.Lab { Name = AlyxApp.Unique("synclab") };
        lab.Repositories.Add(new DataRepository { Name = AlyxApp.Unique("flatiron_sync"), GlobusIsPersonal = false });
        lab.Repositories.Add(new DataRepository { Name = AlyxApp.Unique("local_sync"), GlobusIsPersonal = true });
        await app.WithDbAsync(async db =>
        {
            db.Add(lab);
            await db.SaveChangesAsync(Ct);
        });
        await DataWorld.RegisterAsync(client, new { path = $"{w.Subject}/2018-01-01/002", filenames = w.File('b'), labs = lab.Name, exists = false });
        var paths = await (await client.GetAsync("/sync-file-status", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains($"{w.Subject}/2018-01-01/002/{w.File('b')}", paths.Strings());
        Assert.Equal(HttpStatusCode.NotImplemented, (await client.PostAsync("/sync-file-status", Json.Body(new { }), Ct)).StatusCode);
    }
}
