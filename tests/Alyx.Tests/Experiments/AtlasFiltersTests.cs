using System.Net;
using System.Text.Json.Nodes;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Experiments;

/// <summary>
/// The atlas filters of /insertions and /sessions (spec 40 §5): which of this test's insertions and sessions are kept is computed
/// from the fixture tree's parent pointers (the region or a descendant) and the provenance rule (aligned tracks only).
/// </summary>
public sealed class AtlasFiltersTests(ProbeApp app) : IClassFixture<ProbeApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const string Aligned = "Ephys aligned histology track";

    sealed record Recording(string Insertion, Guid Session, string Provenance, int[] Regions);

    static async Task<JsonNode> PostAsync(HttpClient client, string path, string body) =>
        await (await client.PostAsync(path, Json.Body(body), Ct)).ReadJsonAsync(HttpStatusCode.Created);

    static async Task<HashSet<string>> IdsAsync(HttpClient client, string url) =>
        (await (await client.GetAsync(url + "&limit=1000", Ct)).ReadJsonAsync(HttpStatusCode.OK))["results"]!.AsArray()
            .Select(r => r!["id"]!.GetValue<string>()).ToHashSet();

    /// <summary>One session and insertion per case, a trajectory of the given provenance, a channel in each region.</summary>
    async Task<List<Recording>> RecordAsync(HttpClient client, ProbeWorld w, params (string Provenance, string[] Acronyms)[] cases)
    {
        var made = new List<Recording>();
        for (var i = 0; i < cases.Length; i++)
        {
            var session = await w.SessionAsync(app, new DateTime(2024, 4, 1 + i, 9, 0, 0), i + 1);
            var pid = (await w.InsertAsync(client, "probe00", session))["id"]!.GetValue<string>();
            var tid = (await PostAsync(client, "/trajectories", $$"""
                {"probe_insertion": "{{pid}}", "x": 1, "y": 2, "depth": 3, "theta": 4, "phi": 5, "provenance": "{{cases[i].Provenance}}"}
                """))["id"]!.GetValue<string>();
            var regions = cases[i].Acronyms.Select(FixtureAtlas.IdOf).ToArray();
            var channels = regions.Select((r, n) => $$"""{"axial": {{n}}, "lateral": 0, "brain_region": {{r}}, "trajectory_estimate": "{{tid}}"}""");
            await PostAsync(client, "/channels", "[" + string.Join(",", channels) + "]");
            made.Add(new Recording(pid, session, cases[i].Provenance, regions));
        }
        return made;
    }

    /// <summary>Whether a recording is in one of <paramref name="selected"/> or below, by the fixture's parent pointers.</summary>
    static bool Expected(Recording r, IEnumerable<int> selected)
    {
        var under = FixtureAtlas.SelfAndDescendants([.. selected]);
        return r.Provenance == Aligned && r.Regions.Any(under.Contains);
    }

    [Fact]
    public async Task Insertions_And_Sessions_AtlasFilters_KeepAlignedRecordingsInTheRegionOrBelow()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        var made = await RecordAsync(client, w,
            (Aligned, ["MOp5"]),                 // under MO
            (Aligned, ["MOs2/3", "CA1"]),        // under MO and under the hippocampus
            ("Histology track", ["MOp5"]),       // in MO, but not aligned
            (Aligned, ["CA1"]),                  // elsewhere
            (Aligned, ["MO"]));                  // MO itself

        var cases = new (string Query, int[] Selected)[]
        {
            ("atlas_acronym=mo", [FixtureAtlas.IdOf("MO")]),
            ($"atlas_id={FixtureAtlas.IdOf("MOp5")}", [FixtureAtlas.IdOf("MOp5")]),
            ("atlas_name=somatomotor areas", FixtureAtlas.Regions.Values.Where(r => r.Name.Contains("somatomotor areas", StringComparison.OrdinalIgnoreCase))
                .Select(r => r.Id).ToArray()),
            ($"atlas_id={FixtureAtlas.IdOf("CA")}", [FixtureAtlas.IdOf("CA")]),
        };
        foreach (var (query, selected) in cases)
        {
            var insertions = await IdsAsync(client, $"/insertions?subject={w.Subject}&{query}");
            var sessions = await IdsAsync(client, $"/sessions?subject={w.Subject}&{query}");
            foreach (var r in made)
            {
                Assert.True(Expected(r, selected) == insertions.Contains(r.Insertion), $"{query}: insertion of {string.Join(',', r.Regions)} ({r.Provenance})");
                Assert.True(Expected(r, selected) == sessions.Contains(r.Session.ToString()), $"{query}: session of {string.Join(',', r.Regions)} ({r.Provenance})");
            }
        }
        // Sanity of the expectations themselves: MO keeps exactly the first, second and last recordings.
        Assert.Equal([true, true, false, false, true], made.Select(r => Expected(r, [FixtureAtlas.IdOf("MO")])));
    }

    /// <summary>
    /// The insertion list, whose items load collections in split queries (its session, projects and datasets) and whose order
    /// reads the sessions, reads the page's ids first: the filter and the order of the whole selection run in one statement, and
    /// each collection's statement reads the page's rows by id. Here the atlas filter (a search of the channels) appears in one
    /// statement of the page, on either provider.
    /// </summary>
    [Fact]
    public async Task InsertionList_RunsTheAtlasFilterInOneStatementOfThePage()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        await RecordAsync(client, w, (Aligned, ["MOp5"]), (Aligned, ["MOs2/3"]), (Aligned, ["CA1"]));

        JsonNode? page = null;
        // A limit above the selection: the page tells the count, so no COUNT statement is sent.
        var commands = await app.Commands.TextsAsync(async () =>
            page = await (await client.GetAsync($"/insertions?subject={w.Subject}&atlas_acronym=mo&limit=50", Ct)).ReadJsonAsync(HttpStatusCode.OK));

        Assert.Equal(2, page!["count"]!.GetValue<int>());
        Assert.Equal(1, commands.Count(c => c.Contains("experiments_channel", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task AtlasId_NotANumber_Answers400_AndAnUnknownRegionMatchesNothing()
    {
        var client = await app.ClientForAsync();

        var bad = await (await client.GetAsync("/insertions?atlas_id=abc", Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        var none = await (await client.GetAsync("/sessions?atlas_acronym=no-such-region", Ct)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(["Enter a number."], bad["atlas_id"].Strings());
        Assert.Equal(0, none["count"]!.GetValue<int>());
    }
}
