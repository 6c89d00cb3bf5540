using System.Globalization;
using System.Text.Json.Nodes;
using Alyx.Cli;
using Alyx.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Alyx.Tests.Cli;

/// <summary>
/// <c>alyx bench --compare URL</c> and the targets beside the benchmark's lines: the option parsing, the ratio and target
/// cells (expected strings computed by hand), and one short comparison between two servers of ours on the fixture.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class BenchCompareTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static BenchCommand.Result Line(double rps, double p50, double p99, long peakMb = 0) => new("x", rps, p50, p99, peakMb, 100, 0);

    [Fact]
    public void ParseCompare_WithoutCompare_IsNullAndLeavesOtherOptions()
    {
        var args = new CliArgs(["--scale", "2"]);
        Assert.Null(BenchCommand.ParseCompare(args));
        Assert.Equal("2", args.Option("--scale"));
        args.EnsureNoExtra();
    }

    [Fact]
    public void ParseCompare_Defaults_AreTheReferenceSuperuserAndTheSharedFixtures()
    {
        var args = new CliArgs(["--compare", "http://127.0.0.1:8010/", "--seconds", "3"]);
        var options = BenchCommand.ParseCompare(args)!;
        Assert.Equal(new BenchCommand.CompareOptions("http://127.0.0.1:8010", "admin", "admin-pass-123", false, null, "bench", "bench-password",
            Environment.GetEnvironmentVariable("ALYX_FIXTURES") ?? Path.Combine("..", "shared", "fixtures"), null), options);
        Assert.Equal("3", args.Option("--seconds"));
        args.EnsureNoExtra();
    }

    [Fact]
    public void ParseCompare_TakesEveryOption()
    {
        var args = new CliArgs(["--compare=http://other:9000", "--compare-user", "u", "--compare-password", "p", "--compare-no-writes",
            "--url", "http://127.0.0.1:8000", "--user", "me", "--password", "pw", "--fixtures", "/f", "--only", "sessions"]);
        Assert.Equal(new BenchCommand.CompareOptions("http://other:9000", "u", "p", true, "http://127.0.0.1:8000", "me", "pw", "/f", "sessions"),
            BenchCommand.ParseCompare(args));
        args.EnsureNoExtra();
    }

    [Theory]
    [InlineData(new[] { "--compare", "127.0.0.1:8010" }, "--compare needs an http:// or https:// URL, not '127.0.0.1:8010'.")]
    [InlineData(new[] { "--compare", "http://a:1", "--url", "ftp://b" }, "--url needs an http:// or https:// URL, not 'ftp://b'.")]
    [InlineData(new[] { "--compare-no-writes" },
        "--compare-user, --compare-password, --compare-no-writes, --url, --user, --password, --fixtures and --only go with --compare URL.")]
    [InlineData(new[] { "--url", "http://127.0.0.1:8000" },
        "--compare-user, --compare-password, --compare-no-writes, --url, --user, --password, --fixtures and --only go with --compare URL.")]
    public void ParseCompare_RefusesBadCombinations(string[] raw, string message)
    {
        var e = Assert.Throws<CliException>(() => BenchCommand.ParseCompare(new CliArgs(raw)));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData(145 / 3.3, "44×")] // 43.94
    [InlineData(600 / 68.0, "8.8×")] // 8.82
    [InlineData(204 / 84.0, "2.4×")] // 2.43
    [InlineData(35 / 55.0, "0.64×")] // 0.636
    [InlineData(1000.0, "1000×")]
    [InlineData(double.NaN, "-")]
    public void FormatRatio_AsTheIssueWritesThem(double ratio, string expected) => Assert.Equal(expected, BenchCommand.FormatRatio(ratio));

    [Fact]
    public void CompareRow_ShowsBothRatesTheRatioAndTheTarget()
    {
        var ours = new BenchCommand.Result("x", 1108, 5, 12.26, 180, 5540, 0, 150) { MachineCpuMs = 1.804 };
        var theirs = new BenchCommand.Result("x", 43.5, 150, 410.04, 0, 217, 2) { MachineCpuMs = 46.0 };
        // 1108 / 43.5 = 25.47: below the lists' 100×; CPU 46.0 / 1.804 = 25.5.
        Assert.Equal("| GET /sessions?limit=100 | 1,108 | 43.5 | 25× | ≥ 100× | not met | 12.3 | 410.0 | 0 | 2 | 150 / 180 | 1.80 | 46.00 | 25× |",
            BenchCommand.CompareRow("GET /sessions?limit=100", 100, ours, theirs));
        // 1689 / 12.5 = 135.1: above the details' 50×.
        Assert.Equal("| GET /water-requirement/{nickname} | 1,689 | 12.5 | 135× | ≥ 50× | met | 12.3 | 410.0 | 0 | 2 | 150 / 180 | 1.80 | 46.00 | 25× |",
            BenchCommand.CompareRow("GET /water-requirement/{nickname}", 50, ours with { Rps = 1689 }, theirs with { Rps = 12.5 }));
        // Not sent to the other server, and a server of ours whose memory and CPU are not known (--url).
        Assert.Equal("| POST /weighings | 204 | skipped | - | ≥ 20× | - | 12.3 | - | 0 | - | - | - | - | - |",
            BenchCommand.CompareRow("POST /weighings", 20, ours with { Rps = 204, PeakMb = 0, RssMb = 0, MachineCpuMs = 0 }, null));
    }

    [Theory]
    [InlineData("GET /subjects?limit=100", "Get")]
    [InlineData("admin GET /admin-actions/today/ (12 KB, 3 ms alone)", "Get")]
    [InlineData("ceiling: GET /auth-token (405, no database)", "None")]
    [InlineData("all (mixed)", "None")]
    [InlineData("POST /weighings", "Post")]
    [InlineData("POST /register-file (1,000 files)", "RegisterFiles")]
    [InlineData("cache tables (Wrote 10000 sessions and 100000 datasets to tables/cache.zip)", "CacheTables")]
    public void KindOf_ByLineName(string name, string kind) => Assert.Equal(kind, BenchCommand.KindOf(name).ToString());

    [Fact]
    public void VersusTarget_FactorsOrientedSoThatOneMeetsTheTarget()
    {
        // 1260 / 1000 = 1.26 -> 1.3; 20 / 10 = 2.
        Assert.Equal("1.3× · p99 2.0× · met", BenchCommand.VersusTarget(BenchCommand.TargetKind.Get, Line(1260, 3, 10)));
        // Fast enough but a p99 of 25 ms: 20 / 25 = 0.8.
        Assert.Equal("1.5× · p99 0.80× · not met", BenchCommand.VersusTarget(BenchCommand.TargetKind.Get, Line(1500, 3, 25)));
        Assert.Equal("0.20× · not met", BenchCommand.VersusTarget(BenchCommand.TargetKind.Post, Line(204, 30, 80)));
        Assert.Equal("1.0× · met", BenchCommand.VersusTarget(BenchCommand.TargetKind.Post, Line(1000, 5, 20)));
        // register-file: 500 ms / 250 ms median.
        Assert.Equal("2.0× · met", BenchCommand.VersusTarget(BenchCommand.TargetKind.RegisterFiles, Line(4000, 250, 300)));
        Assert.Equal("0.50× · not met", BenchCommand.VersusTarget(BenchCommand.TargetKind.RegisterFiles, Line(1000, 1000, 1100)));
        // cache tables: 5,000 ms / 2,500 ms; 300 MB / 150 MB; then 300 MB exactly is not under 300 MB.
        Assert.Equal("time 2.0× · memory 2.0× · met", BenchCommand.VersusTarget(BenchCommand.TargetKind.CacheTables, Line(0, 2500, 2500, 150)));
        Assert.Equal("time 2.0× · memory 1.0× · not met", BenchCommand.VersusTarget(BenchCommand.TargetKind.CacheTables, Line(0, 2500, 2500, 300)));
        Assert.Equal("-", BenchCommand.VersusTarget(BenchCommand.TargetKind.None, Line(15000, 0.5, 1)));
    }

    [Fact]
    public void TargetText_StatesEachTarget()
    {
        Assert.Equal("≥ 1,000 req/s, p99 ≤ 20 ms", BenchCommand.TargetText(BenchCommand.TargetKind.Get));
        Assert.Equal("≥ 1,000 req/s", BenchCommand.TargetText(BenchCommand.TargetKind.Post));
        Assert.Equal("≤ 0.5 s", BenchCommand.TargetText(BenchCommand.TargetKind.RegisterFiles));
        Assert.Equal("≤ 5 s, < 300 MB (10⁶ datasets)", BenchCommand.TargetText(BenchCommand.TargetKind.CacheTables));
    }

    /// <summary>A copy of the fixture database that a child process can open: on SQLite a file, not the in-memory copy.</summary>
    static async Task<(string Url, IAsyncDisposable Owner)> FixtureDatabaseAsync()
    {
        if (TestDatabase.IsPostgres) return await TestDatabase.CreateAsync();
        var (memory, keeper) = await TestDatabase.CreateAsync();
        await using (keeper)
        {
            var (file, owner) = await TestDatabase.CreateEmptyAsync();
            await using var source = new SqliteConnection($"Data Source={memory["sqlite::memory:".Length..]};Mode=Memory;Cache=Shared");
            await source.OpenAsync(Ct);
            await using var target = new SqliteConnection($"Data Source={file["sqlite:///".Length..]};Pooling=False");
            await target.OpenAsync(Ct);
            source.BackupDatabase(target);
            return (file, owner);
        }
    }

    /// <summary>
    /// Two servers of ours, each on its own copy of the fixture database, compared on one short GET and then on the POST
    /// with <c>--compare-no-writes</c>: the sample is a subject and a session of the fixture, both servers answer, and the
    /// other server's weighings are left as they were.
    /// </summary>
    [Fact]
    public async Task Compare_TwoServersOfOurs_PrintsBothRatesAndTheRatio()
    {
        Fixtures.RequireDump();
        var (oursUrl, oursOwner) = await FixtureDatabaseAsync();
        var (theirsUrl, theirsOwner) = await FixtureDatabaseAsync();
        await using var o1 = oursOwner;
        await using var o2 = theirsOwner;
        var (oursServer, oursHttp) = await AlyxProcess.ServeAsync(oursUrl, Ct);
        using var s1 = oursServer;
        using var h1 = oursHttp;
        var (theirsServer, theirsHttp) = await AlyxProcess.ServeAsync(theirsUrl, Ct);
        using var s2 = theirsServer;
        using var h2 = theirsHttp;

        string[] common =
        [
            "bench", "--url", oursHttp.BaseAddress!.ToString(), "--user", AlyxProcess.AdminUser, "--password", AlyxProcess.AdminPassword,
            "--compare", theirsHttp.BaseAddress!.ToString(), "--compare-user", AlyxProcess.AdminUser, "--compare-password", AlyxProcess.AdminPassword,
            "--seconds", "0.5", "--clients", "2",
        ];
        var (code, output, error) = await Infrastructure.Cli.RunAsync([.. common, "--only", "GET /subjects/{nickname}"]);
        Assert.True(code == 0, output + error);
        // The first subject by nickname and the latest session of the fixture, both on either server.
        Assert.Contains("# sample found in both: subject 01228d, session 27f24cd5-5a0d-407a-95cd-f3d621900790", output);
        var rows = output.Split('\n').Where(l => l.StartsWith("| GET ", StringComparison.Ordinal) || l.StartsWith("| POST ", StringComparison.Ordinal)).ToList();
        var cells = Assert.Single(rows).Split('|', StringSplitOptions.TrimEntries)[1..^1];
        Assert.Equal("GET /subjects/{nickname}", cells[0]);
        var ours = double.Parse(cells[1], NumberStyles.Number, CultureInfo.InvariantCulture);
        var theirs = double.Parse(cells[2], NumberStyles.Number, CultureInfo.InvariantCulture);
        Assert.True(ours > 0 && theirs > 0, rows[0]);
        var ratio = double.Parse(cells[3].TrimEnd('×'), CultureInfo.InvariantCulture);
        Assert.InRange(ratio, ours / theirs * 0.9, ours / theirs * 1.1);
        Assert.Equal("≥ 50×", cells[4]);
        // The same server twice is nowhere near 50 times faster than itself.
        Assert.Equal("not met", cells[5]);
        Assert.Equal(("0", "0"), (cells[8], cells[9]));
        // A running server of ours (--url): its memory is not known.
        Assert.Equal("-", cells[10]);

        static async Task<int> WeighingsAsync(HttpClient http) =>
            JsonNode.Parse(await http.GetStringAsync("/weighings?nickname=01228d&limit=1", Ct))!["count"]!.GetValue<int>();
        var (oursBefore, theirsBefore) = (await WeighingsAsync(oursHttp), await WeighingsAsync(theirsHttp));
        (code, output, error) = await Infrastructure.Cli.RunAsync([.. common, "--only", "POST /weighings", "--compare-no-writes"]);
        Assert.True(code == 0, output + error);
        Assert.Contains("# POSTs are sent to our server only (--compare-no-writes).", output);
        cells = Assert.Single(output.Split('\n'), l => l.StartsWith("| POST /weighings |", StringComparison.Ordinal)).Split('|', StringSplitOptions.TrimEntries)[1..^1];
        Assert.Equal(("skipped", "-", "-"), (cells[2], cells[3], cells[5]));
        Assert.True(await WeighingsAsync(oursHttp) > oursBefore);
        Assert.Equal(theirsBefore, await WeighingsAsync(theirsHttp));
    }
}
