using System.Net;
using System.Text.Json.Nodes;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Experiments;

/// <summary>Create, update and their validation: every bad input is a 400 in Alyx's error shape.</summary>
public sealed class InsertionWriteTests(ProbeApp app) : IClassFixture<ProbeApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<JsonNode> ErrorAsync(HttpResponseMessage response)
    {
        var body = await response.ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(400, body["status_code"]!.GetValue<int>());
        return body;
    }

    static Task<HttpResponseMessage> PostAsync(HttpClient client, string json) => client.PostAsync("/insertions", Json.Body(json), Ct);

    [Fact]
    public async Task Create_MissingNameAndSession_AreRequired()
    {
        var client = await app.ClientForAsync();
        var body = await ErrorAsync(await PostAsync(client, """{"model": "3A"}"""));
        Assert.Equal(["This field is required."], body["session"].Strings());
        Assert.Equal(["This field is required."], body["name"].Strings());
    }

    [Fact]
    public async Task Create_BadReferences_AreFieldErrors()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        var missing = Guid.NewGuid();
        var body = await ErrorAsync(await PostAsync(client, $$"""{"session": "{{missing}}", "name": "p", "model": "4Z"}"""));
        Assert.Equal([$"Object with id={missing} does not exist."], body["session"].Strings());
        Assert.Equal(["Object with probe_model=4Z does not exist."], body["model"].Strings());

        body = await ErrorAsync(await PostAsync(client, """{"session": "not-a-uuid", "name": "p"}"""));
        Assert.Equal(["“not-a-uuid” is not a valid UUID."], body["session"].Strings());

        body = await ErrorAsync(await PostAsync(client, """{"session": null, "name": "p", "model": null}"""));
        Assert.Equal(["This field may not be null."], body["session"].Strings());
        Assert.Equal(["This field may not be null."], body["model"].Strings());

        var chronic = Guid.NewGuid();
        body = await ErrorAsync(await PostAsync(client, $$"""{"session": "{{w.Session}}", "name": "p", "chronic_insertion": "{{chronic}}"}"""));
        Assert.Equal([$"Invalid pk \"{chronic}\" - object does not exist."], body["chronic_insertion"].Strings());

        body = await ErrorAsync(await PostAsync(client, $$"""{"session": "{{w.Session}}", "name": "p", "datasets": ["zz", "{{missing}}"]}"""));
        Assert.Equal(["“zz” is not a valid UUID.", $"Invalid pk \"{missing}\" - object does not exist."], body["datasets"].Strings());

        body = await ErrorAsync(await PostAsync(client, $$"""{"session": "{{w.Session}}", "name": "{{new string('n', 256)}}", "serial": null, "datasets": "x"}"""));
        Assert.Equal(["Ensure this field has no more than 255 characters."], body["name"].Strings());
        Assert.Equal(["This field may not be null."], body["serial"].Strings());
        Assert.Equal(["Expected a list of items but got type \"str\"."], body["datasets"].Strings());

        await ErrorAsync(await PostAsync(client, "{\"name\": "));
        Assert.False(await app.WithDbAsync(db => db.ProbeInsertions.AnyAsync(p => p.SessionId == w.Session, Ct)));
    }

    [Fact]
    public async Task Create_SameNameInTheSameSession_IsANonFieldError()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        await w.InsertAsync(client, "probe00");
        var body = await ErrorAsync(await PostAsync(client, $$"""{"session": "{{w.Session}}", "name": "probe00"}"""));
        Assert.Equal(["The fields name, session must make a unique set."], body["non_field_errors"].Strings());
        // The same name in another session is fine.
        await w.InsertAsync(client, "probe00", await w.SessionAsync(app, ProbeWorld.Start, 2));
    }

    [Fact]
    public async Task Create_FormEncoded_ParsesJsonTextAndOmittedDatasetsAreEmpty()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        await w.DatasetAsync(app, "spikes.times.npy", "alf/probe00");
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["session"] = w.Session.ToString(),
            ["name"] = "probe00",
            ["model"] = "3B2",
            ["json"] = """{"qc": "NOT_SET", "extended_qc": {}}""",
        });
        var created = await (await client.PostAsync("/insertions", form, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("NOT_SET", created["json"]!["qc"]!.GetValue<string>());
        // A form's absent many-valued field is an empty list, applied after the automatic links (as DRF does).
        Assert.Empty(created["datasets"]!.AsArray());
    }

    [Fact]
    public async Task Create_JsonAndSerial_AreStoredAndAutoDatetimeSet()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        var created = await ProbeWorld.PostAsync(client, new
        {
            session = w.Session.ToString(),
            name = "probe00",
            model = "3B2",
            serial = "18194814141",
            json = new { qc = "NOT_SET", extended_qc = new { } },
        });
        Assert.Equal("""{"qc":"NOT_SET","extended_qc":{}}""", created["json"]!.ToJsonString());
        Assert.Equal("18194814141", created["serial"]!.GetValue<string>());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?$", created["auto_datetime"]!.GetValue<string>());
    }

    [Fact]
    public async Task Patch_ChangesGivenFields_ReturnsDetail_AndRenameRelinksDatasets()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        var created = await w.InsertAsync(client, "probe00");
        var id = created["id"]!.GetValue<string>();
        var p00 = await w.DatasetAsync(app, "spikes.times.npy", "alf/probe00");
        var p01 = await w.DatasetAsync(app, "spikes.amps.npy", "alf/probe01");

        var patched = await (await client.PatchAsync($"/insertions/{id}", Json.Body(new { serial = "42", model = "NP2.1" }), Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(InsertionsApiTests.DetailKeys, patched.Keys());
        Assert.Equal(("42", "NP2.1", "probe00"), (patched["serial"]!.GetValue<string>(), patched["model"]!.GetValue<string>(), patched["name"]!.GetValue<string>()));
        Assert.Equal(p00.Id.ToString(), Assert.Single(patched["datasets"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.Equal([p00.Id], await LinkedAsync(id));

        var renamed = await (await client.PatchAsync($"/insertions/{id}", Json.Body(new { name = "probe01" }), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(p01.Id.ToString(), Assert.Single(renamed["datasets"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.Equal([p01.Id], await LinkedAsync(id));
        // Datasets are read-only on the detail route.
        await (await client.PatchAsync($"/insertions/{id}", Json.Body(new { datasets = new[] { p00.Id } }), Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal([p01.Id], await LinkedAsync(id));
    }

    [Fact]
    public async Task Patch_OntoAnotherInsertionsName_IsANonFieldError()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        await w.InsertAsync(client, "probe00");
        var other = await w.InsertAsync(client, "probe01");
        var body = await ErrorAsync(await client.PatchAsync($"/insertions/{other["id"]}", Json.Body(new { name = "probe00" }), Ct));
        Assert.Equal(["The fields name, session must make a unique set."], body["non_field_errors"].Strings());
        var same = await client.PatchAsync($"/insertions/{other["id"]}", Json.Body(new { name = "probe01", session = w.Session.ToString() }), Ct);
        await same.AssertStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Put_RequiresNameAndSession_AndMovesTheInsertion()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        var created = await w.InsertAsync(client, "probe00");
        var id = created["id"]!.GetValue<string>();
        var body = await ErrorAsync(await client.PutAsync($"/insertions/{id}", Json.Body(new { serial = "1" }), Ct));
        Assert.Equal(["This field is required."], body["session"].Strings());
        Assert.Equal(["This field is required."], body["name"].Strings());

        var other = await w.SessionAsync(app, ProbeWorld.Start.AddDays(1), 2);
        var moved = await (await client.PutAsync($"/insertions/{id}", Json.Body(new { session = other.ToString(), name = "probe00", serial = "7" }), Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal((other.ToString(), "7", "3A"), (moved["session"]!.GetValue<string>(), moved["serial"]!.GetValue<string>(), moved["model"]!.GetValue<string>()));
        Assert.Equal(other.ToString(), moved["session_info"]!["id"]!.GetValue<string>());
        var read = await (await client.GetAsync($"/insertions/{id}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(moved.ToJsonString(), read.ToJsonString());
    }

    [Fact]
    public async Task Update_UnknownInsertion_Is404()
    {
        var client = await app.ClientForAsync();
        await (await client.PatchAsync($"/insertions/{Guid.NewGuid()}", Json.Body(new { serial = "1" }), Ct)).AssertStatusAsync(HttpStatusCode.NotFound);
    }

    Task<List<Guid>> LinkedAsync(string id) => app.WithDbAsync(db => db.ProbeInsertions.Where(p => p.Id == Guid.Parse(id))
        .SelectMany(p => p.Datasets).Select(d => d.Id).ToListAsync(Ct));
}
