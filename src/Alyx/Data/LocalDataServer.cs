using Alyx.Auth;
using Alyx.Database;
using Alyx.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Alyx.Data;

/// <summary>
/// The local data repository: a folder served read-only under a URL path of this server (settings <c>LOCAL_DATA_ROOT</c>,
/// default <c>./data</c>; <c>LOCAL_DATA_URL_PATH</c>, default <c>/data</c>; <c>LOCAL_DATA_PUBLIC</c>, default false; see
/// <see cref="AlyxSettings"/>).
/// </summary>
public sealed record LocalDataOptions
{
    /// <summary>Repositories whose name starts with this are the ones this server holds (counted online by the ONE cache tables).</summary>
    public const string RepositoryPrefix = "local";

    /// <summary>The folder (absolute).</summary>
    public string Root { get; set; } = "";

    /// <summary>The URL path it is served under: <c>/data</c>, never the site root.</summary>
    public string UrlPath { get; set; } = "";

    /// <summary>Served without authentication.</summary>
    public bool Public { get; set; }

    /// <summary>The URL of a lab's files, the <c>data_url</c> its repository advertises: <c>{server}{UrlPath}/{lab}/Subjects/</c>.</summary>
    public string LabDataUrl(string serverUrl, string lab) => $"{serverUrl.TrimEnd('/')}{UrlPath}/{Uri.EscapeDataString(lab)}/Subjects/";
}

/// <summary>
/// Serves the local data repository the way ONE's downloader expects a data server to behave (spec 31 §6.2): GET and HEAD,
/// <c>Content-Length</c>, byte ranges, and HTTP Basic authentication (ONE's <c>HTTP_DATA_SERVER_LOGIN</c>/<c>_PWD</c>) with
/// an Alyx username and password, or an Alyx token. File records advertise names with the dataset UUID
/// (<c>_ibl_wheel.position.&lt;uuid&gt;.npy</c>, spec 30 §4) while the folder holds plain ALF names, so the UUID is stripped.
/// </summary>
public static class LocalDataServer
{
    public const string Realm = "Alyx data";

    static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static void MapLocalDataServer(this IEndpointRouteBuilder routes)
    {
        var options = routes.ServiceProvider.GetRequiredService<LocalDataOptions>();
        // Authentication is done here (Basic or token, or none for a public repository), not by the REST rule; these
        // routes are not REST resources, so they stay out of the schema and out of the API throttle.
        routes.MapMethods(options.UrlPath + "/{**path}", [HttpMethods.Get, HttpMethods.Head], ServeAsync)
            .RequireAuthorization(AlyxPolicy.Anonymous).DisableRateLimiting()
            .WithMetadata(new AnyMediaTypeAttribute());
    }

    static async Task<IResult> ServeAsync(HttpContext context, LocalDataOptions options, BasicCredentials basic, LoginThrottle logins, AlyxDb db,
        CancellationToken ct)
    {
        if (!options.Public && await AuthenticatedAsync(context, basic, logins, db, ct) is { } refused) return refused;
        var relative = context.Request.Path.Value![options.UrlPath.Length..];
        var file = LocalFiles.Resolve(options.Root, relative);
        if (file is null) return AlyxResults.Detail(StatusCodes.Status404NotFound, "Not found.");
        var info = new FileInfo(file);
        if (!ContentTypes.TryGetContentType(info.Name, out var contentType)) contentType = "application/octet-stream";
        var tag = new EntityTagHeaderValue($"\"{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}\"");
        return TypedResults.PhysicalFile(file, contentType, lastModified: info.LastWriteTimeUtc, entityTag: tag, enableRangeProcessing: true);
    }

