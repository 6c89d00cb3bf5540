using System.Globalization;
using System.Net;
using Alyx.Auth;
using Alyx.Database;
using Alyx.Misc;
using Alyx.Tests.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Auth;

/// <summary>
/// The server plus what the admin login page will do, reachable over HTTP for the tests: <c>POST /test/sign-in?username=</c>
/// (<see cref="AlyxSession.SignInAsync"/>), <c>POST /test/sign-out</c>, and <c>GET /test/csrf</c>, the antiforgery request
/// token a page would embed for the caller (signed in or not).
/// </summary>
public sealed class SessionApp : AlyxApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, SignInRoutes>());
    }

    sealed class SignInRoutes : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Map("/test/sign-in", a => a.Run(async context =>
            {
                var username = context.Request.Query["username"].ToString();
                var user = await context.RequestServices.GetRequiredService<AlyxDb>().Users.AsNoTracking().SingleAsync(u => u.Username == username);
                await AlyxSession.SignInAsync(context, user);
                context.Response.StatusCode = StatusCodes.Status204NoContent;
            }));
            app.Map("/test/sign-out", a => a.Run(AlyxSession.SignOutAsync));
            app.Map("/test/csrf", a => a.Run(async context =>
            {
                if (await context.AuthenticateAsync() is { Succeeded: true } result) context.User = result.Principal;
                var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
                await context.Response.WriteAsync(tokens.RequestToken!);
            }));
            next(app);
        };
    }
}

/// <summary>Session (cookie) authentication on the REST API, as DRF's SessionAuthentication (conventions §5.3, §6).</summary>
public sealed class SessionAuthTests(SessionApp app) : IClassFixture<SessionApp>
{
    const string NotProvided = "{\"detail\":\"Authentication credentials were not provided.\",\"status_code\":403}";
    const string NoPermission = "{\"detail\":\"You do not have permission to perform this action.\",\"status_code\":403}";
    const string CsrfMissing = "{\"detail\":\"CSRF Failed: CSRF token missing.\",\"status_code\":403}";
    const string CsrfNoCookie = "{\"detail\":\"CSRF Failed: CSRF cookie not set.\",\"status_code\":403}";
    const string CsrfIncorrect = "{\"detail\":\"CSRF Failed: CSRF token from the 'X-Csrftoken' HTTP header incorrect.\",\"status_code\":403}";

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<string> UserAsync(bool isPublic = false)
    {
        var username = AlyxApp.Unique("session");
        await app.WithDbAsync(async db =>
        {
            db.Users.Add(new LabMember
            {
                Username = username,
                Password = DjangoPasswordHasher.Hash("pw", 1000),
                IsPublicUser = isPublic,
                DateJoined = new DateTime(2024, 1, 1),
            });
            await db.SaveChangesAsync(Ct);
        });
        return username;
    }

    async Task<HttpClient> SignedInAsync(string username)
    {
        var client = app.AnonymousClient();
        await (await client.PostAsync($"/test/sign-in?username={username}", null, Ct)).AssertStatusAsync(HttpStatusCode.NoContent);
        return client;
    }

    static async Task<string> CsrfTokenAsync(HttpClient client) =>
        await (await client.GetAsync("/test/csrf", Ct)).AssertStatusAsync(HttpStatusCode.OK);

    static HttpRequestMessage NewLab(string name, string? csrf = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/labs") { Content = Json.Body(new { name }) };
        if (csrf is not null) request.Headers.Add("X-CSRFToken", csrf);
        return request;
    }

    Task<bool> LabExistsAsync(string name) => app.WithDbAsync(db => db.Labs.AnyAsync(l => l.Name == name, Ct));

    /// <summary>The whole refusal as it goes on the wire: 403, the exact bytes, and AlyxJsonResult's headers.</summary>
    static async Task AssertRefusedAsync(HttpResponseMessage response, string body)
    {
        Assert.Equal(body, await response.AssertStatusAsync(HttpStatusCode.Forbidden));
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(["Accept"], response.Headers.Vary);
        Assert.Empty(response.Headers.WwwAuthenticate);
    }

