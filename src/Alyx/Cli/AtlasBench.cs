using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Alyx.Cli;

/// <summary>
/// The experiments lists in <c>alyx bench</c>: the synthetic lab has no insertions, so the first sessions get one probe insertion
/// each (through the API), with an aligned trajectory of 32 channels in cortical regions; then the /insertions, /trajectories and
/// /channels lists (plain, by subject, by atlas region) are driven like the other endpoints.
/// </summary>
static class AtlasBench
{
    const int Sessions = 200;
    const int ChannelsPerTrajectory = 32;

    // A few regions, so that the atlas filters select part of the channels.
    static readonly int[] Regions = [985, 993, 1133, 382, 726, 502];

    /// <summary>
    /// The synthetic lab's own sessions (all in 2022): the benchmark's POST /sessions adds sessions in 2023, which would come
    /// first in the list on a database reused from an earlier run and make the seeding pick sessions that are not yet seeded.
    /// </summary>
    public const string SyntheticSessions = "date_range=2022-01-01,2022-12-31";

    /// <summary>Adds the insertions, trajectories and channels (idempotent: skipped when the first session already has its insertion).</summary>
    public static async Task SeedAsync(HttpClient http)
    {
        var sessions = JsonNode.Parse(await http.GetStringAsync($"/sessions?limit={Sessions}&subject=SYN_00000&{SyntheticSessions}"))!["results"]!.AsArray()
            .Concat(JsonNode.Parse(await http.GetStringAsync($"/sessions?limit={Sessions}&{SyntheticSessions}"))!["results"]!.AsArray())
            .Select(s => s!["id"]!.GetValue<string>()).Distinct().Take(Sessions).ToList();
        if (JsonNode.Parse(await http.GetStringAsync($"/insertions?limit=1&session={sessions[0]}"))!["count"]!.GetValue<int>() > 0) return;
        for (var i = 0; i < sessions.Count; i++)
        {
            var insertion = await PostAsync(http, "/insertions",
                $$"""{"session": "{{sessions[i]}}", "name": "probe00", "model": "3B2", "serial": "{{i}}", "json": {"qc": "PASS"} }""");
            var trajectory = await PostAsync(http, "/trajectories", $$"""
                {"probe_insertion": "{{insertion}}", "x": -2000, "y": 1000, "z": 0, "depth": 4000, "theta": 15, "phi": 180, "roll": 0,
                 "provenance": "Ephys aligned histology track"}
                """);
            var channels = Enumerable.Range(0, ChannelsPerTrajectory).Select(c => string.Create(CultureInfo.InvariantCulture,
                $$"""{"axial": {{c * 20}}, "lateral": 16, "x": 1, "y": 2, "z": 3, "brain_region": {{Regions[(i + c / 8) % Regions.Length]}}, "trajectory_estimate": "{{trajectory}}"}"""));
            using var body = new StringContent("[" + string.Join(",", channels) + "]", Encoding.UTF8, "application/json");
            (await http.PostAsync("/channels", body)).EnsureSuccessStatusCode();
        }
    }

    static async Task<string> PostAsync(HttpClient http, string path, string json)
    {
        using var body = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(path, body);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
    }

    /// <summary>The list endpoints to drive: (name, path of request i).</summary>
    public static IEnumerable<(string Name, Func<int, string> Path)> Lists()
    {
        yield return ("GET /insertions?limit=100", _ => "/insertions?limit=100");
        yield return ("GET /insertions?atlas_acronym=CTX", _ => "/insertions?limit=100&atlas_acronym=CTX");
        yield return ("GET /trajectories?limit=100", _ => "/trajectories?limit=100");
        yield return ("GET /trajectories?provenance=..", _ => "/trajectories?limit=100&provenance=Ephys%20aligned%20histology%20track");
        yield return ("GET /channels?limit=100", _ => "/channels?limit=100");
        yield return ("GET /channels?subject=..", _ => "/channels?limit=100&subject=SYN_00000");
        yield return ("GET /sessions?atlas_id=688", _ => "/sessions?limit=100&atlas_id=688");
    }
}
