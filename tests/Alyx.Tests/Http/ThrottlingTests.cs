using System.Net;
using Alyx.Http;
using Alyx.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace Alyx.Tests.Http;

/// <summary>A server with tiny budgets: 3 requests a minute per key, 2 for /docs/.</summary>
public class ThrottledApp : AlyxApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("THROTTLE_BURST_RATE", "3/minute");
        builder.UseSetting("THROTTLE_DOCS_RATE", "2/min");
    }
}

/// <summary>
/// The same budgets keyed by client address for everyone. The network peer of each request is the address in its
/// <c>X-Test-Peer</c> header (TestServer has no socket), set before the server's own middleware runs.
/// </summary>
public class AddressThrottledApp : ThrottledApp
{
    public const string PeerHeader = "X-Test-Peer";

    sealed class PeerFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(PeerHeader, out var peer)) context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("THROTTLE_MODE", "anonymous");
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, PeerFilter>());
    }
}

/// <summary>Behind proxies: X-Forwarded-For is believed from the loopback default and from FORWARDED_PROXIES, from no one else.</summary>
public sealed class ProxiedThrottledApp : AddressThrottledApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("FORWARDED_HEADERS", "true");
        builder.UseSetting("FORWARDED_PROXIES", "127.0.0.1, ::1, 10.20.0.0/16");
    }
}

/// <summary>Conventions §7 (upstream alyx.test_base.TestThrottling).</summary>
public sealed class ThrottlingTests(ThrottledApp app) : IClassFixture<ThrottledApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UserBudget_FourthRequestInAMinuteIs429WithRetryAfter_OtherUsersUnaffected()
    {
        var client = await app.ClientForAsync(AlyxApp.Unique("busy"));
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/labs", Ct)).StatusCode);
        var refused = await client.GetAsync("/sessions?limit=1", Ct);
        var body = await refused.ReadJsonAsync(HttpStatusCode.TooManyRequests);
        var wait = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(wait, 1, 60);
        Assert.Equal($"Request was throttled. Expected available in {wait} second{(wait == 1 ? "" : "s")}.", body["detail"]!.GetValue<string>());
        Assert.Equal(429, body["status_code"]!.GetValue<int>());
        var other = await app.ClientForAsync(AlyxApp.Unique("calm"));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/labs", Ct)).StatusCode);
    }

    [Fact]
    public async Task AuthToken_IsNeverThrottled()
    {
        var client = app.AnonymousClient();
        for (var i = 0; i < 6; i++)
        {
            var response = await client.PostAsync("/auth-token", Json.Body(new { username = "admin", password = "wrong" }), Ct);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
    }

    [Fact]
    public async Task Anonymous_GetsItsPermissionErrorBeforeAnyThrottling()
    {
        var client = app.AnonymousClient();
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/labs", Ct)).StatusCode);
    }

    [Fact]
    public async Task Docs_HasItsOwnBudget()
    {
        var client = await app.ClientForAsync(AlyxApp.Unique("reader"));
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "10.1.2.3");
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/docs/", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.GetAsync("/docs/", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/labs", Ct)).StatusCode);
    }
}

public sealed class AddressThrottlingTests(AddressThrottledApp app) : IClassFixture<AddressThrottledApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<HttpStatusCode> GetAsync(HttpClient client, string peer, string? forwarded = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/labs");
        request.Headers.Add(AddressThrottledApp.PeerHeader, peer);
        if (forwarded is not null) request.Headers.Add("X-Forwarded-For", forwarded);
        return (await client.SendAsync(request, Ct)).StatusCode;
    }

    [Fact]
    public async Task AnonymousMode_UsersAtOneAddressShareTheBudget()
    {
        var first = await app.ClientForAsync(AlyxApp.Unique("shared_a"));
        var second = await app.ClientForAsync(AlyxApp.Unique("shared_b"));
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, await GetAsync(i % 2 == 0 ? first : second, "192.0.2.7"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(second, "192.0.2.7"));
        Assert.Equal(HttpStatusCode.OK, await GetAsync(first, "198.51.100.9"));
    }

    [Fact]
    public async Task ForwardedHeadersOff_RotatingXForwardedFor_DoesNotEscapeTheBudget()
    {
        var client = await app.ClientForAsync(AlyxApp.Unique("rotator"));
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, await GetAsync(client, "127.0.0.1", $"203.0.113.{i}"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(client, "127.0.0.1", "203.0.113.99"));
    }
}

