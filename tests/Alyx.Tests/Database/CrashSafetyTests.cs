using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Alyx.Cli;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Database;

/// <summary>
/// Crash safety: the real executable is killed with SIGKILL at a random point of a write (import-dump, a register-file of
/// 1,000 files, a burst of weighing POSTs), a few times each, and the database must hold either everything the
/// interrupted transaction wrote or nothing of it, every acknowledged write included; then the server starts again on it
/// and serves. Filter with <c>--filter "Category=Crash"</c>.
/// </summary>
public abstract class CrashSafetyTests : IAsyncLifetime
{
    protected const int Kills = 3;

    readonly List<IAsyncDisposable> owners = [];
    protected List<string> TempFiles { get; } = [];
    readonly Random random = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var owner in owners) await owner.DisposeAsync();
        foreach (var file in TempFiles) File.Delete(file);
        GC.SuppressFinalize(this);
    }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected async Task<string> EmptyAsync()
    {
        var (url, owner) = await TestDatabase.CreateEmptyAsync();
        owners.Add(owner);
        return url;
    }

    /// <summary>A database holding a small synthetic lab (10 subjects, 100 sessions, 1,000 datasets).</summary>
    protected async Task<string> LabAsync(string scale = "0.01")
    {
        var url = await EmptyAsync();
        Assert.Equal(0, await AlyxCli.RunAsync(["seed-synthetic", "--scale", scale, "--database", url]));
        return url;
    }

    protected static string Diff(SortedDictionary<string, string> before, SortedDictionary<string, string> after) =>
        string.Join('\n', before.Keys.Union(after.Keys).Where(t => before.GetValueOrDefault(t) != after.GetValueOrDefault(t))
            .Select(t => $"{t}: {before.GetValueOrDefault(t)} -> {after.GetValueOrDefault(t)}"));

    protected TimeSpan Between(TimeSpan from, TimeSpan to) => from + (to - from) * random.NextDouble();

}

