using System.Diagnostics;
using System.Net;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Data;

/// <summary>
/// A measurement, not a test: wall time of register-file for 1,000 files (first registration and identical repeat), median
/// of five runs, written to the test output. Explicit: runs only when asked for, e.g.
/// <c>dotnet test tests/Alyx.Tests --filter "FullyQualifiedName~RegisterFileTimings" -- xUnit.Explicit=only</c>.
/// </summary>
public sealed class RegisterFileTimings(AlyxApp app) : IClassFixture<AlyxApp>
{
    [Fact(Explicit = true)]
    public async Task Register1000Files_MedianOfFiveRuns()
    {
        var ct = TestContext.Current.CancellationToken;
        var client = await app.ClientForAsync("timing_user");
        var (lab, _) = await DataWorld.LabWithRepositoriesAsync(app, true, false);
        var first = new List<double>();
        var repeat = new List<double>();
        for (var run = 0; run < 5; run++)
        {
            var w = await DataWorld.CreateAsync(app);
            var files = Enumerable.Range(0, 1000).Select(i => $"alf/probe{i % 10:D2}/{w.Prefix}a.{"abcd"[i % 4]}.n{i}.{w.Ext}1").ToList();
            var body = Json.Body(new { path = $"{w.Subject}/2018-01-01/002", filenames = files, labs = lab, hashes = files.Select(_ => "0123456789abcdef0123456789abcdef") });
            var payload = await body.ReadAsStringAsync(ct);
            foreach (var times in new[] { first, repeat })
            {
                var watch = Stopwatch.StartNew();
                var response = await client.PostAsync("/register-file", Json.Body(payload), ct);
                watch.Stop();
                await response.AssertStatusAsync(HttpStatusCode.Created);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }
        static double Median(List<double> xs) => xs.Order().ElementAt(xs.Count / 2);
        TestContext.Current.SendDiagnosticMessage(
            $"register-file 1000 files ({(TestDatabase.IsPostgres ? "PostgreSQL" : "SQLite")}): first {Median(first):F0} ms, repeat {Median(repeat):F0} ms "
            + $"(runs: {string.Join(", ", first.Select(x => x.ToString("F0")))} / {string.Join(", ", repeat.Select(x => x.ToString("F0")))})");
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "alyx-register-timings.txt"),
            $"{(TestDatabase.IsPostgres ? "postgres" : "sqlite")} first={Median(first):F0}ms repeat={Median(repeat):F0}ms runs={string.Join(",", first.Select(x => x.ToString("F0")))} / {string.Join(",", repeat.Select(x => x.ToString("F0")))}\n");
    }
}
