using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Alyx.OpenApi;

/// <summary>
/// <c>/docs/</c>: the OpenAPI document rendered on the server as one self-contained HTML page (inline CSS, no scripts,
/// nothing fetched from elsewhere), so it reads the same offline. Alyx shows ReDoc from a CDN here instead.
/// </summary>
static class DocsPage
{
    const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;line-height:1.45}
        header{background:#24292f;color:#fff;padding:1rem 2rem}header a{color:#9ecbff}
        nav{position:fixed;top:0;bottom:0;left:0;width:15rem;overflow:auto;padding:5.5rem 1rem 1rem;background:#f6f8fa;font-size:.9rem;box-sizing:border-box}
        nav a{display:block;color:#0969da;text-decoration:none;padding:.1rem 0}
        main{margin-left:15rem;padding:1rem 2rem 4rem}header{position:relative;z-index:1}
        h2{border-bottom:1px solid #d0d7de;padding-bottom:.3rem;margin-top:2.5rem}
        section.op{border:1px solid #d0d7de;border-radius:6px;padding:.6rem 1rem;margin:1rem 0}
        .method{display:inline-block;min-width:4.2rem;text-align:center;border-radius:4px;color:#fff;font-weight:600;font-size:.8rem;padding:.15rem .4rem;margin-right:.5rem}
        .get{background:#1f6feb}.post{background:#1a7f37}.put{background:#9a6700}.patch{background:#8250df}.delete{background:#cf222e}
        table{border-collapse:collapse;margin:.4rem 0 .8rem;font-size:.9rem}th,td{border:1px solid #d0d7de;padding:.25rem .5rem;text-align:left;vertical-align:top}
        th{background:#f6f8fa}code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.9em}
        .desc{white-space:pre-wrap}.muted{color:#656d76;font-size:.85rem}
        """;

    public static string Render(JsonObject document)
    {
        var paths = document["paths"]?.AsObject() ?? [];
        var schemas = document["components"]?["schemas"]?.AsObject() ?? [];
        var byTag = new SortedDictionary<string, List<(string Path, string Method, JsonObject Op)>>(StringComparer.Ordinal);
        foreach (var (path, item) in paths)
        {
            foreach (var (method, op) in item!.AsObject())
            {
                var tag = op?["tags"]?[0]?.GetValue<string>() ?? "";
                if (!byTag.TryGetValue(tag, out var list)) byTag[tag] = list = [];
                list.Add((path, method, op!.AsObject()));
            }
        }

        var html = new StringBuilder();
        html.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Alyx REST API</title>\n<style>")
            .Append(Style).Append("</style>\n</head>\n<body>\n<header><h1>Alyx REST API</h1>")
            .Append("<p>Requests are authenticated with the header <code>Authorization: Token &lt;key&gt;</code>; ")
            .Append("<code>POST /auth-token</code> with a username and password returns the key. ")
            .Append("OpenAPI document: <a href=\"../api/schema?format=yaml\">YAML</a> · <a href=\"../api/schema?format=json\">JSON</a>.</p></header>\n<nav>");
        foreach (var tag in byTag.Keys) html.Append($"<a href=\"#tag-{E(tag)}\">{E(tag)}</a>");
        html.Append("</nav>\n<main>\n");
        foreach (var (tag, ops) in byTag)
        {
            html.Append($"<h2 id=\"tag-{E(tag)}\">{E(tag)}</h2>\n");
            foreach (var (path, method, op) in ops) Operation(html, path, method, op, schemas);
        }
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    static void Operation(StringBuilder html, string path, string method, JsonObject op, JsonObject schemas)
    {
        var id = Str(op["operationId"]) ?? "";
        html.Append($"<section class=\"op\" id=\"{E(id)}\"><h3><span class=\"method {E(method)}\">{E(method.ToUpperInvariant())}</span>")
            .Append($"<code>{E(path)}</code></h3><p class=\"muted\">{E(id)}</p>");
        if (Str(op["description"]) is { } description) html.Append($"<p class=\"desc\">{E(description)}</p>");
        if (op["parameters"] is JsonArray { Count: > 0 } parameters)
        {
            html.Append("<h4>Parameters</h4><table><tr><th>Name</th><th>In</th><th>Type</th><th>Required</th><th>Description</th></tr>");
            foreach (var p in parameters)
            {
                html.Append($"<tr><td><code>{E(Str(p?["name"]))}</code></td><td>{E(Str(p?["in"]))}</td><td>{E(TypeOf(p?["schema"], schemas))}</td>")
                    .Append($"<td>{(p?["required"]?.GetValueKind() == JsonValueKind.True ? "yes" : "")}</td><td class=\"desc\">{E(Str(p?["description"]))}</td></tr>");
            }
            html.Append("</table>");
        }
        if (RefName(op["requestBody"]?["content"]?["application/json"]?["schema"]) is { } body)
        {
            html.Append($"<h4>Request body <span class=\"muted\">{E(body)} · JSON, form or multipart</span></h4>");
            Fields(html, schemas[body]?.AsObject(), schemas);
        }
        if (op["responses"] is JsonObject responses)
        {
            html.Append("<h4>Responses</h4><ul>");
            foreach (var (status, response) in responses)
            {
                var schema = response?["content"]?.AsObject().FirstOrDefault().Value?["schema"];
                var what = schema is null ? Str(response?["description"]) : TypeOf(schema, schemas);
                html.Append($"<li><code>{E(status)}</code> {E(what)}</li>");
            }
            html.Append("</ul>");
        }
        html.Append("</section>\n");
    }

    static void Fields(StringBuilder html, JsonObject? component, JsonObject schemas)
    {
        if (component?["properties"] is not JsonObject properties) return;
        var required = (component["required"] as JsonArray)?.Select(Str).ToHashSet() ?? [];
        html.Append("<table><tr><th>Field</th><th>Type</th><th>Notes</th><th>Description</th></tr>");
        foreach (var (name, schema) in properties)
        {
            var notes = new List<string>();
            if (required.Contains(name)) notes.Add("required");
            if (schema?["readOnly"] is not null) notes.Add("read-only");
            if (schema?["writeOnly"] is not null) notes.Add("write-only");
            if (schema?["nullable"] is not null) notes.Add("nullable");
            if (schema?["maxLength"] is { } max) notes.Add($"max length {max.ToJsonString()}");
            if (Str(schema?["pattern"]) is { } pattern) notes.Add($"pattern {pattern}");
            html.Append($"<tr><td><code>{E(name)}</code></td><td>{E(TypeOf(schema, schemas))}</td><td>{E(string.Join(", ", notes))}</td>")
                .Append($"<td class=\"desc\">{E(Str(schema?["description"]))}</td></tr>");
        }
        html.Append("</table>");
    }

    /// <summary>A short human type: <c>string (uuid)</c>, <c>array of string</c>, a component name, or an enum's values.</summary>
    static string TypeOf(JsonNode? schema, JsonObject schemas)
    {
        if (schema is not JsonObject s) return "";
        if (RefName(s) is { } name)
        {
            return schemas[name]?["enum"] is JsonArray values
                ? "one of " + string.Join(", ", values.Select(v => v?.ToJsonString()))
                : name;
        }
        if ((s["allOf"] ?? s["oneOf"]) is JsonArray parts) return string.Join(" or ", parts.Select(p => TypeOf(p, schemas)));
        var type = Str(s["type"]);
        if (type is null) return "any JSON";
        if (type == "array") return "array of " + TypeOf(s["items"], schemas);
        var text = Str(s["format"]) is { } format ? $"{type} ({format})" : type;
        if (s["enum"] is JsonArray choices) text += ": " + string.Join(", ", choices.Select(v => v?.ToJsonString()));
        return text;
    }

    static string? RefName(JsonNode? schema) => Str(schema?["$ref"])?.Split('/')[^1];

    static string? Str(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    static string E(string? text) => WebUtility.HtmlEncode(text ?? "");
}
