using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Alyx.Cli;

/// <summary>The admin actions pages in the benchmark: a cookie session of the bench user, then each page like the REST targets.</summary>
static partial class BenchCommand
{
    static async Task<List<Result>> AdminPagesAsync(HttpClient api, int clients, TimeSpan duration, Process server)
    {
        var subject = JsonNode.Parse(await api.GetStringAsync("/subjects/SYN_00000"))!["id"]!.GetValue<string>();
        using var http = await AdminSessionAsync(api.BaseAddress!);
        Target[] targets =
        [
            new("admin GET /admin-actions/today/", HttpMethod.Get, _ => "/admin-actions/today/"),
            new("admin GET /admin-actions/training/<week>", HttpMethod.Get, _ => "/admin-actions/training/2022-03-07"),
            new("admin GET /admin-actions/water-history/<id>", HttpMethod.Get, _ => "/admin-actions/water-history/" + subject),
            new("admin GET /admin-actions/weighing-plot/<id>", HttpMethod.Get, _ => "/admin-actions/weighing-plot/" + subject),
            new("admin GET /admin-actions/subject-history/<id>", HttpMethod.Get, _ => "/admin-actions/subject-history/" + subject),
        ];
        var results = new List<Result>();
        foreach (var target in targets)
        {
            // One request alone first: its server time and size (the 100 ms and 300 KB budgets of a page).
            byte[] body = [];
            var alone = double.MaxValue;
            for (var i = 0; i < 5; i++)
            {
                var watch = Stopwatch.StartNew();
                body = await http.GetByteArrayAsync(target.Path(0));
                alone = Math.Min(alone, watch.Elapsed.TotalMilliseconds);
            }
            var result = await DriveAsync(http, target, clients, duration, server);
            results.Add(result with { Name = string.Create(CultureInfo.InvariantCulture, $"{target.Name} ({body.Length / 1024.0:0} KB, {alone:0} ms alone)") });
        }
        return results;
    }

    /// <summary>A client signed in to the admin pages as the bench superuser (cookie session, redirects not followed).</summary>
    static async Task<HttpClient> AdminSessionAsync(Uri server)
    {
        var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        var http = new HttpClient(handler, disposeHandler: true) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(60) };
        var login = await http.GetStringAsync("/admin/login/");
        var token = WebUtility.HtmlDecode(CsrfField().Match(login).Groups[1].Value);
        using var form = new FormUrlEncodedContent([new("csrfmiddlewaretoken", token), new("username", "bench"), new("password", "bench-password"), new("next", "/admin/")]);
        var signedIn = await http.PostAsync("/admin/login/", form);
        if (signedIn.StatusCode != HttpStatusCode.Redirect)
        {
            http.Dispose();
            throw new CliException($"cannot log in to the admin pages: {(int)signedIn.StatusCode}");
        }
        return http;
    }

    [GeneratedRegex("name=\"csrfmiddlewaretoken\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
