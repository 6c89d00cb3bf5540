using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Alyx.Cli;

/// <summary>
/// The mixed workload of <c>alyx bench</c>: concurrent clients, each sending one request after another from a cycle of
/// 13 reads and 3 writes (sessions lists and details, subjects, weighings by subject, datasets of a session, water
/// requirement; POST weighings and water administrations) on subjects and sessions spread over the lab. Prints the
/// requests per second, median, 99th percentile and slowest request, overall and per kind of request.
/// </summary>
static partial class BenchCommand
{
    sealed record MixedRequest(string Kind, HttpMethod Method, string Path, string? Body, int Expected);

    /// <summary>Request <paramref name="i"/> of the cycle, on subject and session numbers derived from it.</summary>
    static MixedRequest Mixed(int i, int subjects, IReadOnlyList<string> sessions)
    {
        var subject = $"SYN_{i / 16 % subjects:00000}";
        var session = sessions[i / 16 % sessions.Count];
        var minute = i / 16 % 1440;
        var time = string.Create(CultureInfo.InvariantCulture, $"2022-06-01T{minute / 60:00}:{minute % 60:00}:00");
        return (i % 16) switch
        {
            0 or 7 => new("GET /sessions?subject=..", HttpMethod.Get, $"/sessions?limit=10&subject={subject}", null, 200),
            1 or 8 => new("GET /sessions/{id}", HttpMethod.Get, "/sessions/" + session, null, 200),
            2 => new("GET /subjects/{nickname}", HttpMethod.Get, "/subjects/" + subject, null, 200),
            9 or 15 => new("GET /subjects?nickname=..", HttpMethod.Get, "/subjects?nickname=" + subject, null, 200),
            3 or 10 => new("GET /weighings?nickname=..", HttpMethod.Get, "/weighings?nickname=" + subject, null, 200),
            4 or 12 => new("GET /datasets?session=..", HttpMethod.Get, $"/datasets?limit=100&session={session}", null, 200),
            5 or 13 => new("GET /water-requirement/{nickname}", HttpMethod.Get,
                $"/water-requirement/{subject}?start_date=2022-01-01&end_date=2022-01-31", null, 200),
            6 or 14 => new("POST /weighings", HttpMethod.Post, "/weighings",
                string.Create(CultureInfo.InvariantCulture, $$"""{"subject": "{{subject}}", "weight": {{20 + i % 50 / 10.0}}, "date_time": "{{time}}"}"""), 201),
            _ => new("POST /water-administrations", HttpMethod.Post, "/water-administrations",
                string.Create(CultureInfo.InvariantCulture, $$"""{"subject": "{{subject}}", "water_administered": {{0.5 + i % 10 / 10.0}}, "date_time": "{{time}}"}"""), 201),
        };
    }

    static async Task DriveMixedAsync(HttpClient http, int subjects, int clients, TimeSpan duration, Process server)
    {
        var listed = JsonNode.Parse(await http.GetStringAsync("/sessions?limit=200&" + AtlasBench.SyntheticSessions))!["results"]!.AsArray();
        var sessions = listed.Select(s => s!["id"]!.GetValue<string>()).ToList();
        // Warm-up, then the measured window.
        await MixedLoopAsync(http, subjects, sessions, clients, TimeSpan.FromSeconds(3), null, 0);
        var samples = new List<(string Kind, double Ms)>[clients];
        for (var c = 0; c < clients; c++) samples[c] = new List<(string, double)>(8192);
        var watch = Stopwatch.StartNew();
        var errors = await MixedLoopAsync(http, subjects, sessions, clients, duration, samples, 1_000_000);
        var elapsed = watch.Elapsed.TotalSeconds;
        var all = samples.SelectMany(s => s).ToList();
        Console.WriteLine();
        Console.WriteLine($"mixed load: {clients} clients, 13 reads : 3 writes, {duration.TotalSeconds:F0} s, {errors} errors");
        Console.WriteLine();
        Console.WriteLine("| requests | req/s | p50 ms | p99 ms | max ms | count | peak server MB | target | vs target |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|---|");
        var peak = PeakResident(server) / (1024 * 1024);
        void Row(string name, IEnumerable<double> ms)
        {
            var sorted = ms.Order().ToArray();
            var line = new Result(name, sorted.Length / elapsed, Percentile(sorted, 0.50), Percentile(sorted, 0.99), peak, sorted.Length, 0);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {sorted.Length / elapsed:F0} | {Percentile(sorted, 0.50):F1} | {Percentile(sorted, 0.99):F1} | {(sorted.Length > 0 ? sorted[^1] : double.NaN):F1} | {sorted.Length} | {peak} | " +
                $"{TargetText(KindOf(name))} | {VersusTarget(KindOf(name), line)} |"));
        }
        Row("all (mixed)", all.Select(s => s.Ms));
        foreach (var kind in all.GroupBy(s => s.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
            Row(kind.Key, kind.Select(s => s.Ms));
        Console.WriteLine();
        Console.WriteLine("mixed load, " + MemoryLine(server));
    }

    static async Task<long> MixedLoopAsync(HttpClient http, int subjects, IReadOnlyList<string> sessions, int clients, TimeSpan duration,
        List<(string Kind, double Ms)>[]? samples, int start)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long errors = 0;
        var counter = start;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            while (Stopwatch.GetTimestamp() < until)
            {
                var r = Mixed(Interlocked.Increment(ref counter), subjects, sessions);
                using var request = new HttpRequestMessage(r.Method, r.Path);
                if (r.Body is not null) request.Content = new StringContent(r.Body, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
                var begin = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                var ms = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
                if ((int)response.StatusCode != r.Expected && Interlocked.Increment(ref errors) <= 5)
                    Console.Error.WriteLine($"{r.Kind}: {(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}");
                samples?[c].Add((r.Kind, ms));
            }
        }));
        return errors;
    }
}
