using System.Globalization;
using System.Net;
using Alyx.Actions;
using Alyx.Http;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Alyx.Tests.Actions.ActionsSeed;

namespace Alyx.Tests.Actions;

public sealed class WaterRestrictionsApiTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    Task AddAsync(params object[] rows) => app.WithDbAsync(async db =>
    {
        db.AddRange(rows);
        await db.SaveChangesAsync(Ct);
    });

    Task<string> ProtocolNumberAsync(Mouse mouse) => app.WithDbAsync(db => db.Subjects.Where(s => s.Id == mouse.Id).Select(s => s.ProtocolNumber).SingleAsync(Ct));

    [Fact]
    public async Task ListRetrieveWaterRestrictions_KeysAndSubjectFilter()
    {
        // Upstream actions.tests_rest test_list_retrieve_water_restrictions.
        var mouse = await SubjectAsync(app);
        await AddAsync(new WaterRestriction { SubjectId = mouse.Id, StartTime = T(2024, 1, 1), ReferenceWeight = 20 });
        var client = await app.ClientForAsync();
        var first = (await (await client.GetAsync("/water-restriction", Ct)).ReadJsonAsync(HttpStatusCode.OK))["results"]![0]!;
        Assert.Equal(["subject", "start_time", "end_time", "water_type", "reference_weight"], first.Keys());
        var filtered = (await (await client.GetAsync($"/water-restriction?subject={first["subject"]!.GetValue<string>()}", Ct))
            .ReadJsonAsync(HttpStatusCode.OK))["results"]![0]!;
        Assert.Equal(first.ToJsonString(), filtered.ToJsonString());
        var mine = await (await client.GetAsync($"/water-restriction?subject={mouse.Nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal($"{{\"subject\":\"{mouse.Nickname}\",\"start_time\":\"2024-01-01T00:00:00\",\"end_time\":null,\"water_type\":null,\"reference_weight\":20.0}}",
            Assert.Single(mine["results"]!.AsArray())!.ToJsonString());
    }

    [Fact]
    public async Task ListWaterRestrictions_OpenFirstThenLatestEnd()
    {
        var mouse = await SubjectAsync(app);
        await AddAsync(
            new WaterRestriction { SubjectId = mouse.Id, StartTime = T(2020, 1, 1), EndTime = T(2020, 2, 1) },
            new WaterRestriction { SubjectId = mouse.Id, StartTime = T(2021, 1, 1), EndTime = T(2021, 2, 1) },
            new WaterRestriction { SubjectId = mouse.Id, StartTime = T(2022, 1, 1) });
        var client = await app.ClientForAsync();
        var page = await (await client.GetAsync($"/water-restriction?nickname={mouse.Nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["2022-01-01T00:00:00", "2021-01-01T00:00:00", "2020-01-01T00:00:00"],
            page["results"]!.AsArray().Select(r => r!["start_time"]!.GetValue<string>()));
        var all = await (await client.GetAsync("/water-restriction?limit=1000", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var ends = all["results"]!.AsArray().Select(r => r!["end_time"]?.GetValue<string>()).ToList();
        Assert.True(ends.SkipWhile(e => e is null).All(e => e is not null), "open restrictions come first");
    }

    [Fact]
    public async Task ListWaterRestrictions_ActionFilters()
    {
        var mouse = await SubjectAsync(app);
        await app.ClientForAsync("second_user");
        var client = await app.ClientForAsync();
        var location = AlyxApp.Unique("Water room");
        await app.WithDbAsync(async db =>
        {
            var users = await db.Users.Where(u => u.Username == "test_user" || u.Username == "second_user").ToListAsync(Ct);
            var lab = await db.Labs.SingleAsync(l => l.Id == mouse.LabId, Ct);
            var room = new Alyx.Misc.LabLocation { Name = location, LabId = lab.Id };
            db.AddRange(room,
                new WaterRestriction { SubjectId = mouse.Id, StartTime = T(2020, 1, 1), EndTime = T(2020, 2, 1), Users = users, Lab = lab, Location = room, Narrative = "both", ReferenceWeight = 21 },
                new WaterRestriction { SubjectId = mouse.Id, StartTime = T(2021, 5, 3), EndTime = T(2021, 6, 1), Users = [users.Single(u => u.Username == "test_user")], Json = "{\"cage\": 4}" });
            await db.SaveChangesAsync(Ct);
        });
        async Task<int> CountAsync(string query) =>
            (await (await client.GetAsync($"/water-restriction?subject={mouse.Nickname}&{query}", Ct)).ReadJsonAsync(HttpStatusCode.OK))["count"]!.GetValue<int>();
        Assert.Equal(2, await CountAsync("users=test_user"));
        Assert.Equal(1, await CountAsync("users=test_user,second_user"));
        Assert.Equal(0, await CountAsync("users=nobody"));
        Assert.Equal(1, await CountAsync("date_range=2021-05-03,2021-05-03"));
        Assert.Equal(2, await CountAsync("date_range=2019-01-01,2021-12-31"));
        Assert.Equal(1, await CountAsync($"lab={(await app.WithDbAsync(db => db.Labs.Where(l => l.Id == mouse.LabId).Select(l => l.Name).SingleAsync(Ct))).ToUpperInvariant()}"));
        Assert.Equal(1, await CountAsync($"location={location[4..].ToLowerInvariant()}"));
        Assert.Equal(1, await CountAsync("narrative=both"));
        Assert.Equal(1, await CountAsync("reference_weight=21"));
        Assert.Equal(1, await CountAsync("end_time=2021-06-01T00:00:00"));
        Assert.Equal(1, await CountAsync("json=cage__gte,4"));
        Assert.Equal(1, await CountAsync("django=start_time__year,2021"));
        Assert.Equal(1, await CountAsync("django=~users__username,second_user"));
        var bad = await client.GetAsync("/water-restriction?date_range=2021-05-03", Ct);
        Assert.Equal("{\"date_range\":[\"Enter two dates as YYYY-MM-DD,YYYY-MM-DD.\"],\"status_code\":400}", await bad.AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/water-restriction?start_time=soon", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/water-restriction?json=a,1,a,2", Ct)).StatusCode);
    }

    [Fact]
    public async Task StartWaterRestriction_Defaults_ReferenceWeightFromLatestWeighing_AndProtocolNumber3()
    {
        var mouse = await SubjectAsync(app);
        var now = app.Services.GetRequiredService<AlyxClock>().Now;
        await AddAsync(
            new Weighing { SubjectId = mouse.Id, DateTime = now.AddDays(-3), Weight = 22.5 },
            new Weighing { SubjectId = mouse.Id, DateTime = now.AddDays(-1), Weight = 23.5 });
        var client = await app.ClientForAsync();
        var response = await client.PostAsync("/water-restriction", Json.Body(new { subject = mouse.Nickname }), Ct);
        var json = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["id", "url", "subject", "start_time", "end_time", "water_type", "reference_weight", "users", "lab", "location", "narrative", "json"],
            json.Keys());
        Assert.Equal(23.5, json["reference_weight"]!.GetValue<double>());
        Assert.Equal("Water", json["water_type"]!.GetValue<string>());
        Assert.Equal(["test_user"], json["users"].Strings());
        Assert.Null(json["end_time"]);
        Assert.Equal(json["url"]!.GetValue<string>(), response.Headers.Location!.ToString());
        Assert.EndsWith("/water-restriction/" + json["id"]!.GetValue<string>(), json["url"]!.GetValue<string>());
        Assert.Equal("3", await ProtocolNumberAsync(mouse));
        var detail = await (await client.GetAsync(json["url"]!.GetValue<string>(), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(json.ToJsonString(), detail.ToJsonString());
        // The subject is now water restricted, with the reference weight in its figures.
        var subject = await (await client.GetAsync($"/subjects/{mouse.Nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(23.5, subject["reference_weight"]!.GetValue<double>());
    }

    [Fact]
    public async Task StartWaterRestriction_ExplicitValues_AreKept()
    {
        var mouse = await SubjectAsync(app);
        await app.ClientForAsync("second_user");
        var client = await app.ClientForAsync();
        var type = AlyxApp.Unique("Hydrogel 5% Citric Acid");
        await (await client.PostAsync("/water-type", Json.Body(new { name = type }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        var json = await (await client.PostAsync("/water-restriction", Json.Body(new
        {
            subject = mouse.Nickname,
            start_time = "2024-03-04T10:00:00",
            reference_weight = 26.0,
            water_type = type,
            users = new[] { "test_user", "second_user" },
            narrative = "to the training rig",
            json = new { rig = 2 },
        }), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("2024-03-04T10:00:00", json["start_time"]!.GetValue<string>());
        Assert.Equal(26.0, json["reference_weight"]!.GetValue<double>());
        Assert.Equal(type, json["water_type"]!.GetValue<string>());
        Assert.Equal(["second_user", "test_user"], json["users"].Strings());
        Assert.Equal("to the training rig", json["narrative"]!.GetValue<string>());
        Assert.Equal("{\"rig\":2}", json["json"]!.ToJsonString());
        // New water administrations take the restriction's water type.
        var water = await (await client.PostAsync("/water-administrations", Json.Body(new { subject = mouse.Nickname, water_administered = 1 }), Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(type, water["water_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task StartWaterRestriction_NoWeighing_LeavesReferenceWeightZero()
    {
        var mouse = await SubjectAsync(app);
        var client = await app.ClientForAsync();
        var json = await (await client.PostAsync("/water-restriction", Json.Body(new { subject = mouse.Nickname, start_time = "2024-03-04T10:00:00" }), Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("0.0", json["reference_weight"]!.ToJsonString());
    }

    [Fact]
    public async Task StartWaterRestriction_LatestWeighingAWeekOrMoreBeforeStart_Returns400()
    {
        // The original asserts the automatic reference weighing is within 7 days of the start (a 500); here a 400.
        var mouse = await SubjectAsync(app);
        await AddAsync(new Weighing { SubjectId = mouse.Id, DateTime = T(2024, 2, 20, 9), Weight = 22 });
        var client = await app.ClientForAsync();
        var response = await client.PostAsync("/water-restriction", Json.Body(new { subject = mouse.Nickname, start_time = "2024-03-04T10:00:00" }), Ct);
        var json = await response.ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("No reference weight given and the subject's last weighing (2024-02-20 09:00:00) is 7 days or more",
            json["reference_weight"]![0]!.GetValue<string>());
        var given = await client.PostAsync("/water-restriction",
            Json.Body(new { subject = mouse.Nickname, start_time = "2024-03-04T10:00:00", reference_weight = 22 }), Ct);
        await given.AssertStatusAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task StartWaterRestriction_SubjectAlreadyRestricted_Returns400()
    {
        var mouse = await SubjectAsync(app);
        var client = await app.ClientForAsync();
        await (await client.PostAsync("/water-restriction", Json.Body(new { subject = mouse.Nickname, start_time = "2024-03-04T10:00:00", reference_weight = 20 }), Ct))
            .AssertStatusAsync(HttpStatusCode.Created);
        var second = await client.PostAsync("/water-restriction", Json.Body(new { subject = mouse.Nickname, reference_weight = 20 }), Ct);
        Assert.Equal($"{{\"non_field_errors\":[\"Subject {mouse.Nickname} is already on water restriction since 2024-03-04T10:00:00; end that restriction first.\"],\"status_code\":400}}",
            await second.AssertStatusAsync(HttpStatusCode.BadRequest));
        // A past, already ended restriction can still be recorded.
        await (await client.PostAsync("/water-restriction", Json.Body(new
        {
            subject = mouse.Nickname,
            start_time = "2023-01-01T10:00:00",
            end_time = "2023-02-01T10:00:00",
            reference_weight = 20,
        }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task StartWaterRestriction_DeadSubject_Returns400()
    {
        var today = app.Services.GetRequiredService<AlyxClock>().Today;
        var mouse = await SubjectAsync(app, death: today);
        var client = await app.ClientForAsync();
        var response = await client.PostAsync("/water-restriction", Json.Body(new { subject = mouse.Nickname, reference_weight = 20 }), Ct);
        Assert.Equal($"{{\"subject\":[\"Subject {mouse.Nickname} died on {today:yyyy-MM-dd}: it cannot be put on water restriction.\"],\"status_code\":400}}",
            await response.AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Theory]
    [InlineData("{}", "{\"subject\":[\"This field is required.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"nobody_here\"}", "{\"subject\":[\"Object with nickname=nobody_here does not exist.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"start_time\":null}", "{\"start_time\":[\"This field may not be null.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"reference_weight\":-2}", "{\"reference_weight\":[\"Ensure this value is greater than or equal to 0.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"water_type\":\"Juice\"}", "{\"water_type\":[\"Object with name=Juice does not exist.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"users\":\"test_user\"}", "{\"users\":[\"Expected a list of items but got type \\\"str\\\".\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"users\":[\"nobody\"]}", "{\"users\":[\"Object with username=nobody does not exist.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"start_time\":\"2024-03-04T10:00:00\",\"end_time\":\"2024-03-04T09:00:00\",\"reference_weight\":20}",
        "{\"end_time\":[\"The end of a water restriction must be after its start.\"],\"status_code\":400}")]
    public async Task StartWaterRestriction_InvalidBody_Returns400(string body, string expected)
    {
        var mouse = await SubjectAsync(app);
        var client = await app.ClientForAsync();
        var response = await client.PostAsync("/water-restriction", Json.Body(body.Replace("MOUSE", mouse.Nickname, StringComparison.Ordinal)), Ct);
        Assert.Equal(expected, await response.AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task EndWaterRestriction_PatchEndTime_ClosesIt_AndProtocolNumberDrops()
    {
        var mouse = await SubjectAsync(app);
        // Whole seconds, so that the wire form is plain yyyy-MM-ddTHH:mm:ss (no microseconds).
        var clockNow = app.Services.GetRequiredService<AlyxClock>().Now;
        var now = clockNow.AddTicks(-(clockNow.Ticks % TimeSpan.TicksPerSecond));
        static string Iso(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var client = await app.ClientForAsync();
        var url = (await (await client.PostAsync("/water-restriction",
            Json.Body(new { subject = mouse.Nickname, start_time = Iso(now.AddDays(-10)), reference_weight = 25 }), Ct))
            .ReadJsonAsync(HttpStatusCode.Created))["url"]!.GetValue<string>();
        Assert.Equal("3", await ProtocolNumberAsync(mouse));
        var tooEarly = await client.PatchAsync(url, Json.Body(new { end_time = Iso(now.AddDays(-11)) }), Ct);
        Assert.Equal("{\"end_time\":[\"The end of a water restriction must be after its start.\"],\"status_code\":400}",
            await tooEarly.AssertStatusAsync(HttpStatusCode.BadRequest));
        var end = Iso(now.AddDays(-1));
        var ended = await (await client.PatchAsync(url, Json.Body(new { end_time = end }), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(end, ended["end_time"]!.GetValue<string>());
        Assert.Equal(25.0, ended["reference_weight"]!.GetValue<double>());
        Assert.Equal("1", await ProtocolNumberAsync(mouse));
        // Once ended, a new restriction may start.
        await (await client.PostAsync("/water-restriction", Json.Body(new { subject = mouse.Nickname, reference_weight = 24 }), Ct))
            .AssertStatusAsync(HttpStatusCode.Created);
        // Re-opening the old one would make two open restrictions.
        var reopen = await client.PatchAsync(url, Json.Body(new { end_time = (string?)null }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, reopen.StatusCode);
    }

    [Fact]
    public async Task PatchWaterRestriction_OtherFields_AndSubjectCannotChange()
    {
        var mouse = await SubjectAsync(app);
        var other = await SubjectAsync(app);
        var client = await app.ClientForAsync();
        var url = (await (await client.PostAsync("/water-restriction",
            Json.Body(new { subject = mouse.Nickname, start_time = "2024-03-04T10:00:00", reference_weight = 25 }), Ct))
            .ReadJsonAsync(HttpStatusCode.Created))["url"]!.GetValue<string>();
        var patched = await (await client.PatchAsync(url, Json.Body(new { water_type = (string?)null, narrative = "n", users = Array.Empty<string>() }), Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Null(patched["water_type"]);
        Assert.Equal("n", patched["narrative"]!.GetValue<string>());
        Assert.Empty(patched["users"]!.AsArray());
        Assert.Equal(mouse.Nickname, patched["subject"]!.GetValue<string>());
        var moved = await client.PatchAsync(url, Json.Body(new { subject = other.Nickname }), Ct);
        Assert.Equal("{\"subject\":[\"The subject of a water restriction cannot be changed.\"],\"status_code\":400}",
            await moved.AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task WaterRestrictionDetail_UnknownId404_PutAndDelete405()
    {
        var client = await app.ClientForAsync();
        const string Url = "/water-restriction/00000000-0000-4000-8000-000000000000";
        Assert.Equal("{\"detail\":\"No WaterRestriction matches the given query.\",\"status_code\":404}",
            await (await client.GetAsync(Url, Ct)).AssertStatusAsync(HttpStatusCode.NotFound));
        Assert.Equal(HttpStatusCode.NotFound, (await client.PatchAsync(Url, Json.Body(new { narrative = "x" }), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.PutAsync(Url, Json.Body(new { narrative = "x" }), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.DeleteAsync(Url, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.DeleteAsync("/water-restriction", Ct)).StatusCode);
    }
}
