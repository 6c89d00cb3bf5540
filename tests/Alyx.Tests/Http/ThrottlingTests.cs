using System.Net;
using Alyx.Http;
using Alyx.Tests.Infrastructure;

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

/// <summary>The same budgets keyed by client address for everyone.</summary>
public sealed class AddressThrottledApp : ThrottledApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("THROTTLE_MODE", "anonymous");
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

    [Fact]
    public async Task AnonymousMode_UsersBehindOneAddressShareTheBudget()
    {
        var first = await app.ClientForAsync(AlyxApp.Unique("shared_a"));
        var second = await app.ClientForAsync(AlyxApp.Unique("shared_b"));
        var elsewhere = await app.ClientForAsync(AlyxApp.Unique("remote"));
        first.DefaultRequestHeaders.Add("X-Forwarded-For", "192.0.2.7, 10.0.0.1");
        second.DefaultRequestHeaders.Add("X-Forwarded-For", "192.0.2.7,10.0.0.1");
        elsewhere.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.9");
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await (i % 2 == 0 ? first : second).GetAsync("/labs", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await second.GetAsync("/labs", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/labs", Ct)).StatusCode);
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
