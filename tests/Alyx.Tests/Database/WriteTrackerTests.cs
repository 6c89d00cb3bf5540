using System.Net;
using Alyx.Database;
using Alyx.Misc;
using Alyx.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Database;

/// <summary>Each host has its own WriteTracker: writes through one host move its versions and no other host's.</summary>
public sealed class WriteTrackerTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static WriteTracker Tracker(WebApplicationFactory<Program> host) => host.Services.GetRequiredService<WriteTracker>();

    [Fact]
    public async Task WriteThroughOneHost_MovesOnlyThatHostsVersions()
    {
        await using var other = new AlyxApp();
        await other.InitializeAsync();
        var (mine, theirs) = (Tracker(app), Tracker(other));
        Assert.NotSame(mine, theirs);
        Assert.Same(mine, await app.WithDbAsync(db => Task.FromResult(WriteTracker.Of(db))));
        Assert.Same(theirs, await other.WithDbAsync(db => Task.FromResult(WriteTracker.Of(db))));

        var (data, auth) = (mine.Data, mine.Auth);
        var untouched = (theirs.Data, theirs.Auth);
        await app.WithDbAsync(async db =>
        {
            db.Labs.Add(new Lab { Name = AlyxApp.Unique("lab") });
            await db.SaveChangesAsync(Ct);
        });
        Assert.True(mine.Data > data, $"data version {mine.Data} after {data}");
        Assert.Equal(auth, mine.Auth);
        await app.WithDbAsync(db => db.Users.Where(u => u.Username == "admin").ExecuteUpdateAsync(s => s.SetProperty(u => u.FirstName, "A"), Ct));
        Assert.True(mine.Auth > auth, $"auth version {mine.Auth} after {auth}");
        Assert.Equal(untouched, (theirs.Data, theirs.Auth));
    }

    [Fact]
    public async Task CountCachedByOneHost_IsKeptAfterWritesThroughAnotherHost_AndDroppedAfterItsOwn()
    {
        // Two more hosts on this fixture's database: for each of them the other's writes are those of another process. Without
        // shared state (SQLite, or SHARED_STATE=false on PostgreSQL; with it, SeveralProcessesTests) each sees its own only.
        var institution = AlyxApp.Unique("inst");
        await app.WithDbAsync(async db =>
        {
            db.Labs.AddRange(new Lab { Name = institution + "_a", Institution = institution }, new Lab { Name = institution + "_b", Institution = institution });
            await db.SaveChangesAsync(Ct);
        });
        using var counting = app.WithWebHostBuilder(b => b.UseSetting("COUNT_CACHE_SECONDS", "3600").UseSetting("SHARED_STATE", "false"));
        using var writing = app.WithWebHostBuilder(b => b.UseSetting("SHARED_STATE", "false"));
        Assert.NotSame(Tracker(counting), Tracker(writing));
        var client = counting.CreateClient();
        client.DefaultRequestHeaders.Authorization = (await app.ClientForAsync()).DefaultRequestHeaders.Authorization;
        async Task<int> CountAsync() =>
            (await (await client.GetAsync($"/labs?institution={institution}&limit=1", Ct)).ReadJsonAsync(HttpStatusCode.OK))["count"]!.GetValue<int>();
        async Task DeleteAsync(WebApplicationFactory<Program> host, string name)
        {
            await using var scope = host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AlyxDb>().Labs.Where(l => l.Name == name).ExecuteDeleteAsync(Ct);
        }

        Assert.Equal(2, await CountAsync());
        await DeleteAsync(writing, institution + "_a");
        Assert.Equal(2, await CountAsync());
        await DeleteAsync(counting, institution + "_b");
        Assert.Equal(0, await CountAsync());
    }
}
