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

    [Fact]
    public async Task Superuser_FindsAGroup_AndSetsAUsersGroups()
    {
        var superuser = await AdminClient.CreateUserAsync(app, AdminRole.Superuser);
        var keeper = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var team = AlyxApp.Unique("Husbandry team");
        var (groupId, keeperId) = await app.WithDbAsync(async db =>
        {
            var group = db.Groups.Add(new Alyx.Misc.Group { Name = team }).Entity;
            await db.SaveChangesAsync();
            return (group.Id, db.Users.Single(u => u.Username == keeper).Id);
        });
        await using var browser = await app.NewSessionAsync(nameof(Superuser_FindsAGroup_AndSetsAUsersGroups));
        var page = browser.Page;
        await page.GotoAsync("/admin/login/");
        await page.GetByLabel("Username:").FillAsync(superuser);
        await page.GetByLabel("Password:").FillAsync(AdminClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();

        // The groups list, from the index, searched by name; each group links to its page by its integer id.
        await page.GetByRole(AriaRole.Link, new() { Name = "Groups", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Select group to change" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Searchbox).FillAsync(team);
        await page.GetByRole(AriaRole.Searchbox).PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = team })).ToHaveAttributeAsync("href", $"/admin/auth/group/{groupId}/change/");
        await browser.ScreenshotAsync("group-list");

        // The user's page: the groups field searches groups as one types; the chosen name replaces the field's text.
        await page.GotoAsync($"/admin/misc/labmember/{keeperId}/change/");
        var groups = page.GetByLabel("Groups:");
        await Assertions.Expect(groups).ToHaveValueAsync("Lab members");
        await groups.FillAsync("husbandry te");
        var option = page.GetByRole(AriaRole.Option, new() { Name = team });
        await option.ClickAsync();
        await Assertions.Expect(groups).ToHaveValueAsync(team);
        await browser.ScreenshotAsync("user-groups-chosen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and continue editing" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"The lab member “{keeper}” was changed successfully.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Groups:")).ToHaveValueAsync(team);
        await browser.ScreenshotAsync("user-groups-saved");
    }
}
