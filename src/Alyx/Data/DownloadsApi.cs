using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Alyx.Auth;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Data;

public sealed record DownloadItem(Guid Id, string User, Guid Dataset, int Count, [property: JsonConverter(typeof(RawJsonConverter))] string? Json);

/// <summary>/downloads (list, read, update; spec 30 §3.12) and POST /new-download (§3.11).</summary>
static class DownloadsApi
{
    public static readonly Serializer Serializer = new("Download",
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        new Field("user", FieldKind.Slug) { Required = true },
        new Field("dataset", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        new Field("count", FieldKind.Integer),
        new Field("json", FieldKind.Json) { Nullable = true, Description = "Structured data, formatted in a user-defined way" });

    static readonly FilterSet<Download> Filters = new FilterSet<Download>()
        .Add(new ColumnFilter<Download>("count", nameof(Download.Count), typeof(int)))
        .Add(new TextFilter<Download>("json", d => JsonSql.Text(d.Json), "icontains"))
        .Add(new TextFilter<Download>("dataset", d => d.Dataset!.Name))
        .Add(new TextFilter<Download>("user", d => d.User!.Username))
        .Add(new TextFilter<Download>("dataset_type", d => d.Dataset!.DatasetType!.Name, "icontains"))
        .Django();

    public static readonly Serializer NewDownloadSerializer = new("NewDownload",
        new Field("datasets", FieldKind.SlugList) { Required = true, Description = "Dataset UUIDs, as a list or a comma-separated string." },
        new Field("projects", FieldKind.SlugList) { Description = "Project names, as a list or a comma-separated string." });

    public static void MapDownloadsApi(this IEndpointRouteBuilder routes)
    {
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        new Resource<Download, DownloadItem>
        {
            Path = "downloads",
            Model = "Download",
            Serializer = Serializer,
            // Alyx gives no ordering; first download then id keeps pages stable.
            Ordered = db => db.Downloads.OrderBy(d => d.FirstDownload).ThenBy(d => d.Id),
            Item = d => new DownloadItem(d.Id, d.User!.Username, d.DatasetId, d.Count, d.Json),
            Filters = Filters,
            Verbs = Verbs.List | Verbs.Retrieve | Verbs.Update | Verbs.PartialUpdate,
            Write = async w =>
            {
                w.Value<int>("count", (e, v) => e.Count = v);
                await w.RefAsync("user", w.Db.Users, u => u.Username, "username", (e, u) => e.UserId = u!.Id);
                // auto_now: every save stamps last_download.
                w.Entity.LastDownload = clock.Now;
            },
        }.Map(routes);

        routes.MapOperation(new ApiOperation("/new-download", "post", "new-download", "create", NewDownloadSerializer, null, null, [], 201,
            "Logs a download of each dataset by the caller, for the given projects: {\"download\": [ids], \"count\": [counts]}."), NewDownloadAsync);
    }

    /// <summary>A list, or a comma-separated string (what a form body's last value gives).</summary>
    static List<string>? Strings(JsonNode? node) => node switch
    {
        null => null,
        JsonArray array => [.. array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n?.ToJsonString() ?? "")],
        JsonValue v when v.TryGetValue<string>(out var s) => [.. s.Split(',')],
        _ => [node.ToJsonString()],
    };

    static async Task<IResult> NewDownloadAsync(HttpContext http, AlyxDb db, AlyxClock clock, CancellationToken ct)
    {
        var (body, bodyError) = await RequestBody.ReadAsync(http.Request, ct);
        if (bodyError is not null) return bodyError;
        var datasetKeys = Strings(body!.Fields["datasets"]);
        if (datasetKeys is null) return AlyxResults.Validation("datasets", "This field is required.");
        var projectNames = (Strings(body.Fields["projects"]) ?? []).Where(p => p.Length > 0).ToList();
        var textErrors = new ErrorMap();
        if (datasetKeys.Select(Serializer.TextProblem).FirstOrDefault(m => m is not null) is { } datasetProblem) textErrors.Add("datasets", datasetProblem);
        if (projectNames.Select(Serializer.TextProblem).FirstOrDefault(m => m is not null) is { } projectProblem) textErrors.Add("projects", projectProblem);
        if (textErrors.Any) return AlyxResults.Validation(textErrors);

        // Upstream looks each row up with .get(): the first unknown one fails the whole request.
        var ids = new List<Guid>();
        foreach (var key in datasetKeys)
        {
            if (!Guid.TryParse(key.Trim(), out var id)) return AlyxResults.BadRequest($"\u201c{key}\u201d is not a valid UUID.");
            ids.Add(id);
        }
        var known = (await db.Datasets.Where(d => ids.Contains(d.Id)).Select(d => d.Id).ToListAsync(ct)).ToHashSet();
        if (ids.Any(id => !known.Contains(id))) return AlyxResults.BadRequest("Dataset matching query does not exist.");
        var projects = await db.Projects.Where(p => projectNames.Contains(p.Name)).ToListAsync(ct);
        if (projectNames.Any(n => projects.All(p => p.Name != n))) return AlyxResults.BadRequest("Project matching query does not exist.");

        var user = http.RequiredUser().Id;
        var now = clock.Now;
        var downloads = new List<Download>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var id in ids)
        {
            var download = await db.Downloads.Include(d => d.Projects).SingleOrDefaultAsync(d => d.UserId == user && d.DatasetId == id, ct);
            if (download is null)
            {
                download = new Download { UserId = user, DatasetId = id, FirstDownload = now };
                db.Downloads.Add(download);
            }
            foreach (var project in projects.Where(p => !download.Projects.Contains(p))) download.Projects.Add(project);
            download.Count++;
            download.LastDownload = now;
            await db.SaveChangesAsync(ct);
            downloads.Add(download);
        }
        await tx.CommitAsync(ct);
        return AlyxResults.Created(new JsonObject
        {
            ["download"] = new JsonArray([.. downloads.Select(d => (JsonNode)d.Id.ToString())]),
            ["count"] = new JsonArray([.. downloads.Select(d => (JsonNode)d.Count)]),
        });
    }
}
