using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Alyx.Cli;
using Alyx.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Alyx.Tests.Database;

/// <summary>
/// A server process on a primary with one streaming replica (<see cref="PostgresReplica"/>), the replica's replay held back
/// by <see cref="ApplyDelay"/> so that what it serves is visibly older than the primary.
/// </summary>
public class ReplicaServer : IAsyncLifetime
{
    public const string Database = "alyx_replicas";

    protected virtual TimeSpan ApplyDelay => TimeSpan.FromSeconds(10);

    public PostgresReplica Pair { get; private set; } = null!;

    public AlyxProcess Server { get; private set; } = null!;

    /// <summary>Logged in as the superuser <see cref="AlyxProcess.AdminUser"/>.</summary>
    public HttpClient Admin { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        if (!TestDatabase.IsPostgres) return;
        var ct = TestContext.Current.CancellationToken;
        Pair = await PostgresReplica.StartAsync(ApplyDelay, ct);
        (Server, Admin) = await AlyxProcess.ServeAsync(Pair.PrimaryUrl(Database), ct, new Dictionary<string, string>
        {
            ["DATABASE_REPLICA_URLS"] = Pair.ReplicaUrl(Database),
            ["REPLICA_STICKY_SECONDS"] = "10",
            ["REPLICA_MAX_LAG_SECONDS"] = "30",
            ["Logging__LogLevel__Alyx.Database.ReadReplicas"] = "Information",
            ["METRICS"] = "true",
            // One process: without the per-request round trips of the shared cache versions and throttle budgets (which
            // always go to the primary, see SharedState) the primary's transaction count shows where the data is read.
            ["SHARED_STATE"] = "false",
        });
        // The monitor lets the replica serve once it has caught up with the migrated database.
        var until = Stopwatch.StartNew();
        while (!Server.Output.Contains("serves reads", StringComparison.Ordinal))
        {
            Assert.True(until.Elapsed < TimeSpan.FromSeconds(90), "the replica never served reads:\n" + Server.Output);
            await Task.Delay(200, ct);
        }
    }

    /// <summary>A client logged in as a new, non-superuser user <paramref name="username"/> (created on the primary).</summary>
    public async Task<HttpClient> UserAsync(string username)
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(0, await AlyxCli.RunAsync(["create-user", username, "--password", "replica-pass-1", "--database", Pair.PrimaryUrl(Database)]));
        var http = new HttpClient { BaseAddress = Admin.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var form = new FormUrlEncodedContent([new("username", username), new("password", "replica-pass-1")]);
        using var response = await http.PostAsync("/auth-token", form, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, text);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", JsonNode.Parse(text)!["token"]!.GetValue<string>());
        return http;
    }

