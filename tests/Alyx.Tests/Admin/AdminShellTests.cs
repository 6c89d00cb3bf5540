using System.Net;
using Alyx.Admin;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Admin;

/// <summary>The admin site's frame over HTTP: login, logout, who may enter, CSRF, cookie flags, the index.</summary>
public sealed class AdminShellTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    const string InvalidLogin = "Please enter the correct username and password for a staff account. Note that both fields may be case-sensitive.";

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Index_Anonymous_RedirectsToLoginWithNext()
    {
        var response = await AdminClient.Anonymous(app).Http.GetAsync("/admin/?x=1", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/login/?next=%2Fadmin%2F%3Fx%3D1", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task AdminWithoutSlash_RedirectsPermanently()
    {
        var response = await AdminClient.Anonymous(app).Http.GetAsync("/admin", Ct);
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal("/admin/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Login_StaffUser_SignsInAndRedirectsToNext()
    {
        var username = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var client = AdminClient.Anonymous(app);
        var response = await client.LoginAsync(username, AdminClient.Password, "/admin/subjects/subject/?q=a");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/subjects/subject/?q=a", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("sessionid=", StringComparison.Ordinal));
        var attributes = cookie.Split(';', StringSplitOptions.TrimEntries).Skip(1).ToList();
        Assert.Contains("httponly", attributes);
        Assert.Contains("samesite=lax", attributes);
        Assert.DoesNotContain("secure", attributes);
        var index = AdminClient.Text(await client.PageAsync("/admin/"));
        Assert.Contains($"Welcome, {username}", index);
        Assert.NotNull(await app.WithDbAsync(db => db.Users.Where(u => u.Username == username).Select(u => u.LastLogin).SingleAsync(Ct)));
    }

    [Fact]
    public async Task Login_OffSiteNext_GoesToTheIndex()
    {
        var username = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var response = await AdminClient.Anonymous(app).LoginAsync(username, AdminClient.Password, "//evil.example.org/");
        Assert.Equal("/admin/", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData(AdminRole.NotStaff, AdminClient.Password)]
    [InlineData(AdminRole.Inactive, AdminClient.Password)]
    [InlineData(AdminRole.Staff, "wrong password")]
    public async Task Login_Refused_ShowsDjangosMessageAndSetsNoSession(AdminRole role, string password)
    {
        var username = await AdminClient.CreateUserAsync(app, role);
        var client = AdminClient.Anonymous(app);
        var response = await client.LoginAsync(username, password);
        var html = await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains(InvalidLogin, AdminClient.Text(html));
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var c) ? c : [], v => v.StartsWith("sessionid=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/admin/", Ct)).StatusCode);
    }

    [Fact]
    public async Task Login_MissingFields_SaysWhichAreRequired()
    {
        var html = await (await AdminClient.Anonymous(app).LoginAsync("", "")).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains("id=\"id_username_error\"><li>This field is required.</li>", html);
        Assert.Contains("id=\"id_password_error\"><li>This field is required.</li>", html);
    }

    [Fact]
    public async Task Login_WithoutCsrfToken_Is403AndSignsNobodyIn()
    {
        var username = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var client = AdminClient.Anonymous(app);
        await client.PageAsync("/admin/login/");   // the csrftoken cookie is set; the field is missing
        var response = await client.PostAsync("/admin/login/", new Dictionary<string, string> { ["username"] = username, ["password"] = AdminClient.Password });
        var html = await response.AssertStatusAsync(HttpStatusCode.Forbidden);
        Assert.Contains("CSRF verification failed. Request aborted.", html);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(v => v.StartsWith("sessionid=", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Login_BehindHttpsProxy_SetsSecureCookies()
    {
        using var proxied = app.WithWebHostBuilder(b => b.UseSetting("FORWARDED_HEADERS", "true"));
        var username = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        // No cookie jar: a jar would not send secure cookies back over the test server's plain http.
        var http = proxied.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        var form = await http.GetAsync("/admin/login/", Ct);
        var csrfCookie = Assert.Single(form.Headers.GetValues("Set-Cookie"), c => c.StartsWith("csrftoken=", StringComparison.Ordinal));
        Assert.Contains("secure", csrfCookie.Split(';', StringSplitOptions.TrimEntries));
        var post = new HttpRequestMessage(HttpMethod.Post, "/admin/login/")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["csrfmiddlewaretoken"] = AdminClient.CsrfToken(await form.Content.ReadAsStringAsync(Ct)),
                ["username"] = username,
                ["password"] = AdminClient.Password,
            }),
        };
        post.Headers.Add("Cookie", csrfCookie.Split(';')[0]);
        var response = await http.SendAsync(post, Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var session = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("sessionid=", StringComparison.Ordinal));
        Assert.Contains("secure", session.Split(';', StringSplitOptions.TrimEntries));
        Assert.Contains("httponly", session.Split(';', StringSplitOptions.TrimEntries));
    }

    [Fact]
    public async Task NonStaffSession_IsSentToLoginWhichSaysWhy()
    {
        // A session opened elsewhere (the REST API's cookie) by a user who is not staff.
        var username = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var client = AdminClient.Anonymous(app);
        await client.LoginAsync(username, AdminClient.Password);
        await app.WithDbAsync(db => db.Users.Where(u => u.Username == username).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsStaff, false), Ct));
        var response = await client.Http.GetAsync("/admin/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var login = AdminClient.Text(await client.PageAsync(response.Headers.Location!.OriginalString));
        Assert.Contains($"You are authenticated as {username}, but are not authorized to access this page. Would you like to login to a different account?", login);
    }

    [Fact]
    public async Task TokenHeader_DoesNotOpenTheAdmin()
    {
        var client = await app.ClientForAsync();
        var response = await client.GetAsync("/admin/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task Logout_EndsTheSession()
    {
        var (client, _) = await AdminClient.SignedInAsync(app);
        var response = await client.SubmitAsync("/admin/", "/admin/logout/", []);
        Assert.Contains("Thanks for spending some quality time with the web site today.", await response.AssertStatusAsync(HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/admin/", Ct)).StatusCode);
    }

    [Fact]
    public async Task Logout_WithoutCsrfToken_Is403AndKeepsTheSession()
    {
        var (client, _) = await AdminClient.SignedInAsync(app);
        await (await client.PostAsync("/admin/logout/", [])).AssertStatusAsync(HttpStatusCode.Forbidden);
        await client.PageAsync("/admin/");
    }

    [Fact]
    public async Task Index_ListsAppsAndModelsUnderDjangoNames()
    {
        var (client, _) = await AdminClient.SignedInAsync(app);
        var html = await client.PageAsync("/admin/");
        Assert.Contains("<a href=\"/admin/subjects/subject/\">Subjects</a>", html);
        Assert.Contains("<a href=\"/admin/actions/wateradministration/\">Water administrations</a>", html);
        Assert.Contains("<a href=\"/admin/actions/weighing/add/\" aria-label=\"Add weighing\">Add</a>", html);
        Assert.Contains("<a href=\"/admin/subjects/breedingpair/\">Breeding pairs</a>", html);
        Assert.Contains("<a href=\"/admin/data/dataset/\">Datasets</a>", html);
        Assert.Contains("<a href=\"/admin/misc/labmember/\">Lab members</a>", html);
        Assert.Contains("<a href=\"/admin/subjects/species/\">Species</a>", html);
    }

    [Fact]
    public async Task Index_PublicUser_SeesNoAddLinks()
    {
        var (client, _) = await AdminClient.SignedInAsync(app, AdminRole.Public);
        var html = await client.PageAsync("/admin/");
        Assert.Contains("<a href=\"/admin/actions/weighing/\">Weighings</a>", html);
        Assert.DoesNotContain("/add/\"", html);
    }

    [Fact]
    public async Task StaticFiles_AreServedWithoutLogin()
    {
        var response = await AdminClient.Anonymous(app).Http.GetAsync(AdminAssets.Url("admin.css"), Ct);
        var css = await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("text/css; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains(":focus-visible", css);
    }

    [Fact]
    public async Task SessionCookie_OnTheRestApi_StillNeedsTheCsrfHeader()
    {
        var (client, _) = await AdminClient.SignedInAsync(app);
        var lab = AlyxApp.Unique("lab");
        var response = await client.Http.PostAsync("/labs", Json.Body(new { name = lab }), Ct);
        Assert.Equal("{\"detail\":\"CSRF Failed: CSRF token missing.\",\"status_code\":403}", await response.AssertStatusAsync(HttpStatusCode.Forbidden));
        Assert.False(await app.WithDbAsync(db => db.Labs.AnyAsync(l => l.Name == lab, Ct)));
    }
}
