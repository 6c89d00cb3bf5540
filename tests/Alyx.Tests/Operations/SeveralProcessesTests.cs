using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Alyx.Cli;
using Alyx.Tests.Infrastructure;
using Npgsql;

namespace Alyx.Tests.Operations;

/// <summary>
/// Two real server processes on one PostgreSQL database, on loopback ports, as behind a load balancer: what one process
/// commits is seen by the other on the next request (counts, revoked tokens), a user's throttle budgets are one, and one
/// ONE cache build runs at a time.
/// </summary>
public sealed class SeveralProcessesTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const string NeedsPostgres = "needs PostgreSQL (ALYX_TEST_DATABASE_URL): several server processes share state only through PostgreSQL; SQLite is served by one process.";

    /// <summary>A fixture database and two servers on it, both logged in as <see cref="AlyxProcess.AdminUser"/> (one token).</summary>
    sealed class Pair : IAsyncDisposable
    {
        public required string Url { get; init; }
        public required IAsyncDisposable Owner { get; init; }
        public required (AlyxProcess Server, HttpClient Http) A { get; init; }
        public required (AlyxProcess Server, HttpClient Http) B { get; init; }

        public async ValueTask DisposeAsync()
        {
            foreach (var (server, http) in new[] { A, B })
            {
                http.Dispose();
                server.Dispose();
            }
            await Owner.DisposeAsync();
        }
    }

    static async Task<Pair> StartPairAsync(Dictionary<string, string>? env = null)
    {
        var (url, owner) = await TestDatabase.CreateAsync();
        var a = await AlyxProcess.ServeAsync(url, Ct, env);
        var b = await AlyxProcess.ServeAsync(url, Ct, env, createUser: false);
        return new Pair { Url = url, Owner = owner, A = a, B = b };
    }

    static async Task UntilAsync(Func<bool> condition)
    {
        var watch = Stopwatch.StartNew();
        while (!condition() && watch.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(50, Ct);
    }

    static async Task<int> CountAsync(HttpClient http, string path) =>
        (await (await http.GetAsync(path, Ct)).ReadJsonAsync(HttpStatusCode.OK))["count"]!.GetValue<int>();

    [Fact]
    public async Task WriteThroughA_IsCountedOnB_OnTheNextRequest()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, NeedsPostgres);
        await using var pair = await StartPairAsync();
        var (a, b) = (pair.A.Http, pair.B.Http);
        // B counts the labs and keeps the count (COUNT_CACHE_SECONDS, 10 s by default): paging does not count again.
        var before = await CountAsync(b, "/labs?limit=1");
        Assert.Equal(before, await CountAsync(b, "/labs?limit=1&offset=1"));

        var name = "multiproc_lab_" + Guid.NewGuid().ToString("N")[..8];
        await (await a.PostAsync("/labs", Json.Body(new { name }), Ct)).AssertStatusAsync(HttpStatusCode.Created);

        Assert.Equal(before + 1, await CountAsync(b, "/labs?limit=1"));
        Assert.Equal(before + 1, await CountAsync(b, "/labs?limit=1&offset=1"));
        // And the other way round: a deletion through B is counted on A.
        Assert.Equal(before + 1, await CountAsync(a, "/labs?limit=1"));
        await (await b.DeleteAsync($"/labs/{name}", Ct)).AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.Equal(before, await CountAsync(a, "/labs?limit=1"));
    }

    [Fact]
    public async Task TokenRevokedThroughA_PasswordChange_IsRefusedByB_OnTheNextRequest()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, NeedsPostgres);
        await using var pair = await StartPairAsync();
        const string user = "mp_editor", password = "Orig-pass-4821", changed = "Brand-new-pw-42";
        Assert.Equal(0, await AlyxCli.RunAsync(["create-user", user, "--password", password, "--staff", "--database", pair.Url]));
        using var form = new FormUrlEncodedContent([new("username", user), new("password", password)]);
        var token = (await (await pair.A.Http.PostAsync("/auth-token", form, Ct)).ReadJsonAsync(HttpStatusCode.OK))["token"]!.GetValue<string>();
        using var onB = new HttpClient { BaseAddress = pair.B.Http.BaseAddress };
        onB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", token);
        // B looks the token up and keeps it (TOKEN_CACHE_SECONDS, 30 s by default).
        await (await onB.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        await (await onB.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.OK);

        // The user changes the password in A's admin pages, which deletes the user's tokens.
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true };
        var admin = new AdminClient(new HttpClient(handler) { BaseAddress = pair.A.Http.BaseAddress });
        Assert.Equal(HttpStatusCode.Redirect, (await admin.LoginAsync(user, password)).StatusCode);
        var change = await admin.SubmitAsync("/admin/password_change/", "/admin/password_change/",
            new() { ["old_password"] = password, ["new_password1"] = changed, ["new_password2"] = changed });
        Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);

        Assert.Equal("""{"detail":"Invalid token.","status_code":403}""", await (await onB.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task ThrottleBudget_IsOneAcrossProcesses()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, NeedsPostgres);
        await using var pair = await StartPairAsync(new() { ["THROTTLE_BURST_RATE"] = "4/minute" });
        var (a, b) = (pair.A.Http, pair.B.Http);
        // Four requests in all, two through each process, spend the budget of the user...
        foreach (var http in new[] { a, b, a, b }) await (await http.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        // ...so that the fifth is refused by either (each has seen only two).
        foreach (var http in new[] { a, b })
        {
            var response = await http.GetAsync("/labs", Ct);
            var body = await response.AssertStatusAsync(HttpStatusCode.TooManyRequests);
            var seconds = int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(seconds, 1, 60);
            Assert.Equal($$"""{"detail":"Request was throttled. Expected available in {{seconds}} seconds.","status_code":429}""", body);
        }
    }

    [Fact]
    public async Task FailedLogins_AreCountedAcrossProcesses()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, NeedsPostgres);
        await using var pair = await StartPairAsync();
        async Task<HttpResponseMessage> WrongAsync(HttpClient http)
        {
            using var form = new FormUrlEncodedContent([new("username", AlyxProcess.AdminUser), new("password", "not-the-password")]);
            return await http.PostAsync("/auth-token", form, Ct);
        }
        // Ten failures for one username (the limit), five through each process...
        for (var i = 0; i < 5; i++)
        {
            await (await WrongAsync(pair.A.Http)).AssertStatusAsync(HttpStatusCode.BadRequest);
            await (await WrongAsync(pair.B.Http)).AssertStatusAsync(HttpStatusCode.BadRequest);
        }
        // ...and either refuses the next attempt, even with the right password.
        await (await WrongAsync(pair.A.Http)).AssertStatusAsync(HttpStatusCode.TooManyRequests);
        using var right = new FormUrlEncodedContent([new("username", AlyxProcess.AdminUser), new("password", AlyxProcess.AdminPassword)]);
        await (await pair.B.Http.PostAsync("/auth-token", right, Ct)).AssertStatusAsync(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task OneCache_WhileAnotherBuildHoldsTheLock_SaysWhoAndWaits()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, NeedsPostgres);
        var (url, owner) = await TestDatabase.CreateAsync();
        await using var _ = owner;
        var tables = Path.Combine(Path.GetTempPath(), "alyx-onecache-lock-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            // Another build holds the lock documented in the README: pg_advisory_lock(1095522648, 1).
            var holder = new NpgsqlConnectionStringBuilder(Alyx.Database.DatabaseUrl.Parse(url).ConnectionString)
            { ApplicationName = "nightly build elsewhere", Pooling = false };
            await using var connection = new NpgsqlConnection(holder.ConnectionString);
            await connection.OpenAsync(Ct);
            await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(1095522648, 1)", connection)) await take.ExecuteNonQueryAsync(Ct);

            using var build = AlyxProcess.Start(["one-cache", "--database", url], new Dictionary<string, string> { ["TABLES_ROOT"] = tables });
            var watch = Stopwatch.StartNew();
            while (!build.Output.Contains("being built by 'nightly build elsewhere'", StringComparison.Ordinal) && !build.HasExited
                && watch.Elapsed < TimeSpan.FromSeconds(60))
                await Task.Delay(100, Ct);
            Assert.Contains("being built by 'nightly build elsewhere'", build.Output, StringComparison.Ordinal);
            await Task.Delay(500, Ct);
            Assert.False(build.HasExited, build.Output);
            Assert.False(File.Exists(Path.Combine(tables, "cache.zip")));

            await connection.CloseAsync();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(120));
            await build.WaitForExitAsync(timeout.Token);
            Assert.True(build.ExitCode == 0, build.Output);
            Assert.Contains("Wrote ", build.Output, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(tables, "cache.zip")));
        }
        finally
        {
            if (Directory.Exists(tables)) Directory.Delete(tables, true);
        }
    }

    [Fact]
    public async Task SecondServerOnOneSqliteFile_SaysSqliteIsSingleProcess()
    {
        var folder = Path.Combine(Path.GetTempPath(), "alyx-sqlite-two-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var url = "sqlite:///" + Path.Combine(folder, "alyx.db");
        try
        {
            var (first, http) = await AlyxProcess.ServeAsync(url, Ct);
            using (first)
            using (http)
            {
                Assert.DoesNotContain("SQLite is served by one process", first.Output, StringComparison.Ordinal);
                var (second, http2) = await AlyxProcess.ServeAsync(url, Ct, createUser: false);
                using (second)
                using (http2)
                {
                    await UntilAsync(() => second.Output.Contains("Another alyx serve process", StringComparison.Ordinal));
                    Assert.Contains("Another alyx serve process is already serving this SQLite file", second.Output, StringComparison.Ordinal);
                    Assert.DoesNotContain("Another alyx serve process", first.Output, StringComparison.Ordinal);
                }
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, true);
        }
    }
}