public sealed class ProxiedThrottlingTests(ProxiedThrottledApp app) : IClassFixture<ProxiedThrottledApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<HttpStatusCode> GetAsync(HttpClient client, string peer, string? forwarded = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/labs");
        request.Headers.Add(AddressThrottledApp.PeerHeader, peer);
        if (forwarded is not null) request.Headers.Add("X-Forwarded-For", forwarded);
        return (await client.SendAsync(request, Ct)).StatusCode;
    }

    [Theory]
    [InlineData("127.0.0.1", "192.0.2.10")]
    [InlineData("::1", "192.0.2.11")]
    [InlineData("10.20.3.4", "192.0.2.12")]
    public async Task TrustedProxy_ClientsAreKeyedByTheirForwardedAddress(string proxy, string client)
    {
        var http = await app.ClientForAsync(AlyxApp.Unique("behind"));
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, await GetAsync(http, proxy, client));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(http, proxy, client));
        // Another client behind the same proxy has its own budget; a client's own spoofed entry left of it changes nothing.
        Assert.Equal(HttpStatusCode.OK, await GetAsync(http, proxy, client + "0"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(http, proxy, "198.18.0.1, " + client));
    }

    [Fact]
    public async Task UntrustedPeer_ItsXForwardedForIsIgnored()
    {
        var http = await app.ClientForAsync(AlyxApp.Unique("spoofer"));
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, await GetAsync(http, "10.21.0.1", $"192.0.2.{100 + i}"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(http, "10.21.0.1", "192.0.2.200"));
    }

    [Fact]
    public async Task ThroughAChainOfTrustedProxies_TheClientIsTheFirstUntrustedAddressFromTheRight()
    {
        var http = await app.ClientForAsync(AlyxApp.Unique("chain"));
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, await GetAsync(http, "127.0.0.1", "192.0.2.50, 10.20.9.9"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(http, "127.0.0.1", "192.0.2.50"));
    }
}

/// <summary>The sliding window and the wait it reports, on a clock the test moves.</summary>
public sealed class ThrottleWindowTests
{
    sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Window_SlidesAndReportsTheTimeUntilTheOldestExpires()
    {
        var clock = new ManualClock();
        var throttle = new Throttle(clock);
        var budget = new[] { ("burst", new ThrottleRate(2, TimeSpan.FromMinutes(1))) };
        Assert.Null(throttle.TryAcquire("k", budget));
        clock.Now += TimeSpan.FromSeconds(20);
        Assert.Null(throttle.TryAcquire("k", budget));
        clock.Now += TimeSpan.FromSeconds(10);
        Assert.Equal(30, throttle.TryAcquire("k", budget));
        clock.Now += TimeSpan.FromSeconds(31);
        Assert.Null(throttle.TryAcquire("k", budget));
        Assert.Null(throttle.TryAcquire("other", budget));
    }

    [Fact]
    public void ManyKeys_AreEvictedOnceTheirRequestsLeaveThePeriod()
    {
        var clock = new ManualClock();
        var throttle = new Throttle(clock);
        var budget = new[] { ("burst", new ThrottleRate(5, TimeSpan.FromMinutes(1))) };
        // Ten minutes of 5,000 new addresses a minute: without eviction the table would hold 50,000 windows.
        for (var minute = 0; minute < 10; minute++)
        {
            for (var i = 0; i < 5000; i++) Assert.Null(throttle.TryAcquire($"ip:{minute}.{i}", budget));
            Assert.InRange(throttle.Count, 5000, 5000 + Throttle.SweepEvery);
            clock.Now += TimeSpan.FromSeconds(61);
        }
        // A key still inside its period keeps its window and count.
        for (var i = 0; i < 5; i++) Assert.Null(throttle.TryAcquire("ip:busy", budget));
        for (var i = 0; i < 3 * Throttle.SweepEvery; i++) throttle.TryAcquire($"ip:x{i}", budget);
        Assert.NotNull(throttle.TryAcquire("ip:busy", budget));
    }

    [Fact]
    public void TwoBudgets_TheLongerWaitIsReported()
    {
        var clock = new ManualClock();
        var throttle = new Throttle(clock);
        var budgets = new[] { ("burst", new ThrottleRate(1, TimeSpan.FromSeconds(1))), ("sustained", new ThrottleRate(2, TimeSpan.FromHours(1))) };
        Assert.Null(throttle.TryAcquire("k", budgets));
        clock.Now += TimeSpan.FromSeconds(2);
        Assert.Null(throttle.TryAcquire("k", budgets));
        Assert.Equal(3598, throttle.TryAcquire("k", budgets));
    }

    [Theory]
    [InlineData("550/minute", 550, 60)]
    [InlineData("10/s", 10, 1)]
    [InlineData("3/hour", 3, 3600)]
    [InlineData("1/day", 1, 86400)]
    public void Rate_ParsesDrfSyntax(string text, int requests, int seconds)
    {
        Assert.Equal(new ThrottleRate(requests, TimeSpan.FromSeconds(seconds)), ThrottleRate.Parse(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("none")]
    public void Rate_DisabledValuesMeanNoBudget(string? text) => Assert.Null(ThrottleRate.Parse(text));

    [Theory]
    [InlineData("fast")]
    [InlineData("0/minute")]
    [InlineData("5/fortnight")]
    public void Rate_MalformedIsRefused(string text) => Assert.Throws<FormatException>(() => ThrottleRate.Parse(text));
}
