using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Cli;

/// <summary>
/// <c>alyx bench --compare URL</c>: this server and another Alyx (the original, or any server speaking its API) on the same
/// data, driven alternately endpoint by endpoint with the same clients and duration; prints per request both throughputs,
/// their ratio and whether the ratio meets issue 16's target (lists ≥ 100×, details and water requirement ≥ 50×, POSTs ≥ 20×).
/// Our server runs on <c>--database</c> (a temporary SQLite file unless given) holding the shared fixture, imported when the
/// database has no subject; <c>--url</c> drives a server of ours that is already running instead.
/// </summary>
static partial class BenchCommand
{
    /// <summary>
    /// The comparison's options: the other server (<paramref name="Url"/>, its user), whether POSTs are skipped there,
    /// a running server of ours to drive instead of starting one, the fixtures folder and a filter on the request names.
    /// </summary>
    internal sealed record CompareOptions(string Url, string User, string Password, bool SkipWrites, string? Ours, string OursUser,
        string OursPassword, string Fixtures, string? Only);

    /// <summary>A request of the comparison and the ratio (ours / theirs) issue 16 asks for.</summary>
    internal sealed record CompareTarget(string Name, HttpMethod Method, Func<int, string> Path, Func<int, string?>? Body, double TargetRatio);

    /// <summary>Set-up fixtures loaded before the dump, as the original's set-up and the test template do.</summary>
    static readonly string[] CompareSetupFiles =
        ["misc.cagetype.json", "misc.enrichment.json", "misc.food.json", "data.datarepositorytype.json", "misc.lab.json"];

    const string CompareDump = "alyx_anon_dump.json.gz";

