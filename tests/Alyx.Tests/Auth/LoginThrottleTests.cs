using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Alyx.Auth;
using Alyx.Misc;
using Alyx.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace Alyx.Tests.Auth;

/// <summary>A server whose clock the tests move and whose requests come from the peer address in X-Test-Peer.</summary>
public sealed class LoginApp : AlyxApp
{
    public const string PeerHeader = "X-Test-Peer";

    public ManualTime Time { get; } = new(new DateTimeOffset(2030, 5, 1, 9, 0, 0, TimeSpan.Zero));

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
        builder.UseSetting("LOCAL_DATA_ROOT", Path.Combine(Path.GetTempPath(), "alyx-login-throttle-data"));
        builder.UseSetting("LOCAL_DATA_URL_PATH", "/data");
        builder.ConfigureServices(s =>
        {
            s.AddSingleton<IStartupFilter, PeerFilter>();
            s.AddSingleton<TimeProvider>(Time);
        });
    }
}

/// <summary>Failed-login throttling of /auth-token and the data server's Basic authentication, per username and per address.</summary>
public sealed class LoginThrottleTests(LoginApp app) : IClassFixture<LoginApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const string Refused = "Unable to log in with provided credentials.";

    static int peers;

    /// <summary>An address no other test uses.</summary>
    static string NewPeer() => $"198.18.{Interlocked.Increment(ref peers) / 250}.{Interlocked.Increment(ref peers) % 250 + 1}";

    async Task<string> UserAsync(string password, bool active = true, int iterations = 1000)
    {
        var username = AlyxApp.Unique("login");
        await app.WithDbAsync(async db =>
        {
            db.Users.Add(new LabMember
            {
                Username = username,
                Password = DjangoPasswordHasher.Hash(password, iterations),
                IsActive = active,
                DateJoined = new DateTime(2020, 1, 1),
            });
            await db.SaveChangesAsync(Ct);
        });
        return username;
    }

    async Task<(HttpStatusCode Status, string Body, string? RetryAfter)> LoginAsync(string peer, string username, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth-token") { Content = Json.Body(new { username, password }) };
        request.Headers.Add(LoginApp.PeerHeader, peer);
        var response = await app.AnonymousClient().SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct),
            response.Headers.TryGetValues("Retry-After", out var v) ? v.Single() : null);
    }

    static string Throttled(int seconds) =>
        $"{{\"detail\":\"Request was throttled. Expected available in {seconds} seconds.\",\"status_code\":429}}";

    static async Task AssertRefusedAsync(Task<(HttpStatusCode Status, string Body, string? RetryAfter)> login)
    {
        var (status, body, _) = await login;
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"{{\"non_field_errors\":[\"{Refused}\"],\"status_code\":400}}", body);
    }

    [Fact]
    public async Task AuthToken_TenFailuresOfAUsername_ThenEvenTheRightPasswordIs429_UntilTheOldestLeavesFiveMinutes()
    {
        var user = await UserAsync("right");
        var start = app.Time.Now;
        for (var i = 0; i < 10; i++)
        {
            await AssertRefusedAsync(LoginAsync(NewPeer(), user, "wrong" + i));
            app.Time.Now += TimeSpan.FromSeconds(10);
        }
        // The oldest failure is 100 s old: it leaves the 300 s window in 200 s.
        Assert.Equal((HttpStatusCode.TooManyRequests, Throttled(200), "200"), await LoginAsync(NewPeer(), user, "right"));
        app.Time.Now = start + TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1);
        var (status, body, _) = await LoginAsync(NewPeer(), user, "right");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith("{\"token\":\"", body);
    }

    [Fact]
    public async Task AuthToken_TenFailuresFromOneAddress_ThrottleThatAddressOnly()
    {
        var peer = NewPeer();
        for (var i = 0; i < 10; i++) await AssertRefusedAsync(LoginAsync(peer, AlyxApp.Unique("nobody"), "x"));
        var user = await UserAsync("right");
        Assert.Equal((HttpStatusCode.TooManyRequests, Throttled(300), "300"), await LoginAsync(peer, user, "right"));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(NewPeer(), user, "right")).Status);
    }

    [Fact]
    public async Task AuthToken_ASuccessClearsTheUsernamesFailures()
    {
        var user = await UserAsync("right");
        for (var i = 0; i < 9; i++) await AssertRefusedAsync(LoginAsync(NewPeer(), user, "wrong"));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(NewPeer(), user, "right")).Status);
        for (var i = 0; i < 9; i++) await AssertRefusedAsync(LoginAsync(NewPeer(), user, "wrong"));
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(NewPeer(), user, "right")).Status);
    }

    [Fact]
    public async Task AuthToken_InactiveUsersFailAndCount_LikeWrongPasswords()
    {
        var user = await UserAsync("right", active: false);
        for (var i = 0; i < 10; i++) await AssertRefusedAsync(LoginAsync(NewPeer(), user, "right"));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await LoginAsync(NewPeer(), user, "right")).Status);
    }

    async Task<(HttpStatusCode Status, string Body, string? RetryAfter)> BasicAsync(string peer, string username, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/data/lab/Subjects/none.npy");
        request.Headers.Add(LoginApp.PeerHeader, peer);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}")));
        var response = await app.AnonymousClient().SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct),
            response.Headers.TryGetValues("Retry-After", out var v) ? v.Single() : null);
    }

    [Fact]
    public async Task DataServerBasic_TenDifferentWrongPasswords_Then429_ARepeatedWrongPasswordCountsOnce()
    {
        var user = await UserAsync("right");
        for (var i = 0; i < 20; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await BasicAsync(NewPeer(), user, "same-wrong")).Status);
        for (var i = 0; i < 9; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await BasicAsync(NewPeer(), user, "wrong" + i)).Status);
        Assert.Equal((HttpStatusCode.TooManyRequests, Throttled(300), "300"), await BasicAsync(NewPeer(), user, "right"));
        app.Time.Now += TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1);
        // Authenticated: the file does not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await BasicAsync(NewPeer(), user, "right")).Status);
    }
}

/// <summary>The failure counters themselves, on a clock the test moves.</summary>
public sealed class LoginThrottleCounterTests
{
    [Fact]
    public void ManyUsernamesAndAddresses_DoNotGrowTheTableWithoutBound()
    {
        var time = new ManualTime(new DateTimeOffset(2030, 5, 1, 9, 0, 0, TimeSpan.Zero));
        var throttle = new LoginThrottle(time);
        for (var minute = 0; minute < 20; minute++)
        {
            for (var i = 0; i < 1000; i++) throttle.Failed($"u{minute}_{i}", IPAddress.Parse($"10.{minute}.{i / 250}.{i % 250}"));
            // Two keys a failure, kept for five minutes (and at most one sweep interval longer).
            Assert.InRange(throttle.Count, 1, 2 * 1000 * 6 + 1024);
            time.Now += TimeSpan.FromMinutes(1);
        }
    }
}