/// <summary>import-dump killed: the database holds all of the dump or nothing of it.</summary>
[Trait("Category", "Crash")]
public sealed class ImportDumpCrashTests : CrashSafetyTests
{
    [Fact]
    public async Task ImportDump_KilledAnywhere_ImportsAllOrNothing()
    {
        // The dump: a synthetic lab of about 8,600 records, exported.
        var source = await LabAsync("0.02");
        var dump = Path.Combine(Path.GetTempPath(), $"alyx-crash-{Guid.NewGuid():N}.json");
        TempFiles.Add(dump);
        Assert.Equal(0, await AlyxCli.RunAsync(["export-dump", dump, "--database", source]));

        // What a complete import gives, and how long it takes.
        var reference = await EmptyAsync();
        Assert.Equal(0, await AlyxCli.RunAsync(["migrate", "--database", reference]));
        var watch = Stopwatch.StartNew();
        using (var full = AlyxProcess.Start(["import-dump", dump, "--database", reference]))
        {
            await full.WaitForExitAsync(Ct);
            Assert.True(full.ExitCode == 0, full.Output);
        }
        var duration = watch.Elapsed;
        var complete = await AlyxProcess.FingerprintAsync(reference, Ct);
        Assert.Contains("actions_session", complete.Keys);
        Assert.Equal("200 rows", complete["actions_session"].Split(',')[0]);

        var outcomes = new List<string>();
        for (var kill = 0; kill < Kills; kill++)
        {
            var target = await EmptyAsync();
            Assert.Equal(0, await AlyxCli.RunAsync(["migrate", "--database", target]));
            var before = await AlyxProcess.FingerprintAsync(target, Ct);
            using (var import = AlyxProcess.Start(["import-dump", dump, "--database", target]))
            {
                await Task.Delay(Between(duration * 0.3, duration * 0.95), Ct);
                import.Kill();
            }
            var after = await AlyxProcess.FingerprintAsync(target, Ct);
            Assert.True(after.SequenceEqual(before) || after.SequenceEqual(complete),
                $"kill {kill}: the database is neither as before nor completely imported:\n{Diff(before, after)}");
            outcomes.Add(after.SequenceEqual(before) ? "nothing" : "all");
            if (kill < Kills - 1) continue;
            // The database opens and serves afterwards.
            var (server, http) = await AlyxProcess.ServeAsync(target, Ct);
            using (server)
            using (http)
            {
                using var response = await http.GetAsync("/sessions?limit=1", Ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
        TestContext.Current.SendDiagnosticMessage($"import-dump ({duration.TotalSeconds:F1} s) killed {Kills} times: {string.Join(", ", outcomes)}");
    }

}

/// <summary>A register-file of 1,000 files killed: all of its datasets and file records, or none.</summary>
[Trait("Category", "Crash")]
public sealed class RegisterFileCrashTests : CrashSafetyTests
{
    [Fact]
    public async Task RegisterFile_KilledAnywhere_RegistersAllOrNoneOfTheFiles()
    {
        var url = await LabAsync();
        var (server, http) = await AlyxProcess.ServeAsync(url, Ct);
        try
        {
            // The time one registration of 1,000 files takes, on a session of its own.
            var path = await NewSessionAsync(http, 0);
            var watch = Stopwatch.StartNew();
            using (var response = await RegisterAsync(http, path, CancellationToken.None))
                Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
            var duration = watch.Elapsed;
            Assert.Equal(1000, await DatasetsOfAsync(url, path));

            var outcomes = new List<string>();
            for (var kill = 1; kill <= Kills; kill++)
            {
                path = await NewSessionAsync(http, kill);
                var before = await AlyxProcess.FingerprintAsync(url, Ct);
                using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
                var request = RegisterAsync(http, path, cancel.Token);
                await Task.Delay(Between(TimeSpan.Zero, duration), Ct);
                server.Kill();
                try
                {
                    (await request).Dispose();
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // The connection died with the server.
                }
                var datasets = await DatasetsOfAsync(url, path);
                if (datasets == 0)
                    Assert.True(before.SequenceEqual(await AlyxProcess.FingerprintAsync(url, Ct)), $"kill {kill}: no dataset, yet the database changed");
                else
                {
                    Assert.Equal(1000, datasets);
                    await using var db = TestDatabase.Open(url);
                    var since = new DateTime(2031, 1, 1);
                    var records = await db.Set<Alyx.Data.Dataset>().Where(d => d.Session!.Subject!.Nickname == "SYN_00002" && d.Session.StartTime >= since)
                        .Select(d => db.Set<Alyx.Data.FileRecord>().Count(f => f.DatasetId == d.Id)).ToListAsync(Ct);
                    Assert.True(records.Count >= 2000 && records.Distinct().Count() == 1,
                        $"kill {kill}: every registered dataset has its file records: " +
                        string.Join(", ", records.GroupBy(r => r).Select(g => $"{g.Count()} datasets with {g.Key}")));
                }
                outcomes.Add(datasets == 0 ? "none" : "all");
                http.Dispose();
                server.Dispose();
                (server, http) = await AlyxProcess.ServeAsync(url, Ct);
                using var served = await http.GetAsync("/datasets?limit=1&subject=SYN_00002", Ct);
                Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            }
            TestContext.Current.SendDiagnosticMessage($"register-file ({duration.TotalSeconds:F1} s) killed {Kills} times: {string.Join(", ", outcomes)}");
        }
        finally
        {
            http.Dispose();
            server.Dispose();
        }
    }

    /// <summary>A new session of SYN_00002 on a day of its own; its ALF path.</summary>
    static async Task<string> NewSessionAsync(HttpClient http, int day)
    {
        var date = new DateOnly(2031, 1, 1).AddDays(day);
        var body = $$"""{"subject": "SYN_00002", "number": 1, "start_time": "{{date:yyyy-MM-dd}}T10:00:00", "task_protocol": "crash"}""";
        using var response = await http.PostAsync("/sessions", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        return $"SYN_00002/{date:yyyy-MM-dd}/001";
    }

    static Task<HttpResponseMessage> RegisterAsync(HttpClient http, string path, CancellationToken ct)
    {
        string[] objects = ["_ibl_wheel.position.npy", "_ibl_wheel.timestamps.npy", "_ibl_wheelMoves.intervals.npy", "_ibl_trials.goCueTrigger_times.npy"];
        var names = Enumerable.Range(0, 1000).Select(i => $"alf/crash_{i / objects.Length:000}/{objects[i % objects.Length]}").ToList();
        var body = new JsonObject
        {
            ["created_by"] = AlyxProcess.AdminUser,
            ["path"] = path,
            ["filenames"] = new JsonArray([.. names.Select(f => (JsonNode)f)]),
            ["hashes"] = new JsonArray([.. names.Select(_ => (JsonNode)"d41d8cd98f00b204e9800998ecf8427e")]),
            ["filesizes"] = new JsonArray([.. names.Select(_ => (JsonNode)1024)]),
            ["server_only"] = true,
        };
        return http.PostAsync("/register-file", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), ct);
    }

    /// <summary>The datasets of the session at <paramref name="path"/> (subject/date/number), read from the database.</summary>
    static async Task<int> DatasetsOfAsync(string url, string path)
    {
        var parts = path.Split('/');
        var start = DateOnly.ParseExact(parts[1], "yyyy-MM-dd", CultureInfo.InvariantCulture).ToDateTime(TimeOnly.MinValue);
        await using var db = TestDatabase.Open(url);
        return await db.Set<Alyx.Data.Dataset>().CountAsync(d => d.Session!.Subject!.Nickname == parts[0]
            && d.Session.StartTime >= start && d.Session.StartTime < start.AddDays(1), Ct);
    }

}

/// <summary>A burst of weighing POSTs killed: every acknowledged weighing kept, every row whole.</summary>
[Trait("Category", "Crash")]
public sealed class WeighingCrashTests : CrashSafetyTests
{
    [Fact]
    public async Task WeighingBurst_KilledAnywhere_KeepsEveryAcknowledgedWeighingAndNothingPartial()
    {
        var url = await LabAsync();
        var (server, http) = await AlyxProcess.ServeAsync(url, Ct);
        var sent = new ConcurrentDictionary<double, DateTime>();
        var acknowledged = new ConcurrentBag<double>();
        var counter = 0;
        try
        {
            for (var kill = 0; kill < Kills; kill++)
            {
                var killed = false;
                var firstAck = acknowledged.Count;
                var client = http;
                var victim = server;
                // Eight clients posting weighings of SYN_00003, each with a weight and a time no other has.
                await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
                {
                    while (!Volatile.Read(ref killed))
                    {
                        var n = Interlocked.Increment(ref counter);
                        var weight = 10 + n / 1000.0;
                        var time = new DateTime(2032, 1, 1, 0, 0, 0).AddMinutes(n);
                        sent[weight] = time;
                        var body = string.Create(CultureInfo.InvariantCulture,
                            $$"""{"subject": "SYN_00003", "weight": {{weight}}, "date_time": "{{time:yyyy-MM-ddTHH:mm:ss}}"}""");
                        try
                        {
                            using var response = await client.PostAsync("/weighings", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
                            var text = await response.Content.ReadAsStringAsync(Ct);
                            Assert.True(response.StatusCode == HttpStatusCode.Created, text);
                            acknowledged.Add(weight);
                        }
                        catch (Exception e) when (e is HttpRequestException or IOException)
                        {
                            return; // The server is gone.
                        }
                    }
                }).Append(Task.Run(async () =>
                {
                    // Killed at a random moment once the burst is under way (its first weighing acknowledged; bounded).
                    var waited = Stopwatch.StartNew();
                    while (acknowledged.Count == firstAck && waited.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(10, Ct);
                    await Task.Delay(Between(TimeSpan.Zero, TimeSpan.FromSeconds(1)), Ct);
                    victim.Kill();
                    Volatile.Write(ref killed, true);
                }, Ct)));

                http.Dispose();
                server.Dispose();
                (server, http) = await AlyxProcess.ServeAsync(url, Ct);
                await using (var db = TestDatabase.Open(url))
                {
                    var stored = await db.Set<Alyx.Actions.Weighing>().AsNoTracking().Where(w => w.Subject!.Nickname == "SYN_00003" && w.DateTime >= new DateTime(2032, 1, 1))
                        .Select(w => new { w.Weight, w.DateTime, w.UserId }).ToListAsync(Ct);
                    var weights = stored.Select(w => w.Weight).ToHashSet();
                    Assert.All(acknowledged, w => Assert.Contains(w, weights));
                    // Nothing partial: every stored row is one that was sent, whole.
                    Assert.All(stored, w => Assert.True(sent.TryGetValue(w.Weight, out var t) && t == w.DateTime && w.UserId != null, $"unexpected row {w}"));
                    Assert.Equal(stored.Count, weights.Count);
                }
                using var served = await http.GetAsync("/weighings?nickname=SYN_00003", Ct);
                Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            }
            Assert.NotEmpty(acknowledged);
            TestContext.Current.SendDiagnosticMessage($"weighing bursts killed {Kills} times: {sent.Count} sent, {acknowledged.Count} acknowledged");
        }
        finally
        {
            http.Dispose();
            server.Dispose();
        }
    }
}
