using System.Globalization;
using System.Text;
using Alyx.Database;
using Microsoft.Extensions.Primitives;

namespace Alyx.Http;

/// <summary>DRF's limit/offset envelope; the key order is part of the contract (ONE compares it).</summary>
public sealed record Page<T>(int Count, string? Next, string? Previous, IReadOnlyList<T> Results);

/// <summary>limit/offset as DRF reads them: bad or non-positive limit means the default, capped at the maximum.</summary>
public readonly record struct PageRequest(int Limit, int Offset)
{
    public const int DefaultLimit = 250;
    public const int MaxLimit = 1000;

    public static PageRequest From(IReadOnlyDictionary<string, StringValues> query)
    {
        var limit = DefaultLimit;
        if (int.TryParse((query.TryGetValue("limit", out var lv) ? lv.LastOrDefault() : null), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) && l > 0)
            limit = Math.Min(l, MaxLimit);
        var offset = 0;
        if (int.TryParse((query.TryGetValue("offset", out var ov) ? ov.LastOrDefault() : null), NumberStyles.Integer, CultureInfo.InvariantCulture, out var o) && o > 0)
            offset = o;
        return new PageRequest(limit, offset);
    }

    /// <summary>
    /// The page's rows of <paramref name="query"/>: its offset a parameter and, on SQLite, its limit written into the SQL. SQLite
    /// plans a query with its LIMIT's bound value and marks such a statement expired whenever that parameter is bound again, so a
    /// parameterised limit made every page's statements be prepared anew at every execution (the kept statements of
    /// <see cref="SqliteStatementCache"/> went unused). One statement per page size instead: at most <see cref="MaxLimit"/> of them.
    /// </summary>
    public IQueryable<T> Of<T>(IQueryable<T> query, DatabaseProvider provider)
    {
        var skipped = query.Skip(Offset);
        return provider == DatabaseProvider.Sqlite ? skipped.TakeInline(Limit) : skipped.Take(Limit);
    }
}

public static class Page
{
    public static Page<T> Create<T>(HttpRequest request, PageRequest page, int count, IReadOnlyList<T> rows)
    {
        string? next = null, previous = null;
        if (page.Offset + page.Limit < count)
            next = Link(request, page.Limit, page.Offset + page.Limit);
        if (page.Offset > 0)
            previous = Link(request, page.Limit, page.Offset - page.Limit <= 0 ? null : page.Offset - page.Limit);
        return new Page<T>(count, next, previous, rows);
    }

    /// <summary>Django REST framework's replace_query_param: keys sorted, values form-encoded.</summary>
    static string Link(HttpRequest request, int limit, int? offset)
    {
        var pairs = new SortedDictionary<string, StringValues>(StringComparer.Ordinal);
        foreach (var (k, v) in QueryParams.Of(request)) pairs[k] = v;
        pairs["limit"] = limit.ToString(CultureInfo.InvariantCulture);
        if (offset is null) pairs.Remove("offset");
        else pairs["offset"] = offset.Value.ToString(CultureInfo.InvariantCulture);
        var sb = new StringBuilder(ApiUrls.Base(request)).Append(request.PathBase).Append(request.Path);
        var first = true;
        foreach (var (k, values) in pairs)
        {
            foreach (var v in values)
            {
                sb.Append(first ? '?' : '&').Append(FormEncode(k)).Append('=').Append(FormEncode(v ?? ""));
                first = false;
            }
        }
        return sb.ToString();
    }

    public static string FormEncode(string value) => Uri.EscapeDataString(value).Replace("%20", "+", StringComparison.Ordinal);
}

/// <summary>Absolute URLs as the client sees the server (scheme and host of the request, after forwarded headers).</summary>
public static class ApiUrls
{
    public static string Base(HttpRequest request) => $"{request.Scheme}://{request.Host}";

    public static string Root(HttpRequest request) => Base(request) + request.PathBase;
}