    /// <summary>
    /// The comparison options of the command line, or null without <c>--compare</c>; the user and password of the other
    /// server default to the reference installation's (<c>../shared/reference</c>) superuser.
    /// </summary>
    internal static CompareOptions? ParseCompare(CliArgs args)
    {
        var url = args.Option("--compare");
        var user = args.Option("--compare-user");
        var password = args.Option("--compare-password");
        var skipWrites = args.Flag("--compare-no-writes");
        var ours = args.Option("--url");
        var oursUser = args.Option("--user");
        var oursPassword = args.Option("--password");
        var fixtures = args.Option("--fixtures");
        var only = args.Option("--only");
        if (url is null)
        {
            string?[] given = [user, password, ours, oursUser, oursPassword, fixtures, only];
            if (given.Any(g => g is not null) || skipWrites)
                throw new CliException("--compare-user, --compare-password, --compare-no-writes, --url, --user, --password, --fixtures and --only go with --compare URL.");
            return null;
        }
        foreach (var (name, value) in new[] { ("--compare", url), ("--url", ours) })
        {
            if (value is not null && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == "http" || uri.Scheme == "https")))
                throw new CliException($"{name} needs an http:// or https:// URL, not '{value}'.");
        }
        return new CompareOptions(url.TrimEnd('/'), user ?? "admin", password ?? "admin-pass-123", skipWrites, ours?.TrimEnd('/'),
            oursUser ?? "bench", oursPassword ?? "bench-password",
            fixtures ?? Environment.GetEnvironmentVariable("ALYX_FIXTURES") ?? Path.Combine("..", "shared", "fixtures"), only);
    }

    /// <summary>The requests of issue 16's table, on a subject and a session both servers hold.</summary>
    internal static IEnumerable<CompareTarget> CompareTargets(string subject, string session)
    {
        yield return new("GET /subjects?limit=100", HttpMethod.Get, _ => "/subjects?limit=100", null, 100);
        yield return new("GET /subjects/{nickname}", HttpMethod.Get, _ => "/subjects/" + subject, null, 50);
        yield return new("GET /sessions?limit=100", HttpMethod.Get, _ => "/sessions?limit=100", null, 100);
        yield return new("GET /sessions/{id}", HttpMethod.Get, _ => "/sessions/" + session, null, 50);
        yield return new("GET /datasets?limit=100", HttpMethod.Get, _ => "/datasets?limit=100", null, 100);
        yield return new("GET /water-requirement/{nickname}", HttpMethod.Get, _ => "/water-requirement/" + subject, null, 50);
        // Weighings of the one sampled subject, dated now: the only change to the other server's data.
        yield return new("POST /weighings", HttpMethod.Post, _ => "/weighings",
            i => string.Create(CultureInfo.InvariantCulture, $$"""{"subject": "{{subject}}", "weight": {{20 + i % 50 / 10.0}}}"""), 20);
    }

    /// <summary>A ratio as the issue writes them: 44×, 8.8×, 0.12×.</summary>
    internal static string FormatRatio(double ratio) =>
        double.IsFinite(ratio)
            ? string.Create(CultureInfo.InvariantCulture, $"{ratio.ToString(ratio >= 10 ? "F0" : ratio >= 1 ? "F1" : "F2", CultureInfo.InvariantCulture)}×")
            : "-";

    /// <summary>A throughput: whole requests per second from 100 up, one decimal below.</summary>
    internal static string FormatRate(double rps) => rps.ToString(rps >= 100 ? "N0" : "F1", CultureInfo.InvariantCulture);

    /// <summary>
    /// One line of the comparison table; <paramref name="theirs"/> is null when the request was not sent to the other
    /// server (POSTs with <c>--compare-no-writes</c>).
    /// </summary>
    internal static string CompareRow(string name, double targetRatio, Result ours, Result? theirs)
    {
        var ratio = theirs is { Rps: > 0 } ? ours.Rps / theirs.Rps : double.NaN;
        var met = double.IsFinite(ratio) ? ratio >= targetRatio ? "met" : "not met" : "-";
        return string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {FormatRate(ours.Rps)} | {(theirs is null ? "skipped" : FormatRate(theirs.Rps))} | {FormatRatio(ratio)} | ≥ {targetRatio:0}× | {met} | " +
            $"{ours.P99:F1} | {(theirs is null ? "-" : theirs.P99.ToString("F1", CultureInfo.InvariantCulture))} | {ours.Errors} | {(theirs is null ? "-" : theirs.Errors)} | " +
            $"{Memory(ours)} | {BenchCpu.Format(ours.MachineCpuMs)} | {(theirs is null ? "-" : BenchCpu.Format(theirs.MachineCpuMs))} | " +
            $"{(theirs is { MachineCpuMs: > 0 } && ours.MachineCpuMs > 0 ? FormatRatio(theirs.MachineCpuMs / ours.MachineCpuMs) : "-")} |");
    }

    static string Memory(Result r) => r.PeakMb > 0 ? $"{(r.RssMb > 0 ? r.RssMb.ToString(CultureInfo.InvariantCulture) : "-")} / {r.PeakMb}" : "-";

    static async Task<int> CompareAsync(CompareOptions options, string? database, int clients, TimeSpan duration, int port, Dictionary<string, string> env)
    {
        var temp = options.Ours is null && database is null ? Path.Combine(Path.GetTempPath(), $"alyx-bench-{Guid.NewGuid():N}") : null;
        Process? server = null;
        try
        {
            if (options.Ours is null)
            {
                if (temp is not null) Directory.CreateDirectory(temp);
                database ??= "sqlite:///" + Path.Combine(temp!, "bench.db");
                Console.WriteLine($"# alyx bench --compare {options.Url}: {clients} clients, {duration.TotalSeconds} s per request and server, ours on {DatabaseUrl.Parse(database).Provider}");
                await PrepareFixtureAsync(options, database, env);
                server = StartServer(database, port, env);
            }
            else
            {
                Console.WriteLine($"# alyx bench --compare {options.Url}: {clients} clients, {duration.TotalSeconds} s per request and server, ours at {options.Ours}");
            }
            Console.WriteLine($"# machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, load average {LoadAverage()}");
            using var ours = new HttpClient { BaseAddress = new Uri(options.Ours ?? $"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(120) };
            using var theirs = new HttpClient { BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromSeconds(120) };
            ours.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", await LoginAsync(ours, options.OursUser, options.OursPassword));
            theirs.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", await LoginAsync(theirs, options.User, options.Password));
            var (subject, session) = await CommonSampleAsync(ours, theirs);
            Console.WriteLine($"# sample found in both: subject {subject}, session {session}");
            var targets = CompareTargets(subject, session)
                .Where(t => options.Only is null || t.Name.Contains(options.Only, StringComparison.OrdinalIgnoreCase)).ToList();
            if (targets.Count == 0) throw new CliException($"--only '{options.Only}' matches none of the requests.");
            if (targets.Any(t => t.Method == HttpMethod.Post))
            {
                Console.WriteLine(options.SkipWrites
                    ? "# POSTs are sent to our server only (--compare-no-writes)."
                    : $"# POST /weighings adds weighings of subject {subject} (dated now) on both servers; nothing else is written. " +
                      "On the reference installation, '../shared/reference/reference-admin.sh reset' restores the fixture state.");
            }
            Console.WriteLine();
            Console.WriteLine("# machine CPU ms/req: every core's busy time over the window per request (the server driven, its database and the " +
                "load driver); its ratio (theirs / ours) is the cost ratio, which moves less with the machine's state than the rates.");
            Console.WriteLine("| request | ours req/s | theirs req/s | ratio | target ratio | target | ours p99 ms | theirs p99 ms | ours errors | theirs errors | " +
                "ours RSS / peak MB | ours machine CPU ms/req | theirs machine CPU ms/req | CPU ratio |");
            Console.WriteLine("|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
            var errors = 0L;
            foreach (var target in targets)
            {
                var drive = new Target(target.Name, target.Method, target.Path, target.Body);
                var mine = await DriveAsync(ours, drive, clients, duration, server);
                Result? other = null;
                if (target.Method == HttpMethod.Get || !options.SkipWrites) other = await DriveAsync(theirs, drive, clients, duration, null);
                errors += mine.Errors + (other?.Errors ?? 0);
                Console.WriteLine(CompareRow(target.Name, target.TargetRatio, mine, other));
            }
            Console.WriteLine();
            Console.WriteLine($"# load average at the end: {LoadAverage()}");
            return errors > 0 ? 1 : 0;
        }
        finally
        {
            server?.Kill(entireProcessTree: true);
            server?.Dispose();
            if (temp is not null) Directory.Delete(temp, recursive: true);
        }
    }

    /// <summary>Imports the set-up fixtures and the anonymised dump when the database holds no subject; then our bench user.</summary>
    static async Task PrepareFixtureAsync(CompareOptions options, string database, Dictionary<string, string> env)
    {
        if (!await HasSubjectsAsync(database))
        {
            var dump = Path.Combine(options.Fixtures, CompareDump);
            if (!File.Exists(dump)) throw new CliException($"{dump}: no such file (give the shared fixtures folder with --fixtures DIR).");
            var files = CompareSetupFiles.Select(f => Path.Combine(options.Fixtures, f)).Where(File.Exists).Append(dump);
            var import = await RunChildAsync(["import-dump", .. files, "--database", database], env);
            Console.WriteLine($"# import-dump: {import.Elapsed.TotalSeconds:F1} s");
        }
        await RunChildAsync(["load-reference-data", "--database", database], env);
        await RunChildAsync(["create-user", options.OursUser, "--password", options.OursPassword, "--superuser", "--database", database], env);
        await AnalyzeAsync(database);
    }

    static async Task<bool> HasSubjectsAsync(string database)
    {
        try
        {
            await using var db = DatabaseUrl.Parse(database).Open();
            return await db.Database.CanConnectAsync() && (await db.Database.GetAppliedMigrationsAsync()).Any() && await db.Subjects.AnyAsync();
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            return false;
        }
    }

    /// <summary>
    /// A subject (from our first page of subjects) and a session (from our first page of sessions) the other server holds
    /// too, found through the API.
    /// </summary>
    static async Task<(string Subject, string Session)> CommonSampleAsync(HttpClient ours, HttpClient theirs)
    {
        async Task<string> FirstCommonAsync(string list, string key, string detail)
        {
            var page = JsonNode.Parse(await ours.GetStringAsync(list))!;
            var rows = (page as JsonArray ?? page["results"]!.AsArray()).Select(r => r![key]!.GetValue<string>());
            foreach (var value in rows)
            {
                using var response = await theirs.GetAsync(detail + value);
                if (response.IsSuccessStatusCode) return value;
            }
            throw new CliException($"none of the first rows of our {list} is found on the other server: do both hold the same data?");
        }
        var subject = await FirstCommonAsync("/subjects?limit=50", "nickname", "/subjects/");
        var session = await FirstCommonAsync("/sessions?limit=50", "id", "/sessions/");
        return (subject, session);
    }

    /// <summary>The 1, 5 and 15 minute load averages from /proc/loadavg (the machine is shared: figures are indicative).</summary>
    static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
