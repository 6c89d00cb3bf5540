using System.Net;
using System.Text.Json.Nodes;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Subjects;

/// <summary>
/// /subjects and /water-restricted-subjects on the imported dump, read only (no test of this class writes, so the dump's
/// rows are all there is). Expected counts and nicknames are literals read off the fixture rows of
/// <c>alyx_anon_dump.json.gz</c>: 968 <c>subjects.subject</c>, all of lab <c>somelab</c>, 628 with a death date (the latest
/// 2017-11-04, so the split does not move with today's date), 63 <c>actions.waterrestriction</c>, 33 of them open.
/// </summary>
public sealed class SubjectFiltersDumpTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static List<string> Nicknames(JsonNode page) => page["results"]!.AsArray().Select(r => r!["nickname"]!.GetValue<string>()).ToList();

    async Task<JsonNode> GetAsync(HttpClient client, string query) => await (await client.GetAsync("/subjects?" + query, Ct)).ReadJsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task ListSubjects_Limit300_ReturnsItemsWithListFieldsInDefaultOrder()
    {
        Fixtures.RequireDump();
        var client = await app.ClientForAsync();
        var page = await GetAsync(client, "limit=300");
        var results = page["results"]!.AsArray();
        Assert.Equal(968, page["count"]!.GetValue<int>());
        Assert.Equal(300, results.Count);
        Assert.Equal(["nickname", "url", "id", "responsible_user", "birth_date", "age_weeks", "death_date", "species", "sex", "litter", "strain",
            "source", "line", "projects", "session_projects", "lab", "genotype", "description", "alive", "reference_weight",
            "last_water_restriction", "expected_water", "remaining_water", "json"], results[0]!.Keys());
        // The dump's nicknames are unique six-digit hex strings; sorted, the first five are these, the 300th is 53881b and the
        // 301st 53ca22 (birth_date, the second ordering key, never decides).
        var nicknames = Nicknames(page);
        Assert.Equal(["01228d", "014364", "016023", "01a1df", "01d7d7"], nicknames.Take(5));
        Assert.Equal("53881b", nicknames[^1]);
        Assert.Equal(nicknames.Order(StringComparer.Ordinal), nicknames);
        Assert.Equal(300, nicknames.Distinct().Count());
        Assert.Equal(["53ca22"], Nicknames(await GetAsync(client, "limit=1&offset=300")));
        Assert.Equal("01228d85-2b15-4263-9bbf-b9bb534db7e3", results[0]!["id"]!.GetValue<string>());
        // Every item's url is a fetchable detail (upstream test_subject_1).
        var detail = await (await client.GetAsync(new Uri(results[0]!["url"]!.GetValue<string>()).PathAndQuery, Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("01228d85-2b15-4263-9bbf-b9bb534db7e3", detail["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task ListSubjects_AliveAndStock_CountTheDumpsSubjects()
    {
        // 340 subjects have no death date; 269 of them have a responsible user flagged is_stock_manager, the other 71 one that
        // is not (none of the 340 lacks a responsible user). Upstream test_list_alive_subjects asks for > 200 and > 0.
        Fixtures.RequireDump();
        var client = await app.ClientForAsync();
        Assert.Equal(269, (await GetAsync(client, "alive=True&stock=True&limit=1"))["count"]!.GetValue<int>());
        Assert.Equal(71, (await GetAsync(client, "alive=True&stock=False&limit=1"))["count"]!.GetValue<int>());
        Assert.Equal(340, (await GetAsync(client, "alive=true&limit=1"))["count"]!.GetValue<int>());
        Assert.Equal(628, (await GetAsync(client, "alive=False&limit=1"))["count"]!.GetValue<int>());
        Assert.Equal(968, (await GetAsync(client, "alive=maybe&limit=1"))["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task WaterRestricted_DumpSubjectsWithAnOpenRestriction()
    {
        // 33 subjects have a restriction without end_time, all of them alive: water_restricted=True gives the 33,
        // water_restricted=False the 340 - 33 = 307 other alive subjects; /water-restricted-subjects lists the same 33.
        Fixtures.RequireDump();
        var client = await app.ClientForAsync();
        var restricted = await GetAsync(client, "water_restricted=True&limit=1000");
        Assert.Equal(33, restricted["count"]!.GetValue<int>());
        Assert.Equal(["0e861d", "1ac458", "1fd30a", "21c243", "232ee6"], Nicknames(restricted).Take(5));
        Assert.Equal(307, (await GetAsync(client, "water_restricted=False&limit=1"))["count"]!.GetValue<int>());
        var endpoint = await (await client.GetAsync("/water-restricted-subjects?limit=1000", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(33, endpoint["count"]!.GetValue<int>());
        Assert.Equal(Nicknames(restricted), Nicknames(endpoint));
    }

    [Fact]
    public async Task ListSubjects_GeneratedForeignKeyFilters_TakeUuids()
    {
        // Line 012bc9c2-... (name 012bc9) has exactly four subjects in the dump.
        Fixtures.RequireDump();
        var client = await app.ClientForAsync();
        var page = await GetAsync(client, "line=012bc9c2-a805-424b-bd61-80c764574786&limit=1000");
        Assert.Equal(4, page["count"]!.GetValue<int>());
        Assert.Equal(["391d38", "40094f", "77cb05", "e6ce81"], Nicknames(page));
        Assert.All(page["results"]!.AsArray(), r => Assert.Equal("012bc9", r!["line"]!.GetValue<string>()));
        Assert.Equal("{\"line\":[\"“012bc9” is not a valid UUID.\"],\"status_code\":400}",
            await (await client.GetAsync("/subjects?line=012bc9", Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task ListSubjects_GenotypeTestFilter_MatchesSubjectsTestedOnSequence()
    {
        // subjects.genotypetest rows: sequence 5bcaeb37-... is tested on these ten subjects, 9f694d41-... on two others;
        // the filter is repeatable and takes the union.
        Fixtures.RequireDump();
        var client = await app.ClientForAsync();
        string[] first = ["06d7b3", "168b7f", "2a5b4b", "3c1b23", "5fcdda", "72e4c6", "7444ff", "7b1b86", "a29476", "c19507"];
        Assert.Equal(first, Nicknames(await GetAsync(client, "genotype_test=5bcaeb37-01ab-4c31-860d-b474cc5eb817&limit=1000")));
        var both = await GetAsync(client, "genotype_test=5bcaeb37-01ab-4c31-860d-b474cc5eb817&genotype_test=9f694d41-efe5-4297-865a-ef7a9b4ff04c&limit=1000");
        Assert.Equal(first.Append("196dd5").Append("ca4a99").Order(StringComparer.Ordinal), Nicknames(both));
    }
}
