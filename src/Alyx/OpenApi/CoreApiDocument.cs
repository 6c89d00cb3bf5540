using System.Text.Json;
using System.Text.Json.Nodes;

namespace Alyx.OpenApi;

/// <summary>
/// The legacy CoreAPI document old ONE clients read from <c>/docs/</c> (conventions §17.4), derived from the OpenAPI
/// document: one key per endpoint, one link per action, its fields from the parameters and the request body.
/// </summary>
static class CoreApiDocument
{
    public static JsonObject Build(JsonObject openApi, HttpRequest request)
    {
        var result = new JsonObject
        {
            ["_type"] = "document",
            ["_meta"] = new JsonObject { ["url"] = $"{request.Scheme}://{request.Host}{request.PathBase}/docs/", ["title"] = "Alyx REST API" },
        };
        var schemas = openApi["components"]?["schemas"]?.AsObject();
        foreach (var (path, item) in openApi["paths"]?.AsObject() ?? [])
        {
            var endpoint = path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
            if (endpoint is "" or SchemaDocument.SchemaEndpoint) continue;
            if (result[endpoint] is not JsonObject links) result[endpoint] = links = [];
            foreach (var (method, op) in item!.AsObject())
            {
                var action = Action(method, path.Contains('{', StringComparison.Ordinal));
                if (action is null || links.ContainsKey(action)) continue;
                links[action] = new JsonObject
                {
                    ["_type"] = "link",
                    ["url"] = path,
                    ["action"] = method,
                    ["fields"] = Fields(op!.AsObject(), schemas),
                };
            }
        }
        return result;
    }

    static string? Action(string method, bool item) => method switch
    {
        "get" => item ? "read" : "list",
        "post" => "create",
        "put" => "update",
        "patch" => "partial_update",
        "delete" => "delete",
        _ => null,
    };

    static JsonArray Fields(JsonObject op, JsonObject? schemas)
    {
        var fields = new JsonArray();
        foreach (var p in op["parameters"]?.AsArray() ?? [])
        {
            fields.Add(Field(p!["name"]!.GetValue<string>(), p["required"]?.GetValueKind() == JsonValueKind.True,
                p["in"]?.GetValue<string>() ?? "query", p["schema"], p["description"]));
        }
        var reference = op["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>();
        if (reference is not null && schemas?[reference.Split('/')[^1]] is JsonObject component)
        {
            var required = (component["required"] as JsonArray)?.Select(r => r?.GetValue<string>()).ToHashSet() ?? [];
            foreach (var (name, schema) in component["properties"]?.AsObject() ?? [])
            {
                if (schema?["readOnly"] is not null) continue;
                fields.Add(Field(name, required.Contains(name), "form", schema, schema?["description"]));
            }
        }
        return fields;
    }

    static JsonObject Field(string name, bool required, string location, JsonNode? schema, JsonNode? description) => new()
    {
        ["name"] = name,
        ["required"] = required,
        ["location"] = location,
        ["schema"] = new JsonObject
        {
            ["_type"] = schema?["type"]?.GetValue<string>() ?? "string",
            ["title"] = "",
            ["description"] = description?.GetValue<string>() ?? "",
        },
    };
}
