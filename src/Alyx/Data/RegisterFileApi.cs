using System.Text.Json.Nodes;
using Alyx.Auth;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Data;

/// <summary>
/// /register-file, /check-protected and /sync-file-status (Alyx: RegisterFileViewSet, ProtectedFileViewSet, SyncViewSet).
/// Unlike the original they require authentication, and public users may only GET (spec 30 quirk fix 1).
/// </summary>
static class RegisterFileApi
{
    /// <summary>The keys register-file reads; lists may also be comma-separated strings (spec 30 §3.9).</summary>
    static readonly Serializer Request = new("RegisterFile",
        new Field("created_by", FieldKind.String) { Description = "Username; defaults to the requesting user." },
        new Field("name", FieldKind.String) { Description = "Repository holding the files." },
        new Field("hostname", FieldKind.String) { Description = "Repository hostname, when no name is given." },
        new Field("path", FieldKind.String) { Required = true, Description = "subject/YYYY-MM-DD/NNN[/collection], or an aggregate collection." },
        new Field("filenames", FieldKind.SlugList) { Required = true },
        new Field("hashes", FieldKind.SlugList),
        new Field("filesizes", FieldKind.Json) { Nullable = true, Description = "File sizes in bytes." },
        new Field("versions", FieldKind.SlugList),
        new Field("qc", FieldKind.SlugList),
        new Field("server_only", FieldKind.Boolean),
        new Field("default", FieldKind.Boolean),
        new Field("check_protected", FieldKind.Boolean),
        new Field("exists", FieldKind.Boolean),
        new Field("labs", FieldKind.SlugList),
        new Field("projects", FieldKind.SlugList),
        new Field("content_type", FieldKind.String),
        new Field("object_id", FieldKind.Uuid) { Format = "uuid" });

    public static void MapRegisterFileApi(this IEndpointRouteBuilder routes)
    {
        routes.MapOperation(new ApiOperation("/register-file", "post", "register-file", "create", Request, null, null, [], 201,
            "Registers files of a session (path subject/YYYY-MM-DD/NNN) or of an object (content_type + object_id): one dataset "
            + "per file and a file record on each repository of the lab(s). Answers the registered datasets."), RegisterAsync);
        routes.MapOperation(new ApiOperation("/check-protected", "get", "check-protected", "list", null, null, null, [], 200,
            "Whether registering these files would touch datasets carrying a protected tag (parameters in a JSON body or the query)."),
            CheckProtectedAsync);
        routes.MapOperation(new ApiOperation("/sync-file-status", "get", "sync-file-status", "list", null, null, null, [], 200,
            "Relative paths of the file records a Globus synchronisation would check."), SyncStatusAsync);
        routes.MapPost("/sync-file-status", () => AlyxResults.Detail(StatusCodes.Status501NotImplemented,
            "Globus synchronisation is not available on this server."));
        // Not in the schema: ONE clients read a request body schema for every POST, and this one has none.
    }

    static async Task<IResult> RegisterAsync(HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct)
    {
        var (body, bodyError) = await RequestBody.ReadAsync(req, ct);
        if (bodyError is not null) return bodyError;
        if (RegisterFileRequest.TextErrors(body!) is { } textErrors) return AlyxResults.Validation(textErrors);
        var (idempotent, keyError) = IdempotentCreate.From(req.HttpContext, body!);
        if (keyError is not null) return keyError;
        if (idempotent is not null && await idempotent.ReplayAsync(db, ct) is { } replay) return replay;
        var request = RegisterFileRequest.From(body!, stripPath: true);
        var (datasets, failure, answer) = await new Registration(db, clock).RegisterAsync(request, req.HttpContext.RequiredUser().Id, idempotent, ct);
        return answer ?? (failure is not null ? failure.ToResult() : AlyxResults.Created(datasets!));
    }

    /// <summary>Reads a JSON body sent with GET (as ONE does), else the query string (last value of each key).</summary>
    static async Task<IResult> CheckProtectedAsync(HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct)
    {
        var (body, bodyError) = await RequestBody.ReadAsync(req, ct);
        if (bodyError is not null) return bodyError;
        if (body!.Fields.Count == 0)
        {
            var fields = new JsonObject();
            foreach (var (key, values) in QueryParams.Of(req)) fields[key] = values.LastOrDefault();
            body = new RequestData(fields, null, IsForm: true);
        }
        if (RegisterFileRequest.TextErrors(body) is { } textErrors) return AlyxResults.Validation(textErrors);
        var request = RegisterFileRequest.From(body, stripPath: false);
        var (result, failure) = await new Registration(db, clock).CheckProtectedAsync(request, req.HttpContext.RequiredUser().Id, ct);
        return failure is not null ? failure.ToResult() : AlyxResults.Ok(result!);
    }

    /// <summary>
    /// The dry run of the Globus synchronisation: datasets missing on a flatiron server repository, and of their file records
    /// those on personal repositories or pending a transfer; distinct relative paths, newest dataset first.
    /// </summary>
    static async Task<IResult> SyncStatusAsync(AlyxDb db, CancellationToken ct)
    {
        // ToLower().Contains is what EF translates on both providers (lower(name) LIKE '%flatiron%').
#pragma warning disable CA1862
        var datasets = db.FileRecords.Where(f => !f.Exists && f.DataRepository!.GlobusIsPersonal == false
            && f.DataRepository.Name.ToLower().Contains("flatiron")).Select(f => f.DatasetId);
#pragma warning restore CA1862
        var files = db.FileRecords.AsNoTracking().Where(f => datasets.Contains(f.DatasetId));
        var personal = files.Where(f => f.DataRepository!.GlobusIsPersonal == true);
        var pending = DjangoQuery.Where(files, db, "json__has_key", new DjangoValue.Str("transfer_pending"));
        var rows = await personal.Union(pending).Select(f => new { f.RelativePath, f.Dataset!.CreatedDatetime, f.Id }).ToListAsync(ct);
        var paths = rows.OrderByDescending(r => r.CreatedDatetime).ThenBy(r => r.Id).Select(r => r.RelativePath).Distinct().ToList();
        return AlyxResults.Ok(paths);
    }
}