    /// <summary>
    /// Null for a valid token (checked, and refused with 403 when invalid, by <see cref="AlyxPolicy"/>) or valid Basic credentials;
    /// otherwise the 401 challenge, or 429 while the username or address has too many failed password checks.
    /// </summary>
    static async Task<IResult?> AuthenticatedAsync(HttpContext context, BasicCredentials basic, LoginThrottle logins, AlyxDb db, CancellationToken ct)
    {
        if (context.CurrentUser() is not null) return null;
        var header = context.Request.Headers.Authorization;
        if (!StringValues.IsNullOrEmpty(header) && BasicCredentials.Parse(header.ToString()) is { } credentials)
        {
            var address = context.Connection.RemoteIpAddress;
            if (await logins.RetryAfterAsync(credentials.Username, address, ct) is { } wait) return LoginThrottle.Refusal(wait);
            var (user, hashed) = await basic.CheckAsync(db, credentials.Username, credentials.Password, ct);
            if (user is not null)
            {
                if (hashed) await logins.SucceededAsync(credentials.Username, CancellationToken.None);
                return null;
            }
            // A remembered refusal (a client retrying the same wrong password) was one guess, counted when it was hashed.
            if (hashed) await logins.FailedAsync(credentials.Username, address, CancellationToken.None);
        }
        context.Response.Headers.WWWAuthenticate = $"Basic realm=\"{Realm}\", charset=\"UTF-8\"";
        return AlyxResults.Detail(StatusCodes.Status401Unauthorized, "Authentication credentials were not provided or are not valid.");
    }
}

/// <summary>Maps a request path below the data URL to a file inside the root, refusing anything that would leave it.</summary>
public static class LocalFiles
{
    const int MaxLinkDepth = 40;

    /// <summary>
    /// The real path of the file named by <paramref name="relative"/> (already percent-decoded, e.g. <c>/lab/Subjects/s/…</c>),
    /// or null: when a segment is empty, <c>.</c>, <c>..</c>, holds a backslash, a NUL or a still-encoded separator; when the
    /// file does not exist or is not a regular file; or when symbolic links lead outside the root. A canonical UUID before
    /// the extension is removed from the file name (<c>a.b.&lt;uuid&gt;.npy</c> → <c>a.b.npy</c>); the name as given is tried first.
    /// </summary>
    public static string? Resolve(string root, string relative)
    {
        if (!relative.StartsWith('/') || relative.Length < 2) return null;
        var segments = relative[1..].Split('/');
        foreach (var s in segments)
        {
            if (s.Length == 0 || s == "." || s == ".." || s.Contains('\\') || s.Contains('\0')
                || s.Contains("%2f", StringComparison.OrdinalIgnoreCase) || s.Contains("%5c", StringComparison.OrdinalIgnoreCase))
                return null;
        }
        var realRoot = RealPath(Path.GetFullPath(root));
        if (realRoot is null || !Directory.Exists(realRoot)) return null;
        var directory = segments[..^1];
        foreach (var name in new[] { segments[^1], WithoutUuid(segments[^1]) }.Distinct())
        {
            var candidate = Path.Combine([realRoot, .. directory, name]);
            var real = RealPath(candidate);
            if (real is null || !File.Exists(real) || !Inside(realRoot, real)) continue;
            if ((File.GetAttributes(real) & FileAttributes.Directory) != 0) continue;
            return real;
        }
        return null;
    }

    /// <summary>Removes a canonical hyphenated UUID that is the last dot-part of the name before its extension (or the last dot-part).</summary>
    public static string WithoutUuid(string name)
    {
        var pieces = name.Split('.');
        if (pieces.Length >= 3 && IsUuid(pieces[^2])) return string.Join('.', pieces[..^2].Append(pieces[^1]));
        if (pieces.Length >= 2 && IsUuid(pieces[^1])) return string.Join('.', pieces[..^1]);
        return name;
    }

    static bool IsUuid(string text) => text.Length == 36 && Guid.TryParseExact(text, "D", out _);

    static bool Inside(string root, string path) =>
        path == root || path.StartsWith(root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The absolute path with every symbolic link resolved (like realpath(3)); null for a link loop or a missing part.</summary>
    public static string? RealPath(string absolute) => RealPath(absolute, 0);

    static string? RealPath(string absolute, int depth)
    {
        if (depth > MaxLinkDepth) return null;
        var full = Path.GetFullPath(absolute);
        var rootPart = Path.GetPathRoot(full) ?? "/";
        var current = rootPart;
        foreach (var part in full[rootPart.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            string? target;
            try
            {
                target = new FileInfo(next).LinkTarget;
            }
            catch (IOException)
            {
                return null;
            }
            if (target is null)
            {
                current = next;
                continue;
            }
            var resolved = RealPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target), depth + 1);
            if (resolved is null) return null;
            current = resolved;
        }
        return current;
    }
}
