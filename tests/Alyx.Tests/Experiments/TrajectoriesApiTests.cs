using System.Net;
using System.Text.Json.Nodes;
using Alyx.Experiments;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Experiments;

/// <summary>
/// /trajectories, /channels and /chronic-insertions (spec 40 §4.2-4.4; upstream test_create_list_delete_trajectory,
/// test_create_list_delete_channels, test_chronic_insertion), and the command counts of their lists.
/// </summary>
public sealed class TrajectoriesApiTests(ProbeApp app) : IClassFixture<ProbeApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly string[] TrajectoryKeys =
        ["id", "probe_insertion", "x", "y", "z", "depth", "theta", "phi", "roll", "provenance", "session", "probe_name", "coordinate_system", "datetime", "json",
            "chronic_insertion"];

    static string Trajectory(string? insertion, string provenance, string? chronic = null) => $$"""
        {"probe_insertion": {{Q(insertion)}}, "chronic_insertion": {{Q(chronic)}}, "x": -4521.2, "y": 2415.0, "z": 0, "phi": 80, "theta": 10,
         "depth": 5000, "roll": 0, "provenance": "{{provenance}}"}
        """;

    static string Q(string? v) => v is null ? "null" : $"\"{v}\"";

    static string ChannelBody(string trajectory, double axial, int region = 1133) => $$"""
        {"x": 111.1, "y": -222.2, "z": 333.3, "axial": {{axial}}, "lateral": 40, "brain_region": {{region}}, "trajectory_estimate": "{{trajectory}}"}
        """;

    static async Task<JsonNode> PostAsync(HttpClient client, string path, string body, HttpStatusCode expected = HttpStatusCode.Created) =>
        await (await client.PostAsync(path, Json.Body(body), Ct)).ReadJsonAsync(expected);

    static async Task<JsonNode> GetAsync(HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await client.GetAsync(url, Ct)).ReadJsonAsync(expected);

    static List<string> Ids(JsonNode page) => page["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task Trajectories_CreateFilterDelete_AsTheOriginal()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        var insertion = await w.InsertAsync(client, "probe_00");
        var pid = insertion["id"]!.GetValue<string>();

        var created = await PostAsync(client, "/trajectories", Trajectory(pid, "Micro-manipulator"));

        Assert.Equal(TrajectoryKeys, created.Keys());
        Assert.Equal(("Micro-manipulator", "probe_00", -4521.2, 0.0, 5000.0), (created["provenance"]!.GetValue<string>(),
            created["probe_name"]!.GetValue<string>(), created["x"]!.GetValue<double>(), created["z"]!.GetValue<double>(), created["depth"]!.GetValue<double>()));
        Assert.Equal((w.Subject, w.Session.ToString(), w.Project), (created["session"]!["subject"]!.GetValue<string>(),
            created["session"]!["id"]!.GetValue<string>(), created["session"]!["projects"]![0]!.GetValue<string>()));
        Assert.Null(created["chronic_insertion"]);
        Assert.Null(created["coordinate_system"]);

        Assert.Single(Ids(await GetAsync(client, $"/trajectories?probe_insertion={pid}&provenance=Micro-manipulator")));
        Assert.Single(Ids(await GetAsync(client, $"/trajectories?probe_insertion={pid}&provenance=micro-MANIPULATOR")));
        Assert.Empty(Ids(await GetAsync(client, $"/trajectories?probe_insertion={pid}&provenance=Planned")));
        Assert.Single(Ids(await GetAsync(client, $"/trajectories?subject={w.Subject}&probe=probe_00&session={w.Session}&date=2024-03-05&experiment_number=1")));
        Assert.Empty(Ids(await GetAsync(client, $"/trajectories?subject={w.Subject}&probe=probe_01")));
        var bad = await GetAsync(client, "/trajectories?provenance=Guess", HttpStatusCode.BadRequest);
        Assert.Equal(Provenance.ChoicesMessage, bad["provenance"]![0]!.GetValue<string>());

        var id = created["id"]!.GetValue<string>();
        Assert.True(JsonNode.DeepEquals(created, await GetAsync(client, $"/trajectories/{id}")));
        var delete = await client.DeleteAsync($"/trajectories/{id}", Ct);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Empty(Ids(await GetAsync(client, $"/trajectories?probe_insertion={pid}")));
    }

    [Fact]
    public async Task PostTrajectory_SecondOfAProvenanceForAnInsertion_Or_UnknownLabel_Answers400()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        var pid = (await w.InsertAsync(client, "probe00"))["id"]!.GetValue<string>();
        await PostAsync(client, "/trajectories", Trajectory(pid, "Planned"));

        var duplicate = await PostAsync(client, "/trajectories", Trajectory(pid, "Planned"), HttpStatusCode.BadRequest);
        var unknown = await PostAsync(client, "/trajectories", Trajectory(pid, "planned"), HttpStatusCode.BadRequest);
        var missing = await PostAsync(client, "/trajectories", """{"provenance": "Planned"}""", HttpStatusCode.BadRequest);
        var other = await PostAsync(client, "/trajectories", Trajectory(pid, "Histology track"));

        Assert.Equal("""{"non_field_errors":["The fields provenance, probe_insertion must make a unique set."],"status_code":400}""", duplicate.ToJsonString());
        Assert.Equal(Provenance.ChoicesMessage, unknown["provenance"]![0]!.GetValue<string>());
        Assert.Equal(["x", "y", "depth", "theta", "phi", "status_code"], missing.Keys());
        Assert.Equal("Histology track", other["provenance"]!.GetValue<string>());
    }

    [Fact]
    public async Task Channels_SingleAndBulkCreate_Filters_AndTheTrajectoryIsBumped()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        var pid = (await w.InsertAsync(client, "probe00"))["id"]!.GetValue<string>();
        var trajectory = await PostAsync(client, "/trajectories", Trajectory(pid, "Micro-manipulator"));
        var tid = trajectory["id"]!.GetValue<string>();

        var single = await PostAsync(client, "/channels", ChannelBody(tid, 20));
        var bulk = await PostAsync(client, "/channels", $"[{ChannelBody(tid, 40)}, {ChannelBody(tid, 60)}]");

        Assert.Equal(["id", "trajectory_estimate", "brain_region", "name", "json", "axial", "lateral", "x", "y", "z"], single.Keys());
        Assert.Equal((tid, 1133, 20.0, 111.1), (single["trajectory_estimate"]!.GetValue<string>(), single["brain_region"]!.GetValue<int>(),
            single["axial"]!.GetValue<double>(), single["x"]!.GetValue<double>()));
        Assert.Equal([40.0, 60.0], bulk.AsArray().Select(c => c!["axial"]!.GetValue<double>()));
        var channels = await GetAsync(client, $"/channels?probe_insertion={pid}&limit=100");
        Assert.Equal(3, channels["count"]!.GetValue<int>());
        Assert.Equal(3, (await GetAsync(client, $"/channels?session={w.Session}&subject={w.Subject}&lab={w.Lab}"))["count"]!.GetValue<int>());
        Assert.Equal(3, (await GetAsync(client, $"/channels?trajectory_estimate={tid}&brain_region=1133"))["count"]!.GetValue<int>());
        var bumped = await GetAsync(client, $"/trajectories/{tid}");
        Assert.True(bumped["datetime"]!.GetValue<DateTime>() >= trajectory["datetime"]!.GetValue<DateTime>());

        // Omitted region: 0 (void).
        var defaulted = await PostAsync(client, "/channels", $$"""{"axial": 80, "lateral": 40, "trajectory_estimate": "{{tid}}"}""");
        Assert.Equal(0, defaulted["brain_region"]!.GetValue<int>());
    }

    /// <summary>
    /// Each filter on the channel's insertion (session, probe_insertion, subject, lab) keeps the channels of that insertion's
    /// side only: two worlds (own subject, lab, session and insertion each), two and three channels, and a second session of the
    /// first subject with a channel of its own.
    /// </summary>
    [Fact]
    public async Task ChannelFilters_OnTheInsertionsSide_KeepOnlyTheMatchingChannels_AndAMalformedUuidIs400()
    {
        var client = await app.ClientForAsync();
        var a = await ProbeWorld.CreateAsync(app);
        var b = await ProbeWorld.CreateAsync(app);
        async Task<(string Insertion, List<string> Channels)> RecordAsync(ProbeWorld w, Guid? session, string probe, int channels)
        {
            var pid = (await w.InsertAsync(client, probe, session))["id"]!.GetValue<string>();
            var tid = (await PostAsync(client, "/trajectories", Trajectory(pid, "Micro-manipulator")))["id"]!.GetValue<string>();
            var made = await PostAsync(client, "/channels", "[" + string.Join(",", Enumerable.Range(0, channels).Select(i => ChannelBody(tid, 20 * i))) + "]");
            return (pid, made.AsArray().Select(c => c!["id"]!.GetValue<string>()).ToList());
        }
        var a1 = await RecordAsync(a, null, "probe00", 2);
        var secondSession = await a.SessionAsync(app, ProbeWorld.Start.AddDays(1), 2);
        var a2 = await RecordAsync(a, secondSession, "probe01", 1);
        var b1 = await RecordAsync(b, null, "probe00", 3);
        async Task<List<string>> SelectedAsync(string query) => Ids(await GetAsync(client, $"/channels?{query}&limit=100")).Order().ToList();

        Assert.Equal(a1.Channels.Order(), await SelectedAsync($"session={a.Session}"));
        Assert.Equal(a2.Channels.Order(), await SelectedAsync($"probe_insertion={a2.Insertion}"));
        Assert.Equal(a1.Channels.Concat(a2.Channels).Order(), await SelectedAsync($"subject={a.Subject}"));
        Assert.Equal(b1.Channels.Order(), await SelectedAsync($"lab={b.Lab}"));
        Assert.Equal(b1.Channels.Order(), await SelectedAsync($"subject={b.Subject}&lab={b.Lab}"));
        Assert.Empty(await SelectedAsync($"subject={a.Subject}&lab={b.Lab}"));
        Assert.Empty(await SelectedAsync("subject=no-such-subject"));

        var bad = await GetAsync(client, "/channels?session=not-a-uuid", HttpStatusCode.BadRequest);
        Assert.Equal(["Enter a valid UUID."], bad["session"].Strings());
    }

    [Fact]
    public async Task PostChannels_Invalid_Answers400_AndABulkWithOneBadItemWritesNothing()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        var pid = (await w.InsertAsync(client, "probe00"))["id"]!.GetValue<string>();
        var tid = (await PostAsync(client, "/trajectories", Trajectory(pid, "Planned")))["id"]!.GetValue<string>();
        await PostAsync(client, "/channels", ChannelBody(tid, 20));

        var duplicate = await PostAsync(client, "/channels", ChannelBody(tid, 20), HttpStatusCode.BadRequest);
        var region = await PostAsync(client, "/channels", ChannelBody(tid, 30, region: 987654321), HttpStatusCode.BadRequest);
        var noTrajectory = await PostAsync(client, "/channels", """{"axial": 1, "lateral": 2}""", HttpStatusCode.BadRequest);
        var bulk = await PostAsync(client, "/channels", $"[{ChannelBody(tid, 40)}, {ChannelBody(tid, 50, region: 987654321)}]", HttpStatusCode.BadRequest);

        Assert.Equal([ChannelsApi.UniqueMessage], duplicate["non_field_errors"].Strings());
        Assert.Equal(["Object with id=987654321 does not exist."], region["brain_region"].Strings());
        Assert.Equal(["This field is required."], noTrajectory["trajectory_estimate"].Strings());
        Assert.Equal("""[{},{"brain_region":["Object with id=987654321 does not exist."]}]""", bulk.ToJsonString());
        Assert.Equal(1, (await GetAsync(client, $"/channels?trajectory_estimate={tid}"))["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task ChronicInsertion_AsTheOriginalTest_SerialCheck_NestedInsertions_TrajectoriesAndFilters()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        const string serial = "19019101";
        var name = AlyxApp.Unique("chronic");
        var ci = await PostAsync(client, "/chronic-insertions", $$"""{"subject": "{{w.Subject}}", "serial": "{{serial}}", "model": "3B2", "name": "{{name}}"}""");
        var cid = ci["id"]!.GetValue<string>();
        Assert.Equal(["id", "name", "subject", "lab", "model", "start_time", "serial", "json", "probe_insertion"], ci.Keys());
        Assert.Equal((name, w.Subject, "3B2", serial), (ci["name"]!.GetValue<string>(), ci["subject"]!.GetValue<string>(), ci["model"]!.GetValue<string>(),
            ci["serial"]!.GetValue<string>()));
        Assert.Null(ci["lab"]);

        // The insertion's serial must be the chronic insertion's: missing or wrong is a 400.
        const string mismatch = """{"non_field_errors":["serial number of chronic insertion and probe insertion do not match"],"status_code":400}""";
        var probe = $$"""{"session": "{{w.Session}}", "name": "probe00", "model": "3B2", "chronic_insertion": "{{cid}}" """;
        Assert.Equal(mismatch, (await PostAsync(client, "/insertions", probe + "}", HttpStatusCode.BadRequest)).ToJsonString());
        Assert.Equal(mismatch, (await PostAsync(client, "/insertions", probe + $$""", "serial": "{{serial}}abc"}""", HttpStatusCode.BadRequest)).ToJsonString());
        var pi = await PostAsync(client, "/insertions", probe + $$""", "serial": "{{serial}}"}""");
        Assert.Equal(cid, pi["chronic_insertion"]!.GetValue<string>());
        var pid = pi["id"]!.GetValue<string>();

        var traj = await PostAsync(client, "/trajectories", Trajectory(null, "Ephys aligned histology track", cid));
        await PostAsync(client, "/channels", ChannelBody(traj["id"]!.GetValue<string>(), 20));

        var detail = await GetAsync(client, $"/chronic-insertions/{cid}");
        var nested = Assert.Single(detail["probe_insertion"]!.AsArray())!;
        Assert.Equal(["id", "name", "model", "serial", "session_info"], nested.Keys());
        Assert.Equal((pid, "Neuropixel 3B2", w.Session.ToString()), (nested["id"]!.GetValue<string>(), nested["model"]!.GetValue<string>(),
            nested["session_info"]!["id"]!.GetValue<string>()));
        var trajectories = await GetAsync(client, $"/trajectories?chronic_insertion={cid}");
        var t = Assert.Single(trajectories["results"]!.AsArray());
        Assert.Equal(("Ephys aligned histology track", name), (t!["provenance"]!.GetValue<string>(), t["probe_name"]!.GetValue<string>()));
        Assert.Null(t["session"]);

        Assert.Contains(cid, Ids(await GetAsync(client, "/chronic-insertions?atlas_id=1133&limit=1000")));
        Assert.DoesNotContain(cid, Ids(await GetAsync(client, "/chronic-insertions?atlas_id=150&limit=1000")));
        Assert.Equal([cid], Ids(await GetAsync(client, $"/chronic-insertions?probe={pid}")));
        Assert.Equal([cid], Ids(await GetAsync(client, $"/chronic-insertions?session={w.Session}")));
        Assert.Equal([cid], Ids(await GetAsync(client, $"/chronic-insertions?subject={w.Subject}&serial={serial}&model=3B2")));

        // A second chronic trajectory of the same provenance is refused.
        var duplicate = await PostAsync(client, "/trajectories", Trajectory(null, "Ephys aligned histology track", cid), HttpStatusCode.BadRequest);
        Assert.Equal([TrajectoriesApi.UniqueChronic], duplicate["non_field_errors"].Strings());

        // Deleting the chronic insertion unlinks the insertion and removes its trajectory and the parent recording.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/chronic-insertions/{cid}", Ct)).StatusCode);
        Assert.Null((await GetAsync(client, $"/insertions/{pid}"))["chronic_insertion"]);
        Assert.Empty(Ids(await GetAsync(client, $"/trajectories?id={traj["id"]!.GetValue<string>()}")));
        Assert.False(await app.WithDbAsync(db => db.Set<Alyx.Actions.ChronicRecording>().AnyAsync(r => r.Id == Guid.Parse(cid), Ct)));
    }

    [Fact]
    public async Task PostChronicInsertion_WithoutSubject_Answers400()
    {
        var client = await app.ClientForAsync();

        var body = await PostAsync(client, "/chronic-insertions", """{"serial": "1", "name": "x"}""", HttpStatusCode.BadRequest);

        Assert.Equal("""{"subject":["This field is required."],"status_code":400}""", body.ToJsonString());
    }

    [Fact]
    public async Task Lists_CommandCount_DoesNotGrowWithThePageSize()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        var chronic = await PostAsync(client, "/chronic-insertions", $$"""{"subject": "{{w.Subject}}", "serial": "s", "model": "3B2", "name": "c"}""");
        for (var i = 0; i < 10; i++)
        {
            var pid = (await PostAsync(client, "/insertions",
                $$"""{"session": "{{w.Session}}", "name": "probe{{i}}", "model": "3B2", "serial": "s", "chronic_insertion": "{{chronic["id"]}}"}"""))["id"]!.GetValue<string>();
            var tid = (await PostAsync(client, "/trajectories", Trajectory(pid, "Ephys aligned histology track")))["id"]!.GetValue<string>();
            await PostAsync(client, "/channels", $"[{ChannelBody(tid, 10)}, {ChannelBody(tid, 20)}]");
        }

        foreach (var list in new[] { "/insertions", "/trajectories", "/channels", "/chronic-insertions", "/sessions" })
        {
            var query = $"{list}?subject={w.Subject}";
            var one = await app.Commands.CountAsync(async () => await GetAsync(client, query + "&limit=1"));
            var all = await app.Commands.CountAsync(async () => await GetAsync(client, query + "&limit=100"));
            // Token lookup, the page (split into a few queries for nested collections), the count: never one per row.
            Assert.True(all <= 8 && one <= 8, $"{list}: {one} commands for 1 row, {all} for a page of many");
        }
        foreach (var atlas in new[] { "/insertions", "/sessions", "/chronic-insertions" })
        {
            var count = await app.Commands.CountAsync(async () => await GetAsync(client, $"{atlas}?atlas_acronym=root&limit=100"));
            Assert.True(count <= 8, $"{atlas}?atlas_acronym: {count} commands");
        }
    }
}
