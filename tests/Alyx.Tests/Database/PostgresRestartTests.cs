using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Database;

/// <summary>
/// PostgreSQL restarted (<c>pg_ctl restart -m fast</c>) while the server is under load, on a throw-away cluster of the
/// test's own (the suite's cluster serves the other tests meanwhile): requests in flight or arriving while it is down fail
/// with a 503 in Alyx's error shape, never a 500 or a hang, and the server recovers by itself once PostgreSQL is back.
/// </summary>
[Trait("Category", "Crash")]
public sealed class PostgresRestartTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static string Script()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, ".ci", "postgres.sh");
            if (File.Exists(script)) return script;
        }
        throw new FileNotFoundException(".ci/postgres.sh not found above " + AppContext.BaseDirectory);
    }

    static async Task<string> RunAsync(string file, params string[] args) => await RunAsync(file, new Dictionary<string, string>(), args);

    static async Task<string> RunAsync(string file, Dictionary<string, string> env, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await error}{await output}");
        return (await output).Trim();
    }

    [Fact]
    public async Task PostgresRestartUnderLoad_AnswersCleanly_AndRecoversWithoutARestart()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, "needs PostgreSQL (ALYX_TEST_DATABASE_URL): the test restarts a cluster of its own.");
        var port = AlyxProcess.FreePort();
        var env = new Dictionary<string, string>
        {
            ["ALYX_PG_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ALYX_PG_DATA"] = Path.Combine(Path.GetTempPath(), $"alyx-restart-{Guid.NewGuid():N}"),
        };
        var script = Script();
        var url = await RunAsync("bash", env, script, "start");
        try
        {
            var pgCtl = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_ctl")).First(File.Exists);
            var (server, http) = await AlyxProcess.ServeAsync(url[..url.LastIndexOf('/')] + "/alyx_restart", Ct);
            using (server)
            using (http)
            {
                var answers = new ConcurrentBag<(long At, string Kind, int Status, string Body)>();
                var clock = Stopwatch.StartNew();
                var counter = 0;
                var restarted = -1L;
                using var stop = new CancellationTokenSource();
                async Task ClientAsync(int c)
                {
                    while (!stop.IsCancellationRequested)
                    {
                        var n = Interlocked.Increment(ref counter);
                        var write = c % 3 == 0;
                        using var request = write
                            ? new HttpRequestMessage(HttpMethod.Post, "/labs") { Content = new StringContent($$"""{"name": "restartlab_{{n}}"}""", Encoding.UTF8, "application/json") }
                            : new HttpRequestMessage(HttpMethod.Get, c % 3 == 1 ? "/labs" : "/users/" + AlyxProcess.AdminUser);
                        // A hang shows as the client's timeout (TaskCanceledException), which fails the test.
                        using var response = await http.SendAsync(request, Ct);
                        answers.Add((clock.ElapsedMilliseconds, write ? "POST /labs" : request.RequestUri!.ToString(), (int)response.StatusCode,
                            await response.Content.ReadAsStringAsync(Ct)));
                        if ((int)response.StatusCode == 503) await Task.Delay(20, Ct);
                    }
                }
                var clients = Enumerable.Range(0, 6).Select(ClientAsync).ToList();
                await Task.Delay(1000, Ct);
                var restartStarted = clock.ElapsedMilliseconds;
                await RunAsync("su", "postgres", "-c", $"{pgCtl} -D '{env["ALYX_PG_DATA"]}' -l '{env["ALYX_PG_DATA"]}/server.log' -m fast -w restart");
                restarted = clock.ElapsedMilliseconds;
                // Load goes on until every kind of request has succeeded again after the restart (bounded).
                while (clock.ElapsedMilliseconds - restarted < 30_000)
                {
                    var after = answers.Where(a => a.At > restarted && a.Status is 200 or 201).Select(a => a.Kind).Distinct().Count();
                    if (after == 3) break;
                    await Task.Delay(100, Ct);
                }
                await Task.Delay(500, Ct);
                await stop.CancelAsync();
                await Task.WhenAll(clients);

                var all = answers.ToList();
                var unexpected = all.Where(a => a.Status is not (200 or 201 or 503)).ToList();
                Assert.True(unexpected.Count == 0, "not 200/201/503: " + string.Join("; ", unexpected.Take(5).Select(a => $"{a.Kind} {a.Status} {a.Body}")));
                foreach (var failed in all.Where(a => a.Status == 503))
                {
                    var body = JsonNode.Parse(failed.Body)!.AsObject();
                    Assert.Equal(["detail", "status_code"], body.Select(p => p.Key).Order(StringComparer.Ordinal));
                    Assert.Equal(503, body["status_code"]!.GetValue<int>());
                    Assert.Equal("The database is unavailable; try again shortly.", body["detail"]!.GetValue<string>());
                }
                // Recovered by itself: every kind of request succeeds after the restart, with the same server process.
                Assert.Equal(3, all.Where(a => a.At > restarted && a.Status is 200 or 201).Select(a => a.Kind).Distinct().Count());
                Assert.False(server.HasExited);
                TestContext.Current.SendDiagnosticMessage(
                    $"restart {restarted - restartStarted} ms; {all.Count} answers, {all.Count(a => a.Status == 503)} 503s, " +
                    $"{all.Count(a => a.At > restartStarted && a.At <= restarted && a.Status != 503)} successes during the restart");
            }
        }
        finally
        {
            await RunAsync("bash", env, script, "stop");
        }
    }
}
