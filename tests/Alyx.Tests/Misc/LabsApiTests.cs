using System.Net;
using Alyx.Data;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Misc;

public sealed class LabsApiTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateLab_NameOnly_Returns201WithDefaults()
    {
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("superlab");
        var response = await client.PostAsync("/labs", Json.Body(new { name }), Ct);
        var text = await response.AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal($"{{\"name\":\"{name}\",\"institution\":\"\",\"address\":\"\",\"timezone\":\"UTC\",\"repositories\":[],\"reference_weight_pct\":0.0,\"zscore_weight_pct\":0.0,\"json\":null}}", text);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task CreateLab_BadName_Returns400WithModelMessage()
    {
        var client = await app.ClientForAsync();
        Assert.Equal("{\"name\":[\"Lab name must only contain letters, numbers, and underscores.\"],\"status_code\":400}",
            await (await client.PostAsync("/labs", Json.Body(new { name = "my lab!" }), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task CreateLab_Duplicate_Returns400()
    {
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("twice");
        await (await client.PostAsync("/labs", Json.Body(new { name }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal("{\"name\":[\"lab with this name already exists.\"],\"status_code\":400}",
            await (await client.PostAsync("/labs", Json.Body(new { name }), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Theory]
    [InlineData("{\"name\":\"x1\",\"reference_weight_pct\":\"heavy\"}", "{\"reference_weight_pct\":[\"A valid number is required.\"],\"status_code\":400}")]
    [InlineData("{\"name\":\"x2\",\"reference_weight_pct\":1e400}", "{\"reference_weight_pct\":[\"A valid number is required.\"],\"status_code\":400}")]
    [InlineData("{\"name\":[\"x\"]}", "{\"name\":[\"Not a valid string.\"],\"status_code\":400}")]
    [InlineData("{\"name\":null}", "{\"name\":[\"This field may not be null.\"],\"status_code\":400}")]
    [InlineData("{\"name\":\"\"}", "{\"name\":[\"This field may not be blank.\"],\"status_code\":400}")]
    [InlineData("{\"name\":\"x3\",\"repositories\":[\"nope\"]}", "{\"repositories\":[\"Object with name=nope does not exist.\"],\"status_code\":400}")]
    [InlineData("{\"name\":\"x4\",\"timezone\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}", "{\"timezone\":[\"Ensure this field has no more than 64 characters.\"],\"status_code\":400}")]
    public async Task CreateLab_WrongTypes_Returns400NamingFieldAndWritesNothing(string json, string expected)
    {
        var client = await app.ClientForAsync();
        var before = await app.WithDbAsync(db => db.Labs.CountAsync());
        Assert.Equal(expected, await (await client.PostAsync("/labs", Json.Body(json), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal(before, await app.WithDbAsync(db => db.Labs.CountAsync()));
    }

    [Fact]
    public async Task PatchLab_Repositories_ReplacedAndOrderedByName()
    {
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("repolab");
        var (r1, r2) = (AlyxApp.Unique("zrepo"), AlyxApp.Unique("arepo"));
        await app.WithDbAsync(async db =>
        {
            db.DataRepositories.AddRange(new DataRepository { Name = r1 }, new DataRepository { Name = r2 });
            await db.SaveChangesAsync();
        });
        await client.PostAsync("/labs", Json.Body(new { name, repositories = new[] { r1 } }), Ct);
        var body = await (await client.PatchAsync($"/labs/{name}", Json.Body($"{{\"repositories\":[\"{r1}\",\"{r2}\"],\"json\":{{\"a\":[1.5,2.0]}}}}"), Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { r1, r2 }.Order(StringComparer.Ordinal), body["repositories"].Strings());
        Assert.Equal("{\"a\":[1.5,2.0]}", body["json"]!.ToJsonString());
        var repoId = await app.WithDbAsync(db => db.DataRepositories.Where(r => r.Name == r2).Select(r => r.Id).SingleAsync());
        var filtered = await (await client.GetAsync($"/labs?repositories={repoId}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([name], filtered["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task PutLab_FullObjectWithReadOnlyExtras_Succeeds()
    {
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("putlab");
        var created = await (await client.PostAsync("/labs", Json.Body(new { name, institution = "Inst" }), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        created["address"] = "New address";
        created["unknown_key"] = 1;
        var updated = await (await client.PutAsync($"/labs/{name}", Json.Body(created.ToJsonString()), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("New address", updated["address"]!.GetValue<string>());
        Assert.Equal(updated.ToJsonString(), (await (await client.GetAsync($"/labs/{name}", Ct)).ReadJsonAsync(HttpStatusCode.OK)).ToJsonString());
    }

    [Fact]
    public async Task DeleteLab_CascadesToItsSubjects()
    {
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("doomed");
        await client.PostAsync("/labs", Json.Body(new { name }), Ct);
        var nickname = AlyxApp.Unique("mouse");
        await app.WithDbAsync(async db =>
        {
            db.Subjects.Add(new Subject { Nickname = nickname, LabId = await db.Labs.Where(l => l.Name == name).Select(l => l.Id).SingleAsync() });
            await db.SaveChangesAsync();
        });
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/labs/{name}", Ct)).StatusCode);
        Assert.False(await app.WithDbAsync(db => db.Subjects.AnyAsync(s => s.Nickname == nickname)));
    }

    [Fact]
    public async Task ListLabs_GeneratedFilters_FilterExactly()
    {
        var client = await app.ClientForAsync();
        var (a, b) = (AlyxApp.Unique("fa"), AlyxApp.Unique("fb"));
        await client.PostAsync("/labs", Json.Body(new { name = a, zscore_weight_pct = 0.25, timezone = "Europe/Lisbon" }), Ct);
        await client.PostAsync("/labs", Json.Body(new { name = b, zscore_weight_pct = 0.5, timezone = "Europe/Lisbon" }), Ct);
        var body = await (await client.GetAsync("/labs?zscore_weight_pct=0.25&timezone=Europe/Lisbon", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var names = body["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();
        Assert.Contains(a, names);
        Assert.DoesNotContain(b, names);
    }

    [Fact]
    public async Task GetLab_ByName_EqualsListItem()
    {
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("detail");
        await client.PostAsync("/labs", Json.Body(new { name, institution = "I", json = new { a = 1 } }), Ct);
        var list = await (await client.GetAsync($"/labs?name={name}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var detail = await (await client.GetAsync($"/labs/{name}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(list["results"]![0]!.ToJsonString(), detail.ToJsonString());
    }
}
