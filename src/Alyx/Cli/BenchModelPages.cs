using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Alyx.Cli;

/// <summary>
/// The generic admin model pages in the benchmark: for the main models, the list page (first page, a search, the first choice
/// of its first filter), a change page (the list's first row) and the add page, each loaded <c>loads</c> times in a row through
/// the bench superuser's cookie session; prints the median and 95th-percentile time and the HTML size of each.
/// </summary>
static partial class BenchCommand
{
    /// <summary>The models, with a search term that matches some rows of the synthetic lab.</summary>
    static readonly (string Path, string Search)[] ModelPageModels =
    [
        ("subjects/subject", "SYN_0001"),
        ("actions/session", "SYN_0001"),
        ("actions/weighing", "SYN_0001"),
        ("actions/wateradministration", "SYN_0001"),
        ("subjects/litter", "SYN"),
        ("data/dataset", "spikes"),
        ("misc/labmember", "bench"),
    ];

    sealed record PageTiming(string Page, long Bytes, double Median, double P95, int Status);

    static async Task<List<PageTiming>> ModelPagesAsync(Uri server, int loads)
    {
        using var http = await AdminSessionAsync(server);
        var timings = new List<PageTiming>();
        foreach (var (model, search) in ModelPageModels)
        {
            var list = $"/admin/{model}/";
            var html = await http.GetStringAsync(list);
            var change = ChangeLink().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;
            var filters = html.IndexOf("<aside class=\"filters\"", StringComparison.Ordinal);
            // The first filter choice that is not "All" (the list's path and a query with the filter's parameter).
            var filter = filters < 0 ? null : FilterLink().Matches(html[filters..]).Select(f => WebUtility.HtmlDecode(f.Groups[1].Value)).FirstOrDefault();
            var pages = new List<(string Name, string Path)>
            {
                ($"{list}", list),
                ($"{list}?q={search}", $"{list}?q={Uri.EscapeDataString(search)}"),
            };
            if (filter is not null) pages.Add(($"{filter}", filter));
            if (change is not null) pages.Add(($"/admin/{model}/<pk>/change/", change));
            pages.Add(($"/admin/{model}/add/", $"/admin/{model}/add/"));
            foreach (var (name, path) in pages)
            {
                var times = new List<double>();
                long bytes = 0;
                var status = 0;
                for (var i = 0; i < loads; i++)
                {
                    var watch = Stopwatch.StartNew();
                    using var response = await http.GetAsync(path);
                    var body = await response.Content.ReadAsByteArrayAsync();
                    times.Add(watch.Elapsed.TotalMilliseconds);
                    bytes = body.Length;
                    status = (int)response.StatusCode;
                }
                times.Sort();
                timings.Add(new PageTiming(name, bytes, times[times.Count / 2], times[Math.Min(times.Count - 1, (int)Math.Ceiling(0.95 * times.Count) - 1)], status));
            }
        }
        return timings;
    }

    static void PrintPageTimings(List<PageTiming> timings, int loads)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| admin page ({loads} loads each, one client) | status | KB | median ms | p95 ms |"));
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var t in timings)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| GET {t.Page} | {t.Status} | {t.Bytes / 1024.0:0.0} | {t.Median:0.0} | {t.P95:0.0} |"));
    }

    [GeneratedRegex("href=\"(/admin/[a-z]+/[a-z]+/[^/\"]+/change/)\"")]
    private static partial Regex ChangeLink();

    [GeneratedRegex("<a href=\"(/admin/[^\"?]*\\?[^\"]*=[^\"]*)\"")]
    private static partial Regex FilterLink();
}
