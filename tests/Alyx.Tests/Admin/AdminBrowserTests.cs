using Alyx.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Alyx.Tests.Admin;

/// <summary>The admin pages in a real browser (Chromium through Playwright), with a screenshot of each step under artifacts/browser/.</summary>
public sealed class AdminBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task LogIn_SeesTheIndex_LogsOut()
    {
        var username = await AdminClient.CreateUserAsync(app, AdminRole.Superuser);
        await using var browser = await app.NewSessionAsync(nameof(LogIn_SeesTheIndex_LogsOut));
        var page = browser.Page;

        await page.GotoAsync("/admin/");
        Assert.EndsWith("/admin/login/?next=%2Fadmin%2F", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Username:").FillAsync(username);
        await page.GetByLabel("Password:").FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Please enter the correct username and password for a staff account.");
        await browser.ScreenshotAsync("login-refused");

        await page.GetByLabel("Password:").FillAsync(AdminClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Site administration" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText($"Welcome, {username}.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Water administrations" })).ToHaveAttributeAsync("href", "/admin/actions/wateradministration/");
        await browser.ScreenshotAsync("index");

        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Logged out" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("logged-out");
        await page.GotoAsync("/admin/");
        Assert.Contains("/admin/login/", page.Url, StringComparison.Ordinal);
    }
}