    /// <summary>The server's count of connections opened for reads towards <paramref name="target"/> (primary or replica), from /metrics.</summary>
    public async Task<double> RoutedAsync(string target)
    {
        var text = await Admin.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        return text.Split('\n').Where(l => l.StartsWith("alyx_db_read_route_total{", StringComparison.Ordinal) && l.Contains($"target=\"{target}\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        Admin?.Dispose();
        Server?.Dispose();
        if (Pair is not null) await Pair.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The same, with a replica that replays at once.</summary>
public sealed class PromptReplicaServer : ReplicaServer
{
    protected override TimeSpan ApplyDelay => TimeSpan.Zero;
}

/// <summary>Reads of signed-in users from the replica, their own writes read back from the primary.</summary>
[Trait("Category", "Replicas")]
public sealed class ReadReplicasTests(ReplicaServer fixture) : IClassFixture<ReplicaServer>
{
    const string NeedsPostgres = "needs PostgreSQL (ALYX_TEST_DATABASE_URL): the test makes a primary and a streaming replica with pg_basebackup.";

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetsOfASignedInUser_AreServedByTheReplica_NotThePrimary()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, NeedsPostgres);
        using var reader = await fixture.UserAsync("replica_reader");
        var replica0 = await PostgresReplica.CommittedAsync(fixture.Pair.ReplicaPort, ReplicaServer.Database, Ct);
        var primary0 = await PostgresReplica.CommittedAsync(fixture.Pair.PrimaryPort, ReplicaServer.Database, Ct);
        const int Requests = 200;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async c =>
        {
            for (var i = 0; i < Requests / 4; i++)
            {
                using var response = await reader.GetAsync(i % 2 == 0 ? "/labs" : "/subjects?limit=5", Ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }));
        // Each session publishes its statistics at the latest ten seconds after it went idle.
        await Task.Delay(TimeSpan.FromSeconds(12), Ct);
        var onReplica = await PostgresReplica.CommittedAsync(fixture.Pair.ReplicaPort, ReplicaServer.Database, Ct) - replica0;
        var onPrimary = await PostgresReplica.CommittedAsync(fixture.Pair.PrimaryPort, ReplicaServer.Database, Ct) - primary0;
        // Every request is at least one transaction where it reads; the primary only saw the token lookup (cached) and the
        // monitor's one measurement a second.
        Assert.True(onReplica >= Requests, $"{onReplica} transactions on the replica for {Requests} requests");
        Assert.True(onPrimary < Requests / 2, $"{onPrimary} transactions on the primary for {Requests} requests read from the replica");
    }

    [Fact]
    public async Task AUsersWrite_IsReadBackByThatUserAtOnce_OthersSeeItOnceTheReplicaReplaysIt()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, NeedsPostgres);
        using var other = await fixture.UserAsync("replica_other");
        var name = "replicalab_" + Guid.NewGuid().ToString("N")[..8];
        using (var created = await fixture.Admin.PostAsync("/labs", new StringContent($$"""{"name": "{{name}}"}""", Encoding.UTF8, "application/json"), Ct))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var written = Stopwatch.StartNew();

        // The writer reads its write back at once, from the primary: the item and the list (whose count is not the replica's).
        using (var own = await fixture.Admin.GetAsync("/labs/" + name, Ct))
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var list = JsonNode.Parse(await (await fixture.Admin.GetAsync("/labs?name=" + name, Ct)).Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(1, list["count"]!.GetValue<int>());

        // Another user reads from the replica, ten seconds behind: not there yet...
        using (var stale = await other.GetAsync("/labs/" + name, Ct))
        {
            Assert.True(written.Elapsed < TimeSpan.FromSeconds(8), "too slow to observe the replica's delay");
            Assert.Equal(HttpStatusCode.NotFound, stale.StatusCode);
        }
        // ...then there, once the replica has replayed it.
        while (true)
        {
            using var response = await other.GetAsync("/labs/" + name, Ct);
            if (response.StatusCode == HttpStatusCode.OK) break;
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.True(written.Elapsed < TimeSpan.FromSeconds(40), "the replica never showed the write");
            await Task.Delay(100, Ct);
        }
        Assert.True(written.Elapsed >= TimeSpan.FromSeconds(9), $"seen after {written.Elapsed.TotalSeconds:F1} s, before the replica's delay");
    }
}

/// <summary>The replica stopped under load: reads fall back to the primary, no request fails.</summary>
[Trait("Category", "Replicas")]
public sealed class ReplicaFailureTests(PromptReplicaServer fixture) : IClassFixture<PromptReplicaServer>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReplicaStoppedUnderLoad_ReadsFallBackToThePrimary_NoFailedRequest()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, "needs PostgreSQL (ALYX_TEST_DATABASE_URL): the test makes a primary and a streaming replica with pg_basebackup.");
        using var reader = await fixture.UserAsync("replica_loader");
        var answers = new ConcurrentBag<(long At, string Path, int Status, string Body)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        async Task ClientAsync(int c)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var path = ((c + i) % 3) switch { 0 => "/labs", 1 => "/subjects?limit=5", _ => "/users/" + AlyxProcess.AdminUser };
                using var response = await reader.GetAsync(path, Ct);
                answers.Add((clock.ElapsedMilliseconds, path, (int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct)));
            }
        }
        var clients = Enumerable.Range(0, 6).Select(ClientAsync).ToList();
        while (answers.Count < 30)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"only {answers.Count} answers in a minute");
            await Task.Delay(100, Ct);
        }
        var before = answers.Count;
        var replicaReads = await fixture.RoutedAsync("replica");
        var primaryReads = await fixture.RoutedAsync("primary");
        var stoppedAt = clock.ElapsedMilliseconds;
        await fixture.Pair.StopReplicaAsync(Ct);
        await Task.Delay(TimeSpan.FromSeconds(4), Ct);
        while (answers.Count(a => a.At > stoppedAt + 1000) <= 20)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), "too few answers after the replica stopped");
            await Task.Delay(100, Ct);
        }
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        var failed = answers.Where(a => a.Status != 200).OrderBy(a => a.At).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} of {answers.Count} requests failed, e.g. {string.Join("; ", failed.Take(3).Select(f => $"{f.Path} {f.Status} {f.Body}"))}");
        Assert.True(before > 20, $"only {before} requests before the replica stopped");
        Assert.True(answers.Count(a => a.At > stoppedAt + 1000) > 20, "too few requests after the replica stopped");
        // The load was read from the replica before it stopped, and from the primary afterwards.
        Assert.True(replicaReads >= before, $"{replicaReads} reads routed to the replica for {before} requests before it stopped");
        Assert.True(await fixture.RoutedAsync("primary") - primaryReads >= answers.Count(a => a.At > stoppedAt + 2000),
            "the requests after the replica stopped were not read from the primary");
        var until = Stopwatch.StartNew();
        while (!fixture.Server.Output.Contains("left out", StringComparison.Ordinal))
        {
            Assert.True(until.Elapsed < TimeSpan.FromSeconds(10), "the monitor never left the stopped replica out:\n" + fixture.Server.Output);
            await Task.Delay(100, Ct);
        }
    }
}

