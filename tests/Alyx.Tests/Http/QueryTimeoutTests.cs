using Alyx.Http;
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
    public void IsQueryTimeout_OnlyForTimeouts()
    {
        Assert.True(AlyxPipeline.IsQueryTimeout(new InvalidOperationException("outer", new TimeoutException())));
        Assert.False(AlyxPipeline.IsQueryTimeout(new InvalidOperationException("other")));
    }
}
