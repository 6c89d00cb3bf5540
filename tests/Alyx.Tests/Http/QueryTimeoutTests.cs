using System.Diagnostics;
using System.Net;
using Alyx.Http;
using Alyx.Misc;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Http;

/// <summary>A server whose database commands may run for one second.</summary>
public sealed class ShortTimeoutApp : AlyxApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("QUERY_TIMEOUT_SECONDS", "1");
    }
}

/// <summary>QUERY_TIMEOUT_SECONDS bounds every command; what a cut-short command throws is recognised (and answered with a 503).</summary>
public sealed class QueryTimeoutTests(ShortTimeoutApp app) : IClassFixture<ShortTimeoutApp>
{
    [Fact]
    public async Task CommandTimeout_ComesFromTheSetting()
    {
        var timeout = await app.WithDbAsync(db => Task.FromResult(db.Database.GetCommandTimeout()));
        Assert.Equal(1, timeout);
    }

    [Fact]
    public async Task SlowPostgresQuery_IsCutAndRecognisedAsATimeout()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, "pg_sleep needs PostgreSQL (ALYX_TEST_DATABASE_URL); SQLite has no sleeping query.");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.WithDbAsync(db =>
            db.Database.SqlQueryRaw<int>("SELECT 1 AS \"Value\" FROM pg_sleep(3)").ToListAsync(TestContext.Current.CancellationToken)));
        Assert.True(AlyxPipeline.IsQueryTimeout(error), error.ToString());
    }

    [Fact]
    public async Task SlowSqliteQuery_IsInterruptedAtTheTimeout()
    {
        Assert.SkipWhen(TestDatabase.IsPostgres, "SQLite's own bound; PostgreSQL's is the test above.");
        // About a minute of work without the interrupt: SQLite's command timeout only bounds lock waits.
        const string Slow = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000000) SELECT count(*) AS \"Value\" FROM c";
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.WithDbAsync(db =>
            db.Database.SqlQueryRaw<long>(Slow).ToListAsync(TestContext.Current.CancellationToken)));
        Assert.True(AlyxPipeline.IsQueryTimeout(error), error.ToString());
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.9, 10);
        // The connection serves the next command.
        Assert.Equal(1, await app.WithDbAsync(db => db.Labs.Take(1).CountAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public void IsQueryTimeout_OnlyForTimeouts()
    {
        Assert.True(AlyxPipeline.IsQueryTimeout(new InvalidOperationException("outer", new TimeoutException())));
        Assert.False(AlyxPipeline.IsQueryTimeout(new InvalidOperationException("other")));
    }
}

/// <summary>Regular expressions sent with django= never hold a thread: linear-time matching, else a bounded one (503).</summary>
public sealed class RegexBoundTests(ShortTimeoutApp app) : IClassFixture<ShortTimeoutApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<string> SeedAsync()
    {
        // 30 a's then a character no pattern below accepts: 2^30 ways for (a+)+ to split them when backtracking.
        var name = new string('a', 30) + "!" + Guid.NewGuid().ToString("N")[..6];
        await app.WithDbAsync(async db =>
        {
            db.Labs.Add(new Lab { Name = name });
            await db.SaveChangesAsync(Ct);
        });
        return name;
    }

    async Task<(HttpResponseMessage Response, TimeSpan Elapsed)> GetAsync(string django)
    {
        var client = await app.ClientForAsync();
        var clock = Stopwatch.StartNew();
        var response = await client.GetAsync("/labs?limit=1000&django=" + Uri.EscapeDataString(django), Ct);
        return (response, clock.Elapsed);
    }

    [Theory]
    [InlineData("name__regex,^(a+)+$")]
    [InlineData("name__iregex,^(A+)+$")]
    [InlineData("name__regex,^(a|aa)+$")]
    public async Task CatastrophicPattern_WithoutBackreferences_AnswersAtOnce(string django)
    {
        await SeedAsync();
        // Under this fixture's 1-second query bound a backtracking engine is cut short (503); a 200 is the answer.
        var (response, _) = await GetAsync(django);
        var body = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, body["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task CatastrophicPattern_NeedingBacktracking_IsCutShort()
    {
        await SeedAsync();
        // A lookahead keeps the backtracking engine; on PostgreSQL the database's own engine and statement timeout apply.
        var (response, elapsed) = await GetAsync("name__regex,^(a+)+(?=b)");
        Assert.True(elapsed < TimeSpan.FromSeconds(5), $"took {elapsed}");
        if (TestDatabase.IsPostgres && response.StatusCode == HttpStatusCode.OK) return;
        var body = await response.ReadJsonAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("The query took longer than the server allows; narrow it down with filters or a smaller limit.",
            body["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task BoundedRegexp_KeepsMatching()
    {
        var name = await SeedAsync();
        var (response, _) = await GetAsync($"name__regex,^a{{30}}!{name[31..]}$");
        var body = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(name, Assert.Single(body["results"]!.AsArray())!["name"]!.GetValue<string>());
        (response, _) = await GetAsync($"name__iregex,^(A)\\1{{29}}!{name[31..].ToUpperInvariant()}$");
        body = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(name, Assert.Single(body["results"]!.AsArray())!["name"]!.GetValue<string>());
    }
}
