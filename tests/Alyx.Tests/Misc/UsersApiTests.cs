using System.Net;
using Alyx.Misc;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Misc;

public sealed class UsersApiTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetUser_Representation_HasFieldsInOrderAndNoSecrets()
    {
        var client = await app.ClientForAsync();
        var username = AlyxApp.Unique("u");
        await client.PostAsync("/users", Json.Body(new { username, subjects_responsible = Array.Empty<string>(), allowed_users = Array.Empty<string>() }), Ct);
        var response = await client.GetAsync($"/users/{username}", Ct);
        var text = await response.AssertStatusAsync(HttpStatusCode.OK);
        var body = System.Text.Json.Nodes.JsonNode.Parse(text)!;
        Assert.Equal(["id", "username", "email", "subjects_responsible", "lab", "allowed_users", "is_stock_manager"], body.Keys());
        Assert.DoesNotContain("password", text);
        Assert.DoesNotContain("token", text);
    }

    [Fact]
    public async Task CreateLabMembership_CurrentLabs_AreListedAndExpiredOnesAreNot()
    {
        // Upstream misc.tests_rest test_create_lab_membership.
        var client = await app.ClientForAsync();
        var username = AlyxApp.Unique("member");
        var labs = new[] { AlyxApp.Unique("laba"), AlyxApp.Unique("labb"), AlyxApp.Unique("labc") };
        foreach (var lab in labs)
            await (await client.PostAsync("/labs", Json.Body(new { name = lab }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        await (await client.PostAsync("/users", Json.Body(new { username, subjects_responsible = Array.Empty<string>(), allowed_users = Array.Empty<string>() }), Ct))
            .AssertStatusAsync(HttpStatusCode.Created);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await app.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Username == username);
            var ids = await db.Labs.Where(l => labs.Contains(l.Name)).ToDictionaryAsync(l => l.Name, l => l.Id);
            db.LabMemberships.Add(new LabMembership { UserId = user.Id, LabId = ids[labs[0]], StartDate = today.AddDays(-10) });
            db.LabMemberships.Add(new LabMembership { UserId = user.Id, LabId = ids[labs[1]], StartDate = today.AddDays(-10), EndDate = today.AddDays(5) });
            db.LabMemberships.Add(new LabMembership { UserId = user.Id, LabId = ids[labs[2]], StartDate = today.AddDays(-10), EndDate = today.AddDays(-1) });
            await db.SaveChangesAsync();
        });
        var body = await (await client.GetAsync($"/users/{username}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(labs[..2].Order(StringComparer.Ordinal), body["lab"].Strings());
    }

    [Fact]
    public async Task UserRest_AllowedUsers_AreUsernamesOrdered()
    {
        var client = await app.ClientForAsync();
        var delegates = new[] { AlyxApp.Unique("zed"), AlyxApp.Unique("amy") };
        foreach (var d in delegates)
            await client.PostAsync("/users", Json.Body(new { username = d, subjects_responsible = Array.Empty<string>(), allowed_users = Array.Empty<string>() }), Ct);
        var username = AlyxApp.Unique("boss");
        var created = await (await client.PostAsync("/users", Json.Body(new { username, subjects_responsible = Array.Empty<string>(), allowed_users = delegates }), Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(delegates.Order(StringComparer.Ordinal), created["allowed_users"].Strings());
        Assert.Equal(created.ToJsonString(), (await (await client.GetAsync($"/users/{username}", Ct)).ReadJsonAsync(HttpStatusCode.OK)).ToJsonString());
    }

    [Fact]
    public async Task CreateUser_Errors_NameTheFields()
    {
        var client = await app.ClientForAsync();
        Assert.Equal("{\"username\":[\"This field is required.\"],\"subjects_responsible\":[\"This field is required.\"],\"allowed_users\":[\"This field is required.\"],\"status_code\":400}",
            await (await client.PostAsync("/users", Json.Body("{}"), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal("{\"username\":[\"Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.\"],\"subjects_responsible\":[\"Expected a list of items but got type \\\"str\\\".\"],\"allowed_users\":[\"Object with username=nobody_xyz does not exist.\"],\"status_code\":400}",
            await (await client.PostAsync("/users", Json.Body(new { username = "bad name", subjects_responsible = "x", allowed_users = new[] { "nobody_xyz" } }), Ct))
                .AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task CreateUser_DuplicateUsername_Returns400AndKeepsTheOriginal()
    {
        var client = await app.ClientForAsync();
        var username = AlyxApp.Unique("dup");
        var body = new { username, email = "a@b.org", subjects_responsible = Array.Empty<string>(), allowed_users = Array.Empty<string>() };
        await (await client.PostAsync("/users", Json.Body(body), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal("{\"username\":[\"A user with that username already exists.\"],\"status_code\":400}",
            await (await client.PostAsync("/users", Json.Body(body with { email = "c@d.org" }), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal(1, await app.WithDbAsync(db => db.Users.CountAsync(u => u.Username == username)));
    }

    [Fact]
    public async Task CreateUser_TooLongOrBadEmail_Returns400()
    {
        var client = await app.ClientForAsync();
        Assert.Equal("{\"username\":[\"Ensure this field has no more than 150 characters.\"],\"email\":[\"Enter a valid email address.\"],\"status_code\":400}",
            await (await client.PostAsync("/users", Json.Body(new { username = new string('a', 151), email = "nope", subjects_responsible = Array.Empty<string>(), allowed_users = Array.Empty<string>() }), Ct))
                .AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task CreateUser_Form_AbsentListsAreEmpty()
    {
        var client = await app.ClientForAsync();
        var username = AlyxApp.Unique("form");
        var body = await (await client.PostAsync("/users", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = username, ["is_stock_manager"] = "true" }), Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Empty(body["allowed_users"]!.AsArray());
        Assert.True(body["is_stock_manager"]!.GetValue<bool>());
    }

    [Fact]
    public async Task PutUser_SubjectsResponsible_ReplacesTheSet()
    {
        var client = await app.ClientForAsync();
        var username = AlyxApp.Unique("owner");
        await client.PostAsync("/users", Json.Body(new { username, subjects_responsible = Array.Empty<string>(), allowed_users = Array.Empty<string>() }), Ct);
        var (keep, drop, add) = (AlyxApp.Unique("keep"), AlyxApp.Unique("drop"), AlyxApp.Unique("add"));
        await app.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Username == username);
            var labId = await db.Labs.Select(l => l.Id).FirstAsync();
            db.Subjects.AddRange(
                new Subject { Nickname = keep, LabId = labId, ResponsibleUserId = user.Id },
                new Subject { Nickname = drop, LabId = labId, ResponsibleUserId = user.Id },
                new Subject { Nickname = add, LabId = labId });
            await db.SaveChangesAsync();
        });
        var body = await (await client.PutAsync($"/users/{username}", Json.Body(new { username, subjects_responsible = new[] { keep, add }, allowed_users = Array.Empty<string>() }), Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { keep, add }.Order(StringComparer.Ordinal), body["subjects_responsible"].Strings());
        Assert.Null(await app.WithDbAsync(db => db.Subjects.Where(s => s.Nickname == drop).Select(s => s.ResponsibleUserId).SingleAsync()));
    }

    [Fact]
    public async Task PatchUser_Rename_MovesTheLookupKey()
    {
        var client = await app.ClientForAsync();
        var (old, renamed) = (AlyxApp.Unique("old"), AlyxApp.Unique("new"));
        await client.PostAsync("/users", Json.Body(new { username = old, subjects_responsible = Array.Empty<string>(), allowed_users = Array.Empty<string>() }), Ct);
        var body = await (await client.PatchAsync($"/users/{old}", Json.Body(new { username = renamed }), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(renamed, body["username"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/users/{old}", Ct)).StatusCode);
    }

    [Fact]
    public async Task DeleteUser_Returns204AndRemovesIt()
    {
        var client = await app.ClientForAsync();
        var username = AlyxApp.Unique("gone");
        await client.PostAsync("/users", Json.Body(new { username, subjects_responsible = Array.Empty<string>(), allowed_users = Array.Empty<string>() }), Ct);
        var response = await client.DeleteAsync($"/users/{username}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/users/{username}", Ct)).StatusCode);
    }

    [Fact]
    public async Task ListUsers_FilterByGeneratedFields_ReturnsOnlyMatches()
    {
        var client = await app.ClientForAsync();
        var (manager, other) = (AlyxApp.Unique("mgr"), AlyxApp.Unique("oth"));
        await client.PostAsync("/users", Json.Body(new { username = manager, is_stock_manager = true, subjects_responsible = Array.Empty<string>(), allowed_users = Array.Empty<string>() }), Ct);
        await client.PostAsync("/users", Json.Body(new { username = other, subjects_responsible = Array.Empty<string>(), allowed_users = Array.Empty<string>() }), Ct);
        var managers = await (await client.GetAsync("/users?is_stock_manager=1&limit=1000", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var names = managers["results"]!.AsArray().Select(r => r!["username"]!.GetValue<string>()).ToList();
        Assert.Contains(manager, names);
        Assert.DoesNotContain(other, names);
        var exact = await (await client.GetAsync($"/users?username={manager}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, exact["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task ListUsers_PasswordFilter_IsInert()
    {
        var client = await app.ClientForAsync();
        var all = await (await client.GetAsync("/users", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var filtered = await (await client.GetAsync("/users?password=pbkdf2_sha256", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(all["count"]!.GetValue<int>(), filtered["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task ListUsers_OrderedByUsername()
    {
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync("/users?limit=1000", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var names = body["results"]!.AsArray().Select(r => r!["username"]!.GetValue<string>()).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }
}
