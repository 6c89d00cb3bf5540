using System.Net;
using System.Text.Json.Nodes;
using Alyx.Actions;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Subjects;

/// <summary>Filters of /subjects and /water-restricted-subjects on rows each test creates (the dump's are in SubjectFiltersDumpTests).</summary>
public sealed class SubjectFiltersTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static HashSet<string> Ids(JsonNode page) => page["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToHashSet();

    async Task<JsonNode> GetAsync(HttpClient client, string query) => await (await client.GetAsync("/subjects?" + query, Ct)).ReadJsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task ListSubjects_WaterRestricted_BothValuesOnlyAliveAndDisjointFromDead()
    {
        var client = await app.ClientForAsync();
        var lab = AlyxApp.Unique("wrlab");
        await (await client.PostAsync("/labs", Json.Body(new { name = lab }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        var (open, closed, deadOpen) = (AlyxApp.Unique("open"), AlyxApp.Unique("closed"), AlyxApp.Unique("deadopen"));
        foreach (var n in new[] { open, closed, deadOpen })
            await (await client.PostAsync("/subjects", Json.Body(new { nickname = n, lab }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        await (await client.PatchAsync($"/subjects/{deadOpen}", Json.Body(new { death_date = "2020-01-01" }), Ct)).AssertStatusAsync(HttpStatusCode.OK);
        await app.WithDbAsync(async db =>
        {
            var ids = await db.Subjects.Where(s => s.Lab!.Name == lab).ToDictionaryAsync(s => s.Nickname, s => s.Id);
            db.WaterRestrictions.AddRange(
                new WaterRestriction { SubjectId = ids[open], StartTime = new DateTime(2024, 1, 1, 8, 0, 0) },
                new WaterRestriction { SubjectId = ids[closed], StartTime = new DateTime(2024, 1, 1), EndTime = new DateTime(2024, 2, 1) },
                new WaterRestriction { SubjectId = ids[deadOpen], StartTime = new DateTime(2019, 1, 1) });
            await db.SaveChangesAsync();
        });

        var restricted = await GetAsync(client, $"lab={lab}&water_restricted=True");
        var notRestricted = await GetAsync(client, $"lab={lab}&water_restricted=False");
        var dead = await GetAsync(client, $"lab={lab}&alive=False");

        Assert.Equal([open], restricted["results"]!.AsArray().Select(r => r!["nickname"]!.GetValue<string>()));
        Assert.Equal([closed], notRestricted["results"]!.AsArray().Select(r => r!["nickname"]!.GetValue<string>()));
        Assert.All(restricted["results"]!.AsArray().Concat(notRestricted["results"]!.AsArray()), r => Assert.True(r!["alive"]!.GetValue<bool>()));
        Assert.Empty(Ids(restricted).Intersect(Ids(dead)));
        Assert.Empty(Ids(notRestricted).Intersect(Ids(dead)));

        // /water-restricted-subjects keeps dead subjects and ignores filters (quirk S6).
        var endpoint = await (await client.GetAsync("/water-restricted-subjects?limit=1000&lab=nothing&django=nickname,x", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var rows = endpoint["results"]!.AsArray().ToDictionary(r => r!["nickname"]!.GetValue<string>(), r => r!);
        Assert.Contains(open, rows.Keys);
        Assert.Contains(deadOpen, rows.Keys);
        Assert.DoesNotContain(closed, rows.Keys);
        Assert.Equal(["nickname", "url", "expected_water", "remaining_water", "reference_weight", "last_water_restriction", "reference_weight_pct",
            "zscore_weight_pct"], rows[open].Keys());
        Assert.Equal("2024-01-01T08:00:00", rows[open]["last_water_restriction"]!.GetValue<string>());
        Assert.Equal($"http://localhost/subjects/{open}", rows[open]["url"]!.GetValue<string>());
        // The dump's 33 subjects with an open restriction (SubjectFiltersDumpTests) plus open and deadOpen; no other test of
        // this class opens a restriction.
        Assert.Equal(Fixtures.HasDump ? 35 : 2, endpoint["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task ListSubjects_LabProjectAndResponsibleUser_FilterBySlug()
    {
        var client = await app.ClientForAsync();
        var owner = AlyxApp.Unique("resp");
        var ownerClient = await app.ClientForAsync(owner);
        var lab = AlyxApp.Unique("awesome_lab");
        var project = AlyxApp.Unique("my_proj");
        await (await client.PostAsync("/labs", Json.Body(new { name = lab }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        await (await client.PostAsync("/projects", Json.Body(new { name = project }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        var (a, b) = (AlyxApp.Unique("a"), AlyxApp.Unique("b"));
        var created = await (await ownerClient.PostAsync("/subjects", Json.Body(new { nickname = a, lab, projects = new[] { project } }), Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        await (await client.PostAsync("/subjects", Json.Body(new { nickname = b, lab }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal([project], created["projects"].Strings());

        Assert.Equal(2, (await GetAsync(client, $"lab={lab}"))["count"]!.GetValue<int>());
        var byProject = await GetAsync(client, $"project={project}");
        Assert.Equal([created["id"]!.GetValue<string>()], Ids(byProject));
        Assert.Equal([a], (await GetAsync(client, $"responsible_user={owner}"))["results"]!.AsArray().Select(r => r!["nickname"]!.GetValue<string>()));
        var projectId = await app.WithDbAsync(db => db.Projects.Where(p => p.Name == project).Select(p => p.Id).SingleAsync());
        Assert.Equal([a], (await GetAsync(client, $"projects={projectId}"))["results"]!.AsArray().Select(r => r!["nickname"]!.GetValue<string>()));
        Assert.Equal([b], (await GetAsync(client, $"django=lab__name,{lab},~projects__name,{project}"))["results"]!.AsArray()
            .Select(r => r!["nickname"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("sex=X", "{\"sex\":[\"Select a valid choice. X is not one of the available choices.\"],\"status_code\":400}")]
    [InlineData("birth_date=notadate", "{\"birth_date\":[\"Enter a valid date.\"],\"status_code\":400}")]
    [InlineData("genotype=abc", "{\"genotype\":[\"“abc” is not a valid UUID.\"],\"status_code\":400}")]
    [InlineData("genotype_test=00000000-0000-0000-0000-000000000001",
        "{\"genotype_test\":[\"Select a valid choice. 00000000-0000-0000-0000-000000000001 is not one of the available choices.\"],\"status_code\":400}")]
    [InlineData("protocol_number=9", "{\"protocol_number\":[\"Select a valid choice. 9 is not one of the available choices.\"],\"status_code\":400}")]
    public async Task ListSubjects_InvalidFilterValues_Return400(string query, string expected)
    {
        var client = await app.ClientForAsync();
        Assert.Equal(expected, await (await client.GetAsync("/subjects?" + query, Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task ListSubjects_SexAndJsonFilters_MatchExactly()
    {
        var client = await app.ClientForAsync();
        var lab = AlyxApp.Unique("sexlab");
        await (await client.PostAsync("/labs", Json.Body(new { name = lab }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        var (f, m) = (AlyxApp.Unique("f"), AlyxApp.Unique("m"));
        await (await client.PostAsync("/subjects", Json.Body(new { nickname = f, lab, sex = "F", json = "" }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        await (await client.PostAsync("/subjects", Json.Body(new { nickname = m, lab, sex = "M" }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal([f], (await GetAsync(client, $"lab={lab}&sex=F"))["results"]!.AsArray().Select(r => r!["nickname"]!.GetValue<string>()));
        Assert.Equal(0, (await GetAsync(client, $"lab={lab}&json=abc"))["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task SubjectsSchema_ListsExactlyTheSpecFilters()
    {
        var client = await app.ClientForAsync();
        var schema = await (await client.GetAsync("/api/schema?format=json", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var names = schema["paths"]!["/subjects"]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["actual_severity", "adverse_effects", "alive", "birth_date", "cage", "death_date", "description", "django", "ear_mark",
            "genotype", "genotype_date", "genotype_test", "id", "json", "lab", "limit", "line", "litter", "name", "nickname", "offset", "project",
            "projects", "protocol_number", "reduced_date", "request", "responsible_user", "sex", "source", "species", "stock", "strain",
            "to_be_culled", "to_be_genotyped", "water_restricted", "wean_date"], names);
        var restricted = schema["paths"]!["/water-restricted-subjects"]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>());
        Assert.Equal(["limit", "offset"], restricted);
        Assert.Equal(["limit", "offset"], schema["paths"]!["/projects"]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
    }
}
