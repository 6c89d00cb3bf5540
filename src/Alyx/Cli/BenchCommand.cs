using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Cli;

/// <summary>
/// <c>alyx bench</c>: seeds a synthetic lab (or uses the given database), starts this server on it as a separate process,
/// drives it over loopback with a bounded number of concurrent clients for a fixed time per endpoint, and prints a table
/// of requests per second, median and 99th-percentile latency and the server's peak memory. Throttling is off.
/// </summary>
static partial class BenchCommand
{
    sealed record Target(string Name, HttpMethod Method, Func<int, string> Path, Func<int, string?>? Body = null);

    /// <summary>A line of the table: throughput, latencies, the server's peak and (when it was still running) current resident memory.</summary>
    internal sealed record Result(string Name, double Rps, double P50, double P99, long PeakMb, long Requests, long Errors, long RssMb = 0)
    {
        /// <summary>The server's CPU per request over the measured window, in ms (0: not measured).</summary>
        public double ServerCpuMs { get; init; }

        /// <summary>The whole machine's CPU per request over the measured window, in ms (0: not measured).</summary>
        public double MachineCpuMs { get; init; }
    }

    public static async Task<int> RunAsync(string[] raw)
    {
        var args = new CliArgs(raw);
        var scale = double.Parse(args.Option("--scale") ?? "1", CultureInfo.InvariantCulture);
        var database = args.Option("--database");
        var clientsOption = args.Option("--clients");
        var clients = int.Parse(clientsOption ?? "8", CultureInfo.InvariantCulture);
        var seconds = double.Parse(args.Option("--seconds") ?? "5", CultureInfo.InvariantCulture);
        var port = int.Parse(args.Option("--port") ?? "8765", CultureInfo.InvariantCulture);
        // --mixed: only the mixed read/write workload (16 clients unless --clients is given), --mixed-seconds long.
        var mixedOnly = args.Flag("--mixed");
        var mixedClients = int.Parse(clientsOption ?? "16", CultureInfo.InvariantCulture);
        var mixedSeconds = double.Parse(args.Option("--mixed-seconds") ?? "20", CultureInfo.InvariantCulture);
        // --processes: only 1 against 2 server processes on the database, with and without shared state (BenchProcesses.cs).
        var processesOnly = args.Flag("--processes");
        // --compare URL: side by side with another server on the shared fixture (BenchCompare.cs).
        var compare = ParseCompare(args);
        // --admin-pages: only the admin pages (BenchAdminPages.cs, BenchModelPages.cs), each generic page loaded --loads times.
        var adminOnly = args.Flag("--admin-pages");
        var loads = int.Parse(args.Option("--loads") ?? "20", CultureInfo.InvariantCulture);
        // --writes: only the POST lines of the write path (BenchWrites.cs).
        var writesOnly = args.Flag("--writes");
        // --warmup S: seconds of load before each line's measured window (JIT tiering, prepared statements, caches).
        WarmUp = TimeSpan.FromSeconds(double.Parse(args.Option("--warmup") ?? "2", CultureInfo.InvariantCulture));
        // --warmup-requests N: on our own server the warm-up goes on until the line has served N requests (at most 10x its
        // seconds): a page served 200 times a second is still in the JIT's first tier after 2 s.
        WarmUpRequests = int.Parse(args.Option("--warmup-requests") ?? "2000", CultureInfo.InvariantCulture);
        // --lines TEXT: only the lines of the normal table whose name holds TEXT (e.g. "datasets", "cache tables", "mixed").
        var lines = args.Option("--lines");
        bool Keep(string name) => lines is null || name.Contains(lines, StringComparison.OrdinalIgnoreCase);
        args.EnsureNoExtra();

        if (compare is not null)
        {
            if (mixedOnly || processesOnly) throw new CliException("--compare goes without --mixed and --processes.");
            return await CompareAsync(compare, database, clients, TimeSpan.FromSeconds(seconds), port, env: new Dictionary<string, string>
            {
                ["THROTTLE_BURST_RATE"] = "none",
                ["THROTTLE_DOCS_RATE"] = "none",
                ["Logging__LogLevel__Default"] = "Warning",
                ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
            });
        }

        var temp = database is null ? Path.Combine(Path.GetTempPath(), $"alyx-bench-{Guid.NewGuid():N}") : null;
        if (temp is not null) Directory.CreateDirectory(temp);
        database ??= "sqlite:///" + Path.Combine(temp!, "bench.db");
        var tables = Path.Combine(temp ?? Path.GetTempPath(), "tables");
        var env = new Dictionary<string, string>
        {
            ["THROTTLE_BURST_RATE"] = "none",
            ["THROTTLE_DOCS_RATE"] = "none",
            ["TABLES_ROOT"] = tables,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        };
        try
        {
            Console.WriteLine($"# alyx bench: scale {scale}, {clients} clients, {seconds} s per endpoint, {DatabaseUrl.Parse(database).Provider}");
            Console.WriteLine($"# machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
            if (temp is not null || !await HasSyntheticLabAsync(database))
            {
                var seed = await RunChildAsync(["seed-synthetic", "--scale", scale.ToString(CultureInfo.InvariantCulture), "--database", database], env);
                Console.WriteLine($"# seed-synthetic: {seed.Output.Trim().Split('\n')[^1]}");
            }
            await RunChildAsync(["load-reference-data", "--database", database], env);
            await SeedTasksAsync(database);
            await RunChildAsync(["create-user", "bench", "--password", "bench-password", "--superuser", "--database", database], env);
            await AnalyzeAsync(database);
            var cache = mixedOnly || processesOnly || adminOnly || writesOnly || !Keep("cache tables") ? null
                : await RunChildAsync(["one-cache", "--database", database], env);
            var results = new List<Result>();
            using var server = StartServer(database, port, env);
            try
            {
                using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
                var token = await LoginAsync(http);
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", token);
                var sample = await SampleAsync(http);
                if (processesOnly)
                {
                    server.Kill(entireProcessTree: true);
                    await DriveProcessesAsync(database, port, env, sample, Math.Max(1, (int)Math.Round(1000 * scale)), clients, TimeSpan.FromSeconds(seconds));
                    return 0;
                }
                if (adminOnly)
                {
                    results.AddRange(await AdminPagesAsync(http, clients, TimeSpan.FromSeconds(seconds), server));
                    Print(results);
                    PrintPageTimings(await ModelPagesAsync(http.BaseAddress!, loads), loads);
                    return results.Any(r => r.Errors > 0) ? 1 : 0;
                }
                if (writesOnly)
                {
                    foreach (var target in WriteTargets(Math.Max(1, (int)Math.Round(1000 * scale))))
                        results.Add(await DriveAsync(http, target, clients, TimeSpan.FromSeconds(seconds), server));
                    Print(results);
                    return results.Any(r => r.Errors > 0) ? 1 : 0;
                }
                if (mixedOnly)
                {
                    await DriveMixedAsync(http, Math.Max(1, (int)Math.Round(1000 * scale)), mixedClients, TimeSpan.FromSeconds(mixedSeconds), server);
                    return 0;
                }
                foreach (var target in Targets(sample, Math.Max(1, (int)Math.Round(1000 * scale))).Concat(TaskTargets()).Where(t => Keep(t.Name)))
                    results.Add(await DriveAsync(http, target, clients, TimeSpan.FromSeconds(seconds), server));
                if (AtlasBench.Lists().Any(l => Keep(l.Name)))
                {
                    await AtlasBench.SeedAsync(http);
                    foreach (var (name, path) in AtlasBench.Lists().Where(l => Keep(l.Name)))
                        results.Add(await DriveAsync(http, new Target(name, HttpMethod.Get, path), clients, TimeSpan.FromSeconds(seconds), server));
                }
                if (ImagingBench.Lists().Any(l => Keep(l.Name)))
                {
                    await ImagingBench.SeedAsync(http);
                    foreach (var (name, path) in ImagingBench.Lists().Where(l => Keep(l.Name)))
                        results.Add(await DriveAsync(http, new Target(name, HttpMethod.Get, path), clients, TimeSpan.FromSeconds(seconds), server));
                }
                if (Keep("POST /register-file")) results.Add(await RegisterFilesAsync(http, sample, server));
                if (Keep("admin")) results.AddRange(await AdminPagesAsync(http, clients, TimeSpan.FromSeconds(seconds), server));
                if (Keep("mixed")) await DriveMixedAsync(http, Math.Max(1, (int)Math.Round(1000 * scale)), 16, TimeSpan.FromSeconds(mixedSeconds), server);
            }
            finally
            {
                server.Kill(entireProcessTree: true);
            }
            if (mixedOnly || processesOnly || adminOnly || writesOnly) return 0;
            if (cache is not null)
                results.Add(new Result($"cache tables ({cache.Output.Trim().Split('\n')[^1]})", 0, cache.Elapsed.TotalMilliseconds, cache.Elapsed.TotalMilliseconds,
                    cache.PeakBytes / (1024 * 1024), 1, cache.ExitCode == 0 ? 0 : 1));
            Print(results);
            return results.Any(r => r.Errors > 0) ? 1 : 0;
        }
        finally
        {
            if (temp is not null) Directory.Delete(temp, recursive: true);
        }
    }

    static async Task<bool> HasSyntheticLabAsync(string database)
    {
        try
        {
            await using var db = DatabaseUrl.Parse(database).Open();
            return await db.Database.CanConnectAsync() && db.Subjects.Any(s => s.Nickname.StartsWith("SYN_"));
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            return false;
        }
    }

    /// <summary>Fresh planner statistics (and, on PostgreSQL, a vacuumed visibility map) after the bulk load.</summary>
    static async Task AnalyzeAsync(string database)
    {
        await using var db = DatabaseUrl.Parse(database).Open();
        db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
        await db.Database.ExecuteSqlRawAsync(db.Provider == DatabaseProvider.Postgres ? "VACUUM ANALYZE" : "ANALYZE");
    }

    /// <summary>This executable, however it was started (apphost or <c>dotnet alyx.dll</c>).</summary>
    static ProcessStartInfo Self(IEnumerable<string> arguments, Dictionary<string, string> env)
    {
        var host = Environment.ProcessPath!;
        var info = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "alyx.dll"));
        foreach (var a in arguments) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        return info;
    }

    sealed record ChildResult(int ExitCode, string Output, TimeSpan Elapsed, long PeakBytes);

    /// <summary>Runs a verb of this executable to completion, sampling its resident memory for the peak.</summary>
    static async Task<ChildResult> RunChildAsync(string[] arguments, Dictionary<string, string> env)
    {
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(Self(arguments, env))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        long peak = 0;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, PeakResident(process));
            await Task.Delay(50);
        }
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new CliException($"'{string.Join(' ', arguments)}' failed ({process.ExitCode}): {await error}{await output}");
        return new ChildResult(process.ExitCode, await output, watch.Elapsed, peak);
    }

    /// <summary>VmHWM (the peak resident set) from /proc; the current working set elsewhere.</summary>
    static long PeakResident(Process process) => Resident(process, "VmHWM:");

    /// <summary>VmRSS (the resident set now) from /proc; the current working set elsewhere.</summary>
    static long CurrentResident(Process process) => Resident(process, "VmRSS:");

    static long Resident(Process process, string field)
    {
        try
        {
            var status = $"/proc/{process.Id}/status";
            if (File.Exists(status))
            {
                var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
                if (line is not null) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
            process.Refresh();
            return process.WorkingSet64;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    static Process StartServer(string database, int port, Dictionary<string, string> env)
    {
        var process = Process.Start(Self(["serve", "--database", database, "--urls", $"http://127.0.0.1:{port}"], env))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("server: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    static Task<string> LoginAsync(HttpClient http) => LoginAsync(http, "bench", "bench-password");

    static async Task<string> LoginAsync(HttpClient http, string user, string password)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var form = new FormUrlEncodedContent([new("username", user), new("password", password)]);
                var response = await http.PostAsync("/auth-token", form);
                var text = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode) throw new CliException($"cannot log in to the benchmarked server: {(int)response.StatusCode} {text}");
                return JsonNode.Parse(text)!["token"]!.GetValue<string>();
            }
            catch (HttpRequestException) when (attempt < 300)
            {
                await Task.Delay(100);
            }
        }
    }

    sealed record Sample(string Subject, string Session, string DatasetType);

    static async Task<Sample> SampleAsync(HttpClient http)
    {
        var session = JsonNode.Parse(await http.GetStringAsync("/sessions?limit=1&subject=SYN_00000&" + AtlasBench.SyntheticSessions))!["results"]![0]!;
        return new Sample("SYN_00000", session["id"]!.GetValue<string>(), "wheel.position");
    }

    static IEnumerable<Target> Targets(Sample s, int subjects)
    {
        string Subject(int i) => $"SYN_{i % subjects:00000}";
        yield return new("ceiling: GET /auth-token (405, no database)", HttpMethod.Get, _ => "/auth-token");
        yield return new("GET /subjects?limit=100", HttpMethod.Get, _ => "/subjects?limit=100");
        yield return new("GET /subjects/{nickname}", HttpMethod.Get, i => "/subjects/" + Subject(i));
        yield return new("GET /sessions?limit=100", HttpMethod.Get, _ => "/sessions?limit=100");
        yield return new("GET /sessions?subject=..", HttpMethod.Get, i => "/sessions?limit=100&subject=" + Subject(i));
        yield return new("GET /sessions?date_range=..", HttpMethod.Get, _ => "/sessions?limit=100&date_range=2022-03-01,2022-03-07");
        yield return new("GET /sessions?django=json..", HttpMethod.Get, _ => "/sessions?limit=100&django=json__PYBPOD_BOARD,_iblrig_synth_behavior_3");
        yield return new("GET /sessions/{id}", HttpMethod.Get, _ => "/sessions/" + s.Session);
        yield return new("GET /datasets?limit=100", HttpMethod.Get, _ => "/datasets?limit=100");
        yield return new("GET /datasets?session=..", HttpMethod.Get, _ => "/datasets?limit=100&session=" + s.Session);
        yield return new("GET /datasets?dataset_type=..", HttpMethod.Get, _ => "/datasets?limit=100&dataset_type=" + s.DatasetType);
        yield return new("GET /files?limit=100", HttpMethod.Get, _ => "/files?limit=100");
        yield return new("GET /water-requirement/{nickname}", HttpMethod.Get,
            i => $"/water-requirement/{Subject(i)}?start_date=2022-01-01&end_date=2022-03-31");
        yield return new("POST /weighings", HttpMethod.Post, _ => "/weighings",
            i => $$"""{"subject": "{{Subject(i)}}", "weight": {{20 + i % 50 / 10.0}}, "date_time": "2022-05-01T10:00:00"}""");
        yield return new("POST /sessions", HttpMethod.Post, _ => "/sessions",
            i => $$"""{"subject": "{{Subject(i)}}", "number": {{i % 100}}, "start_time": "2023-01-01T10:00:00", "task_protocol": "bench"}""");
    }

    /// <summary>The load before each line's measured window (<c>--warmup</c>, 2 s unless given).</summary>
    static TimeSpan WarmUp { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The requests a line's warm-up serves at least on our own server (<c>--warmup-requests</c>), within 10x <see cref="WarmUp"/>.</summary>
    static int WarmUpRequests { get; set; } = 2000;

    /// <summary>Drives <paramref name="target"/>; the memory figures are those of <paramref name="server"/> when it is ours (else 0).</summary>
    static async Task<Result> DriveAsync(HttpClient http, Target target, int clients, TimeSpan duration, Process? server)
    {
        // A warm-up (JIT tiering, prepared statements, caches), then the measured window.
        var served = await LoopAsync(http, target, clients, WarmUp, [], countServed: true);
        var extra = WarmUp * 9;
        while (server is not null && served < WarmUpRequests && extra > TimeSpan.Zero)
        {
            var step = TimeSpan.FromSeconds(Math.Min(1, extra.TotalSeconds));
            served += await LoopAsync(http, target, clients, step, [], countServed: true);
            extra -= step;
        }
        var latencies = new List<double>[clients];
        for (var i = 0; i < clients; i++) latencies[i] = new List<double>(4096);
        var cpu = BenchCpu.Read(server);
        var watch = Stopwatch.StartNew();
        var errors = await LoopAsync(http, target, clients, duration, latencies);
        var elapsed = watch.Elapsed.TotalSeconds;
        var (serverMs, machineMs) = BenchCpu.PerRequest(cpu, BenchCpu.Read(server), latencies.Sum(l => (long)l.Count));
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new Result(target.Name, all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99),
            server is null ? 0 : PeakResident(server) / (1024 * 1024), all.Length, errors, server is null ? 0 : CurrentResident(server) / (1024 * 1024))
        {
            ServerCpuMs = serverMs,
            MachineCpuMs = machineMs,
        };
    }

    /// <summary>Drives the target for <paramref name="duration"/>: the count of errors, or of requests served when <paramref name="countServed"/>.</summary>
    static async Task<long> LoopAsync(HttpClient http, Target target, int clients, TimeSpan duration, List<double>[] latencies, bool countServed = false)
    {
        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long errors = 0;
        var counter = 0;
        var expected = target.Name.StartsWith("ceiling", StringComparison.Ordinal) ? 405 : target.Method == HttpMethod.Post ? 201 : 200;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            // Each body is read to its end into one buffer per client and dropped, as load generators do (hey, wrk): a client
            // allocating every body (a water requirement is a megabyte) would spend the machine's CPU the server is measured on.
            var drain = new byte[64 * 1024];
            while (Stopwatch.GetTimestamp() < until)
            {
                var i = Interlocked.Increment(ref counter);
                using var request = new HttpRequestMessage(target.Method, target.Path(i));
                if (target.Body?.Invoke(i) is { } body) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                var start = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
                await using (var content = await response.Content.ReadAsStreamAsync())
                {
                    while (await content.ReadAsync(drain) > 0)
                    {
                    }
                }
                var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if ((int)response.StatusCode != expected) Interlocked.Increment(ref errors);
                if (latencies.Length > 0) latencies[c].Add(ms);
            }
        }));
        return countServed ? counter : errors;
    }

    /// <summary>
    /// One request registering 1,000 new files (median of three, each with new files), on a session of its own, so
    /// that the sampled session the other targets read does not grow with every run on the same database.
    /// </summary>
    static async Task<Result> RegisterFilesAsync(HttpClient http, Sample sample, Process server)
    {
        var times = new List<double>();
        long errors = 0;
        var date = new DateOnly(2030, 1, 1).AddDays((int)(DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 3650));
        using (var created = await http.PostAsync("/sessions", new StringContent(
            $$"""{"subject": "{{sample.Subject}}", "number": 1, "start_time": "{{date:yyyy-MM-dd}}T10:00:00", "task_protocol": "bench"}""",
            Encoding.UTF8, "application/json")))
        {
            if (!created.IsSuccessStatusCode) throw new CliException($"cannot create the register-file session: {(int)created.StatusCode}");
        }
        var path = $"{sample.Subject}/{date:yyyy-MM-dd}/001";
        for (var run = 0; run < 3; run++)
        {
            string[] objects = ["_ibl_wheel.position.npy", "_ibl_wheel.timestamps.npy", "_ibl_wheelMoves.intervals.npy", "_ibl_trials.goCueTrigger_times.npy"];
            var files = Enumerable.Range(0, 1000).Select(i => $"alf/bench{run}_{i / objects.Length:000}/{objects[i % objects.Length]}").ToList();
            var body = new JsonObject
            {
                ["created_by"] = "bench",
                ["path"] = path,
                ["filenames"] = new JsonArray([.. files.Select(f => (JsonNode)f)]),
                ["hashes"] = new JsonArray([.. files.Select(_ => (JsonNode)"d41d8cd98f00b204e9800998ecf8427e")]),
                ["filesizes"] = new JsonArray([.. files.Select(_ => (JsonNode)1024)]),
                ["server_only"] = true,
            };
            var watch = Stopwatch.StartNew();
            using var response = await http.PostAsync("/register-file", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
            var text = await response.Content.ReadAsStringAsync();
            times.Add(watch.Elapsed.TotalMilliseconds);
            if (!response.IsSuccessStatusCode)
            {
                errors++;
                Console.Error.WriteLine($"register-file: {(int)response.StatusCode} {text[..Math.Min(300, text.Length)]}");
            }
        }
        times.Sort();
        return new Result("POST /register-file (1,000 files)", 1000 / (times[1] / 1000), times[1], times[^1], PeakResident(server) / (1024 * 1024), 3, errors,
            CurrentResident(server) / (1024 * 1024));
    }

    const string BenchCpuLegend =
        "# CPU per request over each line's measured window: the server's process, and the whole machine's (every core's busy " +
        "time: server, load driver, database, anything else). The cores' bound is the rate the machine's cores give at that " +
        "machine CPU per request (cores × 1,000 / ms): where it is under a target, the cost per request has to fall to meet it.";

    static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    static void Print(List<Result> results)
    {
        Console.WriteLine();
        Console.WriteLine(TargetsLegend);
        Console.WriteLine();
        Console.WriteLine(BenchCpuLegend);
        Console.WriteLine();
        Console.WriteLine("| endpoint | req/s | p50 ms | p99 ms | requests | errors | target | vs target | server CPU ms/req | machine CPU ms/req | " +
            "cores' bound req/s | server RSS MB | server peak MB |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Name} | {(r.Rps > 0 ? r.Rps.ToString("F0", CultureInfo.InvariantCulture) : "-")} | {r.P50:F1} | {r.P99:F1} | {r.Requests} | {r.Errors} | " +
                $"{TargetText(KindOf(r.Name))} | {VersusTarget(KindOf(r.Name), r)} | {BenchCpu.Format(r.ServerCpuMs)} | {BenchCpu.Format(r.MachineCpuMs)} | " +
                $"{(r.MachineCpuMs > 0 ? BenchCpu.Bound(r.MachineCpuMs).ToString("F0", CultureInfo.InvariantCulture) : "-")} | " +
                $"{(r.RssMb > 0 ? r.RssMb.ToString(CultureInfo.InvariantCulture) : "-")} | {r.PeakMb} |"));
        }
    }
}
