using Microsoft.Extensions.Primitives;

namespace Alyx.Http;

/// <summary>
/// The query string with case-sensitive keys, as Django reads it (<c>?Nickname=</c> is not <c>?nickname=</c>);
/// ASP.NET's <see cref="IQueryCollection"/> folds case.
/// </summary>
public static class QueryParams
{
    const string Key = "Alyx:QueryParams";

    public static IReadOnlyDictionary<string, StringValues> Of(HttpRequest request)
    {
        if (request.HttpContext.Items[Key] is IReadOnlyDictionary<string, StringValues> cached) return cached;
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in (request.QueryString.Value ?? "").TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Decode(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Decode(pair[(eq + 1)..]);
            if (!values.TryGetValue(key, out var list)) values[key] = list = [];
            list.Add(value);
        }
        var result = values.ToDictionary(kv => kv.Key, kv => new StringValues(kv.Value.ToArray()), StringComparer.Ordinal);
        request.HttpContext.Items[Key] = result;
        return result;
    }

    static string Decode(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));
}
