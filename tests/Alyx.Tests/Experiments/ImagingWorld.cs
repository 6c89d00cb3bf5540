using System.Net;
using System.Text.Json.Nodes;
using Alyx.Experiments;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Experiments;

/// <summary>
/// What the upstream imaging tests set up (APIImagingExperimentTests.setUp), with names unique per test: the probe world's subject,
/// lab and session, an imaging type, and the coordinate system IBL-Allen (the upstream fixture).
/// </summary>
sealed record ImagingWorld(ProbeWorld Probe, string ImagingType, Guid CoordinateSystem)
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    public Guid Session => Probe.Session;

    public static async Task<ImagingWorld> CreateAsync(AlyxApp app)
    {
        var probe = await ProbeWorld.CreateAsync(app);
        var type = new ImagingType { Name = AlyxApp.Unique("2P") };
        var system = await app.WithDbAsync(async db =>
        {
            db.Add(type);
            var ibl = await db.CoordinateSystems.FirstOrDefaultAsync(c => c.Name == "IBL-Allen", Ct);
            if (ibl is null)
            {
                ibl = new CoordinateSystem { Name = "IBL-Allen", Description = "Allen atlas, Bregma origin" };
                db.Add(ibl);
            }
            await db.SaveChangesAsync(Ct);
            return ibl.Id;
        });
        return new ImagingWorld(probe, type.Name, system);
    }

    public static async Task<JsonNode> PostAsync(HttpClient client, string path, object body, HttpStatusCode expected = HttpStatusCode.Created) =>
        await (await client.PostAsync(path, Json.Body(body), Ct)).ReadJsonAsync(expected);

    public static async Task<JsonNode> GetAsync(HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await client.GetAsync(url, Ct)).ReadJsonAsync(expected);

    public Task<JsonNode> FovAsync(HttpClient client, string name, Guid? session = null, string? stack = null) =>
        PostAsync(client, "/fields-of-view", new { session = (session ?? Session).ToString(), imaging_type = ImagingType, name, stack });

    public static Task<JsonNode> LocationAsync(HttpClient client, string fov, string provenance, bool isDefault, int[] regions, double[]? x = null) =>
        PostAsync(client, "/fov-location", new
        {
            n_xyz = new[] { 512, 512, 1 },
            field_of_view = fov,
            provenance,
            default_provenance = isDefault,
            coordinate_system = "IBL-Allen",
            brain_region = regions,
            x = x ?? [1.5, -2.25, 3.0, 4.125],
            y = new[] { 0.5, 1.0, 1.5, 2.0 },
            z = new[] { -1.0, -1.0, -1.0, -1.0 },
        });

    public static List<string> Ids(JsonNode page) => page["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();
}
