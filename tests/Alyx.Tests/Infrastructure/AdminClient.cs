using System.Net;
using System.Text.RegularExpressions;
using Alyx.Auth;
using Alyx.Misc;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Infrastructure;

/// <summary>
/// The kinds of admin users the permission tests need (conventions §6.3). Staff and public users are in the "Lab members"
/// group, as Alyx's set_db_permissions puts every user; a husbandry user also in "Animal Husbandry team".
/// </summary>
public enum AdminRole
{
    Staff,
    Superuser,
    Public,
    NotStaff,
    Inactive,
    Husbandry,
    StaffWithoutGroups,
}

/// <summary>
/// A browser-like client of the admin pages over HTTP: a cookie jar, the login form, and forms posted with the CSRF token
/// read from the page they come from (as a browser sends it).
/// </summary>
public sealed partial class AdminClient(HttpClient http)
{
    public const string Password = "admin-test-Pw1";

    public HttpClient Http { get; } = http;

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new user of <paramref name="role"/> with <see cref="Password"/>; returns the username.</summary>
    public static async Task<string> CreateUserAsync(AlyxApp app, AdminRole role, string? username = null)
    {
        username ??= AlyxApp.Unique(role.ToString().ToLowerInvariant());
        await app.WithDbAsync(async db =>
        {
            var user = db.Users.Add(new LabMember
            {
                Username = username,
                Password = DjangoPasswordHasher.Hash(Password, 1000),
                IsStaff = role != AdminRole.NotStaff,
                IsSuperuser = role == AdminRole.Superuser,
                IsPublicUser = role == AdminRole.Public,
                IsActive = role != AdminRole.Inactive,
                DateJoined = new DateTime(2024, 1, 1),
            }).Entity;
            if (role is not (AdminRole.StaffWithoutGroups or AdminRole.Superuser)) user.Groups.Add(await GroupAsync(db, "Lab members"));
            if (role == AdminRole.Husbandry) user.Groups.Add(await GroupAsync(db, "Animal Husbandry team"));
            await db.SaveChangesAsync(Ct);
        });
        return username;
    }

    /// <summary>The group named <paramref name="name"/>, created if the database has none.</summary>
    public static async Task<Alyx.Misc.Group> GroupAsync(Alyx.Database.AlyxDb db, string name) =>
        await db.Groups.SingleOrDefaultAsync(g => g.Name == name, Ct) ?? db.Groups.Add(new Alyx.Misc.Group { Name = name }).Entity;

    /// <summary>A client that has logged in through the login form as a new user of <paramref name="role"/>.</summary>
    public static async Task<(AdminClient Client, string Username)> SignedInAsync(AlyxApp app, AdminRole role = AdminRole.Staff)
    {
        var username = await CreateUserAsync(app, role);
        var client = Anonymous(app);
        var response = await client.LoginAsync(username, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (client, username);
    }

    public static AdminClient Anonymous(AlyxApp app) =>
        new(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    public Task<HttpResponseMessage> LoginAsync(string username, string password, string next = "/admin/") =>
        SubmitAsync("/admin/login/", "/admin/login/", new() { ["username"] = username, ["password"] = password, ["next"] = next });

    /// <summary>GETs a page, asserting the status; returns the HTML.</summary>
    public async Task<string> PageAsync(string url, HttpStatusCode status = HttpStatusCode.OK) =>
        await (await Http.GetAsync(url, Ct)).AssertStatusAsync(status);

    /// <summary>Loads <paramref name="formPage"/>, takes its CSRF token, and posts <paramref name="fields"/> to <paramref name="action"/>.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string formPage, string action, Dictionary<string, string> fields)
    {
        var page = await PageAsync(formPage);
        var form = new Dictionary<string, string>(fields) { ["csrfmiddlewaretoken"] = CsrfToken(page) };
        return await PostAsync(action, form);
    }

    public async Task<HttpResponseMessage> PostAsync(string action, IEnumerable<KeyValuePair<string, string>> form) =>
        await Http.PostAsync(action, new FormUrlEncodedContent(form), Ct);

    public static string CsrfToken(string html) =>
        CsrfPattern().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("No CSRF field on the page.");

    [GeneratedRegex("name=\"csrfmiddlewaretoken\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfPattern();

    /// <summary>The text of the page with tags removed and white space collapsed, for assertions on what a reader sees.</summary>
    public static string Text(string html) =>
        WebUtility.HtmlDecode(Spaces().Replace(Tags().Replace(html, " "), " ")).Trim();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>Whether the user still exists with the given password hash check (for password-change tests).</summary>
    public static Task<string> PasswordHashAsync(AlyxApp app, string username) =>
        app.WithDbAsync(db => db.Users.Where(u => u.Username == username).Select(u => u.Password).SingleAsync(Ct));
}
