using System.Net;
using Alyx.Actions;
using Alyx.Http;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Alyx.Tests.Actions.ActionsSeed;

namespace Alyx.Tests.Actions;

public sealed class WaterAdministrationsApiTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<Guid> SessionAsync(Mouse mouse) => await app.WithDbAsync(async db =>
    {
        var session = new Session { SubjectId = mouse.Id, StartTime = T(2024, 3, 5, 10) };
        db.Add(session);
        await db.SaveChangesAsync(Ct);
        return session.Id;
    });

    async Task<string> WaterTypeAsync() => await app.WithDbAsync(async db =>
    {
        var type = new WaterType { Name = AlyxApp.Unique("Hydrogel") };
        db.Add(type);
        await db.SaveChangesAsync(Ct);
        return type.Name;
    });

    [Fact]
    public async Task CreateWaterAdministration_SessionAndWaterType_AreEchoed()
    {
        // Upstream actions.tests_rest test_create_water_administration.
        var mouse = await SubjectAsync(app);
        var session = await SessionAsync(mouse);
        var type = await WaterTypeAsync();
        var client = await app.ClientForAsync();
        var response = await client.PostAsync("/water-administrations",
            Json.Body(new { subject = mouse.Nickname, water_administered = 1.23, session, water_type = type }), Ct);
        var json = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["subject", "date_time", "water_administered", "water_type", "user", "url", "session", "adlib"], json.Keys());
        Assert.False(string.IsNullOrEmpty(json["date_time"]!.GetValue<string>()));
        Assert.Equal(mouse.Nickname, json["subject"]!.GetValue<string>());
        Assert.Equal(1.23, json["water_administered"]!.GetValue<double>());
        Assert.Equal(type, json["water_type"]!.GetValue<string>());
        Assert.Equal(session.ToString(), json["session"]!.GetValue<string>());
        Assert.Equal("test_user", json["user"]!.GetValue<string>());
        Assert.False(json["adlib"]!.GetValue<bool>());
        Assert.Equal(json["url"]!.GetValue<string>(), response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task ListWaterAdministrations_KeysAndNicknameFilter()
    {
        // Upstream test_list_water_administration_1 and test_list_water_administration_filter.
        var mouse = await SubjectAsync(app);
        var client = await app.ClientForAsync();
        await (await client.PostAsync("/water-administrations", Json.Body(new { subject = mouse.Nickname, water_administered = 1.23 }), Ct))
            .AssertStatusAsync(HttpStatusCode.Created);
        var all = await (await client.GetAsync("/water-administrations", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["subject", "date_time", "water_administered", "water_type", "user", "url", "session", "adlib"], all["results"]![0]!.Keys());
        var page = await (await client.GetAsync($"/water-administrations?nickname={mouse.Nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, page["count"]!.GetValue<int>());
        Assert.Equal(1.23, page["results"]![0]!["water_administered"]!.GetValue<double>());
    }

    [Fact]
    public async Task CreateWaterAdministration_WaterTypeDefaultsToLatestRestrictionsType()
    {
        // Upstream actions.tests WaterControlTests.setUp: Water before any restriction, then the restriction's type.
        var mouse = await SubjectAsync(app);
        var type = await WaterTypeAsync();
        var client = await app.ClientForAsync();
        var before = await (await client.PostAsync("/water-administrations",
            Json.Body(new { subject = mouse.Nickname, water_administered = 0.98, date_time = "2018-10-01T10:00:00" }), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Water", before["water_type"]!.GetValue<string>());
        await app.WithDbAsync(async db =>
        {
            var typeId = await db.Set<WaterType>().Where(t => t.Name == type).Select(t => t.Id).SingleAsync(Ct);
            db.AddRange(
                new WaterRestriction { SubjectId = mouse.Id, StartTime = T(2018, 9, 1), EndTime = T(2018, 9, 2) },
                new WaterRestriction { SubjectId = mouse.Id, StartTime = T(2018, 10, 6), EndTime = T(2018, 10, 20), WaterTypeId = typeId });
            await db.SaveChangesAsync(Ct);
        });
        // The latest restriction by start time counts even when it has ended.
        var after = await (await client.PostAsync("/water-administrations",
            Json.Body(new { subject = mouse.Nickname, water_administered = 1.02 }), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(type, after["water_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateWaterAdministration_LatestRestrictionWithoutType_LeavesTypeNull()
    {
        // the latest restriction's null type is copied.
        var mouse = await SubjectAsync(app);
        await app.WithDbAsync(async db =>
        {
            db.Add(new WaterRestriction { SubjectId = mouse.Id, StartTime = T(2018, 9, 1) });
            await db.SaveChangesAsync(Ct);
        });
        var client = await app.ClientForAsync();
        var json = await (await client.PostAsync("/water-administrations", Json.Body(new { subject = mouse.Nickname, adlib = true }), Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Null(json["water_type"]);
        Assert.Null(json["water_administered"]);
        Assert.True(json["adlib"]!.GetValue<bool>());
    }

    [Fact]
    public async Task CreateWaterAdministration_AfterDeathDate_IsRefused_SameDayAndBeforeAllowed()
    {
        // Upstream actions.tests test_water_administration_validation (the original's 500 is a 400 here, Q-21).
        var today = app.Services.GetRequiredService<AlyxClock>().Today;
        var mouse = await SubjectAsync(app, death: today);
        var client = await app.ClientForAsync();
        string At(int days) => $"{today.AddDays(days):yyyy-MM-dd}T10:00:00";
        var refused = await client.PostAsync("/water-administrations",
            Json.Body(new { subject = mouse.Nickname, water_administered = 1.02, date_time = At(1) }), Ct);
        Assert.Equal("{\"detail\":\"Water administration date after death date\",\"status_code\":400}",
            await refused.AssertStatusAsync(HttpStatusCode.BadRequest));
        foreach (var days in new[] { 0, -1 })
        {
            await (await client.PostAsync("/water-administrations",
                Json.Body(new { subject = mouse.Nickname, water_administered = 1.02, date_time = At(days) }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        }
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<WaterAdministration>().CountAsync(w => w.SubjectId == mouse.Id, Ct)));
    }

    [Theory]
    [InlineData("{\"water_administered\":1}", "{\"subject\":[\"This field is required.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"water_administered\":-0.1}", "{\"water_administered\":[\"Ensure this value is greater than or equal to 0.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"water_type\":null}", "{\"water_type\":[\"This field may not be null.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"water_type\":\"Lemonade\"}", "{\"water_type\":[\"Object with name=Lemonade does not exist.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"user\":null}", "{\"user\":[\"This field may not be null.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"session\":null}", "{\"session\":[\"This field may not be null.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"session\":\"\"}", "{\"session\":[\"This field may not be null.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"session\":\"abc\"}", "{\"session\":[\"“abc” is not a valid UUID.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"session\":\"00000000-0000-4000-8000-000000000000\"}",
        "{\"session\":[\"Object with id=00000000-0000-4000-8000-000000000000 does not exist.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"adlib\":\"maybe\"}", "{\"adlib\":[\"Must be a valid boolean.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"date_time\":null}", "{\"date_time\":[\"This field may not be null.\"],\"status_code\":400}")]
    public async Task CreateWaterAdministration_InvalidBody_Returns400(string body, string expected)
    {
        var mouse = await SubjectAsync(app);
        var client = await app.ClientForAsync();
        var response = await client.PostAsync("/water-administrations", Json.Body(body.Replace("MOUSE", mouse.Nickname, StringComparison.Ordinal)), Ct);
        Assert.Equal(expected, await response.AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task UpdateWaterAdministration_PatchPutAndDelete()
    {
        var mouse = await SubjectAsync(app);
        await app.ClientForAsync("other_user");
        var client = await app.ClientForAsync();
        var created = await (await client.PostAsync("/water-administrations",
            Json.Body(new { subject = mouse.Nickname, water_administered = 0.5, date_time = "2024-03-05T15:00:00", user = "other_user", adlib = true }), Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        var url = created["url"]!.GetValue<string>();
        var patched = await (await client.PatchAsync(url, Json.Body(new { water_administered = 0.7 }), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0.7, patched["water_administered"]!.GetValue<double>());
        Assert.Equal("other_user", patched["user"]!.GetValue<string>());
        Assert.Equal("2024-03-05T15:00:00", patched["date_time"]!.GetValue<string>());
        // PUT needs the subject; the user falls back to the caller, fields not given keep their values.
        var putMissing = await client.PutAsync(url, Json.Body(new { water_administered = 0.8 }), Ct);
        Assert.Equal("{\"subject\":[\"This field is required.\"],\"status_code\":400}", await putMissing.AssertStatusAsync(HttpStatusCode.BadRequest));
        var put = await (await client.PutAsync(url, Json.Body(new { subject = mouse.Nickname, water_administered = 0.8 }), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("test_user", put["user"]!.GetValue<string>());
        Assert.True(put["adlib"]!.GetValue<bool>());
        Assert.Equal(url, put["url"]!.GetValue<string>());
        var detail = await (await client.GetAsync(url, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(put.ToJsonString(), detail.ToJsonString());
        await (await client.DeleteAsync(url, Ct)).AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.Equal("{\"detail\":\"No WaterAdministration matches the given query.\",\"status_code\":404}",
            await (await client.GetAsync(url, Ct)).AssertStatusAsync(HttpStatusCode.NotFound));
        Assert.Equal(HttpStatusCode.NotFound, (await client.PatchAsync(url, Json.Body(new { adlib = false }), Ct)).StatusCode);
    }

    [Fact]
    public async Task PatchWaterAdministration_AfterDeathDate_IsRefused()
    {
        var mouse = await SubjectAsync(app, death: new DateOnly(2024, 3, 5));
        var client = await app.ClientForAsync();
        var url = (await (await client.PostAsync("/water-administrations",
            Json.Body(new { subject = mouse.Nickname, water_administered = 0.5, date_time = "2024-03-05T15:00:00" }), Ct))
            .ReadJsonAsync(HttpStatusCode.Created))["url"]!.GetValue<string>();
        var refused = await client.PatchAsync(url, Json.Body(new { date_time = "2024-03-06T09:00:00" }), Ct);
        Assert.Equal("{\"detail\":\"Water administration date after death date\",\"status_code\":400}", await refused.AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task ListWaterAdministrations_ColumnAndRelationFilters()
    {
        var mouse = await SubjectAsync(app);
        var session = await SessionAsync(mouse);
        var type = await WaterTypeAsync();
        var client = await app.ClientForAsync();
        await (await client.PostAsync("/water-administrations",
            Json.Body(new { subject = mouse.Nickname, water_administered = 0.6, session, water_type = type, date_time = "2024-03-05T15:00:00" }), Ct))
            .AssertStatusAsync(HttpStatusCode.Created);
        await (await client.PostAsync("/water-administrations",
            Json.Body(new { subject = mouse.Nickname, adlib = true, date_time = "2024-03-06T15:00:00" }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        var (typeId, userId) = await app.WithDbAsync(async db => (
            await db.Set<WaterType>().Where(t => t.Name == type).Select(t => t.Id).SingleAsync(Ct),
            await db.Users.Where(u => u.Username == "test_user").Select(u => u.Id).SingleAsync(Ct)));
        async Task<int> CountAsync(string query) =>
            (await (await client.GetAsync($"/water-administrations?subject={mouse.Nickname}&{query}", Ct)).ReadJsonAsync(HttpStatusCode.OK))["count"]!.GetValue<int>();
        Assert.Equal(2, await CountAsync("limit=1"));
        Assert.Equal(1, await CountAsync("adlib=true"));
        Assert.Equal(1, await CountAsync("adlib=0"));
        Assert.Equal(2, await CountAsync("adlib=perhaps"));
        Assert.Equal(1, await CountAsync("water_administered=0.6"));
        Assert.Equal(1, await CountAsync($"session={session}"));
        Assert.Equal(1, await CountAsync($"water_type={typeId}"));
        Assert.Equal(2, await CountAsync($"user={userId}"));
        Assert.Equal(1, await CountAsync("date_time=2024-03-06T15:00:00"));
        Assert.Equal(1, await CountAsync("django=session__isnull,True"));
        Assert.Equal(1, await CountAsync($"django=water_type__name,{type}"));
        // water_type is a primary key filter: a name is a 400.
        var byName = await client.GetAsync("/water-administrations?water_type=Water", Ct);
        Assert.Equal("{\"water_type\":[\"“Water” is not a valid UUID.\"],\"status_code\":400}",
            await byName.AssertStatusAsync(HttpStatusCode.BadRequest));
        await (await client.GetAsync("/water-administrations?date_range=2020-01-01,2020-01-02", Ct)).AssertStatusAsync(HttpStatusCode.BadRequest);
    }
}
