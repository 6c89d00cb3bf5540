using System.Net;
using Alyx.Actions;
using Alyx.Misc;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Alyx.Tests.Actions.ActionsSeed;

namespace Alyx.Tests.Actions;

public sealed class SurgeriesApiTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly string[] Keys =
        ["id", "subject", "name", "json", "narrative", "start_time", "end_time", "outcome_type", "implant_weight", "lab", "location", "users", "procedures"];

    Task<Guid> ProcedureAsync(string name) => app.WithDbAsync(async db =>
    {
        var p = new ProcedureType { Name = name };
        db.Add(p);
        await db.SaveChangesAsync(Ct);
        return p.Id;
    });

    Task<(string Protocol, int? Severity, DateOnly? Death)> SubjectStateAsync(Mouse mouse) => app.WithDbAsync(async db =>
    {
        var s = await db.Subjects.AsNoTracking().SingleAsync(x => x.Id == mouse.Id, Ct);
        return (s.ProtocolNumber, s.ActualSeverity, s.DeathDate);
    });

    [Fact]
    public async Task ListSurgeries_ExactKeysAndCount()
    {
        // Upstream actions.tests_rest test_surgeries: the list has every surgery. The dump holds 121 actions.surgery rows,
        // all of subjects of its lab somelab; the surgeries the tests create are on subjects of labs of their own.
        var mouse = await SubjectAsync(app);
        await app.WithDbAsync(async db =>
        {
            db.Add(new Surgery { SubjectId = mouse.Id, ImplantWeight = 4.56, StartTime = T(2024, 1, 1) });
            await db.SaveChangesAsync(Ct);
        });
        var client = await app.ClientForAsync();
        var own = await (await client.GetAsync($"/surgeries?subject={mouse.Nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, own["count"]!.GetValue<int>());
        Assert.Equal(Keys, own["results"]![0]!.Keys());
        Assert.Equal("4.56", own["results"]![0]!["implant_weight"]!.ToJsonString());
        if (!Fixtures.HasDump) return;
        var dump = await (await client.GetAsync("/surgeries?limit=1000&django=subject__lab__name,somelab", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(121, dump["count"]!.GetValue<int>());
        Assert.Equal(121, dump["results"]!.AsArray().Count);
        Assert.Equal(Keys, dump["results"]![0]!.Keys());
        var all = await (await client.GetAsync("/surgeries?limit=1", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.True(all["count"]!.GetValue<int>() >= 122, all.ToJsonString());
    }

    [Fact]
    public async Task CreateSurgery_RelationsByPrimaryKey_DefaultsAndHooks()
    {
        var mouse = await SubjectAsync(app);
        await app.WithDbAsync(async db =>
        {
            await db.Subjects.Where(s => s.Id == mouse.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.ActualSeverity, 2), Ct);
        });
        var procedure = await ProcedureAsync(AlyxApp.Unique("Headplate implant"));
        var client = await app.ClientForAsync();
        var response = await client.PostAsync("/surgeries", Json.Body(new
        {
            subject = mouse.Nickname,
            implant_weight = 4.56,
            start_time = "2024-03-01T10:00:00",
            outcome_type = "r",
            procedures = new[] { procedure },
            lab = mouse.LabId,
            narrative = "woke up at 12.12",
        }), Ct);
        var json = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(Keys, json.Keys());
        var userId = await app.WithDbAsync(db => db.Users.Where(u => u.Username == "test_user").Select(u => u.Id).SingleAsync(Ct));
        Assert.Equal([userId.ToString()], json["users"].Strings());
        Assert.Equal([procedure.ToString()], json["procedures"].Strings());
        Assert.Equal(mouse.LabId.ToString(), json["lab"]!.GetValue<string>());
        Assert.Equal(4.56, json["implant_weight"]!.GetValue<double>());
        Assert.Equal("r", json["outcome_type"]!.GetValue<string>());
        // Surgery.save: protocol 2 (a surgery, no restriction) and Mild severity becomes Moderate.
        var (protocol, severity, death) = await SubjectStateAsync(mouse);
        Assert.Equal("2", protocol);
        Assert.Equal(3, severity);
        Assert.Null(death);
        var id = json["id"]!.GetValue<string>();
        var detail = await (await client.GetAsync($"/surgeries/{id}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(json.ToJsonString(), detail.ToJsonString());
        var filtered = await (await client.GetAsync($"/surgeries?subject={mouse.Nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(json.ToJsonString(), Assert.Single(filtered["results"]!.AsArray())!.ToJsonString());
    }

    [Fact]
    public async Task CreateSurgery_LocationDefaultsToSurgeryRoom()
    {
        var mouse = await SubjectAsync(app);
        var room = await app.WithDbAsync(async db =>
        {
            var existing = await db.LabLocations.Where(l => l.Name == "Surgery Room").OrderBy(l => l.Id).Select(l => (Guid?)l.Id).FirstOrDefaultAsync(Ct);
            if (existing is not null) return existing.Value;
            var l = new LabLocation { Name = "Surgery Room", LabId = mouse.LabId };
            db.Add(l);
            await db.SaveChangesAsync(Ct);
            return l.Id;
        });
        var client = await app.ClientForAsync();
        var json = await (await client.PostAsync("/surgeries", Json.Body(new { subject = mouse.Nickname, implant_weight = 0 }), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(room.ToString(), json["location"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(json["start_time"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PatchSurgery_NonRecoveryEnded_SetsDeathDate()
    {
        var mouse = await SubjectAsync(app);
        var client = await app.ClientForAsync();
        var id = (await (await client.PostAsync("/surgeries",
            Json.Body(new { subject = mouse.Nickname, implant_weight = 1, start_time = "2024-03-01T10:00:00" }), Ct))
            .ReadJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        var patched = await (await client.PatchAsync($"/surgeries/{id}", Json.Body(new { outcome_type = "n", end_time = "2024-03-01T14:07:00" }), Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("n", patched["outcome_type"]!.GetValue<string>());
        Assert.Equal(new DateOnly(2024, 3, 1), (await SubjectStateAsync(mouse)).Death);
        // An existing death date is kept.
        await (await client.PatchAsync($"/surgeries/{id}", Json.Body(new { end_time = "2024-03-02T14:07:00" }), Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(new DateOnly(2024, 3, 1), (await SubjectStateAsync(mouse)).Death);
    }

    [Fact]
    public async Task PutSurgery_RequiresSubjectAndImplantWeight_AndReplacesLists()
    {
        var mouse = await SubjectAsync(app);
        var p1 = await ProcedureAsync(AlyxApp.Unique("proc"));
        var client = await app.ClientForAsync();
        var id = (await (await client.PostAsync("/surgeries",
            Json.Body(new { subject = mouse.Nickname, implant_weight = 1, procedures = new[] { p1 } }), Ct))
            .ReadJsonAsync(HttpStatusCode.Created))["id"]!.GetValue<string>();
        var missing = await client.PutAsync($"/surgeries/{id}", Json.Body(new { name = "x" }), Ct);
        Assert.Equal("{\"subject\":[\"This field is required.\"],\"implant_weight\":[\"This field is required.\"],\"status_code\":400}",
            await missing.AssertStatusAsync(HttpStatusCode.BadRequest));
        var put = await (await client.PutAsync($"/surgeries/{id}",
            Json.Body(new { subject = mouse.Nickname, implant_weight = 2.5, procedures = Array.Empty<string>(), users = Array.Empty<string>(), name = "second" }), Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Empty(put["procedures"]!.AsArray());
        Assert.Empty(put["users"]!.AsArray());
        Assert.Equal("second", put["name"]!.GetValue<string>());
        Assert.Equal(2.5, put["implant_weight"]!.GetValue<double>());
    }

    [Theory]
    [InlineData("{\"implant_weight\":1}", "{\"subject\":[\"This field is required.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\"}", "{\"implant_weight\":[\"This field is required.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"implant_weight\":-1}", "{\"implant_weight\":[\"Ensure this value is greater than or equal to 0.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"implant_weight\":1,\"outcome_type\":\"x\"}", "{\"outcome_type\":[\"\\\"x\\\" is not a valid choice.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"implant_weight\":1,\"lab\":\"somelab\"}", "{\"lab\":[\"“somelab” is not a valid UUID.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"implant_weight\":1,\"location\":\"00000000-0000-4000-8000-000000000000\"}",
        "{\"location\":[\"Invalid pk \\\"00000000-0000-4000-8000-000000000000\\\" - object does not exist.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"implant_weight\":1,\"users\":[\"00000000-0000-4000-8000-000000000000\"]}",
        "{\"users\":[\"Invalid pk \\\"00000000-0000-4000-8000-000000000000\\\" - object does not exist.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"implant_weight\":1,\"procedures\":null}", "{\"procedures\":[\"This field may not be null.\"],\"status_code\":400}")]
    public async Task CreateSurgery_InvalidBody_Returns400(string body, string expected)
    {
        var mouse = await SubjectAsync(app);
        var client = await app.ClientForAsync();
        var response = await client.PostAsync("/surgeries", Json.Body(body.Replace("MOUSE", mouse.Nickname, StringComparison.Ordinal)), Ct);
        Assert.Equal(expected, await response.AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task ListSurgeries_FiltersAndOrder()
    {
        var mouse = await SubjectAsync(app);
        var name = AlyxApp.Unique("Craniotomy");
        var procedure = await ProcedureAsync(name);
        var client = await app.ClientForAsync();
        await (await client.PostAsync("/surgeries", Json.Body(new
        {
            subject = mouse.Nickname,
            implant_weight = 1,
            start_time = "2024-01-01T10:00:00",
            outcome_type = "a",
            procedures = new[] { procedure },
        }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        await (await client.PostAsync("/surgeries", Json.Body(new { subject = mouse.Nickname, implant_weight = 0, start_time = "2024-02-01T10:00:00" }), Ct))
            .AssertStatusAsync(HttpStatusCode.Created);
        async Task<int> CountAsync(string query) =>
            (await (await client.GetAsync($"/surgeries?nickname={mouse.Nickname}&{query}", Ct)).ReadJsonAsync(HttpStatusCode.OK))["count"]!.GetValue<int>();
        var page = await (await client.GetAsync($"/surgeries?subject={mouse.Nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["2024-02-01T10:00:00", "2024-01-01T10:00:00"], page["results"]!.AsArray().Select(r => r!["start_time"]!.GetValue<string>()));
        Assert.Equal(1, await CountAsync($"procedure={name.ToUpperInvariant()}"));
        Assert.Equal(1, await CountAsync($"procedures={procedure}"));
        Assert.Equal(1, await CountAsync("outcome_type=a"));
        Assert.Equal(1, await CountAsync("implant_weight=0"));
        Assert.Equal(2, await CountAsync("users=test_user"));
        Assert.Equal(1, await CountAsync("date_range=2024-02-01,2024-02-28"));
        Assert.Equal(1, await CountAsync("django=start_time__lt,2024-01-15"));
        var bad = await client.GetAsync("/surgeries?outcome_type=x", Ct);
        Assert.Equal("{\"outcome_type\":[\"Select a valid choice. x is not one of the available choices.\"],\"status_code\":400}",
            await bad.AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task SurgeryDetail_DeleteNotAllowed_Unknown404()
    {
        var client = await app.ClientForAsync();
        const string Url = "/surgeries/00000000-0000-4000-8000-000000000000";
        Assert.Equal("{\"detail\":\"No Surgery matches the given query.\",\"status_code\":404}",
            await (await client.GetAsync(Url, Ct)).AssertStatusAsync(HttpStatusCode.NotFound));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.DeleteAsync(Url, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/surgeries/NOT-A-UUID", Ct)).StatusCode);
    }
}
