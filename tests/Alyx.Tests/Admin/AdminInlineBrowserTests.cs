using Alyx.Actions;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Alyx.Tests.Admin;

/// <summary>Editable inlines in Chromium: on a subject's page, change a weighing in its row and add one in the empty row, save, see both.</summary>
public sealed class AdminInlineBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task SubjectPage_EditAndAddWeighingInline()
    {
        var ct = TestContext.Current.CancellationToken;
        var username = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var (subject, nickname) = await AdminSeed.SubjectAsync(app, username);
        var weighing = await AdminSeed.WeighingAsync(app, subject, 23.5, new DateTime(2024, 3, 4, 9, 30, 0));
        await using var browser = await app.NewSessionAsync(nameof(SubjectPage_EditAndAddWeighingInline));
        var page = browser.Page;
        await page.GotoAsync("/admin/login/");
        await page.GetByLabel("Username:").FillAsync(username);
        await page.GetByLabel("Password:").FillAsync(AdminClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Site administration" })).ToBeVisibleAsync();

        await page.GotoAsync($"/admin/subjects/subject/{subject}/change/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Weighings (1)" })).ToBeVisibleAsync();
        // Row 0 is the stored weighing, row 1 the empty row for a new one.
        await Assertions.Expect(page.Locator("input[name='weighing-0-id']")).ToHaveValueAsync(weighing.ToString());
        await page.Locator("#id_weighing-0-weight").FillAsync("24.25");
        await page.Locator("#id_weighing-1-date_time").FillAsync("2024-03-05T09:45:00");
        await page.Locator("#id_weighing-1-weight").FillAsync("24.75");
        await page.Locator("#inline-Weighing").ScrollIntoViewIfNeededAsync();
        await browser.ScreenshotAsync("inline-edit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save and continue editing" }).ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"The subject “{nickname}” was changed successfully.");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Weighings (2)" })).ToBeVisibleAsync();
        // Newest first: the added weighing, then the changed one.
        await Assertions.Expect(page.Locator("#id_weighing-0-weight")).ToHaveValueAsync("24.75");
        await Assertions.Expect(page.Locator("#id_weighing-1-weight")).ToHaveValueAsync("24.25");
        await Assertions.Expect(page.Locator("#id_weighing-1-date_time")).ToHaveValueAsync("2024-03-04T09:30:00");
        await page.Locator("#inline-Weighing").ScrollIntoViewIfNeededAsync();
        await browser.ScreenshotAsync("inline-saved");
        var stored = await app.WithDbAsync(db => db.Set<Weighing>().Where(w => w.SubjectId == subject).OrderBy(w => w.DateTime).Select(w => w.Weight).ToListAsync(ct));
        Assert.Equal([24.25, 24.75], stored);
    }
}
