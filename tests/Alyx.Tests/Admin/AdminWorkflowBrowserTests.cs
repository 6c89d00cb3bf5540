using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Alyx.Tests.Admin;

/// <summary>A day in the admin, in Chromium: search a subject, edit a litter, delete a weighing, change one's password, log out.</summary>
public sealed class AdminWorkflowBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task SearchEditDeleteChangePasswordLogOut()
    {
        var ct = TestContext.Current.CancellationToken;
        var username = await AdminClient.CreateUserAsync(app, AdminRole.Superuser);
        var (subject, nickname) = await AdminSeed.SubjectAsync(app, username);
        var weighing = await AdminSeed.WeighingAsync(app, subject, 23.5, new DateTime(2024, 3, 4, 9, 30, 0));
        var litterName = AlyxApp.Unique("litter");
        var litter = await app.WithDbAsync(async db =>
        {
            var l = new Litter { Name = litterName, BirthDate = new DateOnly(2024, 1, 2) };
            db.Add(l);
            await db.SaveChangesAsync(ct);
            await db.Subjects.Where(s => s.Id == subject).ExecuteUpdateAsync(s => s.SetProperty(x => x.LitterId, l.Id), ct);
            return l.Id;
        });
        await using var browser = await app.NewSessionAsync(nameof(SearchEditDeleteChangePasswordLogOut));
        var page = browser.Page;

        // Log in.
        await page.GotoAsync("/admin/login/");
        await page.GetByLabel("Username:").FillAsync(username);
        await page.GetByLabel("Password:").FillAsync(AdminClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Site administration" })).ToBeVisibleAsync();

        // Search a subject.
        await page.Locator("a[href='/admin/subjects/subject/']").ClickAsync();
        await page.GetByRole(AriaRole.Searchbox).FillAsync(nickname);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.Locator("#result-count")).ToHaveTextAsync("1 subject");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = nickname })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("subject-search");
        await page.GetByRole(AriaRole.Link, new() { Name = nickname }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Weighings (1)" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("subject-page");

        // Edit a litter: its description, and its line chosen by search-as-you-type stays a plain text field.
        await page.GotoAsync($"/admin/subjects/litter/{litter}/change/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Pups (1)" })).ToBeVisibleAsync();
        await page.GetByLabel("Description:").FillAsync("Weaned on 2024-01-23.");
        await browser.ScreenshotAsync("litter-edit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and continue editing" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"The litter “{litterName}” was changed successfully.");
        await Assertions.Expect(page.GetByLabel("Description:")).ToHaveValueAsync("Weaned on 2024-01-23.");
        await browser.ScreenshotAsync("litter-saved");
        Assert.Equal("Weaned on 2024-01-23.", await app.WithDbAsync(db => db.Litters.Where(l => l.Id == litter).Select(l => l.Description).SingleAsync(ct)));

        // Search-as-you-type on a weighing's subject field.
        await page.GotoAsync("/admin/actions/weighing/add/");
        await page.GetByLabel("Subject:").PressSequentiallyAsync(nickname[..8]);
        await Assertions.Expect(page.GetByRole(AriaRole.Option, new() { Name = nickname })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("lookup");
        await page.GetByRole(AriaRole.Option, new() { Name = nickname }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Subject:")).ToHaveValueAsync(nickname);

        // Delete a weighing through its confirmation page.
        await page.GotoAsync($"/admin/actions/weighing/{weighing}/change/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Delete" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Are you sure?" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("weighing-delete-confirm");
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, I’m sure" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("was deleted successfully.");
        await browser.ScreenshotAsync("weighing-deleted");
        Assert.Equal(0, await AdminSeed.WeighingCountAsync(app, subject));

        // Change one's own password.
        await page.GetByRole(AriaRole.Link, new() { Name = "Change password" }).ClickAsync();
        await page.GetByLabel("Old password:").FillAsync(AdminClient.Password);
        await page.GetByLabel("New password:", new() { Exact = true }).FillAsync("Brand-new-pw-42");
        await page.GetByLabel("New password confirmation:").FillAsync("Brand-new-pw-42");
        await browser.ScreenshotAsync("password-change");
        await page.GetByRole(AriaRole.Button, new() { Name = "Change my password" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Your password was changed.")).ToBeVisibleAsync();
        await browser.ScreenshotAsync("password-changed");

        // Log out.
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Logged out" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("logged-out");
    }
}
