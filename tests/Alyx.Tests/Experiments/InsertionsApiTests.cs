using System.Net;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Experiments;

/// <summary>/insertions through the HTTP pipeline (upstream experiments tests_rest: the probe insertion tests).</summary>
public sealed class InsertionsApiTests(ProbeApp app) : IClassFixture<ProbeApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static readonly List<string> ListKeys =
        ["id", "session", "model", "session_info", "name", "json", "serial", "auto_datetime", "chronic_insertion", "datasets"];

    internal static readonly List<string> DetailKeys =
        ["id", "session", "model", "session_info", "datasets", "name", "json", "serial", "auto_datetime", "chronic_insertion"];

    static readonly List<string> SessionInfoKeys = ["subject", "start_time", "number", "lab", "id", "projects", "task_protocol"];

    [Fact]
    public async Task CreateListDelete_Insertion_ListShowsSessionInfoWithProjectNames()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        var created = await w.InsertAsync(client, "probe_00");
        Assert.Equal(ListKeys, created.Keys());
        Assert.Equal(w.Session.ToString(), created["session"]!.GetValue<string>());
        Assert.Equal("3A", created["model"]!.GetValue<string>());
        Assert.Equal("", created["serial"]!.GetValue<string>());
        Assert.Null(created["json"]);
        Assert.Null(created["chronic_insertion"]);
        Assert.Empty(created["datasets"]!.AsArray());

        var list = await ProbeWorld.ListAsync(client, "subject=" + w.Subject);
        var item = Assert.Single(list.AsArray())!;
        Assert.Equal(ListKeys, item.Keys());
        var info = item["session_info"]!;
        Assert.Equal(SessionInfoKeys, info.Keys());
        Assert.Equal([w.Project], info["projects"].Strings());
        Assert.Equal((w.Subject, w.Lab, w.Session.ToString(), 1, "ephys", "2024-03-05T10:00:00"),
            (info["subject"]!.GetValue<string>(), info["lab"]!.GetValue<string>(), info["id"]!.GetValue<string>(), info["number"]!.GetValue<int>(),
                info["task_protocol"]!.GetValue<string>(), info["start_time"]!.GetValue<string>()));

        Assert.Single((await ProbeWorld.ListAsync(client, $"session={w.Session}&name=probe_00")).AsArray());
        Assert.Empty((await ProbeWorld.ListAsync(client, $"session={w.Session}&name=probe_01")).AsArray());

        var id = created["id"]!.GetValue<string>();
        await (await client.DeleteAsync($"/insertions/{id}", Ct)).AssertStatusAsync(HttpStatusCode.NoContent);
        var gone = await (await client.GetAsync($"/insertions/{id}", Ct)).ReadJsonAsync(HttpStatusCode.NotFound);
        Assert.Equal("No ProbeInsertion matches the given query.", gone["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_TaskProtocolProjectFilters_AndOrderBySessionStartDescendingThenName()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        await w.InsertAsync(client, "probe00");
        await w.InsertAsync(client, "probe01");
        var q = "subject=" + w.Subject;
        Assert.Equal(2, (await ProbeWorld.ListAsync(client, q + "&task_protocol=EPHY")).AsArray().Count);
        Assert.Empty((await ProbeWorld.ListAsync(client, q + "&task_protocol=training")).AsArray());
        Assert.Empty((await ProbeWorld.ListAsync(client, q + "&project=foobar")).AsArray());
        Assert.Equal(2, (await ProbeWorld.ListAsync(client, q + "&project=" + w.Project.ToUpperInvariant())).AsArray().Count);

        // A more recent session's insertions come first, each session's by name.
        var later = await w.SessionAsync(app, ProbeWorld.Start.AddDays(1), 2);
        foreach (var name in new[] { "probe01", "probe02", "probe00" }) await w.InsertAsync(client, name, later);
        var all = await ProbeWorld.ListAsync(client, q);
        Assert.Equal(later.ToString(), all[0]!["session_info"]!["id"]!.GetValue<string>());
        Assert.Equal(["probe00", "probe01", "probe02", "probe00", "probe01"], ProbeWorld.Names(all));

        // A session without start time sorts first, as PostgreSQL puts NULLs first in a descending order.
        var undated = await w.SessionAsync(app, null, 3);
        await w.InsertAsync(client, "probe09", undated);
        Assert.Equal("probe09", ProbeWorld.Names(await ProbeWorld.ListAsync(client, q))[0]);
    }

    [Fact]
    public async Task List_SessionDateNumberLabModelFilters_SelectTheInsertions()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        await w.InsertAsync(client, "probe00", model: "3B2");
        var other = await w.SessionAsync(app, ProbeWorld.Start.AddDays(3), 7);
        await w.InsertAsync(client, "probe01", other, model: "NP2.4");
        var q = "subject=" + w.Subject;
        Assert.Equal(["probe01"], ProbeWorld.Names(await ProbeWorld.ListAsync(client, $"{q}&date=2024-03-08")));
        Assert.Equal(["probe01"], ProbeWorld.Names(await ProbeWorld.ListAsync(client, $"{q}&experiment_number=7")));
        Assert.Equal(["probe00"], ProbeWorld.Names(await ProbeWorld.ListAsync(client, $"session={w.Session}")));
        Assert.Equal(2, (await ProbeWorld.ListAsync(client, "lab=" + w.Lab.ToUpperInvariant())).AsArray().Count);
        // The original matches the model's long name; its slug works too.
        Assert.Equal(["probe00"], ProbeWorld.Names(await ProbeWorld.ListAsync(client, $"{q}&model=Neuropixel 3B2")));
        Assert.Equal(["probe01"], ProbeWorld.Names(await ProbeWorld.ListAsync(client, $"{q}&model=NP2.4")));
        Assert.Empty((await ProbeWorld.ListAsync(client, $"{q}&model=3A")).AsArray());
        Assert.Empty((await ProbeWorld.ListAsync(client, $"session={Guid.NewGuid()}")).AsArray());
        Assert.Equal(["probe00"], ProbeWorld.Names(await ProbeWorld.ListAsync(client, $"{q}&django=session__number,1")));
    }

    [Theory]
    [InlineData("session=abc", "session", "Enter a valid UUID.")]
    [InlineData("date=2024-13-01", "date", "Enter a valid date.")]
    [InlineData("experiment_number=one", "experiment_number", "Enter a whole number.")]
    [InlineData("dataset_qc_lte=GOOD", "dataset_qc_lte", null)]
    [InlineData("id=xyz", "id", "Enter a valid UUID.")]
    [InlineData("django=nosuchfield,1", "django", null)]
    public async Task List_InvalidFilterValue_Is400NamingTheFilter(string query, string key, string? message)
    {
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync("/insertions?" + query, Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(400, body["status_code"]!.GetValue<int>());
        var messages = body[key].Strings();
        Assert.Single(messages);
        if (message is not null) Assert.Equal(message, messages[0]);
    }

    [Fact]
    public async Task Detail_NestsTheSessionDatasetsWhoseCollectionContainsTheName_QcAsCode()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        var created = await w.InsertAsync(client, "probe00");
        var spikes = await w.DatasetAsync(app, "spikes.times.npy", "alf/PROBE00/pykilosort", qc: 30);
        await w.DatasetAsync(app, "spikes.times.npy", "alf/probe01");
        await w.DatasetAsync(app, "trials.table.pqt", "alf");
        var detail = await (await client.GetAsync($"/insertions/{created["id"]}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(DetailKeys, detail.Keys());
        var item = Assert.Single(detail["datasets"]!.AsArray())!;
        Assert.Equal(["id", "name", "dataset_type", "data_url", "url", "file_size", "hash", "version", "collection", "qc"], item.Keys());
        Assert.Equal((spikes.Id.ToString(), w.TypeName, $"http://localhost/datasets/{spikes.Id}", 30, 1234L, "alf/PROBE00/pykilosort"),
            (item["id"]!.GetValue<string>(), item["dataset_type"]!.GetValue<string>(), item["url"]!.GetValue<string>(), item["qc"]!.GetValue<int>(),
                item["file_size"]!.GetValue<long>(), item["collection"]!.GetValue<string>()));
        Assert.Null(item["data_url"]);
        Assert.Equal(created["session_info"]!.ToJsonString(), detail["session_info"]!.ToJsonString());
    }

    [Fact]
    public async Task Detail_InsertionWithoutSession_HasNullSessionAndNoDatasets()
    {
        var client = await app.ClientForAsync();
        var insertion = new Alyx.Experiments.ProbeInsertion { Name = "probe00" };
        await app.WithDbAsync(async db =>
        {
            db.Add(insertion);
            await db.SaveChangesAsync(Ct);
        });
        var detail = await (await client.GetAsync($"/insertions/{insertion.Id}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Null(detail["session"]);
        Assert.Null(detail["session_info"]);
        Assert.Null(detail["model"]);
        Assert.Empty(detail["datasets"]!.AsArray());
        var listed = await ProbeWorld.ListAsync(client, "id=" + insertion.Id);
        Assert.Null(Assert.Single(listed.AsArray())!["session_info"]);
    }

    [Fact]
    public async Task Detail_UppercaseOrUnknownId_Is404()
    {
        var client = await app.ClientForAsync();
        var unknown = await (await client.GetAsync($"/insertions/{Guid.NewGuid()}", Ct)).ReadJsonAsync(HttpStatusCode.NotFound);
        Assert.Equal(404, unknown["status_code"]!.GetValue<int>());
        var upper = await client.GetAsync($"/insertions/{Guid.NewGuid().ToString().ToUpperInvariant()}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, upper.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/insertions/{Guid.NewGuid()}", Ct)).StatusCode);
    }

    [Fact]
    public async Task PublicUser_CanListButNotCreate()
    {
        var w = await ProbeWorld.CreateAsync(app);
        var reader = await app.ClientForAsync(AlyxApp.Unique("public"), isPublic: true);
        await (await reader.GetAsync("/insertions?subject=" + w.Subject, Ct)).AssertStatusAsync(HttpStatusCode.OK);
        var body = new { session = w.Session.ToString(), name = "probe00" };
        await (await reader.PostAsync("/insertions", Json.Body(body), Ct)).AssertStatusAsync(HttpStatusCode.Forbidden);
        await (await app.AnonymousClient().GetAsync("/insertions", Ct)).AssertStatusAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SessionDetail_ListsItsInsertionsInTheListShape()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        var b = await w.InsertAsync(client, "probe01");
        var a = await w.InsertAsync(client, "probe00");
        var dataset = await w.DatasetAsync(app, "spikes.times.npy", "alf/probe00");
        await (await client.PatchAsync($"/insertions/{a["id"]}", Json.Body(new { serial = "123" }), Ct)).AssertStatusAsync(HttpStatusCode.OK);
        var session = await (await client.GetAsync($"/sessions/{w.Session}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var insertions = session["probe_insertion"]!.AsArray();
        Assert.Equal([a["id"]!.GetValue<string>(), b["id"]!.GetValue<string>()], ProbeWorld.Ids(insertions));
        Assert.Equal(ListKeys, insertions[0]!.Keys());
        Assert.Equal([dataset.Id.ToString()], insertions[0]!["datasets"].Strings());
        Assert.Equal("123", insertions[0]!["serial"]!.GetValue<string>());
    }

    [Fact]
    public async Task DeleteSession_CascadesToItsInsertions()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        var session = await w.SessionAsync(app, ProbeWorld.Start, 5);
        var created = await w.InsertAsync(client, "probe00", session);
        await (await client.DeleteAsync($"/sessions/{session}", Ct)).AssertStatusAsync(HttpStatusCode.NoContent);
        await (await client.GetAsync($"/insertions/{created["id"]}", Ct)).AssertStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Schema_ListsTheInsertionFilters_AtlasFiltersIncluded()
    {
        var client = await app.ClientForAsync();
        var schema = await (await client.GetAsync("/api/schema?format=json", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var names = schema["paths"]!["/insertions"]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["atlas_acronym", "atlas_id", "atlas_name", "auto_datetime", "chronic_insertion", "dataset_qc_lte", "dataset_types", "datasets", "date",
            "django", "experiment_number", "id", "lab", "limit", "model", "name", "offset", "project", "serial", "session", "subject", "tag", "task_protocol"],
            names.Order(StringComparer.Ordinal));
        Assert.NotNull(schema["paths"]!["/insertions/{id}"]!["patch"]);
        Assert.True(await app.WithDbAsync(db => db.ProbeModels.AnyAsync(m => m.Model == "3B2", Ct)));
    }
}