    [Fact]
    public async Task SignIn_SetsADjangoLikeSessionCookieAndRecordsTheLogin()
    {
        var username = await UserAsync();
        var response = await app.AnonymousClient().PostAsync($"/test/sign-in?username={username}", null, Ct);
        await response.AssertStatusAsync(HttpStatusCode.NoContent);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("sessionid=", StringComparison.Ordinal));
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).ToList();
        Assert.Contains("path=/", attributes);
        Assert.Contains("samesite=lax", attributes);
        Assert.Contains("httponly", attributes);
        Assert.DoesNotContain("secure", attributes);   // plain HTTP request: SameAsRequest
        var expires = DateTimeOffset.Parse(attributes.Single(a => a.StartsWith("expires=", StringComparison.Ordinal))[8..], CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromDays(14) - TimeSpan.FromMinutes(5), TimeSpan.FromDays(14));
        Assert.NotNull(await app.WithDbAsync(db => db.Users.Where(u => u.Username == username).Select(u => u.LastLogin).SingleAsync(Ct)));
    }

    [Fact]
    public async Task CookieGet_ReadsTheApi()
    {
        var lab = AlyxApp.Unique("lab");
        await (await (await app.ClientForAsync()).PostAsync("/labs", Json.Body(new { name = lab }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        var client = await SignedInAsync(await UserAsync());
        var body = await (await client.GetAsync($"/labs/{lab}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(lab, body["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task CookiePost_WithoutCsrfHeader_Is403AndWritesNothing()
    {
        var client = await SignedInAsync(await UserAsync());
        await CsrfTokenAsync(client);   // the csrftoken cookie is there; the header is not
        var lab = AlyxApp.Unique("lab");
        await AssertRefusedAsync(await client.SendAsync(NewLab(lab), Ct), CsrfMissing);
        Assert.False(await LabExistsAsync(lab));
        await AssertRefusedAsync(await client.DeleteAsync("/labs/cortexlab", Ct), CsrfMissing);
    }

    [Fact]
    public async Task CookiePost_WithoutCsrfCookie_Is403CookieNotSet()
    {
        var client = await SignedInAsync(await UserAsync());
        var lab = AlyxApp.Unique("lab");
        await AssertRefusedAsync(await client.SendAsync(NewLab(lab, "anything"), Ct), CsrfNoCookie);
        Assert.False(await LabExistsAsync(lab));
    }

    [Fact]
    public async Task CookiePost_WrongCsrfToken_Is403Incorrect()
    {
        var client = app.AnonymousClient();
        var anonymousToken = await CsrfTokenAsync(client);   // issued before signing in: bound to no user
        await (await client.PostAsync($"/test/sign-in?username={await UserAsync()}", null, Ct)).AssertStatusAsync(HttpStatusCode.NoContent);
        var lab = AlyxApp.Unique("lab");
        await AssertRefusedAsync(await client.SendAsync(NewLab(lab, "not-a-token"), Ct), CsrfIncorrect);
        await AssertRefusedAsync(await client.SendAsync(NewLab(lab, anonymousToken), Ct), CsrfIncorrect);
        var other = await SignedInAsync(await UserAsync());
        await AssertRefusedAsync(await client.SendAsync(NewLab(lab, await CsrfTokenAsync(other)), Ct), CsrfIncorrect);
        Assert.False(await LabExistsAsync(lab));
    }

    [Fact]
    public async Task CookieWrites_WithValidCsrfHeader_Succeed()
    {
        var client = await SignedInAsync(await UserAsync());
        var csrf = await CsrfTokenAsync(client);
        var lab = AlyxApp.Unique("lab");
        await (await client.SendAsync(NewLab(lab, csrf), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        Assert.True(await LabExistsAsync(lab));
        var delete = new HttpRequestMessage(HttpMethod.Delete, $"/labs/{lab}");
        delete.Headers.Add("X-CSRFToken", csrf);
        await (await client.SendAsync(delete, Ct)).AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.False(await LabExistsAsync(lab));
    }

    [Fact]
    public async Task CookieUser_IsTheCallerOfWrites()
    {
        var username = await UserAsync();
        var client = await SignedInAsync(username);
        var request = new HttpRequestMessage(HttpMethod.Post, "/projects") { Content = Json.Body(new { name = AlyxApp.Unique("proj") }) };
        request.Headers.Add("X-CSRFToken", await CsrfTokenAsync(client));
        var body = await (await client.SendAsync(request, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal([username], body["users"].Strings());   // the serializer's CurrentUserDefault
    }

    [Fact]
    public async Task TokenPost_NeedsNoCsrf()
    {
        var client = await app.ClientForAsync(AlyxApp.Unique("token_writer"));
        await CsrfTokenAsync(client);   // even with the csrftoken cookie, a token request is exempt
        var lab = AlyxApp.Unique("lab");
        await (await client.SendAsync(NewLab(lab), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        Assert.True(await LabExistsAsync(lab));
    }

    [Fact]
    public async Task CookieAndToken_TheSessionWinsAndCsrfApplies()
    {
        var client = await SignedInAsync(await UserAsync());
        var token = (await app.ClientForAsync(AlyxApp.Unique("token_writer"))).DefaultRequestHeaders.Authorization;
        client.DefaultRequestHeaders.Authorization = token;
        await CsrfTokenAsync(client);
        var lab = AlyxApp.Unique("lab");
        await AssertRefusedAsync(await client.SendAsync(NewLab(lab), Ct), CsrfMissing);
        Assert.False(await LabExistsAsync(lab));
    }

    [Fact]
    public async Task InvalidCookie_FallsBackToTheToken()
    {
        var client = await app.ClientForAsync(AlyxApp.Unique("token_writer"));
        client.DefaultRequestHeaders.Add("Cookie", "sessionid=forged");
        var lab = AlyxApp.Unique("lab");
        await (await client.SendAsync(NewLab(lab), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        var anonymous = app.AnonymousClient();
        anonymous.DefaultRequestHeaders.Add("Cookie", "sessionid=forged");
        await AssertRefusedAsync(await anonymous.GetAsync("/labs", Ct), NotProvided);
    }

    [Fact]
    public async Task InactiveUsersCookie_IsRefused()
    {
        var username = await UserAsync();
        var client = await SignedInAsync(username);
        await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        await app.WithDbAsync(db => db.Users.Where(u => u.Username == username).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false), Ct));
        var response = await client.GetAsync("/labs", Ct);
        await AssertRefusedAsync(response, NotProvided);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("sessionid=;", StringComparison.Ordinal));   // the session ends
    }

    [Fact]
    public async Task PasswordChange_EndsTheSession()
    {
        var username = await UserAsync();
        var client = await SignedInAsync(username);
        await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        var hash = DjangoPasswordHasher.Hash("new password", 1000);
        await app.WithDbAsync(db => db.Users.Where(u => u.Username == username).ExecuteUpdateAsync(s => s.SetProperty(u => u.Password, hash), Ct));
        await AssertRefusedAsync(await client.GetAsync("/labs", Ct), NotProvided);
    }

    [Fact]
    public async Task PublicUsersCookie_CanGetButNotPost()
    {
        var client = await SignedInAsync(await UserAsync(isPublic: true));
        await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        var csrf = await CsrfTokenAsync(client);
        var lab = AlyxApp.Unique("lab");
        await AssertRefusedAsync(await client.SendAsync(NewLab(lab, csrf), Ct), NoPermission);
        // Authentication (with its CSRF check) comes before permissions, as in DRF.
        await AssertRefusedAsync(await client.SendAsync(NewLab(lab), Ct), CsrfMissing);
        Assert.False(await LabExistsAsync(lab));
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        var client = await SignedInAsync(await UserAsync());
        await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        await (await client.PostAsync("/test/sign-out", null, Ct)).AssertStatusAsync(HttpStatusCode.OK);
        await AssertRefusedAsync(await client.GetAsync("/labs", Ct), NotProvided);
    }

    [Fact]
    public async Task AnonymousRoutes_CheckTheSessionsCsrfToo()
    {
        // DRF authenticates on /auth-token as on every view: a session POST without its CSRF token is refused there too.
        var client = await SignedInAsync(await UserAsync());
        await CsrfTokenAsync(client);
        await AssertRefusedAsync(await client.PostAsync("/auth-token", Json.Body(new { username = "x", password = "y" }), Ct), CsrfMissing);
        await (await client.GetAsync("/api/schema", Ct)).AssertStatusAsync(HttpStatusCode.OK);
    }
}

/// <summary>The exact bytes of the refusals token and anonymous clients get (unchanged by the move to authentication schemes).</summary>
public sealed class RefusalBytesTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task AssertRefusedAsync(HttpResponseMessage response, string body)
    {
        Assert.Equal(body, await response.AssertStatusAsync(HttpStatusCode.Forbidden));
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.Equal(["Accept"], response.Headers.Vary);
        Assert.Empty(response.Headers.WwwAuthenticate);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("GET", null, "/labs", "{\"detail\":\"Authentication credentials were not provided.\",\"status_code\":403}")]
    [InlineData("PUT", null, "/labs", "{\"detail\":\"Authentication credentials were not provided.\",\"status_code\":403}")]   // permissions before the 405
    [InlineData("GET", "Token", "/labs", "{\"detail\":\"Invalid token header. No credentials provided.\",\"status_code\":403}")]
    [InlineData("GET", "token a b", "/labs", "{\"detail\":\"Invalid token header. Token string should not contain spaces.\",\"status_code\":403}")]
    [InlineData("GET", "TOKEN 0000", "/labs", "{\"detail\":\"Invalid token.\",\"status_code\":403}")]
    [InlineData("GET", "Token 0000", "/api/schema", "{\"detail\":\"Invalid token.\",\"status_code\":403}")]
    [InlineData("POST", "Token 0000", "/auth-token", "{\"detail\":\"Invalid token.\",\"status_code\":403}")]
    public async Task Refusal_HasTheExactBody(string method, string? authorization, string path, string body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        await AssertRefusedAsync(await app.AnonymousClient().SendAsync(request, Ct), body);
    }

    [Fact]
    public async Task InactiveUsersToken_HasTheExactBody()
    {
        var username = AlyxApp.Unique("inactive");
        var client = await app.ClientForAsync(username);
        await app.WithDbAsync(db => db.Users.Where(u => u.Username == username).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false), Ct));
        await AssertRefusedAsync(await client.GetAsync("/labs", Ct), "{\"detail\":\"User inactive or deleted.\",\"status_code\":403}");
    }

    [Fact]
    public async Task PublicUsersTokenWrite_HasTheExactBody()
    {
        var client = await app.ClientForAsync(AlyxApp.Unique("public"), isPublic: true);
        await AssertRefusedAsync(await client.PostAsync("/labs", Json.Body(new { name = AlyxApp.Unique("lab") }), Ct),
            "{\"detail\":\"You do not have permission to perform this action.\",\"status_code\":403}");
    }

    [Fact]
    public async Task UnknownPath_WithABadToken_IsStillTheHtml404()
    {
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Add("Authorization", "Token 0000");
        var response = await client.GetAsync("/no-such-route", Ct);
        await response.AssertStatusAsync(HttpStatusCode.NotFound);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
    }
}