/// <summary>The replica settings: defaults, parsing, and the database a replica URL without one reads.</summary>
public sealed class ReplicaSettingsTests
{
    static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    [Fact]
    public void Defaults_NoReplica_TenSecondsSticky_FiveSecondsOfLag()
    {
        var options = new Alyx.Database.ReplicaOptions();
        AlyxSettings.Bind(options, Config());
        Assert.Empty(options.Urls);
        Assert.Equal((10, 5), (options.StickySeconds, options.MaxLagSeconds));
        Assert.False(new Alyx.Database.ReadReplicas(Alyx.Database.DatabaseUrl.Parse("sqlite:///x.db"), options).Enabled);
    }

    [Fact]
    public void ReplicaUrls_AreCommaSeparatedPostgresUrls_WithoutADatabaseTheyReadThePrimarys()
    {
        var options = new Alyx.Database.ReplicaOptions();
        AlyxSettings.Bind(options, Config(("DATABASE_REPLICA_URLS", " postgres://reader:pw@10.0.0.12:5433/alyx , postgres://reader@10.0.0.13"),
            ("REPLICA_STICKY_SECONDS", "30"), ("REPLICA_MAX_LAG_SECONDS", "0")));
        Assert.Equal((30, 0), (options.StickySeconds, options.MaxLagSeconds));
        var replicas = new Alyx.Database.ReadReplicas(Alyx.Database.DatabaseUrl.Parse("postgres://alyx@db.example.org/labdb"), options);
        Assert.True(replicas.Enabled);
        Assert.Equal(["Host=10.0.0.12;Port=5433;Database=alyx;Username=reader;Password=pw", "Host=10.0.0.13;Port=5432;Username=reader;Database=labdb"],
            replicas.Replicas.Select(r => r.ConnectionString));
        Assert.All(replicas.Replicas, r => Assert.False(r.Usable));
    }

    [Theory]
    [InlineData("sqlite:///replica.db")]
    [InlineData("mysql://x@y/z")]
    public void ReplicaUrls_OtherThanPostgres_AreRefusedNamingTheSetting(string url)
    {
        var e = Assert.Throws<InvalidSettingsException>(() => AlyxSettings.Validate(Config(("DATABASE_REPLICA_URLS", url))));
        Assert.StartsWith("Invalid setting DATABASE_REPLICA_URLS=", Assert.Single(e.Errors), StringComparison.Ordinal);
    }
}
