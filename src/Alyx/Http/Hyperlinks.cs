using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Alyx.Http;

/// <summary>
/// DRF's HyperlinkedRelatedField for a <c>/resource/&lt;uuid&gt;</c> route: an absolute URL (any scheme and host) or a path; a
/// bare UUID is no URL. Paths of other resources are an incorrect match. Returns the id, or DRF's message.
/// </summary>
public static partial class Hyperlinks
{
    [GeneratedRegex("^/([a-z-]+)/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$")]
    private static partial Regex DetailPath();

    [GeneratedRegex("^/[a-z-]+(/[^/]+)?$")]
    private static partial Regex AnyResourcePath();

    /// <param name="node">The field's JSON value (null for JSON null).</param>
    /// <param name="resource">The route's first segment, e.g. <c>sessions</c>.</param>
    /// <param name="exists">Whether a row has that id.</param>
    /// <param name="nullable">Whether null (and <c>""</c>, which DRF reads as null) is allowed.</param>
    public static async Task<(Guid? Id, string? Error)> ResolveAsync(JsonNode? node, string resource, Func<Guid, Task<bool>> exists, bool nullable)
    {
        if (node is null) return (null, nullable ? null : "This field may not be null.");
        if (node.GetValueKind() != JsonValueKind.String)
            return (null, $"Incorrect type. Expected URL string, received {Serializer.PythonType(node)}.");
        var text = node.GetValue<string>().Trim();
        if (text.Length == 0) return (null, nullable ? null : "This field may not be null.");
        var path = text;
        if (text.StartsWith("http:", StringComparison.Ordinal) || text.StartsWith("https:", StringComparison.Ordinal))
            path = Uri.TryCreate(text, UriKind.Absolute, out var uri) ? Uri.UnescapeDataString(uri.AbsolutePath) : "";
        var match = DetailPath().Match(path);
        if (!match.Success)
            return (null, AnyResourcePath().IsMatch(path) ? "Invalid hyperlink - Incorrect URL match." : "Invalid hyperlink - No URL match.");
        if (match.Groups[1].Value != resource) return (null, "Invalid hyperlink - Incorrect URL match.");
        var id = Guid.Parse(match.Groups[2].Value);
        return await exists(id) ? (id, null) : (null, "Invalid hyperlink - Object does not exist.");
    }
}
