using System.Net;
using System.Text.Json.Nodes;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Subjects;

/// <summary>
/// A subject's <c>session_projects</c> (the projects of its sessions, by name) in the list and the detail, read from the table the
/// database keeps by triggers: right after every write that changes a session's subject or projects, and statement-count stable.
/// </summary>
public sealed class SubjectSessionProjectsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    sealed record Seed(HttpClient Client, string Prefix, string First, string Second);

    /// <summary>A lab, two subjects and three projects named prefix_a, prefix_b, prefix_c.</summary>
    async Task<Seed> SeedAsync()
    {
        var client = await app.ClientForAsync("ssp_user");
        var prefix = AlyxApp.Unique("ssp");
        await app.WithDbAsync(async db =>
        {
            db.Labs.Add(new Alyx.Misc.Lab { Name = prefix + "_lab" });
            foreach (var p in new[] { "a", "b", "c" }) db.Projects.Add(new Alyx.Subjects.Project { Name = $"{prefix}_{p}" });
            await db.SaveChangesAsync(Ct);
        });
        foreach (var nickname in new[] { prefix + "_s1", prefix + "_s2" })
            await (await client.PostAsync("/subjects", Json.Body(new { nickname, lab = prefix + "_lab" }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        return new Seed(client, prefix, prefix + "_s1", prefix + "_s2");
    }

    static async Task<string> SessionAsync(Seed seed, string subject, params string[] projects)
    {
        var body = await (await seed.Client.PostAsync("/sessions", Json.Body(new
        {
            subject,
            projects = projects.Select(p => $"{seed.Prefix}_{p}").ToArray(),
            start_time = "2024-05-01T10:00:00",
        }), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        return body["id"]!.GetValue<string>();
    }

    /// <summary>The subject's session projects in the list (the one row of ?nickname=) and in the detail, which must agree; suffixes only.</summary>
    static async Task<List<string>> SessionProjectsAsync(Seed seed, string nickname)
    {
        var page = await (await seed.Client.GetAsync($"/subjects?limit=10&nickname={nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var row = Assert.Single(page["results"]!.AsArray());
        var detail = await (await seed.Client.GetAsync($"/subjects/{nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var fromList = Names(row!["session_projects"]!);
        Assert.Equal(fromList, Names(detail["session_projects"]!));
        return fromList.Select(n => n[(seed.Prefix.Length + 1)..]).ToList();
    }

    static List<string> Names(JsonNode list) => list.AsArray().Select(n => n!.GetValue<string>()).ToList();

    [Fact]
    public async Task SessionProjects_FollowSessionWrites()
    {
        var seed = await SeedAsync();
        Assert.Empty(await SessionProjectsAsync(seed, seed.First));

        var one = await SessionAsync(seed, seed.First, "b");
        Assert.Equal(["b"], await SessionProjectsAsync(seed, seed.First));

        // A second session in b and a: b is listed once, in name order.
        var two = await SessionAsync(seed, seed.First, "b", "a");
        Assert.Equal(["a", "b"], await SessionProjectsAsync(seed, seed.First));

        // The first session's projects become c: b stays (the second session is still in it).
        await (await seed.Client.PatchAsync($"/sessions/{one}", Json.Body(new { projects = new[] { seed.Prefix + "_c" } }), Ct))
            .AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(["a", "b", "c"], await SessionProjectsAsync(seed, seed.First));

        // Deleting the second session takes a and b away.
        await (await seed.Client.DeleteAsync($"/sessions/{two}", Ct)).AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.Equal(["c"], await SessionProjectsAsync(seed, seed.First));

        // Moving the first session to the second subject moves c with it.
        await (await seed.Client.PatchAsync($"/sessions/{one}", Json.Body(new { subject = seed.Second }), Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Empty(await SessionProjectsAsync(seed, seed.First));
        Assert.Equal(["c"], await SessionProjectsAsync(seed, seed.Second));

        // Emptying its projects.
        await (await seed.Client.PatchAsync($"/sessions/{one}", Json.Body(new { projects = Array.Empty<string>() }), Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Empty(await SessionProjectsAsync(seed, seed.Second));
    }

    [Fact]
    public async Task SessionProjects_ProjectAndSubjectDeletion_LeaveNoRows()
    {
        var seed = await SeedAsync();
        await SessionAsync(seed, seed.First, "a", "b");
        await SessionAsync(seed, seed.Second, "a");
        Assert.Equal(["a", "b"], await SessionProjectsAsync(seed, seed.First));

        // A project's deletion cascades to its session links, and so out of the list.
        await app.WithDbAsync(async db =>
        {
            await db.Projects.Where(p => p.Name == seed.Prefix + "_b").ExecuteDeleteAsync(Ct);
        });
        Assert.Equal(["a"], await SessionProjectsAsync(seed, seed.First));
        Assert.Equal(["a"], await SessionProjectsAsync(seed, seed.Second));

        // A subject's deletion cascades to its sessions: nothing of it is left in the kept table.
        var id = await app.WithDbAsync(db => db.Subjects.Where(s => s.Nickname == seed.Second).Select(s => s.Id).SingleAsync(Ct));
        await (await seed.Client.DeleteAsync($"/subjects/{seed.Second}", Ct)).AssertStatusAsync(HttpStatusCode.NoContent);
        var left = await app.WithDbAsync(db => db.Database
            .SqlQuery<int>($"SELECT count(*) AS \"Value\" FROM \"subject_session_projects\" WHERE \"subject_id\" = {id}").SingleAsync(Ct));
        Assert.Equal(0, left);
        Assert.Equal(["a"], await SessionProjectsAsync(seed, seed.First));
    }

    [Fact]
    public async Task SubjectList_SessionProjects_OneStatementWhateverTheSessions()
    {
        var seed = await SeedAsync();
        await SessionAsync(seed, seed.First, "a");
        await SubjectPageAsync(seed); // the token lookup is remembered after the first request
        var few = await app.Commands.CountAsync(() => SubjectPageAsync(seed));
        for (var i = 0; i < 12; i++) await SessionAsync(seed, seed.First, i % 2 == 0 ? "b" : "c");
        await SubjectPageAsync(seed);
        var many = await app.Commands.CountAsync(() => SubjectPageAsync(seed));
        Assert.Equal(few, many);
        Assert.Equal(["a", "b", "c"], await SessionProjectsAsync(seed, seed.First));
    }

    static async Task SubjectPageAsync(Seed seed) =>
        await (await seed.Client.GetAsync($"/subjects?limit=10&nickname={seed.First}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
}
