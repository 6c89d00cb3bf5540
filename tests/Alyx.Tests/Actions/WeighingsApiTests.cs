using System.Net;
using Alyx.Actions;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Alyx.Tests.Actions.ActionsSeed;

namespace Alyx.Tests.Actions;

public sealed class WeighingsApiTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateWeighing_OnlySubjectAndWeight_DefaultsDateTimeAndUser()
    {
        // Upstream actions.tests_rest test_create_weighing.
        var mouse = await SubjectAsync(app);
        var client = await app.ClientForAsync();
        var response = await client.PostAsync("/weighings", Json.Body(new { subject = mouse.Nickname, weight = 12.3 }), Ct);
        var json = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["subject", "date_time", "weight", "user", "url"], json.Keys());
        Assert.Equal(mouse.Nickname, json["subject"]!.GetValue<string>());
        Assert.Equal(12.3, json["weight"]!.GetValue<double>());
        Assert.Equal("test_user", json["user"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(json["date_time"]!.GetValue<string>()));
        var url = json["url"]!.GetValue<string>();
        Assert.Matches("^http://localhost/weighings/[0-9a-f-]{36}$", url);
        Assert.Equal(url, response.Headers.Location!.ToString());
        var detail = await (await client.GetAsync(url, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(json.ToJsonString(), detail.ToJsonString());
    }

    [Fact]
    public async Task CreateWeighing_ExplicitValues_AreEchoed()
    {
        var mouse = await SubjectAsync(app);
        await app.ClientForAsync("weigher");
        var client = await app.ClientForAsync();
        var json = await (await client.PostAsync("/weighings",
            Json.Body(new { subject = mouse.Nickname, weight = 21.5, date_time = "2024-03-06T09:15:00", user = "weigher" }), Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("2024-03-06T09:15:00", json["date_time"]!.GetValue<string>());
        Assert.Equal("weigher", json["user"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"weight\":1}", "{\"subject\":[\"This field is required.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\"}", "{\"weight\":[\"This field is required.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"weight\":-1}", "{\"weight\":[\"Ensure this value is greater than or equal to 0.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"weight\":\"heavy\"}", "{\"weight\":[\"A valid number is required.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"weight\":1,\"user\":null}", "{\"user\":[\"This field may not be null.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"weight\":1,\"date_time\":null}", "{\"date_time\":[\"This field may not be null.\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"MOUSE\",\"weight\":1,\"date_time\":\"yesterday\"}",
        "{\"date_time\":[\"Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].\"],\"status_code\":400}")]
    [InlineData("{\"subject\":\"nobody_at_all\",\"weight\":1,\"user\":\"nobody_either\"}",
        "{\"subject\":[\"Object with nickname=nobody_at_all does not exist.\"],\"user\":[\"Object with username=nobody_either does not exist.\"],\"status_code\":400}")]
    public async Task CreateWeighing_InvalidBody_Returns400(string body, string expected)
    {
        var mouse = await SubjectAsync(app);
        var client = await app.ClientForAsync();
        var response = await client.PostAsync("/weighings", Json.Body(body.Replace("MOUSE", mouse.Nickname, StringComparison.Ordinal)), Ct);
        Assert.Equal(expected, await response.AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task ListWeighings_KeysAndNicknameFilter()
    {
        // Upstream test_list_weighing_1 and test_list_weighing_filter.
        var mouse = await SubjectAsync(app);
        var client = await app.ClientForAsync();
        await (await client.PostAsync("/weighings", Json.Body(new { subject = mouse.Nickname, weight = 12.3 }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        var all = await (await client.GetAsync("/weighings", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["subject", "date_time", "weight", "user", "url"], all["results"]![0]!.Keys());
        foreach (var name in new[] { "nickname", "subject" })
        {
            var page = await (await client.GetAsync($"/weighings?{name}={mouse.Nickname.ToUpperInvariant()}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
            Assert.Equal(1, page["count"]!.GetValue<int>());
            Assert.Equal(mouse.Nickname, page["results"]![0]!["subject"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task ListWeighings_ColumnUserJsonAndDjangoFilters()
    {
        var mouse = await SubjectAsync(app);
        var client = await app.ClientForAsync();
        foreach (var (w, t) in new[] { (20.0, "2024-01-01T10:00:00"), (21.5, "2024-01-02T10:00:00") })
            await (await client.PostAsync("/weighings", Json.Body(new { subject = mouse.Nickname, weight = w, date_time = t }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        var ids = await app.WithDbAsync(db => db.Set<Weighing>().Where(x => x.SubjectId == mouse.Id).OrderBy(x => x.DateTime).Select(x => x.Id).ToListAsync(Ct));
        var userId = await app.WithDbAsync(db => db.Users.Where(u => u.Username == "test_user").Select(u => u.Id).SingleAsync(Ct));
        await app.WithDbAsync(async db =>
        {
            await db.Set<Weighing>().Where(x => x.Id == ids[1]).ExecuteUpdateAsync(s => s.SetProperty(x => x.Json, "{\"scale\": \"B\"}"), Ct);
        });
        async Task<int> CountAsync(string query) =>
            (await (await client.GetAsync($"/weighings?nickname={mouse.Nickname}&{query}", Ct)).ReadJsonAsync(HttpStatusCode.OK))["count"]!.GetValue<int>();
        Assert.Equal(1, await CountAsync("weight=21.5"));
        Assert.Equal(1, await CountAsync("date_time=2024-01-01T10:00:00"));
        Assert.Equal(1, await CountAsync($"id={ids[0]}"));
        Assert.Equal(2, await CountAsync($"user={userId}"));
        Assert.Equal(2, await CountAsync("name="));
        Assert.Equal(1, await CountAsync("json=scale,B"));
        Assert.Equal(1, await CountAsync("django=weight__gt,21"));
        Assert.Equal(1, await CountAsync("django=~weight__gt,21"));
        Assert.Equal(2, await CountAsync("django=subject__lab__name__startswith,lab_"));
    }

    [Theory]
    [InlineData("weight=heavy", "{\"weight\":[\"Enter a number.\"],\"status_code\":400}")]
    [InlineData("user=nobody", "{\"user\":[\"“nobody” is not a valid UUID.\"],\"status_code\":400}")]
    [InlineData("users=test_user", "{\"users\":[\"Cannot filter weighings by users: a Weighing has no such field.\"],\"status_code\":400}")]
    [InlineData("date_range=2020-01-01,2020-01-02", "{\"date_range\":[\"Cannot filter weighings by date_range: a Weighing has no such field.\"],\"status_code\":400}")]
    [InlineData("lab=x", "{\"lab\":[\"Cannot filter weighings by lab: a Weighing has no such field.\"],\"status_code\":400}")]
    [InlineData("location=x", "{\"location\":[\"Cannot filter weighings by location: a Weighing has no such field.\"],\"status_code\":400}")]
    public async Task ListWeighings_BadFilter_Returns400(string query, string expected)
    {
        var client = await app.ClientForAsync();
        Assert.Equal(expected, await (await client.GetAsync($"/weighings?{query}", Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task ListWeighings_UnknownDjangoField_Returns400()
    {
        var client = await app.ClientForAsync();
        var json = await (await client.GetAsync("/weighings?django=nope,1", Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("Cannot resolve keyword 'nope' into field.", json["django"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task WeighingDetail_DeleteThen404_AndNoUpdate()
    {
        var mouse = await SubjectAsync(app);
        var client = await app.ClientForAsync();
        var url = (await (await client.PostAsync("/weighings", Json.Body(new { subject = mouse.Nickname, weight = 10 }), Ct))
            .ReadJsonAsync(HttpStatusCode.Created))["url"]!.GetValue<string>();
        var patch = await client.PatchAsync(url, Json.Body(new { weight = 11 }), Ct);
        Assert.Equal("{\"detail\":\"Method \\\"PATCH\\\" not allowed.\",\"status_code\":405}", await patch.AssertStatusAsync(HttpStatusCode.MethodNotAllowed));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.PutAsync(url, Json.Body(new { weight = 11 }), Ct)).StatusCode);
        await (await client.DeleteAsync(url, Ct)).AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.Equal("{\"detail\":\"No Weighing matches the given query.\",\"status_code\":404}",
            await (await client.GetAsync(url, Ct)).AssertStatusAsync(HttpStatusCode.NotFound));
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync(url, Ct)).StatusCode);
    }

    [Fact]
    public async Task CreateWeighing_PublicUserOrAnonymous_Returns403()
    {
        var mouse = await SubjectAsync(app);
        var reader = await app.ClientForAsync("public_reader", isPublic: true);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/weighings", Json.Body(new { subject = mouse.Nickname, weight = 1 }), Ct)).StatusCode);
        await (await reader.GetAsync("/weighings", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.AnonymousClient().GetAsync("/weighings", Ct)).StatusCode);
    }
}
