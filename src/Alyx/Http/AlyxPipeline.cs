using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;

namespace Alyx.Http;

/// <summary>Endpoint metadata: the route serves files of any type, so the Accept header is not negotiated.</summary>
public sealed class AnyMediaTypeAttribute;

/// <summary>The cross-cutting HTTP behaviour of every route: errors, 404/405/406/415 shapes and Alyx's slash rules.</summary>
public static class AlyxPipeline
{
    const string NotFoundHtml = "<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n";

    /// <summary>Paths that Alyx declares with a trailing slash; their slash-less form is redirected (301).</summary>
    static readonly string[] SlashRoutes = ["/docs/", "/admin/"];

    /// <summary>Routes answered with or without their trailing slash (ONE asks for <c>cache/info</c>, Alyx declares <c>cache/info/</c>;
    /// Alyx's own admin views are declared both ways).</summary>
    static readonly string[] SlashOptional = ["/cache/info/", "/admin-actions/"];

    static readonly string[] MethodOrder = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    /// <summary>
    /// A database command cut short by its timeout: Npgsql's client-side timeout (a TimeoutException inside), PostgreSQL's
    /// query_canceled (57014) from statement_timeout, or SQLite's busy/interrupt errors.
    /// </summary>
    public static bool IsQueryTimeout(Exception e)
    {
        for (var x = (Exception?)e; x is not null; x = x.InnerException)
        {
            if (x is TimeoutException) return true;
            if (x is Npgsql.PostgresException { SqlState: "57014" }) return true;
            if (x is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 9 }) return true;
        }
        return false;
    }

    /// <summary>Outermost: any unhandled exception becomes a 500 that says only that the server failed; the log has the rest.</summary>
    public static IApplicationBuilder UseAlyxErrors(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted)
        {
            context.Response.Clear();
            var detail = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large." : "Bad request.";
            await AlyxResults.Detail(e.StatusCode, detail).ExecuteAsync(context);
        }
        catch (Microsoft.EntityFrameworkCore.DbUpdateException e) when (!context.Response.HasStarted)
        {
            // A constraint the handler's own checks did not see coming (e.g. two concurrent creates of one name):
            // the database refused the write, nothing was stored. The client gets a 400 without SQL text.
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Alyx.Errors")
                .LogWarning(e, "Write refused by the database on {Method} {Path}", context.Request.Method, context.Request.Path);
            context.Response.Clear();
            await AlyxResults.Validation("non_field_errors", "The submitted data conflicts with existing records.").ExecuteAsync(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; nothing to answer.
        }
        catch (Exception e) when (!context.Response.HasStarted && IsQueryTimeout(e))
        {
            // One heavy request must not hold the database: the command timeout (QUERY_TIMEOUT_SECONDS) cut it short.
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Alyx.Errors")
                .LogWarning(e, "Query timeout on {Method} {Path}{Query}", context.Request.Method, context.Request.Path, context.Request.QueryString);
            context.Response.Clear();
            await AlyxResults.Detail(StatusCodes.Status503ServiceUnavailable,
                "The query took longer than the server allows; narrow it down with filters or a smaller limit.").ExecuteAsync(context);
        }
        catch (Exception e) when (!context.Response.HasStarted)
        {
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Alyx.Errors")
                .LogError(e, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
            context.Response.Clear();
            await new AlyxJsonResult(AlyxResults.ServerErrorBody(), 500).ExecuteAsync(context);
        }
    });

    /// <summary>Before routing: REST paths never end in a slash (HTML 404); slash-declared routes get their 301.</summary>
    public static IApplicationBuilder UseAlyxSlashRules(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var path = context.Request.Path.Value ?? "/";
        if (path.Length > 1 && path.EndsWith('/') && !SlashRoutes.Concat(SlashOptional).Any(r => path.StartsWith(r, StringComparison.Ordinal)))
        {
            await WriteNotFoundAsync(context);
            return;
        }
        if (SlashRoutes.Contains(path + "/"))
        {
            context.Response.StatusCode = StatusCodes.Status301MovedPermanently;
            context.Response.Headers.Location = context.Request.PathBase + path + "/" + context.Request.QueryString;
            return;
        }
        await next(context);
    });

    /// <summary>After routing and auth: unmatched paths get Django's HTML 404, wrong methods DRF's 405, bad Accept a 406.</summary>
    public static IApplicationBuilder UseAlyxStatusShapes(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var endpoint = context.GetEndpoint();
        var isMethodNotAllowed = endpoint?.DisplayName?.StartsWith("405", StringComparison.Ordinal) == true;
        if (endpoint is not null && !isMethodNotAllowed && endpoint.Metadata.GetMetadata<AnyMediaTypeAttribute>() is null
            && !Acceptable(context.Request.Headers.Accept.ToString()))
        {
            await AlyxResults.Detail(StatusCodes.Status406NotAcceptable, "Could not satisfy the request Accept header.").ExecuteAsync(context);
            return;
        }
        if (isMethodNotAllowed && HttpMethods.IsOptions(context.Request.Method))
        {
            await new AlyxJsonResult(OptionsBody(context)).ExecuteAsync(context);
            return;
        }
        await next(context);
        if (context.Response.HasStarted) return;
        if (context.Response.StatusCode == StatusCodes.Status405MethodNotAllowed)
        {
            var allowed = context.Response.Headers.Allow.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Append("OPTIONS").Distinct().OrderBy(m => Array.IndexOf(MethodOrder, m)).ToList();
            context.Response.Headers.Allow = string.Join(", ", allowed);
            await AlyxResults.Detail(StatusCodes.Status405MethodNotAllowed, $"Method \"{context.Request.Method}\" not allowed.").ExecuteAsync(context);
        }
        else if (context.Response.StatusCode == StatusCodes.Status404NotFound && endpoint is null)
        {
            await WriteNotFoundAsync(context);
        }
    });

    public static async Task WriteNotFoundAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(NotFoundHtml, context.RequestAborted);
    }

    static bool Acceptable(string accept)
    {
        if (string.IsNullOrWhiteSpace(accept)) return true;
        foreach (var part in accept.Split(','))
        {
            var media = part.Split(';')[0].Trim().ToLowerInvariant();
            if (media is "*/*" or "application/*" or "application/json" or "text/html" or "text/*" or "application/yaml"
                || media.StartsWith("application/vnd.oai.openapi", StringComparison.Ordinal) || media.StartsWith("application/coreapi", StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    static JsonObject OptionsBody(HttpContext context) => new()
    {
        ["name"] = context.Request.Path.Value?.Trim('/').Split('/')[0] ?? "",
        ["description"] = "",
        ["renders"] = new JsonArray("application/json", "text/html"),
        ["parses"] = new JsonArray("application/json", "application/x-www-form-urlencoded", "multipart/form-data"),
    };

    /// <summary>Limits request bodies to the configured size (Alyx:MaxRequestBodyBytes, default 20 MB).</summary>
    public static IApplicationBuilder UseAlyxBodyLimit(this IApplicationBuilder app, long maxBytes) => app.Use((context, next) =>
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = maxBytes;
        if (context.Request.ContentLength > maxBytes)
            return AlyxResults.Detail(StatusCodes.Status413PayloadTooLarge, "Request body too large.").ExecuteAsync(context);
        return next(context);
    });
}