/// <summary>The server with its ONE cache tables in a temporary folder.</summary>
public sealed class TempTablesApp : AlyxApp
{
    public string Tables { get; } = Path.Combine(Path.GetTempPath(), "alyx-tables-" + Guid.NewGuid().ToString("N")[..8]);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("TABLES_ROOT", Tables);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(Tables)) Directory.Delete(Tables, true);
    }
}

/// <summary>The scheduled ONE cache rebuild of a server while another build holds the lock: it skips, naming the holder.</summary>
public sealed class ScheduledOneCacheLockTests(TempTablesApp app) : IClassFixture<TempTablesApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ScheduledRebuild_WhileAnotherBuildHoldsTheLock_SkipsAndSaysWho()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, "needs PostgreSQL (ALYX_TEST_DATABASE_URL): the build lock is a PostgreSQL advisory lock.");
        var holder = new NpgsqlConnectionStringBuilder(Alyx.Database.DatabaseUrl.Parse(app.DatabaseUrl).ConnectionString)
        { ApplicationName = "manual build", Pooling = false };
        await using var connection = new NpgsqlConnection(holder.ConnectionString);
        await connection.OpenAsync(Ct);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(1095522648, 1)", connection)) await take.ExecuteNonQueryAsync(Ct);
        var job = app.Services.GetRequiredService<Alyx.Misc.Scheduler>().Jobs.Single(j => j.Name == "one-cache");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var message = await job.RunAsync(scope.ServiceProvider, Ct);
            Assert.StartsWith("Skipped: the ONE cache tables are being built by 'manual build' (PostgreSQL backend ", message, StringComparison.Ordinal);
        }

        await connection.CloseAsync();
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.StartsWith("Wrote ", await job.RunAsync(scope.ServiceProvider, Ct), StringComparison.Ordinal);
    }
}
