using System.Net;
using System.Text.Json.Nodes;
using Alyx.Misc;
using Alyx.Tests.Cli;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Misc;

/// <summary>
/// Django's auth groups: <c>/users?groups=</c> (django-filter's ModelMultipleChoiceFilter), the users' representation (no
/// groups), groups in dumps (ids, natural keys, groups the dump leaves out), and <c>alyx set-db-permissions</c>.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class UserGroupsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Two groups and three users: one in the first, one in both, one in none. Returns the ids and usernames.</summary>
    async Task<(int G1, int G2, string[] Users)> SeedAsync()
    {
        var users = new[] { AlyxApp.Unique("ga"), AlyxApp.Unique("gb"), AlyxApp.Unique("gc") };
        var (g1, g2) = await app.WithDbAsync(async db =>
        {
            var first = new Group { Name = AlyxApp.Unique("grp") };
            var second = new Group { Name = AlyxApp.Unique("grp") };
            db.Groups.AddRange(first, second);
            db.Users.Add(new LabMember { Username = users[0], Groups = [first] });
            db.Users.Add(new LabMember { Username = users[1], Groups = [first, second] });
            db.Users.Add(new LabMember { Username = users[2] });
            await db.SaveChangesAsync(Ct);
            return (first.Id, second.Id);
        });
        return (g1, g2, users);
    }

    async Task<List<string>> UsernamesAsync(HttpClient client, string query, string[] among)
    {
        var body = await (await client.GetAsync("/users?limit=1000&" + query, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        return [.. body["results"]!.AsArray().Select(u => u!["username"]!.GetValue<string>()).Where(among.Contains)];
    }

    [Fact]
    public async Task DjangoFilter_OnGroups_KeepsTheGroupsMembers()
    {
        // The original's users have Django's groups relation, so django=groups,<id> filters (it is no secret path).
        var (g1, g2, users) = await SeedAsync();
        var client = await app.ClientForAsync();
        Assert.Equal([users[1]], await UsernamesAsync(client, "django=" + Uri.EscapeDataString($"groups,{g2}"), users));
        Assert.Equal([users[0], users[1]], (await UsernamesAsync(client, "django=" + Uri.EscapeDataString($"groups__id,{g1}"), users)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task UsersGroupsFilter_KeepsTheUsersOfAnyGivenGroup_OncePerUser()
    {
        var (g1, g2, users) = await SeedAsync();
        var client = await app.ClientForAsync();
        Assert.Equal([users[0], users[1]], await UsernamesAsync(client, $"groups={g1}", users));
        Assert.Equal([users[1]], await UsernamesAsync(client, $"groups={g2}", users));
        // Several values: any of them (OR), each user once.
        Assert.Equal([users[0], users[1]], await UsernamesAsync(client, $"groups={g1}&groups={g2}", users));
        // A blank value is no filter.
        Assert.Equal(users, await UsernamesAsync(client, "groups=", users));
    }

    [Theory]
    [InlineData("groups=abc", "{\"groups\":[\"“abc” is not a valid value.\"],\"status_code\":400}")]
    [InlineData("groups=1.5", "{\"groups\":[\"“1.5” is not a valid value.\"],\"status_code\":400}")]
    [InlineData("groups=987654", "{\"groups\":[\"Select a valid choice. 987654 is not one of the available choices.\"],\"status_code\":400}")]
    [InlineData("groups=99999999999", "{\"groups\":[\"Select a valid choice. 99999999999 is not one of the available choices.\"],\"status_code\":400}")]
    public async Task UsersGroupsFilter_InvalidValues_Are400WithDjangosMessages(string query, string expected)
    {
        var client = await app.ClientForAsync();
        var response = await client.GetAsync("/users?" + query, Ct);
        Assert.Equal(expected, await response.AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task UsersGroupsFilter_AnExistingIdWrittenOtherwise_IsNotAChoice()
    {
        // Django compares the keys' text: "0<id>" finds the group but is not one of the choices.
        var (g1, _, _) = await SeedAsync();
        var client = await app.ClientForAsync();
        var response = await client.GetAsync($"/users?groups=0{g1}", Ct);
        Assert.Equal($"{{\"groups\":[\"Select a valid choice. 0{g1} is not one of the available choices.\"],\"status_code\":400}}",
            await response.AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task UserRepresentation_HasNoGroups()
    {
        var (_, _, users) = await SeedAsync();
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync($"/users/{users[1]}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["id", "username", "email", "subjects_responsible", "lab", "allowed_users", "is_stock_manager"], body.Keys());
    }

    [Fact]
    public async Task ImportDump_GroupsByIdAndNaturalKey_AndGroupsLeftOutOfTheDumpAreDropped()
    {
        var (ua, ub, uc) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var names = new[] { AlyxApp.Unique("ia"), AlyxApp.Unique("ib"), AlyxApp.Unique("ic") };
        var group = AlyxApp.Unique("Imported husbandry");
        var file = Path.Combine(Path.GetTempPath(), $"alyx-groups-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, $$$"""
            [{"model": "auth.group", "pk": 7001, "fields": {"name": "{{{group}}}", "permissions": []}},
             {"model": "misc.labmember", "pk": "{{{ua}}}", "fields": {"username": "{{{names[0]}}}", "groups": [7001], "user_permissions": [], "allowed_users": []}},
             {"model": "misc.labmember", "pk": "{{{ub}}}", "fields": {"username": "{{{names[1]}}}", "groups": [["{{{group}}}"]], "user_permissions": [], "allowed_users": []}},
             {"model": "misc.labmember", "pk": "{{{uc}}}", "fields": {"username": "{{{names[2]}}}", "groups": [7001, 424242], "user_permissions": [3], "allowed_users": []}}]
            """, Ct);
        try
        {
            var (code, _, err) = await Infrastructure.Cli.RunAsync("import-dump", file, "--database", app.DatabaseUrl);
            Assert.True(code == 0, err);
        }
        finally
        {
            File.Delete(file);
        }
        var stored = await app.WithDbAsync(db => db.Users.Where(u => u.Id == ua || u.Id == ub || u.Id == uc)
            .OrderBy(u => u.Username).Select(u => u.Groups.Select(g => g.Id).ToList()).ToListAsync(Ct));
        Assert.Equal([[7001], [7001], [7001]], stored);
        Assert.Equal(group, await app.WithDbAsync(db => db.Groups.Where(g => g.Id == 7001).Select(g => g.Name).SingleAsync(Ct)));

        // Back out: the group record, and each user's groups as integer ids.
        var out_ = Path.Combine(Path.GetTempPath(), $"alyx-groups-out-{Guid.NewGuid():N}.json");
        try
        {
            Assert.Equal(0, (await Infrastructure.Cli.RunAsync("export-dump", out_, "--database", app.DatabaseUrl)).Code);
            var records = JsonNode.Parse(await File.ReadAllTextAsync(out_, Ct))!.AsArray();
            var g = records.Single(r => r!["model"]!.GetValue<string>() == "auth.group" && r["pk"]!.GetValue<int>() == 7001)!;
            Assert.Equal($"{{\"name\":\"{group}\"}}", g["fields"]!.ToJsonString());
            var c = records.Single(r => r!["model"]!.GetValue<string>() == "misc.labmember" && r["pk"]!.GetValue<string>() == uc.ToString())!;
            Assert.Equal("[7001]", c["fields"]!["groups"]!.ToJsonString());
        }
        finally
        {
            File.Delete(out_);
        }
    }

    [Fact]
    public async Task ImportDump_UnknownGroupNaturalKey_IsDroppedAsAnUnknownId()
    {
        var id = Guid.NewGuid();
        var file = Path.Combine(Path.GetTempPath(), $"alyx-groups-nk-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, $$$"""
            [{"model": "misc.labmember", "pk": "{{{id}}}", "fields": {"username": "{{{AlyxApp.Unique("nk")}}}", "groups": [["No such group"]], "allowed_users": []}}]
            """, Ct);
        try
        {
            var (code, _, err) = await Infrastructure.Cli.RunAsync("import-dump", file, "--database", app.DatabaseUrl);
            Assert.True(code == 0, err);
        }
        finally
        {
            File.Delete(file);
        }
        Assert.Equal(0, await app.WithDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.Groups.Count).SingleAsync(Ct)));
    }

    [Fact]
    public async Task SetDbPermissions_CreatesLabMembers_PutsEveryUserInIt_AndSetsTheFlags()
    {
        var (_, _, users) = await SeedAsync();
        await app.WithDbAsync(async db =>
        {
            await db.Users.Where(u => u.Username == users[2]).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false), Ct);
        });
        var (code, output, err) = await Infrastructure.Cli.RunAsync("set-db-permissions", "--superusers", users[0], "--stock-managers", $"{users[1]},{users[2]}",
            "--database", app.DatabaseUrl);
        Assert.True(code == 0, err);
        var total = await app.WithDbAsync(db => db.Users.CountAsync(Ct));
        Assert.Contains($"users added to it", output);
        var rows = await app.WithDbAsync(db => db.Users.Where(u => users.Contains(u.Username)).OrderBy(u => u.Username)
            .Select(u => new { u.IsActive, u.IsStaff, u.IsSuperuser, u.IsStockManager, Groups = u.Groups.Select(g => g.Name).OrderBy(n => n).ToList() })
            .ToListAsync(Ct));
        Assert.All(rows, r => Assert.True(r.IsActive && r.IsStaff && r.Groups.Contains("Lab members")));
        Assert.Equal([true, false, false], rows.Select(r => r.IsSuperuser));
        Assert.Equal([false, true, true], rows.Select(r => r.IsStockManager));
        Assert.Equal(total, await app.WithDbAsync(db => db.Groups.Where(g => g.Name == "Lab members").SelectMany(g => g.Users).CountAsync(Ct)));

        // Again: the group is kept, nobody is added twice.
        var again = await Infrastructure.Cli.RunAsync("set-db-permissions", "--database", app.DatabaseUrl);
        Assert.Equal(0, again.Code);
        Assert.Contains($"Kept group 'Lab members'; 0 of {total} users added to it", again.Out);

        var unknown = await Infrastructure.Cli.RunAsync("set-db-permissions", "--superusers", "nobody-here", "--database", app.DatabaseUrl);
        Assert.NotEqual(0, unknown.Code);
        Assert.Contains("no such user: nobody-here.", unknown.Err);
    }
}
