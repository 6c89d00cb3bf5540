using System.Net;
using System.Text.Json.Nodes;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Admin;

/// <summary>
/// Django's auth groups in the admin (integer keys through the generic pages): list and search, add, change, delete with its
/// confirmation, only for superusers; and a user's groups on the user's change page, which only superusers change.
/// </summary>
public sealed class AuthGroupPagesTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    Task<int> GroupAsync(string name) => app.WithDbAsync(async db =>
    {
        var group = db.Groups.Add(new Alyx.Misc.Group { Name = name }).Entity;
        await db.SaveChangesAsync(Ct);
        return group.Id;
    });

    Task<string?> GroupNameAsync(int id) => app.WithDbAsync(db => db.Groups.Where(g => g.Id == id).Select(g => g.Name).SingleOrDefaultAsync(Ct));

    Task<List<string>> GroupsOfAsync(string username) => app.WithDbAsync(db =>
        db.Users.Where(u => u.Username == username).SelectMany(u => u.Groups).Select(g => g.Name).OrderBy(n => n).ToListAsync(Ct));

    Task<Guid> UserIdAsync(string username) => app.WithDbAsync(db => db.Users.Where(u => u.Username == username).Select(u => u.Id).SingleAsync(Ct));

    [Fact]
    public async Task List_SearchesByName_AndLinksByIntegerId()
    {
        var (superuser, _) = await AdminClient.SignedInAsync(app, AdminRole.Superuser);
        var word = AlyxApp.Unique("cagetech");
        var first = await GroupAsync(word + " day");
        var second = await GroupAsync(word.ToUpperInvariant() + " night");
        await GroupAsync(AlyxApp.Unique("imaging"));

        var index = AdminClient.Text(await superuser.PageAsync("/admin/"));
        Assert.Contains("Authentication and Authorization", index);
        var html = await superuser.PageAsync($"/admin/auth/group/?q={word}");
        Assert.Contains("2 groups", AdminClient.Text(html));
        // Ordered by name; the links carry the integer key.
        var day = html.IndexOf($"<a href=\"/admin/auth/group/{first}/change/\">{word} day</a>", StringComparison.Ordinal);
        var night = html.IndexOf($"<a href=\"/admin/auth/group/{second}/change/\">{word.ToUpperInvariant()} night</a>", StringComparison.Ordinal);
        Assert.True(day > 0 && night > 0, html);
        Assert.DoesNotContain("imaging_", html);

        // Search-as-you-type offers groups by name (what the user form's groups field takes).
        var lookup = JsonNode.Parse(await superuser.PageAsync($"/admin/autocomplete/auth/group/?term={word}%20NIGHT"))!;
        Assert.Equal(word.ToUpperInvariant() + " night", (string?)lookup["results"]![0]!["id"]);
        Assert.Single(lookup["results"]!.AsArray());

        // The key is an integer: anything else, or a missing group, is not found.
        await superuser.PageAsync("/admin/auth/group/abc/change/", HttpStatusCode.NotFound);
        await superuser.PageAsync($"/admin/auth/group/{Guid.NewGuid()}/change/", HttpStatusCode.NotFound);
        await superuser.PageAsync("/admin/auth/group/2147483647/change/", HttpStatusCode.NotFound);
        var redirect = await superuser.Http.GetAsync($"/admin/auth/group/{first}/", Ct);
        Assert.Equal($"/admin/auth/group/{first}/change/", redirect.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task BrainRegions_AnotherIntegerKeyedModel_OpenByTheirAllenId()
    {
        var (superuser, _) = await AdminClient.SignedInAsync(app, AdminRole.Superuser);
        var name = AlyxApp.Unique("Test nucleus");
        await app.WithDbAsync(async db =>
        {
            if (!await db.BrainRegions.AnyAsync(r => r.Id == 987654321, Ct))
                db.BrainRegions.Add(new Alyx.Experiments.BrainRegion { Id = 987654321, Acronym = "TSTN", Name = name, Lft = 1, Rght = 2, TreeId = 99 });
            await db.SaveChangesAsync(Ct);
        });
        name = await app.WithDbAsync(db => db.BrainRegions.Where(r => r.Id == 987654321).Select(r => r.Name).SingleAsync(Ct));
        var list = await superuser.PageAsync($"/admin/experiments/brainregion/?q={Uri.EscapeDataString(name)}");
        Assert.Contains("/admin/experiments/brainregion/987654321/change/", list);
        var change = await superuser.PageAsync("/admin/experiments/brainregion/987654321/change/");
        Assert.Contains(name, change);
    }

    [Fact]
    public async Task Superuser_AddsRenamesAndDeletesAGroup()
    {
        var (superuser, _) = await AdminClient.SignedInAsync(app, AdminRole.Superuser);
        var name = AlyxApp.Unique("surgeons");
        var response = await superuser.SubmitAsync("/admin/auth/group/add/", "/admin/auth/group/add/", new() { ["name"] = name, ["_continue"] = "1" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var id = await app.WithDbAsync(db => db.Groups.Where(g => g.Name == name).Select(g => g.Id).SingleAsync(Ct));
        Assert.Equal($"/admin/auth/group/{id}/change/", response.Headers.Location?.OriginalString);
        var change = AdminClient.Text(await superuser.PageAsync($"/admin/auth/group/{id}/change/"));
        Assert.Contains($"The group “{name}” was added successfully.", change);
        Assert.Contains("Change group", change);

        var url = $"/admin/auth/group/{id}/change/";
        response = await superuser.SubmitAsync(url, url, new() { ["name"] = name + " team" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/auth/group/", response.Headers.Location?.OriginalString);
        Assert.Equal(name + " team", await GroupNameAsync(id));

        // Deleting lists the memberships it removes (Django's "labmember-group relationships"), then removes only those.
        var member = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        await app.WithDbAsync(async db =>
        {
            var user = await db.Users.Include(u => u.Groups).SingleAsync(u => u.Username == member, Ct);
            user.Groups.Add(await db.Groups.SingleAsync(g => g.Id == id, Ct));
            await db.SaveChangesAsync(Ct);
        });
        var delete = $"/admin/auth/group/{id}/delete/";
        var confirm = AdminClient.Text(await superuser.PageAsync(delete));
        Assert.Contains($"Are you sure you want to delete the group “{name} team”?", confirm);
        Assert.Contains("Groups: 1", confirm);
        Assert.Contains("Labmember-group relationships: 1", confirm);
        Assert.Contains($"Labmember-group relationships (1): {member}", confirm);
        response = await superuser.SubmitAsync(delete, delete, []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Null(await GroupNameAsync(id));
        Assert.Equal(["Lab members"], await GroupsOfAsync(member));
    }

    [Fact]
    public async Task DuplicateName_IsShownNextToTheField_AndNothingIsWritten()
    {
        var (superuser, _) = await AdminClient.SignedInAsync(app, AdminRole.Superuser);
        var taken = AlyxApp.Unique("taken");
        await GroupAsync(taken);
        var other = await GroupAsync(AlyxApp.Unique("other"));
        var response = await superuser.SubmitAsync("/admin/auth/group/add/", "/admin/auth/group/add/", new() { ["name"] = taken });
        var html = await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains("<ul class=\"errorlist\" id=\"id_name_error\">", html);
        Assert.Contains("Group with this Name already exists.", AdminClient.Text(html));
        Assert.Equal(1, await app.WithDbAsync(db => db.Groups.CountAsync(g => g.Name == taken, Ct)));

        var url = $"/admin/auth/group/{other}/change/";
        html = await (await superuser.SubmitAsync(url, url, new() { ["name"] = taken })).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains("Group with this Name already exists.", AdminClient.Text(html));
        Assert.StartsWith("other_", await GroupNameAsync(other));

        html = await (await superuser.SubmitAsync(url, url, new() { ["name"] = "" })).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains("This field may not be blank.", AdminClient.Text(html));
    }

    [Theory]
    [InlineData(AdminRole.Staff)]
    [InlineData(AdminRole.Husbandry)]
    [InlineData(AdminRole.Public)]
    public async Task NonSuperusers_SeeGroupsButNeverAddChangeOrDeleteThem(AdminRole role)
    {
        var (client, _) = await AdminClient.SignedInAsync(app, role);
        var name = AlyxApp.Unique("readonly");
        var id = await GroupAsync(name);
        var list = await client.PageAsync($"/admin/auth/group/?q={name}");
        Assert.DoesNotContain("/admin/auth/group/add/", list);
        var view = await client.PageAsync($"/admin/auth/group/{id}/change/");
        Assert.Contains("View group", view);
        Assert.DoesNotContain("name=\"name\"", view);
        await client.PageAsync("/admin/auth/group/add/", HttpStatusCode.Forbidden);
        await client.PageAsync($"/admin/auth/group/{id}/delete/", HttpStatusCode.Forbidden);

        // Forged posts, with the CSRF token of a page the user may open, write nothing.
        var token = AdminClient.CsrfToken(view);
        await (await client.PostAsync("/admin/auth/group/add/", new Dictionary<string, string> { ["csrfmiddlewaretoken"] = token, ["name"] = name + "x" }))
            .AssertStatusAsync(HttpStatusCode.Forbidden);
        await (await client.PostAsync($"/admin/auth/group/{id}/change/", new Dictionary<string, string> { ["csrfmiddlewaretoken"] = token, ["name"] = name + "y" }))
            .AssertStatusAsync(HttpStatusCode.Forbidden);
        await (await client.PostAsync($"/admin/auth/group/{id}/delete/", new Dictionary<string, string> { ["csrfmiddlewaretoken"] = token }))
            .AssertStatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal(name, await GroupNameAsync(id));
        Assert.False(await app.WithDbAsync(db => db.Groups.AnyAsync(g => g.Name == name + "x", Ct)));
    }

    [Fact]
    public async Task Superuser_SetsAUsersGroups_InOneSave_AndTheRestFilterSeesIt()
    {
        var (superuser, _) = await AdminClient.SignedInAsync(app, AdminRole.Superuser);
        var username = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var id = await UserIdAsync(username);
        var husbandry = AlyxApp.Unique("Husbandry crew");
        var husbandryId = await GroupAsync(husbandry);
        var url = $"/admin/misc/labmember/{id}/change/";

        var page = await superuser.PageAsync(url);
        Assert.Contains("<input type=\"text\" id=\"id_groups\" name=\"groups\" value=\"Lab members\"", page);
        Assert.Contains("data-lookup=\"/admin/autocomplete/auth/group/\"", page);

        var response = await superuser.SubmitAsync(url, url, new()
        {
            ["username"] = username,
            ["email"] = "keeper@example.org",
            ["groups"] = $"Lab members, {husbandry}",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal([husbandry, "Lab members"], (await GroupsOfAsync(username)).Order(StringComparer.Ordinal).ToList());
        Assert.Equal("keeper@example.org", await app.WithDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.Email).SingleAsync(Ct)));

        // The REST API does not show groups, but its groups filter (group ids) finds the user now.
        var rest = await app.ClientForAsync(AlyxApp.Unique("reader"));
        var users = await (await rest.GetAsync($"/users?groups={husbandryId}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([username], users["results"]!.AsArray().Select(u => (string?)u!["username"]).ToList());

        // An unknown group: the REST API's words next to the field, and neither the email nor the groups change.
        response = await superuser.SubmitAsync(url, url, new()
        {
            ["username"] = username,
            ["email"] = "other@example.org",
            ["groups"] = "no such group",
        });
        var html = await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains("<ul class=\"errorlist\" id=\"id_groups_error\">", html);
        Assert.Contains("Object with name=no such group does not exist.", AdminClient.Text(html));
        Assert.Contains("value=\"no such group\"", html);
        Assert.Equal([husbandry, "Lab members"], (await GroupsOfAsync(username)).Order(StringComparer.Ordinal).ToList());
        Assert.Equal("keeper@example.org", await app.WithDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.Email).SingleAsync(Ct)));

        // An empty field removes every group; the user is then no lab member.
        response = await superuser.SubmitAsync(url, url, new() { ["username"] = username, ["groups"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Empty(await GroupsOfAsync(username));
    }

    [Fact]
    public async Task NonSuperuser_SeesTheirGroupsButCannotChangeThem()
    {
        var (client, username) = await AdminClient.SignedInAsync(app);
        var id = await UserIdAsync(username);
        var admins = AlyxApp.Unique("admins");
        await GroupAsync(admins);
        var url = $"/admin/misc/labmember/{id}/change/";
        var page = await client.PageAsync(url);
        Assert.Contains("<div class=\"readonly\" id=\"id_groups\">Lab members</div>", page);
        Assert.DoesNotContain("name=\"groups\"", page);

        // Their own account saves, the posted groups are ignored.
        var response = await client.SubmitAsync(url, url, new() { ["username"] = username, ["email"] = "me@example.org", ["groups"] = admins });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(["Lab members"], await GroupsOfAsync(username));
        Assert.Equal("me@example.org", await app.WithDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.Email).SingleAsync(Ct)));

        // Another user's account is refused as a whole.
        var other = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var otherUrl = $"/admin/misc/labmember/{await UserIdAsync(other)}/change/";
        await (await client.SubmitAsync(otherUrl, otherUrl, new() { ["username"] = other, ["groups"] = admins })).AssertStatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal(["Lab members"], await GroupsOfAsync(other));
    }
}
