using System.Net;
using Alyx.Auth;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Admin;

/// <summary>/admin/password_change/ and a superuser setting another user's password, with Django's validators' words.</summary>
public sealed class PasswordPagesTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    const string Url = "/admin/password_change/";

    static Dictionary<string, string> Change(string old, string first, string second) =>
        new() { ["old_password"] = old, ["new_password1"] = first, ["new_password2"] = second };

    [Theory]
    [InlineData("wrong old password", "Brand-new-pw-42", "Brand-new-pw-42", "id_old_password_error", "Your old password was entered incorrectly. Please enter it again.")]
    [InlineData(AdminClient.Password, "Brand-new-pw-42", "Brand-new-pw-43", "id_new_password2_error", "The two password fields didn’t match.")]
    [InlineData(AdminClient.Password, "Sh0rt!", "Sh0rt!", "id_new_password2_error", "This password is too short. It must contain at least 8 characters.")]
    [InlineData(AdminClient.Password, "4815162342", "4815162342", "id_new_password2_error", "This password is entirely numeric.")]
    [InlineData(AdminClient.Password, "password123", "password123", "id_new_password2_error", "This password is too common.")]
    [InlineData(AdminClient.Password, "", "", "id_new_password1_error", "This field is required.")]
    public async Task ChangeOwn_Refused_SaysWhyAndKeepsThePassword(string old, string first, string second, string errorId, string message)
    {
        var (client, username) = await AdminClient.SignedInAsync(app);
        var before = await AdminClient.PasswordHashAsync(app, username);
        var html = await (await client.SubmitAsync(Url, Url, Change(old, first, second))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains($"id=\"{errorId}\"><li>{System.Net.WebUtility.HtmlEncode(message).Replace("’", "&#x2019;", StringComparison.Ordinal)}</li>", html);
        Assert.Equal(before, await AdminClient.PasswordHashAsync(app, username));
    }

    [Fact]
    public async Task ChangeOwn_SimilarToUsername_IsRefused()
    {
        var (client, username) = await AdminClient.SignedInAsync(app);
        var html = await (await client.SubmitAsync(Url, Url, Change(AdminClient.Password, username + "1", username + "1"))).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains("<li>The password is too similar to the username.</li>", html);
    }

    [Fact]
    public async Task ChangeOwn_Succeeds_KeepsTheSessionAndTheNewPasswordLogsIn()
    {
        var (client, username) = await AdminClient.SignedInAsync(app);
        var response = await client.SubmitAsync(Url, Url, Change(AdminClient.Password, "Brand-new-pw-42", "Brand-new-pw-42"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/password_change/done/", response.Headers.Location!.OriginalString);
        Assert.Contains("Your password was changed.", await client.PageAsync("/admin/password_change/done/"));
        Assert.True(DjangoPasswordHasher.Verify("Brand-new-pw-42", await AdminClient.PasswordHashAsync(app, username)));
        Assert.Equal(HttpStatusCode.Redirect, (await AdminClient.Anonymous(app).LoginAsync(username, "Brand-new-pw-42")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AdminClient.Anonymous(app).LoginAsync(username, AdminClient.Password)).StatusCode);
    }

    [Fact]
    public async Task ChangeOwn_WithoutCsrfToken_Is403()
    {
        var (client, username) = await AdminClient.SignedInAsync(app);
        var before = await AdminClient.PasswordHashAsync(app, username);
        await (await client.PostAsync(Url, Change(AdminClient.Password, "Brand-new-pw-42", "Brand-new-pw-42"))).AssertStatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal(before, await AdminClient.PasswordHashAsync(app, username));
    }

    [Fact]
    public async Task SetPassword_BySuperuser_SetsAnotherUsersPassword()
    {
        var (superuser, _) = await AdminClient.SignedInAsync(app, AdminRole.Superuser);
        var target = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var id = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Users.Where(u => u.Username == target).Select(u => u.Id), TestContext.Current.CancellationToken));
        Assert.Contains($"href=\"/admin/misc/labmember/{id}/password/\"", await superuser.PageAsync($"/admin/misc/labmember/{id}/change/"));
        var url = $"/admin/misc/labmember/{id}/password/";
        var mismatch = await superuser.SubmitAsync(url, url, new() { ["password1"] = "Other-pw-1234", ["password2"] = "Other-pw-12345" });
        Assert.Contains("The two password fields didn’t match.", AdminClient.Text(await mismatch.AssertStatusAsync(HttpStatusCode.OK)));
        var response = await superuser.SubmitAsync(url, url, new() { ["password1"] = "Other-pw-1234", ["password2"] = "Other-pw-1234" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.True(DjangoPasswordHasher.Verify("Other-pw-1234", await AdminClient.PasswordHashAsync(app, target)));
        Assert.Contains("Password changed successfully.", await superuser.PageAsync(response.Headers.Location!.OriginalString));
    }

    [Fact]
    public async Task SetPassword_ByStaff_IsForbidden()
    {
        var (staff, _) = await AdminClient.SignedInAsync(app);
        var target = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var before = await AdminClient.PasswordHashAsync(app, target);
        var id = await app.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Users.Where(u => u.Username == target).Select(u => u.Id), TestContext.Current.CancellationToken));
        var url = $"/admin/misc/labmember/{id}/password/";
        await staff.PageAsync(url, HttpStatusCode.Forbidden);
        var token = AdminClient.CsrfToken(await staff.PageAsync("/admin/"));
        var response = await staff.PostAsync(url, new Dictionary<string, string> { ["csrfmiddlewaretoken"] = token, ["password1"] = "Other-pw-1234", ["password2"] = "Other-pw-1234" });
        await response.AssertStatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal(before, await AdminClient.PasswordHashAsync(app, target));
    }
}
