using System.Net;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Subjects;

public sealed class ProjectsApiTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CreateProject_FormBody_AppearsInListWithNoUsers()
    {
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("test_project");
        var body = await (await client.PostAsync("/projects", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = name }), Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal($"{{\"name\":\"{name}\",\"description\":\"\",\"users\":[]}}", body.ToJsonString());
        var list = await (await client.GetAsync("/projects?limit=1000", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(name, list["results"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task CreateProject_JsonWithoutUsers_DefaultsToCallerWithoutLocation()
    {
        var caller = AlyxApp.Unique("proj_user");
        var client = await app.ClientForAsync(caller);
        var name = AlyxApp.Unique("main");
        var response = await client.PostAsync("/projects", Json.Body(new { name }), Ct);
        var body = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal([caller], body["users"].Strings());
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task CreateProject_UsersOrderedByUsername()
    {
        var client = await app.ClientForAsync();
        var (z, a) = (AlyxApp.Unique("zz"), AlyxApp.Unique("aa"));
        await app.ClientForAsync(z);
        await app.ClientForAsync(a);
        var body = await (await client.PostAsync("/projects", Json.Body(new { name = AlyxApp.Unique("p"), users = new[] { z, a } }), Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal([a, z], body["users"].Strings());
    }

    [Theory]
    [InlineData("{\"description\":\"d\"}", "{\"name\":[\"This field is required.\"],\"status_code\":400}")]
    [InlineData("{\"name\":\"NAME\",\"users\":[\"nobody_xyz\"]}", "{\"users\":[\"Object with username=nobody_xyz does not exist.\"],\"status_code\":400}")]
    public async Task CreateProject_BadInput_Returns400AndWritesNothing(string json, string expected)
    {
        var client = await app.ClientForAsync();
        var before = await app.WithDbAsync(db => db.Projects.CountAsync());
        var response = await client.PostAsync("/projects", Json.Body(json.Replace("NAME", AlyxApp.Unique("bad"), StringComparison.Ordinal)), Ct);
        Assert.Equal(expected, await response.AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal(before, await app.WithDbAsync(db => db.Projects.CountAsync()));
    }

    [Fact]
    public async Task CreateProject_Duplicate_Returns400()
    {
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("dup");
        await (await client.PostAsync("/projects", Json.Body(new { name }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal("{\"name\":[\"project with this name already exists.\"],\"status_code\":400}",
            await (await client.PostAsync("/projects", Json.Body(new { name }), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task ProjectDetail_GetPatchPutDelete()
    {
        var client = await app.ClientForAsync("proj_owner");
        var other = AlyxApp.Unique("other");
        await app.ClientForAsync(other);
        var name = AlyxApp.Unique("life");
        await (await client.PostAsync("/projects", Json.Body(new { name, users = Array.Empty<string>() }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        var got = await (await client.GetAsync($"/projects/{name}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Empty(got["users"]!.AsArray());
        var patched = await (await client.PatchAsync($"/projects/{name}", Json.Body(new { users = new[] { other }, description = "d" }), Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([other], patched["users"].Strings());
        var put = await (await client.PutAsync($"/projects/{name}", Json.Body(new { name, description = "e" }), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["proj_owner"], put["users"].Strings());
        Assert.Equal("e", put["description"]!.GetValue<string>());

        // Deleting a project only removes its subject links.
        var lab = AlyxApp.Unique("plab");
        await (await client.PostAsync("/labs", Json.Body(new { name = lab }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        var nickname = AlyxApp.Unique("pm");
        await (await client.PostAsync("/subjects", Json.Body(new { nickname, lab, projects = new[] { name } }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/projects/{name}", Ct)).StatusCode);
        Assert.Equal("{\"detail\":\"No Project matches the given query.\",\"status_code\":404}",
            await (await client.GetAsync($"/projects/{name}", Ct)).AssertStatusAsync(HttpStatusCode.NotFound));
        var subject = await (await client.GetAsync($"/subjects/{nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Empty(subject["projects"]!.AsArray());
    }

    [Fact]
    public async Task ListProjects_FiltersAreIgnored()
    {
        var client = await app.ClientForAsync();
        var all = await (await client.GetAsync("/projects?limit=1", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var filtered = await (await client.GetAsync("/projects?limit=1&name=nothing&django=name,nothing", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(all["count"]!.GetValue<int>(), filtered["count"]!.GetValue<int>());
    }
}
