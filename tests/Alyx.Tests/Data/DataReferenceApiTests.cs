using System.Net;
using System.Text.Json.Nodes;
using Alyx.Data;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Data;

/// <summary>/data-repository-type, /data-repository, /data-formats, /dataset-types, /revisions, /tags (spec 30 §3.1-3.6).</summary>
public sealed class DataReferenceApiTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<JsonNode> PostAsync(HttpClient client, string path, object body, HttpStatusCode expected = HttpStatusCode.Created) =>
        await (await client.PostAsync(path, Json.Body(body), Ct)).ReadJsonAsync(expected);

    static async Task<JsonNode> GetAsync(HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await client.GetAsync(path, Ct)).ReadJsonAsync(expected);

    static List<string> Names(JsonNode page) => page["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task DataRepositoryType_CreateListRetrieve_UrlIsTheDetailRouteAndLocation()
    {
        // Upstream test_datarepositorytype.
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("drt");
        var response = await client.PostAsync("/data-repository-type", Json.Body(new { name }), Ct);
        var created = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["url", "json", "name"], created.Keys());
        Assert.Equal($"http://localhost/data-repository-type/{name}", created["url"]!.GetValue<string>());
        Assert.Equal(created["url"]!.GetValue<string>(), response.Headers.Location!.ToString());
        var list = await GetAsync(client, "/data-repository-type?limit=1000");
        Assert.Contains(name, Names(list));
        Assert.Equal(Names(list).Order(TestDatabase.NameOrder), Names(list));
        var detail = await GetAsync(client, $"/data-repository-type/{name}");
        Assert.Equal(created.ToJsonString(), detail.ToJsonString());
    }

    [Fact]
    public async Task DataRepositoryType_DuplicateOrMissingName_Returns400WithDjangoMessages()
    {
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("drt");
        await PostAsync(client, "/data-repository-type", new { name });
        var duplicate = await PostAsync(client, "/data-repository-type", new { name }, HttpStatusCode.BadRequest);
        Assert.Equal("data repository type with this name already exists.", duplicate["name"]![0]!.GetValue<string>());
        var missing = await PostAsync(client, "/data-repository-type", new { json = new { } }, HttpStatusCode.BadRequest);
        Assert.Equal("This field is required.", missing["name"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task DataRepositoryType_Delete_CascadesToItsRepositories()
    {
        var client = await app.ClientForAsync();
        string type = AlyxApp.Unique("drt"), repo = AlyxApp.Unique("dr");
        await PostAsync(client, "/data-repository-type", new { name = type });
        await PostAsync(client, "/data-repository", new { name = repo, repository_type = type });
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/data-repository-type/{type}", Ct)).StatusCode);
        await GetAsync(client, $"/data-repository/{repo}", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task DataRepository_ListFilterRetrieve_AsUpstream()
    {
        // Upstream test_datarepository.
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("dr");
        var created = await PostAsync(client, "/data-repository", new { name, hostname = "hostname" });
        Assert.Equal(["name", "timezone", "globus_path", "hostname", "data_url", "repository_type", "globus_endpoint_id", "globus_is_personal", "json"],
            created.Keys());
        Assert.Equal(("hostname", "", (string?)null, (string?)null), (created["hostname"]!.GetValue<string>(), created["globus_path"]!.GetValue<string>(),
            created["data_url"]?.GetValue<string>(), created["repository_type"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(created["timezone"]!.GetValue<string>()));
        Assert.Equal(0, (await GetAsync(client, "/data-repository?name=unexisting_repo"))["count"]!.GetValue<int>());
        Assert.Equal([name], Names(await GetAsync(client, $"/data-repository?name={name}")));
        Assert.Equal(name, (await GetAsync(client, $"/data-repository/{name}"))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task DataRepository_GlobusFilters_MatchExactly()
    {
        var client = await app.ClientForAsync();
        string personal = AlyxApp.Unique("dr"), server = AlyxApp.Unique("dr");
        var endpoint = Guid.NewGuid();
        await PostAsync(client, "/data-repository", new { name = personal, globus_is_personal = true, globus_endpoint_id = endpoint });
        await PostAsync(client, "/data-repository", new { name = server, globus_is_personal = false });
        var personalNames = Names(await GetAsync(client, "/data-repository?globus_is_personal=true&limit=1000"));
        Assert.Contains(personal, personalNames);
        Assert.DoesNotContain(server, personalNames);
        Assert.Contains(server, Names(await GetAsync(client, "/data-repository?globus_is_personal=False&limit=1000")));
        Assert.Equal([personal], Names(await GetAsync(client, $"/data-repository?globus_endpoint_id={endpoint}")));
        var bad = await GetAsync(client, "/data-repository?globus_endpoint_id=nope", HttpStatusCode.BadRequest);
        Assert.Equal("Enter a valid UUID.", bad["globus_endpoint_id"]![0]!.GetValue<string>());
        // No django= filter on this endpoint: it is ignored.
        Assert.Contains(server, Names(await GetAsync(client, $"/data-repository?django=name,{personal}&limit=1000")));
    }

    [Fact]
    public async Task DataRepository_InvalidValues_Return400PerField()
    {
        var client = await app.ClientForAsync();
        var body = await PostAsync(client, "/data-repository",
            new { name = AlyxApp.Unique("dr"), hostname = "bad host", data_url = "not a url", repository_type = "nothing", globus_endpoint_id = "x" },
            HttpStatusCode.BadRequest);
        Assert.Equal("Invalid hostname", body["hostname"]![0]!.GetValue<string>());
        Assert.Equal("Enter a valid URL.", body["data_url"]![0]!.GetValue<string>());
        Assert.Equal("Object with name=nothing does not exist.", body["repository_type"]![0]!.GetValue<string>());
        Assert.Equal("Must be a valid UUID.", body["globus_endpoint_id"]![0]!.GetValue<string>());
        Assert.Equal(["hostname", "data_url", "repository_type", "globus_endpoint_id", "status_code"], body.Keys());
    }

    [Fact]
    public async Task DataRepository_PatchDataUrlAndType_Applies()
    {
        var client = await app.ClientForAsync();
        string name = AlyxApp.Unique("dr"), type = AlyxApp.Unique("drt");
        await PostAsync(client, "/data-repository-type", new { name = type });
        await PostAsync(client, "/data-repository", new { name });
        var patched = await (await client.PatchAsync($"/data-repository/{name}",
            Json.Body(new { data_url = "https://example.org/Subjects/", repository_type = type }), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(("https://example.org/Subjects/", type), (patched["data_url"]!.GetValue<string>(), patched["repository_type"]!.GetValue<string>()));
    }

    [Fact]
    public async Task DataFormat_CreateListRetrieve_AsUpstream()
    {
        // Upstream test_dataformat.
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("df");
        var created = await PostAsync(client, "/data-formats", new { name, file_extension = ".-" });
        Assert.Equal(["id", "json", "name", "description", "file_extension", "matlab_loader_function", "python_loader_function"], created.Keys());
        Assert.Contains(name, Names(await GetAsync(client, "/data-formats?limit=1000")));
        Assert.Equal(created.ToJsonString(), (await GetAsync(client, $"/data-formats/{name}")).ToJsonString());
    }

    [Fact]
    public async Task DataFormat_BadExtension_Returns400()
    {
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("df");
        foreach (var extension in new[] { "npy", ".tar.gz" })
        {
            var body = await PostAsync(client, "/data-formats", new { name, file_extension = extension }, HttpStatusCode.BadRequest);
            Assert.Equal("Invalid file extension, should start with a dot", body["file_extension"]![0]!.GetValue<string>());
        }
        var blank = await PostAsync(client, "/data-formats", new { name, file_extension = "" }, HttpStatusCode.BadRequest);
        Assert.Equal("This field may not be blank.", blank["file_extension"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task DataFormat_Delete_RepointsDatasetsToUnknown()
    {
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("df");
        var created = await PostAsync(client, "/data-formats", new { name, file_extension = ".zz" });
        var datasetId = await DataSeed.DatasetAsync(app, formatId: Guid.Parse(created["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/data-formats/{name}", Ct)).StatusCode);
        var format = await app.WithDbAsync(db => db.Datasets.Where(d => d.Id == datasetId).Select(d => d.DataFormat!.Name).SingleAsync(Ct));
        Assert.Equal("unknown", format);
    }

    [Fact]
    public async Task DatasetType_CreateListRetrieve_AsUpstream()
    {
        // Upstream test_datasettype.
        var client = await app.ClientForAsync("dataset_type_author");
        var name = AlyxApp.Unique("dst");
        var created = await PostAsync(client, "/dataset-types", new { name, filename_pattern = "--" + name });
        Assert.Equal(["id", "name", "created_by", "description", "filename_pattern"], created.Keys());
        Assert.Equal("dataset_type_author", created["created_by"]!.GetValue<string>());
        Assert.Contains(name, Names(await GetAsync(client, "/dataset-types?limit=1000")));
        Assert.Equal(created.ToJsonString(), (await GetAsync(client, $"/dataset-types/{name}")).ToJsonString());
    }

    [Fact]
    public async Task DatasetType_Pattern_IsStoredLowerCaseUniqueAndEmptyWhenUnset()
    {
        var client = await app.ClientForAsync();
        var stem = AlyxApp.Unique("Obj");
        var created = await PostAsync(client, "/dataset-types", new { name = AlyxApp.Unique("t"), filename_pattern = $"*{stem}.Times*" });
        Assert.Equal($"*{stem}.times*".ToLowerInvariant(), created["filename_pattern"]!.GetValue<string>());
        var duplicate = await PostAsync(client, "/dataset-types", new { name = AlyxApp.Unique("t"), filename_pattern = $"*{stem}.times*" },
            HttpStatusCode.BadRequest);
        Assert.Equal("dataset type with this filename pattern already exists.", duplicate["filename_pattern"]![0]!.GetValue<string>());
        // Several types may have no pattern: null and "" both mean none and read back as "".
        var a = await PostAsync(client, "/dataset-types", new { name = AlyxApp.Unique("t"), filename_pattern = (string?)null });
        var b = await PostAsync(client, "/dataset-types", new { name = AlyxApp.Unique("t"), filename_pattern = "" });
        Assert.Equal(("", ""), (a["filename_pattern"]!.GetValue<string>(), b["filename_pattern"]!.GetValue<string>()));
        var stored = await app.WithDbAsync(db => db.DatasetTypes.Where(t => t.Id == Guid.Parse(b["id"]!.GetValue<string>())).Select(t => t.FilenamePattern).SingleAsync(Ct));
        Assert.Null(stored);
    }

    [Fact]
    public async Task DatasetType_DuplicateName_Returns400()
    {
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("t");
        await PostAsync(client, "/dataset-types", new { name });
        var body = await PostAsync(client, "/dataset-types", new { name }, HttpStatusCode.BadRequest);
        Assert.Equal("dataset type with this name already exists.", body["name"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task DatasetType_CreatedBy_DefaultsToCallerOnPutButNotOnPatch()
    {
        var owner = await app.ClientForAsync("dst_owner");
        var other = await app.ClientForAsync("dst_other");
        var name = AlyxApp.Unique("t");
        await PostAsync(owner, "/dataset-types", new { name, created_by = (string?)null }, HttpStatusCode.Created);
        var patched = await (await other.PatchAsync($"/dataset-types/{name}", Json.Body(new { description = "d" }), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Null(patched["created_by"]);
        var put = await (await other.PutAsync($"/dataset-types/{name}", Json.Body(new { name, description = "e" }), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("dst_other", put["created_by"]!.GetValue<string>());
        var unknown = await (await other.PatchAsync($"/dataset-types/{name}", Json.Body(new { created_by = "nobody_here" }), Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Object with username=nobody_here does not exist.", unknown["created_by"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task DatasetType_QueryParameters_AreIgnored()
    {
        var client = await app.ClientForAsync();
        await PostAsync(client, "/dataset-types", new { name = AlyxApp.Unique("t") });
        var all = (await GetAsync(client, "/dataset-types"))["count"]!.GetValue<int>();
        Assert.Equal(all, (await GetAsync(client, "/dataset-types?name=none&django=name,none"))["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task DatasetType_Delete_RepointsDatasetsToUnknown()
    {
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("t");
        var created = await PostAsync(client, "/dataset-types", new { name });
        var datasetId = await DataSeed.DatasetAsync(app, typeId: Guid.Parse(created["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/dataset-types/{name}", Ct)).StatusCode);
        var type = await app.WithDbAsync(db => db.Datasets.Where(d => d.Id == datasetId).Select(d => d.DatasetType!.Name).SingleAsync(Ct));
        Assert.Equal("unknown", type);
    }

    [Fact]
    public async Task Revisions_LookupByName_404WhenUnknown()
    {
        // Upstream test_revisions.
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("v2");
        var created = await PostAsync(client, "/revisions", new { name });
        Assert.Equal(["id", "json", "name", "description", "created_datetime"], created.Keys());
        Assert.NotNull(created["created_datetime"]);
        Assert.Equal(name, (await GetAsync(client, $"/revisions/{name}"))["name"]!.GetValue<string>());
        var missing = await GetAsync(client, "/revisions/foobar_never", HttpStatusCode.NotFound);
        Assert.Equal("No Revision matches the given query.", missing["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Revisions_SpecialCharacters_Return400()
    {
        // Upstream TestRevisionModel.test_validation: '#2022-01-01.#' is refused.
        var client = await app.ClientForAsync();
        var body = await PostAsync(client, "/revisions", new { name = "#2022-01-01.#" }, HttpStatusCode.BadRequest);
        Assert.Equal("Revisions must only contain letters, numbers, hyphens, underscores and forward slashes.", body["name"]![0]!.GetValue<string>());
        var slash = await PostAsync(client, "/revisions", new { name = "a/b" }, HttpStatusCode.BadRequest);
        Assert.Single(slash["name"]!.AsArray());
    }

    [Theory]
    [InlineData(".", "Revision names \".\" and \"..\" are not allowed.")]
    [InlineData("..", "Revision names \".\" and \"..\" are not allowed.")]
    [InlineData("a/b", "Revisions must only contain letters, numbers, hyphens, underscores and forward slashes.")]
    [InlineData("a\\b", "Revisions must only contain letters, numbers, hyphens, underscores and forward slashes.")]
    [InlineData("../x", "Revisions must only contain letters, numbers, hyphens, underscores and forward slashes.")]
    public async Task Revisions_NamesThatAreNotOneFolder_Return400NamingName_OnCreateAndUpdate(string name, string message)
    {
        var client = await app.ClientForAsync();
        var body = await PostAsync(client, "/revisions", new { name }, HttpStatusCode.BadRequest);
        Assert.Equal(["name", "status_code"], body.Keys());
        Assert.Equal(message, Assert.Single(body["name"]!.AsArray())!.GetValue<string>());
        var existing = AlyxApp.Unique("rv");
        await PostAsync(client, "/revisions", new { name = existing });
        var patched = await client.PatchAsync($"/revisions/{existing}", Json.Body(new { name }), Ct);
        var patchBody = await patched.ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(message, Assert.Single(patchBody["name"]!.AsArray())!.GetValue<string>());
        Assert.Equal(0, await app.WithDbAsync(db => db.Revisions.CountAsync(r => r.Name == name, Ct)));
    }

    [Fact]
    public async Task Revisions_DotsInsideAName_AreAllowed()
    {
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("v1.2..3");
        Assert.Equal(name, (await PostAsync(client, "/revisions", new { name }))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Revisions_NameFilterAndGivenCreatedDatetime()
    {
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("2024-01-01");
        await PostAsync(client, "/revisions", new { name, created_datetime = "2024-01-02T03:04:05.123456" });
        var page = await GetAsync(client, $"/revisions?name={name}");
        Assert.Equal([name], Names(page));
        Assert.Equal("2024-01-02T03:04:05.123456", page["results"]![0]!["created_datetime"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tags_CreateFilterPatch_FieldsInOrder()
    {
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("tag");
        var created = await PostAsync(client, "/tags", new { name, @protected = true });
        Assert.Equal(["id", "json", "name", "description", "protected", "public", "hash"], created.Keys());
        Assert.Equal((true, false), (created["protected"]!.GetValue<bool>(), created["public"]!.GetValue<bool>()));
        Assert.Null(created["hash"]);
        Assert.Equal([name], Names(await GetAsync(client, $"/tags?name={name}")));
        var patched = await (await client.PatchAsync($"/tags/{name}", Json.Body(new { @public = true, hash = "abc" }), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal((true, "abc"), (patched["public"]!.GetValue<bool>(), patched["hash"]!.GetValue<string>()));
        var duplicate = await PostAsync(client, "/tags", new { name }, HttpStatusCode.BadRequest);
        Assert.Equal("tag with this name already exists.", duplicate["name"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task ReferenceEndpoints_PublicUser_CanReadButNotWrite()
    {
        var client = await app.ClientForAsync("data_public_user", isPublic: true);
        foreach (var path in new[] { "/data-repository-type", "/data-repository", "/data-formats", "/dataset-types", "/revisions", "/tags" })
        {
            await GetAsync(client, path);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync(path, Json.Body(new { name = "x" }), Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task ReferenceEndpoints_Anonymous_Returns403()
    {
        var client = app.AnonymousClient();
        var body = await (await client.GetAsync("/tags", Ct)).ReadJsonAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Authentication credentials were not provided.", body["detail"]!.GetValue<string>());
    }
}

/// <summary>Rows the data tests need and that no endpoint of theirs creates (datasets, sessions).</summary>
static class DataSeed
{
    public static Task<Guid> DatasetAsync(AlyxApp app, Guid? typeId = null, Guid? formatId = null, string? name = null, params string[] tags) =>
        app.WithDbAsync(async db =>
        {
            var type = typeId ?? (await AddAsync(db, new DatasetType { Name = AlyxApp.Unique("type") })).Id;
            var format = formatId ?? (await AddAsync(db, new DataFormat { Name = AlyxApp.Unique("fmt"), FileExtension = ".npy" })).Id;
            var dataset = new Dataset { Name = name ?? AlyxApp.Unique("ds") + ".npy", DatasetTypeId = type, DataFormatId = format, CreatedDatetime = DateTime.Now };
            foreach (var tag in tags)
                dataset.Tags.Add(await db.Tags.SingleOrDefaultAsync(t => t.Name == tag) ?? new Tag { Name = tag });
            db.Datasets.Add(dataset);
            await db.SaveChangesAsync();
            return dataset.Id;
        });

    static async Task<T> AddAsync<T>(Alyx.Database.AlyxDb db, T row) where T : class
    {
        db.Add(row);
        await db.SaveChangesAsync();
        return row;
    }
}
