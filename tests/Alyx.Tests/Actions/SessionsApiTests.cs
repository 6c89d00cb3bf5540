using System.Net;
using System.Text.Json.Nodes;
using Alyx.Actions;
using Alyx.Http;
using Alyx.Misc;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Actions;

/// <summary>/sessions and /sessions/{id}: shapes, create defaults, writes and deletes (upstream APIActionsSessionsTests).</summary>
public sealed class SessionsApiTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly string[] DetailKeys =
    [
        "subject", "users", "location", "procedures", "lab", "projects", "type", "task_protocol", "number", "start_time", "end_time",
        "narrative", "parent_session", "n_correct_trials", "n_trials", "url", "extended_qc", "qc", "wateradmin_session_related",
        "data_dataset_session_related", "auto_datetime", "id", "json", "probe_insertion", "field_of_view", "notes",
    ];

    static readonly string[] ListKeys = ["id", "subject", "start_time", "number", "lab", "projects", "url", "task_protocol"];

    /// <summary>A lab and a subject of it, both uniquely named.</summary>
    internal static async Task<(string Lab, string Nickname, Guid SubjectId)> NewSubjectAsync(AlyxApp app)
    {
        var lab = new Lab { Name = AlyxApp.Unique("slab") };
        var subject = new Subject { Nickname = AlyxApp.Unique("mouse"), LabId = lab.Id };
        await app.WithDbAsync(async db =>
        {
            db.Labs.Add(lab);
            db.Subjects.Add(subject);
            await db.SaveChangesAsync(Ct);
        });
        return (lab.Name, subject.Nickname, subject.Id);
    }

    static async Task<JsonNode> PostAsync(HttpClient client, object body) =>
        await (await client.PostAsync("/sessions", Json.Body(body), Ct)).ReadJsonAsync(HttpStatusCode.Created);

    static async Task<JsonNode> ErrorAsync(HttpClient client, object body) =>
        await (await client.PostAsync("/sessions", Json.Body(body), Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);

    [Fact]
    public async Task CreateSession_SubjectOnly_Returns201DetailWithDefaults()
    {
        var client = await app.ClientForAsync("sess_creator");
        var (lab, nickname, _) = await NewSubjectAsync(app);
        var before = app.Services.GetRequiredService<AlyxClock>().Now;
        var response = await client.PostAsync("/sessions", Json.Body(new { subject = nickname }), Ct);
        var body = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(DetailKeys, body.Keys());
        var id = body["id"]!.GetValue<string>();
        Assert.Equal($"http://localhost/sessions/{id}", body["url"]!.GetValue<string>());
        Assert.Equal(body["url"]!.GetValue<string>(), response.Headers.Location!.ToString());
        Assert.Equal(["sess_creator"], body["users"].Strings());
        Assert.Equal(lab, body["lab"]!.GetValue<string>());
        Assert.Equal("NOT_SET", body["qc"]!.GetValue<string>());
        Assert.Equal("", body["task_protocol"]!.GetValue<string>());
        Assert.Equal("", body["narrative"]!.GetValue<string>());
        Assert.Null(body["number"]);
        Assert.Null(body["parent_session"]);
        Assert.Null(body["json"]);
        Assert.Null(body["extended_qc"]);
        foreach (var nested in new[] { "wateradmin_session_related", "data_dataset_session_related", "probe_insertion", "field_of_view", "notes" })
            Assert.Empty(body[nested]!.AsArray());
        Assert.True(AlyxFormats.TryParseDateTime(body["start_time"]!.GetValue<string>(), out var start));
        Assert.True(start >= before.AddSeconds(-1));
        Assert.NotNull(body["auto_datetime"]);
    }

    [Fact]
    public async Task CreateSession_EmptyUsers_DefaultsToRequester()
    {
        var client = await app.ClientForAsync("sess_empty_users");
        var (_, nickname, _) = await NewSubjectAsync(app);
        var body = await PostAsync(client, new { subject = nickname, users = Array.Empty<string>() });
        Assert.Equal(["sess_empty_users"], body["users"].Strings());
    }

    [Fact]
    public async Task CreateSession_JsonParentAndStringNumber_DetailHasJsonListDoesNot()
    {
        var client = await app.ClientForAsync();
        var (_, nickname, _) = await NewSubjectAsync(app);
        var response = await client.PostAsync("/sessions", Json.Body($$"""
            {"subject": "{{nickname}}", "number": "1", "parent_session": "", "json": {"IS_MOCK": false, "nested": [1, 2]},
             "start_time": "2024-03-05T10:12:00", "end_time": "2024-03-05T11:02:31.25", "task_protocol": "_iblrig_tasks_ephysChoiceWorld6.4.2"}
            """), Ct);
        var body = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(1, body["number"]!.GetValue<int>());
        Assert.Null(body["parent_session"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"IS_MOCK":false,"nested":[1,2]}"""), body["json"]));
        Assert.Equal("2024-03-05T11:02:31.250000", body["end_time"]!.GetValue<string>());
        var id = body["id"]!.GetValue<string>();
        var detail = await (await client.GetAsync($"/sessions/{id}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(body.ToJsonString(), detail.ToJsonString());
        var page = await (await client.GetAsync($"/sessions?id={id}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var item = Assert.Single(page["results"]!.AsArray())!;
        Assert.Equal(ListKeys, item.Keys());
        Assert.Null(item["json"]);
        foreach (var key in ListKeys) Assert.Equal(body[key]?.ToJsonString(), item[key]?.ToJsonString());
    }

    [Fact]
    public async Task CreateSession_ParentSessionHyperlink_AcceptsAnyHostAndRendersOurs()
    {
        var client = await app.ClientForAsync();
        var (_, nickname, _) = await NewSubjectAsync(app);
        var parent = await PostAsync(client, new { subject = nickname });
        var parentId = parent["id"]!.GetValue<string>();
        var child = await PostAsync(client, new { subject = nickname, parent_session = $"https://elsewhere.example.org/sessions/{parentId}" });
        Assert.Equal($"http://localhost/sessions/{parentId}", child["parent_session"]!.GetValue<string>());
        var byPath = await PostAsync(client, new { subject = nickname, parent_session = $"/sessions/{parentId}" });
        Assert.Equal($"http://localhost/sessions/{parentId}", byPath["parent_session"]!.GetValue<string>());
        var filtered = await (await client.GetAsync($"/sessions?parent_session={parentId}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, filtered["count"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("bare-uuid", "Invalid hyperlink - No URL match.")]
    [InlineData("/subjects/someone", "Invalid hyperlink - Incorrect URL match.")]
    [InlineData("http://localhost/sessions/00000000-0000-4000-8000-000000000000", "Invalid hyperlink - Object does not exist.")]
    public async Task CreateSession_BadParentSession_Returns400WithDrfMessage(string parent, string message)
    {
        var client = await app.ClientForAsync();
        var (_, nickname, _) = await NewSubjectAsync(app);
        var value = parent == "bare-uuid" ? Guid.NewGuid().ToString() : parent;
        var body = await ErrorAsync(client, new { subject = nickname, parent_session = value });
        Assert.Equal([message], body["parent_session"].Strings());
    }

    [Fact]
    public async Task CreateSession_ParentSessionNumber_Returns400IncorrectType()
    {
        var client = await app.ClientForAsync();
        var (_, nickname, _) = await NewSubjectAsync(app);
        var body = await ErrorAsync(client, new { subject = nickname, parent_session = 12 });
        Assert.Equal(["Incorrect type. Expected URL string, received int."], body["parent_session"].Strings());
    }

    [Fact]
    public async Task CreateSession_InvalidFields_Return400WithEveryMessage()
    {
        var client = await app.ClientForAsync();
        var missing = await ErrorAsync(client, new { number = 1 });
        Assert.Equal(["This field is required."], missing["subject"].Strings());
        Assert.Equal(400, missing["status_code"]!.GetValue<int>());
        var unknown = await ErrorAsync(client, new { subject = "NOPE_no_such_mouse" });
        Assert.Equal(["Object with nickname=NOPE_no_such_mouse does not exist."], unknown["subject"].Strings());
        var (_, nickname, _) = await NewSubjectAsync(app);
        var bad = await ErrorAsync(client, new
        {
            subject = nickname,
            qc = "pass",
            lab = (string?)null,
            procedures = (string[]?)null,
            number = "one",
            users = new[] { "nobody_at_all" },
            start_time = "yesterday",
            type = new string('t', 256),
        });
        Assert.Equal(["Invalid qc, choices are: CRITICAL, FAIL, WARNING, NOT_SET, PASS"], bad["qc"].Strings());
        Assert.Equal(["This field may not be null."], bad["lab"].Strings());
        Assert.Equal(["This field may not be null."], bad["procedures"].Strings());
        Assert.Equal(["A valid integer is required."], bad["number"].Strings());
        Assert.Equal(["Object with username=nobody_at_all does not exist."], bad["users"].Strings());
        Assert.Equal(["Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z]."],
            bad["start_time"].Strings());
        Assert.Equal(["Ensure this field has no more than 255 characters."], bad["type"].Strings());
        Assert.Equal(0, await app.WithDbAsync(db => db.Sessions.CountAsync(s => s.Subject!.Nickname == nickname, Ct)));
    }

    [Fact]
    public async Task CreateSession_AllFields_StoredAndEchoed()
    {
        var client = await app.ClientForAsync("sess_all_a");
        await app.ClientForAsync("sess_all_b");
        var (_, nickname, _) = await NewSubjectAsync(app);
        var project = AlyxApp.Unique("proj");
        var procedure = AlyxApp.Unique("Behavior");
        var otherLab = AlyxApp.Unique("olab");
        var location = AlyxApp.Unique("rig");
        await app.WithDbAsync(async db =>
        {
            db.Projects.Add(new Project { Name = project });
            db.ProcedureTypes.Add(new ProcedureType { Name = procedure });
            var l = new Lab { Name = otherLab };
            db.Labs.Add(l);
            db.LabLocations.Add(new LabLocation { Name = location, LabId = l.Id });
            await db.SaveChangesAsync(Ct);
        });
        var body = await PostAsync(client, new
        {
            subject = nickname,
            users = new[] { "sess_all_b", "sess_all_a" },
            projects = new[] { project },
            procedures = new[] { procedure },
            lab = otherLab,
            location,
            type = "Experiment",
            n_trials = 600,
            n_correct_trials = 480,
            qc = "WARNING",
            extended_qc = new { task = "PASS" },
            narrative = "went well",
            start_time = "2024-03-05T10:12:00+01:00",
        });
        Assert.Equal(["sess_all_a", "sess_all_b"], body["users"].Strings());
        Assert.Equal([project], body["projects"].Strings());
        Assert.Equal([procedure], body["procedures"].Strings());
        Assert.Equal(otherLab, body["lab"]!.GetValue<string>());
        Assert.Equal(location, body["location"]!.GetValue<string>());
        Assert.Equal("Experiment", body["type"]!.GetValue<string>());
        Assert.Equal("WARNING", body["qc"]!.GetValue<string>());
        Assert.Equal("""{"task":"PASS"}""", body["extended_qc"]!.ToJsonString());
        Assert.Equal("went well", body["narrative"]!.GetValue<string>());
        // An offset is converted to UTC, then dropped (quirk Q-19).
        Assert.Equal("2024-03-05T09:12:00", body["start_time"]!.GetValue<string>());
        var qc = await app.WithDbAsync(db => db.Sessions.Where(s => s.Subject!.Nickname == nickname).Select(s => s.Qc).SingleAsync(Ct));
        Assert.Equal(30, qc);
    }

    [Fact]
    public async Task UpdateSession_PutNeedsSubjectAndKeepsOmittedFields_PatchEmptiesLists()
    {
        var client = await app.ClientForAsync("sess_updater");
        var (lab, nickname, _) = await NewSubjectAsync(app);
        var created = await PostAsync(client, new { subject = nickname, number = 3, narrative = "keep me", json = new { a = 1 } });
        var url = $"/sessions/{created["id"]!.GetValue<string>()}";
        var noSubject = await (await client.PutAsync(url, Json.Body(new { number = 4 }), Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["This field is required."], noSubject["subject"].Strings());
        var put = await (await client.PutAsync(url, Json.Body(new { subject = nickname, number = 4 }), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(4, put["number"]!.GetValue<int>());
        Assert.Equal("keep me", put["narrative"]!.GetValue<string>());
        Assert.Equal("""{"a":1}""", put["json"]!.ToJsonString());
        Assert.Equal(["sess_updater"], put["users"].Strings());
        var patch = await (await client.PatchAsync(url, Json.Body(new { users = Array.Empty<string>(), extended_qc = new { b = 2 } }), Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Empty(patch["users"]!.AsArray());
        Assert.Equal("""{"b":2}""", patch["extended_qc"]!.ToJsonString());
        Assert.Equal(lab, patch["lab"]!.GetValue<string>());
        Assert.Equal(4, patch["number"]!.GetValue<int>());
        var badLab = await (await client.PatchAsync(url, Json.Body("""{"lab": null}"""), Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["This field may not be null."], badLab["lab"].Strings());
    }

    [Fact]
    public async Task UpdateSession_EmptyLab_IsRedefaultedFromSubject()
    {
        var client = await app.ClientForAsync();
        var (lab, nickname, _) = await NewSubjectAsync(app);
        var created = await PostAsync(client, new { subject = nickname });
        var id = Guid.Parse(created["id"]!.GetValue<string>());
        await app.WithDbAsync(db => db.Sessions.Where(s => s.Id == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LabId, (Guid?)null), Ct));
        var legacy = await (await client.GetAsync($"/sessions/{id}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Null(legacy["lab"]);
        var patched = await (await client.PatchAsync($"/sessions/{id}", Json.Body(new { narrative = "x" }), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(lab, patched["lab"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetSession_NestedWaterAdministrationsAndNotes_AreListed()
    {
        var client = await app.ClientForAsync("sess_nested");
        var (_, nickname, subjectId) = await NewSubjectAsync(app);
        var created = await PostAsync(client, new { subject = nickname });
        var id = Guid.Parse(created["id"]!.GetValue<string>());
        var waterType = new WaterType { Name = AlyxApp.Unique("Water") };
        await app.WithDbAsync(async db =>
        {
            db.Add(waterType);
            db.Add(new WaterAdministration { SubjectId = subjectId, SessionId = id, WaterAdministered = 0.6, WaterTypeId = waterType.Id, DateTime = new DateTime(2024, 3, 5, 15, 0, 0) });
            var user = await db.Users.SingleAsync(u => u.Username == "sess_nested", Ct);
            var contentType = await db.ContentTypes.SingleAsync(c => c.AppLabel == "actions" && c.Model == "session", Ct);
            db.Notes.Add(new Note { UserId = user.Id, ObjectId = id, ContentTypeId = contentType.Id, Text = "a note", DateTime = new DateTime(2024, 3, 5) });
            await db.SaveChangesAsync(Ct);
        });
        var detail = await (await client.GetAsync($"/sessions/{id}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var water = Assert.Single(detail["wateradmin_session_related"]!.AsArray())!;
        Assert.Equal(["id", "name", "water_type", "water_administered"], water.Keys());
        Assert.Equal(0.6, water["water_administered"]!.GetValue<double>());
        Assert.Equal(waterType.Name, water["water_type"]!.GetValue<string>());
        var note = Assert.Single(detail["notes"]!.AsArray())!;
        Assert.Equal("a note", note["text"]!.GetValue<string>());
        Assert.Equal("actions.session", note["content_type"]!.GetValue<string>());
        Assert.Equal("sess_nested", note["user"]!.GetValue<string>());
    }

    [Fact]
    public async Task GetSession_UnknownOrMalformedId_Returns404()
    {
        var client = await app.ClientForAsync();
        var missing = await (await client.GetAsync($"/sessions/{Guid.NewGuid()}", Ct)).ReadJsonAsync(HttpStatusCode.NotFound);
        Assert.Equal("No Session matches the given query.", missing["detail"]!.GetValue<string>());
        var upper = await client.GetAsync($"/sessions/{Guid.NewGuid().ToString().ToUpperInvariant()}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, upper.StatusCode);
        Assert.StartsWith("text/html", upper.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteSession_Returns204_ChildrenAndWaterAdministrationsKeptUnlinked()
    {
        var client = await app.ClientForAsync();
        var (_, nickname, subjectId) = await NewSubjectAsync(app);
        var parent = await PostAsync(client, new { subject = nickname });
        var parentId = Guid.Parse(parent["id"]!.GetValue<string>());
        var child = await PostAsync(client, new { subject = nickname, parent_session = parent["url"]!.GetValue<string>() });
        var childId = Guid.Parse(child["id"]!.GetValue<string>());
        var water = new WaterAdministration { SubjectId = subjectId, SessionId = parentId, WaterAdministered = 1, DateTime = new DateTime(2024, 1, 1) };
        await app.WithDbAsync(async db =>
        {
            db.Add(water);
            await db.SaveChangesAsync(Ct);
        });
        var response = await client.DeleteAsync($"/sessions/{parentId}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/sessions/{parentId}", Ct)).StatusCode);
        var (childParent, waterSession) = await app.WithDbAsync(async db => (
            await db.Sessions.Where(s => s.Id == childId).Select(s => s.ParentSessionId).SingleAsync(Ct),
            await db.Set<WaterAdministration>().Where(w => w.Id == water.Id).Select(w => w.SessionId).SingleAsync(Ct)));
        Assert.Null(childParent);
        Assert.Null(waterSession);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/sessions/{parentId}", Ct)).StatusCode);
    }

    [Fact]
    public async Task SessionsList_PublicUser_CanReadButNotWrite()
    {
        var client = await app.ClientForAsync(AlyxApp.Unique("public"), isPublic: true);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/sessions?limit=1", Ct)).StatusCode);
        var denied = await (await client.PostAsync("/sessions", Json.Body(new { subject = "x" }), Ct)).ReadJsonAsync(HttpStatusCode.Forbidden);
        Assert.Equal("You do not have permission to perform this action.", denied["detail"]!.GetValue<string>());
        var anonymous = await app.AnonymousClient().GetAsync("/sessions", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
    }

    [Fact]
    public async Task SessionsList_OrderedByStartTimeDescendingNullsFirst()
    {
        var client = await app.ClientForAsync();
        var (_, nickname, _) = await NewSubjectAsync(app);
        await PostAsync(client, new { subject = nickname, start_time = "2024-01-01T10:00:00", number = 1 });
        await PostAsync(client, new { subject = nickname, start_time = (string?)null, number = 0 });
        await PostAsync(client, new { subject = nickname, start_time = "2024-02-01T10:00:00", number = 2 });
        var page = await (await client.GetAsync($"/sessions?subject={nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([0, 2, 1], page["results"]!.AsArray().Select(r => r!["number"]!.GetValue<int>()).ToList());
    }
}
