using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Alyx.Auth;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Auth;

/// <summary>The server with <c>TOKEN_TTL_DAYS=7</c> and a clock the tests move on.</summary>
public sealed class TokenTtlApp : AlyxApp
{
    public ManualTime Time { get; } = new();

    /// <summary>The server's clock (UTC, TIME_ZONE's default) as the naive time it stores.</summary>
    public DateTime Now => Time.Now.UtcDateTime;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("TOKEN_TTL_DAYS", "7");
        builder.ConfigureServices(s => s.AddSingleton<TimeProvider>(Time));
    }
}

/// <summary>
/// <c>TOKEN_TTL_DAYS</c>: a token older than that is refused with a body the ONE client re-authenticates on
/// (webclient.py: <c>r.status_code == 403 and '"Invalid token."' in r.text</c>), and /auth-token gives a new one.
/// </summary>
public sealed class TokenTtlTests(TokenTtlApp app) : IClassFixture<TokenTtlApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const string Expired = "{\"detail\":\"Invalid token.\",\"status_code\":403}";

    /// <summary>A user with a password and a token created <paramref name="age"/> before the server's now.</summary>
    async Task<(string Username, HttpClient Client)> ClientWithTokenAgedAsync(TimeSpan age)
    {
        var username = AlyxApp.Unique("ttl");
        var client = await app.ClientForAsync(username);
        var created = DateTime.SpecifyKind(app.Now - age, DateTimeKind.Unspecified);
        await app.WithDbAsync(async db =>
        {
            await db.Users.Where(u => u.Username == username)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.Password, DjangoPasswordHasher.Hash("ttl-password", 1000)), Ct);
            await db.Tokens.Where(t => t.User!.Username == username).ExecuteUpdateAsync(s => s.SetProperty(t => t.Created, created), Ct);
        });
        return (username, client);
    }

    [Fact]
    public async Task TokenYoungerThanTheLifetime_IsAccepted()
    {
        var (_, client) = await ClientWithTokenAgedAsync(TimeSpan.FromDays(6.9));
        await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task TokenOlderThanTheLifetime_IsRefusedSoThatOneReauthenticates_AndAuthTokenGivesAFreshOne()
    {
        var (username, client) = await ClientWithTokenAgedAsync(TimeSpan.FromDays(7.1));
        var old = client.DefaultRequestHeaders.Authorization!.Parameter;
        var body = await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal(Expired, body);
        Assert.Contains("\"Invalid token.\"", body, StringComparison.Ordinal);

        var login = await app.AnonymousClient().PostAsJsonAsync("/auth-token", new { username, password = "ttl-password" }, Ct);
        await login.AssertStatusAsync(HttpStatusCode.OK);
        var key = (await login.Content.ReadFromJsonAsync<Dictionary<string, string>>(Ct))!["token"];
        Assert.NotEqual(old, key);
        Assert.Equal(40, key.Length);
        var stored = await app.WithDbAsync(db => db.Tokens.Where(t => t.User!.Username == username).Select(t => new { t.Key, t.Created }).SingleAsync(Ct));
        Assert.Equal(key, stored.Key);
        Assert.Equal(app.Now, DateTime.SpecifyKind(stored.Created, DateTimeKind.Utc), TimeSpan.FromMilliseconds(1));

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", key);
        await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        // A second login within the lifetime keeps the token, as DRF's get_or_create does.
        var again = await app.AnonymousClient().PostAsJsonAsync("/auth-token", new { username, password = "ttl-password" }, Ct);
        Assert.Equal(key, (await again.Content.ReadFromJsonAsync<Dictionary<string, string>>(Ct))!["token"]);
    }

    [Fact]
    public async Task CachedToken_IsRefusedOnceItIsOlderThanTheLifetime()
    {
        var (username, client) = await ClientWithTokenAgedAsync(TimeSpan.FromDays(6));
        await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        // No write in between, so the token is answered from the cache: its remembered creation time is checked on every use.
        app.Time.Now += TimeSpan.FromDays(2);
        Assert.Equal(Expired, await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.Forbidden));
    }
}
