using System.Net;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Subjects;

/// <summary>
/// The colony lists on the imported dump, read only (no test of this class writes, so the dump's rows are all there is).
/// Expected counts and names are literals read off the fixture rows of <c>alyx_anon_dump.json.gz</c>; the set-up fixtures
/// and the migrations add no colony rows.
/// </summary>
public sealed class ColonyDumpTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Rows per model in the dump: 1 subjects.species, 9 strain, 3 source, 32 line, 26 allele, 18 sequence, 50 zygosity,
    // 50 genotypetest, 58 breedingpair, 185 litter, 16 subjectrequest, no zygosityrule.
    public static TheoryData<string, int> ListPaths() => new()
    {
        { "/species", 1 }, { "/strains", 9 }, { "/sources", 3 }, { "/lines", 32 }, { "/alleles", 26 }, { "/sequences", 18 },
        { "/zygosities", 50 }, { "/genotype-tests", 50 }, { "/breeding-pairs", 58 }, { "/litters", 185 }, { "/subject-requests", 16 },
        { "/zygosity-rules", 0 },
    };

    [Theory]
    [MemberData(nameof(ListPaths))]
    public async Task List_CountsEveryRow_AnonymousRefused(string path, int rows)
    {
        Fixtures.RequireDump();
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync(path + "?limit=5", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(rows, body["count"]!.GetValue<int>());
        Assert.Equal(Math.Min(rows, 5), body["results"]!.AsArray().Count);
        Assert.Equal(rows > 5 ? $"http://localhost{path}?limit=5&offset=5" : null, body["next"]?.GetValue<string>());
        var anonymous = await app.AnonymousClient().GetAsync(path, Ct);
        Assert.True(anonymous.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden, $"{path}: {anonymous.StatusCode}");
    }

    [Fact]
    public async Task Litters_ImportedDump_OrderedByNameThenBirthDateDesc_FilteredByLine()
    {
        // The 185 litter names are unique six-digit hex strings; these are the first 20 in order.
        Fixtures.RequireDump();
        var client = await app.ClientForAsync();
        var page = await (await client.GetAsync("/litters?limit=20", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["02efbe", "042ac9", "04c07f", "056e8c", "06c175", "085bb1", "0e0f0b", "10555c", "122b8f", "1237a8", "124cb8", "152d1f",
            "155272", "15d0cb", "189e55", "18ea7d", "19f75d", "1a591a", "1a65f7", "1b9190"], page["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
        Assert.Equal("02efbeb2-d51f-4c06-b56b-c161a6b09633", page["results"]![0]!["id"]!.GetValue<string>());

        // Line 5aca8c93-... (nickname 5aca8c) has these 15 litters.
        var byLine = await (await client.GetAsync("/litters?line=5aca8c93-d7cb-4979-89a4-c6515cb014b2", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(15, byLine["count"]!.GetValue<int>());
        Assert.Equal(["10555c", "2a129c", "308660", "37e2ac", "67bd16", "8d446f", "967e1a", "b1d2a1", "b28665", "b43ad2", "c60a6f", "c87a8d", "ca0868",
            "f8d7ea", "feb460"], byLine["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Django_FilterAcrossRelations()
    {
        // Allele 0e6e43 is on five lines; four subject requests have count 2 (9 have 1, 3 none).
        Fixtures.RequireDump();
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync("/lines?django=alleles__nickname,0e6e43", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["0aa6b8", "48120e", "50486c", "6fc8ff", "920060"],
            body["results"]!.AsArray().Select(r => r!["nickname"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(body["results"]!.AsArray(), r => Assert.Contains("0e6e43", r!["alleles"].Strings()));

        var requests = await (await client.GetAsync("/subject-requests?django=count__gt,1", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(4, requests["count"]!.GetValue<int>());
        Assert.All(requests["results"]!.AsArray(), r => Assert.Equal(2, r!["count"]!.GetValue<int>()));
        Assert.Equal(13, (await (await client.GetAsync("/subject-requests?django=count__gte,1", Ct)).ReadJsonAsync(HttpStatusCode.OK))["count"]!.GetValue<int>());
    }
}
