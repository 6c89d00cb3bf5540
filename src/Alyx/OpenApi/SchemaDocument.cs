using System.Text.Json.Nodes;
using Alyx.Filtering;
using Alyx.Http;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Alyx.OpenApi;

/// <summary>
/// Builds the OpenAPI 3.0.3 document from the <see cref="ApiCatalog"/>, shaped as drf-spectacular shapes Alyx's
/// (conventions §17.2-17.3): paths sorted, one operation per recorded route, filters as query parameters.
/// </summary>
static class SchemaDocument
{
    /// <summary>The endpoint name of /api/schema, whose responses are the schema renderers' media types.</summary>
    public const string SchemaEndpoint = "api";

    static readonly string[] BodyMediaTypes = ["application/json", "application/x-www-form-urlencoded", "multipart/form-data"];

    static readonly string[] SchemaMediaTypes =
        ["application/vnd.oai.openapi", "application/yaml", "application/vnd.oai.openapi+json", "application/json"];

    public static JsonObject Build(IReadOnlyList<ApiOperation> operations, IModel model)
    {
        var components = new SchemaComponents();
        var paths = new JsonObject();
        var operationIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in operations.GroupBy(o => o.Path).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var item = new JsonObject();
            foreach (var op in group.OrderBy(o => MethodRank(o.Method)))
            {
                if (item.ContainsKey(op.Method)) continue;
                item[op.Method] = Operation(op, model, components, operationIds);
            }
            paths[group.Key] = item;
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject { ["title"] = "", ["version"] = "0.0.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["schemas"] = components.ToJson(),
                ["securitySchemes"] = SecuritySchemes(),
            },
        };
    }

    static int MethodRank(string method) => method switch
    {
        "get" => 0,
        "post" => 1,
        "put" => 2,
        "patch" => 3,
        "delete" => 4,
        _ => 5,
    };

    static JsonObject Operation(ApiOperation op, IModel model, SchemaComponents components, HashSet<string> operationIds)
    {
        var result = new JsonObject { ["operationId"] = OperationId(op, operationIds) };
        if (!string.IsNullOrEmpty(op.Description)) result["description"] = op.Description;
        var parameters = Parameters(op, model);
        if (parameters.Count > 0) result["parameters"] = parameters;
        result["tags"] = new JsonArray(op.Endpoint);
        if (op.Request is not null)
        {
            var name = op.Method == "patch" ? components.AddPatched(op.Request) : components.Add(op.Request);
            var content = new JsonObject();
            foreach (var media in BodyMediaTypes) content[media] = new JsonObject { ["schema"] = SchemaComponents.Ref(name) };
            result["requestBody"] = op.Method == "patch"
                ? new JsonObject { ["content"] = content }
                : new JsonObject { ["content"] = content, ["required"] = true };
        }
        var security = new JsonArray(new JsonObject { ["cookieAuth"] = new JsonArray() }, new JsonObject { ["tokenAuth"] = new JsonArray() });
        if (op.Endpoint is SchemaEndpoint or "auth-token") security.Add(new JsonObject());
        result["security"] = security;
        result["responses"] = Responses(op, components);
        return result;
    }

    /// <summary>drf-spectacular's ids: the path's literal segments joined by <c>_</c> plus the action (<c>-</c> becomes <c>_</c>).</summary>
    static string OperationId(ApiOperation op, HashSet<string> taken)
    {
        var segments = op.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => !s.StartsWith('{'));
        var suffix = op.Action switch
        {
            "read" => "retrieve",
            "delete" => "destroy",
            _ => op.Action,
        };
        var id = string.Join('_', segments.Append(suffix)).Replace('-', '_');
        var unique = id;
        for (var n = 2; !taken.Add(unique); n++) unique = $"{id}_{n}";
        return unique;
    }

    static JsonArray Parameters(ApiOperation op, IModel model)
    {
        var list = new List<(string Name, JsonObject Node)>();
        foreach (var name in op.PathParameters)
        {
            JsonObject schema = name == "id" ? new() { ["type"] = "string", ["format"] = "uuid" } : new() { ["type"] = "string" };
            list.Add((name, new JsonObject { ["in"] = "path", ["name"] = name, ["schema"] = schema, ["required"] = true }));
        }
        if (op.Filters is not null)
        {
            foreach (var doc in op.Filters(model)) list.Add((doc.Name, FilterParameter(doc)));
        }
        if (op.Action == "list")
        {
            list.Add(("limit", PageParameter("limit", "Number of results to return per page.")));
            list.Add(("offset", PageParameter("offset", "The initial index from which to return the results.")));
        }
        var array = new JsonArray();
        foreach (var (_, node) in list.DistinctBy(p => p.Name).OrderBy(p => p.Name, StringComparer.Ordinal)) array.Add(node);
        return array;
    }

    static JsonObject PageParameter(string name, string description) => new()
    {
        ["name"] = name,
        ["required"] = false,
        ["in"] = "query",
        ["description"] = description,
        ["schema"] = new JsonObject { ["type"] = "integer" },
    };

    /// <summary>A filter as django-filter's schema shows it: typed, enum choices listed, many-valued filters as exploded arrays.</summary>
    static JsonObject FilterParameter(FilterDoc doc)
    {
        var schema = new JsonObject { ["type"] = doc.Type };
        if (doc.Format is not null) schema["format"] = doc.Format;
        if (doc.Enum is { Count: > 0 } choices)
        {
            var values = new JsonArray();
            foreach (var c in choices) values.Add(SchemaComponents.EnumValue(doc.Type, c));
            schema["enum"] = values;
        }
        if (doc.Many) schema = new JsonObject { ["type"] = "array", ["items"] = schema };
        var parameter = new JsonObject { ["in"] = "query", ["name"] = doc.Name, ["schema"] = schema };
        var description = doc.Description;
        if (description is null && doc.Enum is { Count: > 0 }) description = string.Join('\n', doc.Enum.Select(c => $"* `{c}` - {c}"));
        if (description is not null) parameter["description"] = description;
        if (doc.Many)
        {
            parameter["explode"] = true;
            parameter["style"] = "form";
        }
        return parameter;
    }

    static JsonObject Responses(ApiOperation op, SchemaComponents components)
    {
        if (op.SuccessStatus == StatusCodes.Status204NoContent || (op.Response is null && op.Action == "delete"))
            return new JsonObject { ["204"] = new JsonObject { ["description"] = "No response body" } };
        var status = op.SuccessStatus.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var content = new JsonObject();
        if (op.Response is null)
        {
            var media = op.Endpoint == SchemaEndpoint ? SchemaMediaTypes : BodyMediaTypes[..1];
            foreach (var m in media)
                content[m] = new JsonObject { ["schema"] = new JsonObject { ["type"] = "object", ["additionalProperties"] = new JsonObject() } };
        }
        else
        {
            var name = op.Action == "list" ? components.AddPaginated(op.Response) : components.Add(op.Response);
            content["application/json"] = new JsonObject { ["schema"] = SchemaComponents.Ref(name) };
        }
        return new JsonObject { [status] = new JsonObject { ["content"] = content, ["description"] = "" } };
    }

    static JsonObject SecuritySchemes() => new()
    {
        ["cookieAuth"] = new JsonObject { ["type"] = "apiKey", ["in"] = "cookie", ["name"] = "sessionid" },
        ["tokenAuth"] = new JsonObject
        {
            ["type"] = "apiKey",
            ["in"] = "header",
            ["name"] = "Authorization",
            ["description"] = "Token-based authentication with required prefix \"Token\"",
        },
    };
}
