using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Alyx.Tests.OpenApi;

/// <summary>One action of ONE's catalogue: the URL template, the HTTP method and the names the client accepts.</summary>
public sealed record OneAction(string Url, string Method, IReadOnlyList<string> Fields);

/// <summary>
/// A C# re-statement of how the ONE client (one/webclient.py, RestSchemeOpenApi) reads <c>/api/schema</c>: endpoints are
/// first path segments minus hidden names, actions come from method and a <c>{</c> in the path, and an action's field
/// names are its parameters' names plus the properties of the request body's <c>$ref</c> component.
/// </summary>
public sealed partial class OneRestScheme(JsonObject document)
{
    static readonly string[] Exclude = ["_type", "_meta", "", "auth-token", "api"];

    static readonly Dictionary<string, string> RestToHttp = new()
    {
        ["list"] = "get",
        ["read"] = "get",
        ["create"] = "post",
        ["update"] = "put",
        ["partial_update"] = "patch",
        ["delete"] = "delete",
    };

    JsonObject Paths => document["paths"]!.AsObject();

    [GeneratedRegex("^/([^/]+)")]
    private static partial Regex FirstSegment();

    public List<string> Endpoints =>
        Paths.Select(p => FirstSegment().Match(p.Key)).Where(m => m.Success && !Exclude.Contains(m.Groups[1].Value))
            .Select(m => m.Groups[1].Value).Distinct().OrderBy(e => e, StringComparer.Ordinal).ToList();

    /// <summary>ONE's _get_endpoint_actions: every method of every path of the endpoint, named as a DRF action.</summary>
    public List<string> Actions(string endpoint)
    {
        var actions = new Dictionary<string, string>();
        foreach (var (path, item) in Paths)
        {
            if (path != $"/{endpoint}" && !path.StartsWith($"/{endpoint}/", StringComparison.Ordinal)) continue;
            foreach (var (method, _) in item!.AsObject())
            {
                var action = ActionOf(method, path);
                if (action is not null) actions[action] = path;
            }
        }
        return actions.Keys.OrderBy(a => a, StringComparer.Ordinal).ToList();
    }

    public static string? ActionOf(string method, string path) => method switch
    {
        "get" => path.Contains('{', StringComparison.Ordinal) ? "read" : "list",
        "post" => "create",
        "put" => "update",
        "patch" => "partial_update",
        "delete" => "delete",
        _ => null,
    };

    /// <summary>ONE's _endpoint_action_info + fields(): the first path (document order) that has the method wins.</summary>
    public OneAction Action(string endpoint, string action)
    {
        var http = RestToHttp[action];
        foreach (var (path, item) in Paths)
        {
            var candidate = (path == $"/{endpoint}" && action != "read") || path.StartsWith($"/{endpoint}/", StringComparison.Ordinal);
            if (!candidate || item![http] is not JsonObject operation) continue;
            var names = new List<string>();
            foreach (var p in operation["parameters"]?.AsArray() ?? []) names.Add(p!["name"]!.GetValue<string>());
            if (operation["requestBody"] is { } body)
            {
                var component = body["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>().Split('/')[^1];
                names.AddRange(document["components"]!["schemas"]![component]!["properties"]!.AsObject().Select(p => p.Key));
            }
            return new OneAction(path, http, names);
        }
        return new OneAction("", http, []);
    }

    /// <summary>The whole catalogue: endpoint → action → {url, method, field names}.</summary>
    public Dictionary<string, Dictionary<string, OneAction>> Catalogue() =>
        Endpoints.ToDictionary(e => e, e => Actions(e).ToDictionary(a => a, a => Action(e, a)));
}
