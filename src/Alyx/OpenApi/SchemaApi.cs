using System.Text.Json.Nodes;
using Alyx.Auth;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Alyx.OpenApi;

/// <summary>
/// <c>GET /api/schema</c> (drf-spectacular's SpectacularAPIView: YAML or JSON by Accept or <c>?format=</c>) and
/// <c>GET /docs/</c> (a readable HTML rendering of the same document; CoreAPI JSON for legacy ONE clients). Both anonymous.
/// </summary>
static class SchemaApi
{
    const string SchemaPath = "/api/schema";

    /// <summary>DRF's renderer order on the schema view: YAML first, so no Accept header (or */*) gets YAML.</summary>
    static readonly (string Media, string Format)[] Renderers =
    [
        ("application/vnd.oai.openapi", "yaml"),
        ("application/yaml", "yaml"),
        ("application/vnd.oai.openapi+json", "json"),
        ("application/json", "json"),
    ];

    static readonly string[] GetHead = ["GET", "HEAD"];
    static readonly string[] OtherMethods = ["POST", "PUT", "PATCH", "DELETE"];

    static readonly FilterDoc FormatParameter = new("format", "string", Enum: ["json", "yaml"]);

    public static void MapSchemaApi(this IEndpointRouteBuilder routes)
    {
        var catalog = routes.ServiceProvider.GetRequiredService<ApiCatalog>();
        var cache = new SchemaCache(catalog);
        routes.MapOperation(new ApiOperation(SchemaPath, "get", SchemaDocument.SchemaEndpoint, "read", null, null, _ => [FormatParameter], [], 200,
                "OpenApi3 schema for this API. Format can be selected via content negotiation.\n\n"
                + "- YAML: application/vnd.oai.openapi\n- JSON: application/vnd.oai.openapi+json"),
                (HttpContext context, AlyxDb db) => Schema(context, cache.Get(db.Model)))
            .RequireAuthorization(AlyxPolicy.Anonymous);
        // DRF checks permissions before the method, and the schema view allows anyone: other methods are 405s, never 403s.
        routes.MapMethods(SchemaPath, OtherMethods, (HttpContext context) =>
        {
            context.Response.Headers.Allow = "GET, HEAD, OPTIONS";
            return AlyxResults.Detail(StatusCodes.Status405MethodNotAllowed, $"Method \"{context.Request.Method}\" not allowed.");
        }).RequireAuthorization(AlyxPolicy.Anonymous);
        routes.MapMethods("/docs/", GetHead, (HttpContext context, AlyxDb db) => Docs(context, cache.Get(db.Model)))
            .RequireAuthorization(AlyxPolicy.Anonymous);
    }

    static IResult Schema(HttpContext context, RenderedSchema schema)
    {
        var format = context.Request.Query["format"].LastOrDefault();
        if (format is not null && format is not ("json" or "yaml")) return AlyxResults.Detail(StatusCodes.Status404NotFound, "Not found.");
        var media = Negotiate(context.Request.Headers.Accept.ToString(), format);
        if (media is null)
            return AlyxResults.Detail(StatusCodes.Status406NotAcceptable, "Could not satisfy the request Accept header.");
        var json = Renderers.Single(r => r.Media == media).Format == "json";
        context.Response.Headers.ContentDisposition = json ? "inline; filename=\"schema.json\"" : "inline; filename=\"schema.yaml\"";
        var body = json ? schema.Json : schema.Yaml;
        return Results.Text(body, json ? media : media + "; charset=utf-8");
    }

    /// <summary>
    /// DRF's DefaultContentNegotiation: Accept entries grouped by specificity (q-values are ignored), most specific first;
    /// within a group the first renderer (in view order) that any entry matches wins. <c>?format=</c> narrows the renderers.
    /// </summary>
    internal static string? Negotiate(string accept, string? format)
    {
        var renderers = Renderers.Where(r => format is null || r.Format == format).Select(r => r.Media).ToList();
        var accepted = accept.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(a => (Media: a.Split(';')[0].Trim().ToLowerInvariant(), HasParams: a.Split(';').Skip(1).Any(p => !p.Trim().StartsWith("q=", StringComparison.Ordinal))))
            .Where(a => a.Media.Length > 0).ToList();
        if (accepted.Count == 0) accepted.Add(("*/*", false));
        foreach (var group in accepted.GroupBy(a => Specificity(a.Media, a.HasParams)).OrderByDescending(g => g.Key))
        {
            foreach (var renderer in renderers)
            {
                if (group.Any(a => Matches(a.Media, renderer))) return renderer;
            }
        }
        return null;
    }

    static int Specificity(string media, bool hasParams) =>
        media == "*/*" ? 0 : media.EndsWith("/*", StringComparison.Ordinal) ? 1 : hasParams ? 3 : 2;

    static bool Matches(string accepted, string renderer) =>
        accepted == "*/*" || accepted == renderer
        || (accepted.EndsWith("/*", StringComparison.Ordinal) && renderer.StartsWith(accepted[..^1], StringComparison.Ordinal));

    /// <summary>HTML for people; the frozen CoreAPI shape when a legacy ONE client asks for it (conventions §17.4-17.5).</summary>
    static IResult Docs(HttpContext context, RenderedSchema schema)
    {
        if (context.Request.Headers.Accept.ToString().TrimStart().StartsWith("application/coreapi+json", StringComparison.OrdinalIgnoreCase))
            return Results.Text(CoreApiDocument.Build(schema.Document, context.Request).ToJsonString(), "application/json");
        return Results.Text(schema.Html, "text/html; charset=utf-8");
    }

    /// <summary>The document is built once per catalogue state (routes are all mapped before the first request).</summary>
    sealed class SchemaCache(ApiCatalog catalog)
    {
        readonly Lock gate = new();
        RenderedSchema? rendered;
        int count = -1;

        public RenderedSchema Get(IModel model)
        {
            var operations = catalog.Operations;
            lock (gate)
            {
                if (rendered is null || count != operations.Count)
                {
                    rendered = new RenderedSchema(SchemaDocument.Build(operations, model));
                    count = operations.Count;
                }
                return rendered;
            }
        }
    }

    /// <summary>The document and its renderings, each made once. The document is only read after it is built.</summary>
    sealed class RenderedSchema(JsonObject document)
    {
        readonly Lazy<string> json = new(() => SchemaWriter.Json(document));
        readonly Lazy<string> yaml = new(() => SchemaWriter.Yaml(document));
        readonly Lazy<string> html = new(() => DocsPage.Render(document));

        public JsonObject Document => document;

        public string Json => json.Value;

        public string Yaml => yaml.Value;

        public string Html => html.Value;
    }
}
