using System.Net;
using Alyx.Auth;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Auth;

/// <summary>Remembered tokens never outlive a change to their user or token made through this process.</summary>
public sealed class TokenCacheTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DeactivatedUser_IsRefusedOnTheNextRequest()
    {
        var username = AlyxApp.Unique("cached");
        var client = await app.ClientForAsync(username);
        await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        await app.WithDbAsync(db => db.Users.Where(u => u.Username == username).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false), Ct));
        Assert.Equal("{\"detail\":\"User inactive or deleted.\",\"status_code\":403}",
            await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task DeletedToken_IsInvalidOnTheNextRequest()
    {
        var username = AlyxApp.Unique("cached");
        var client = await app.ClientForAsync(username);
        await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        await app.WithDbAsync(async db =>
        {
            db.Tokens.RemoveRange(db.Tokens.Where(t => t.User!.Username == username));
            await db.SaveChangesAsync(Ct);
        });
        Assert.Equal("{\"detail\":\"Invalid token.\",\"status_code\":403}",
            await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task PublicFlagSetLater_AppliesToTheNextWrite()
    {
        var username = AlyxApp.Unique("cached");
        var client = await app.ClientForAsync(username);
        await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        await app.WithDbAsync(db => db.Users.Where(u => u.Username == username).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsPublicUser, true), Ct));
        var response = await client.PostAsync("/labs", Json.Body(new { name = AlyxApp.Unique("lab") }), Ct);
        Assert.Equal("{\"detail\":\"You do not have permission to perform this action.\",\"status_code\":403}",
            await response.AssertStatusAsync(HttpStatusCode.Forbidden));
    }

    [Fact]
    public void Cache_ForgetsEntriesWhenTheAuthTablesChange()
    {
        var tracker = new Alyx.Database.WriteTracker();
        var cache = new TokenCache(TimeSpan.FromMinutes(5), tracker);
        var user = new CachedToken(new CurrentUser(Guid.NewGuid(), "u", false, false, false), new DateTime(2024, 1, 1));
        cache.Add("key", cache.Version, user);
        Assert.True(cache.TryGet("key", out var found));
        Assert.Same(user, found);
        tracker.Invalidate();
        Assert.False(cache.TryGet("key", out _));

        var off = new TokenCache(TimeSpan.Zero, tracker);
        off.Add("key", off.Version, user);
        Assert.False(off.TryGet("key", out _));
    }
}
