using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Data;

/// <summary>
/// <c>/cache/info[/TAG]</c> (with or without the trailing slash) and <c>/cache.zip</c>: the tables <c>alyx one-cache</c> wrote
/// (spec 31 §10). A tag's zip is served at <c>/cache/TAG/cache.zip</c>, which its info names as <c>location</c>.
/// </summary>
static partial class OneCacheApi
{
    [GeneratedRegex(@"^\w+$")]
    private static partial Regex TagName();

    public static void MapOneCacheApi(this IEndpointRouteBuilder routes)
    {
        // GET only (no HEAD). Routing ignores a trailing slash, so these also answer /cache/info/ and /cache/info/TAG/.
        routes.MapOperation(new ApiOperation("/cache/info/", "get", "cache", "info", null, null, null, [], 200,
            "Creation date, origin and record counts of the ONE cache tables."),
            (HttpRequest req, AlyxDb db, OneCacheOptions options, CancellationToken ct) => InfoAsync(null, req, db, options, ct), "/cache/info", ["GET"]);
        routes.MapGet("/cache/info/{tag}", (string tag, HttpRequest req, AlyxDb db, OneCacheOptions options, CancellationToken ct) =>
            InfoAsync(tag, req, db, options, ct));
        routes.MapOperation(new ApiOperation("/cache.zip", "get", "cache.zip", "read", null, null, null, [], 200,
            "The ONE cache tables (sessions.pqt, datasets.pqt) and cache_info.json, zipped."),
            (HttpResponse res, OneCacheOptions options) => Zip(res, options.Folder(null)), methods: ["GET"]);
        routes.MapGet("/cache/{tag}/cache.zip", async (string tag, HttpResponse res, AlyxDb db, OneCacheOptions options, CancellationToken ct) =>
            TagName().IsMatch(tag) && await db.Set<Tag>().AnyAsync(t => t.Name == tag, ct)
                ? Zip(res, options.Folder(tag))
                : AlyxResults.NotFound("Tag"));
    }

    static async Task<IResult> InfoAsync(string? tag, HttpRequest req, AlyxDb db, OneCacheOptions options, CancellationToken ct)
    {
        if (tag is not null && (!TagName().IsMatch(tag) || !await db.Set<Tag>().AnyAsync(t => t.Name == tag, ct)))
            return Results.Text("Tag matching query does not exist.", "text/plain", statusCode: StatusCodes.Status404NotFound);
        var file = Path.Combine(options.Folder(tag), "cache_info.json");
        if (!File.Exists(file)) return Missing();
        var info = JsonNode.Parse(await File.ReadAllTextAsync(file, ct))!.AsObject();
        // A tag's tables are not the ones at /cache.zip: say where they are (the original leaves this to the file).
        if (tag is not null && info["location"] is null) info["location"] = $"{ApiUrls.Root(req)}/cache/{tag}/cache.zip";
        return AlyxResults.Ok(info);
    }

    static IResult Zip(HttpResponse res, string folder)
    {
        var file = Path.Combine(folder, "cache.zip");
        if (!File.Exists(file)) return Missing();
        res.Headers.ContentDisposition = "inline; filename=\"cache.zip\"";
        return Results.File(file, "application/zip", enableRangeProcessing: true);
    }

    /// <summary>No tables yet: a 404 that says how to make them (the original fails with a 500).</summary>
    static IResult Missing() => AlyxResults.Detail(StatusCodes.Status404NotFound,
        "No cache tables have been generated yet: run 'alyx one-cache' on the server.");
}
