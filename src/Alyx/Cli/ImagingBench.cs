using System.Text;
using System.Text.Json.Nodes;

namespace Alyx.Cli;

/// <summary>
/// The imaging lists in <c>alyx bench</c>: the synthetic lab has no fields of view, so the first sessions get an imaging stack of two
/// fields of view each (through the API), each with a default location in a few cortical regions and an estimate; then the
/// /fields-of-view, /fov-location and /imaging-stack lists (plain and by atlas region) are driven like the other endpoints.
/// </summary>
static class ImagingBench
{
    const int Sessions = 100;

    // A few regions, so that the atlas filters select part of the locations.
    static readonly int[] Regions = [985, 993, 1133, 382, 726, 502];

    /// <summary>Adds the stacks, fields of view and locations (idempotent: skipped when the first session already has its fields of view).</summary>
    public static async Task SeedAsync(HttpClient http)
    {
        var sessions = JsonNode.Parse(await http.GetStringAsync($"/sessions?limit={Sessions}&{AtlasBench.SyntheticSessions}"))!["results"]!.AsArray()
            .Select(s => s!["id"]!.GetValue<string>()).ToList();
        if (sessions.Count == 0
            || JsonNode.Parse(await http.GetStringAsync($"/fields-of-view?limit=1&session={sessions[0]}"))!["count"]!.GetValue<int>() > 0) return;
        for (var i = 0; i < sessions.Count; i++)
        {
            var stack = await PostAsync(http, "/imaging-stack", $$"""{"name": "stack_{{i}}"}""");
            for (var f = 0; f < 2; f++)
            {
                var fov = await PostAsync(http, "/fields-of-view",
                    $$"""{"session": "{{sessions[i]}}", "name": "FOV_0{{f}}", "imaging_type": "mesoscope", "stack": "{{stack}}"}""");
                var region = Regions[(i + f) % Regions.Length];
                foreach (var (provenance, isDefault) in new[] { ("E", "false"), ("H", "true") })
                {
                    await PostAsync(http, "/fov-location", $$"""
                        {"field_of_view": "{{fov}}", "provenance": "{{provenance}}", "default_provenance": {{isDefault}}, "brain_region": [{{region}}],
                         "x": [1.5, 2.5, 1.5, 2.5], "y": [0.5, 0.5, 1.5, 1.5], "z": [-100.0, -100.0, -100.0, -100.0], "n_xyz": [512, 512, 1]}
                        """);
                }
            }
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
        yield return ("GET /fields-of-view?limit=100", _ => "/fields-of-view?limit=100");
        yield return ("GET /fields-of-view?atlas_acronym=CTX", _ => "/fields-of-view?limit=100&atlas_acronym=CTX");
        yield return ("GET /fov-location?limit=100", _ => "/fov-location?limit=100");
        yield return ("GET /imaging-stack?limit=100", _ => "/imaging-stack?limit=100");
    }
}
