using System.Net;
using Alyx.Auth;
using Alyx.Misc;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Auth;

public sealed class AuthTokenApiTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<string> CreateUserAsync(string password, bool active = true)
    {
        var username = AlyxApp.Unique("u");
        await app.WithDbAsync(async db =>
        {
            db.Users.Add(new LabMember { Username = username, Password = DjangoPasswordHasher.Hash(password, 1000), IsActive = active });
            await db.SaveChangesAsync();
        });
        return username;
    }

    [Fact]
    public async Task PostAuthToken_FormCredentials_ReturnsOnlyAFortyHexToken()
    {
        var username = await CreateUserAsync("s3cret");
        var response = await app.AnonymousClient().PostAsync("/auth-token",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = username, ["password"] = "s3cret" }), Ct);
        var body = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["token"], body.Keys());
        Assert.Matches("^[0-9a-f]{40}$", body["token"]!.GetValue<string>());
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task PostAuthToken_Twice_ReturnsTheSameToken()
    {
        var username = await CreateUserAsync("pw");
        var client = app.AnonymousClient();
        var first = await (await client.PostAsync("/auth-token", Json.Body(new { username, password = "pw" }), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var second = await (await client.PostAsync("/auth-token", Json.Body(new { username, password = "pw" }), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(first["token"]!.GetValue<string>(), second["token"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostAuthToken_WrongPassword_Returns400NonFieldError()
    {
        var username = await CreateUserAsync("right");
        var response = await app.AnonymousClient().PostAsync("/auth-token", Json.Body(new { username, password = "wrong" }), Ct);
        Assert.Equal("{\"non_field_errors\":[\"Unable to log in with provided credentials.\"],\"status_code\":400}",
            await response.AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task PostAuthToken_InactiveUser_Returns400()
    {
        var username = await CreateUserAsync("pw", active: false);
        var response = await app.AnonymousClient().PostAsync("/auth-token", Json.Body(new { username, password = "pw" }), Ct);
        await response.AssertStatusAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PostAuthToken_MissingFields_ReportsBoth()
    {
        var response = await app.AnonymousClient().PostAsync("/auth-token", Json.Body("{}"), Ct);
        Assert.Equal("{\"username\":[\"This field is required.\"],\"password\":[\"This field is required.\"],\"status_code\":400}",
            await response.AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task PostAuthToken_BlankUsername_SaysMayNotBeBlank()
    {
        var response = await app.AnonymousClient().PostAsync("/auth-token", Json.Body(new { username = " ", password = "x" }), Ct);
        Assert.Equal("{\"username\":[\"This field may not be blank.\"],\"status_code\":400}",
            await response.AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task GetAuthToken_Returns405()
    {
        var response = await app.AnonymousClient().GetAsync("/auth-token", Ct);
        Assert.Equal("{\"detail\":\"Method \\\"GET\\\" not allowed.\",\"status_code\":405}",
            await response.AssertStatusAsync(HttpStatusCode.MethodNotAllowed));
        Assert.Contains("POST", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task AnyApiRoute_InvalidToken_Returns403InvalidToken()
    {
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Add("Authorization", "Token 0123456789abcdef0123456789abcdef01234567");
        var response = await client.GetAsync("/labs", Ct);
        Assert.Equal("{\"detail\":\"Invalid token.\",\"status_code\":403}", await response.AssertStatusAsync(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task AuthToken_InvalidTokenHeader_StillRejectedOnOpenRoute()
    {
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Add("Authorization", "Token nope");
        var response = await client.PostAsync("/auth-token", Json.Body("{}"), Ct);
        Assert.Contains("\"Invalid token.\"", await response.AssertStatusAsync(HttpStatusCode.Forbidden));
    }

    [Theory]
    [InlineData("Token", "Invalid token header. No credentials provided.")]
    [InlineData("Token a b", "Invalid token header. Token string should not contain spaces.")]
    public async Task AnyApiRoute_MalformedTokenHeader_Returns403WithReason(string header, string detail)
    {
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);
        var response = await client.GetAsync("/users", Ct);
        Assert.Equal($"{{\"detail\":\"{detail}\",\"status_code\":403}}", await response.AssertStatusAsync(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task AnyApiRoute_NoCredentials_Returns403NotProvided()
    {
        var response = await app.AnonymousClient().GetAsync("/users", Ct);
        Assert.Equal("{\"detail\":\"Authentication credentials were not provided.\",\"status_code\":403}",
            await response.AssertStatusAsync(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task AnyApiRoute_BearerScheme_IsIgnored()
    {
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Add("Authorization", "Bearer abc");
        var response = await client.GetAsync("/users", Ct);
        Assert.Contains("Authentication credentials were not provided.", await response.AssertStatusAsync(HttpStatusCode.Forbidden));
    }

    [Theory]
    [InlineData("POST", "/labs")]
    [InlineData("PATCH", "/labs/{lab}")]
    [InlineData("PUT", "/labs/{lab}")]
    [InlineData("DELETE", "/labs/{lab}")]
    [InlineData("HEAD", "/labs")]
    [InlineData("OPTIONS", "/labs")]
    public async Task PublicUser_AnyMethodButGet_Returns403(string method, string path)
    {
        // The test's own lab: the template's default lab is renamed by the imported dump.
        var lab = AlyxApp.Unique("lab");
        await app.WithDbAsync(async db =>
        {
            db.Labs.Add(new Lab { Name = lab });
            await db.SaveChangesAsync();
        });
        var client = await app.ClientForAsync("public_reader", isPublic: true);
        var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{lab}", lab, StringComparison.Ordinal));
        if (method is "POST" or "PATCH" or "PUT") request.Content = Json.Body(new { name = "publiclab" });
        var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        if (method != "HEAD")
            Assert.Equal("{\"detail\":\"You do not have permission to perform this action.\",\"status_code\":403}", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/labs/{lab}", Ct)).StatusCode);
    }

    [Fact]
    public void DjangoHash_KnownParameters_Verifies()
    {
        // Django 5.2: make_password("hunter2", salt="abcdefghijklmnop", hasher="pbkdf2_sha256") with 1,000 iterations.
        var hash = DjangoPasswordHasher.Hash("hunter2", 1000, "abcdefghijklmnop");
        Assert.StartsWith("pbkdf2_sha256$1000$abcdefghijklmnop$", hash);
        Assert.True(DjangoPasswordHasher.Verify("hunter2", hash));
        Assert.False(DjangoPasswordHasher.Verify("hunter3", hash));
        Assert.False(DjangoPasswordHasher.Verify("", ""));
        Assert.False(DjangoPasswordHasher.Verify("x", "!unusable"));
    }
}
