using Alyx.Actions;
using Alyx.Http;
using Alyx.Tests.Infrastructure;
using Microsoft.Playwright;
using static Alyx.Tests.Actions.ActionsSeed;

namespace Alyx.Tests.Admin.Actions;

/// <summary>
/// The /admin-actions pages in a real browser (Chromium through Playwright), a screenshot of each step under
/// artifacts/browser/: a weighing and water entered from the today page, seen in the table and on the plot; the training
/// history of a week; a water restriction started and ended.
/// </summary>
public sealed class AdminActionsBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    DateTime Now => app.Services.GetRequiredService<AlyxClock>().Now;

    async Task<(BrowserSession Browser, IPage Page)> SignInAsync(string test, string username)
    {
        var browser = await app.NewSessionAsync(test);
        var page = browser.Page;
        await page.GotoAsync("/admin/login/");
        await page.GetByLabel("Username:").FillAsync(username);
        await page.GetByLabel("Password:").FillAsync(AdminClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(page.GetByText($"Welcome, {username}.")).ToBeVisibleAsync();
        return (browser, page);
    }

    Task AddAsync(params object[] rows) => app.WithDbAsync(async db =>
    {
        db.AddRange(rows);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    });

    [Fact]
    public async Task Today_EnterWeightAndWater_SeenInTableAndPlot()
    {
        var username = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var mouse = await SubjectAsync(app, responsible: username);
        var yesterday = Now.Date.AddDays(-1);
        await AddAsync(
            new WaterRestriction { SubjectId = mouse.Id, StartTime = yesterday.AddHours(8), ReferenceWeight = 20 },
            new Weighing { SubjectId = mouse.Id, DateTime = yesterday.AddHours(9), Weight = 20 });
        var (browser, page) = await SignInAsync(nameof(Today_EnterWeightAndWater_SeenInTableAndPlot), username);
        await using var _ = browser;

        await page.GotoAsync("/admin-actions/today/");
        await page.GetByLabel("Responsible user").SelectOptionAsync(username);
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var row = page.Locator($"tr[data-subject='{mouse.Nickname}']");
        await Assertions.Expect(row.Locator("[data-column=percentage]")).ToHaveTextAsync("100.0%");
        await browser.ScreenshotAsync("today");

        await page.GetByLabel($"Weight (g) of {mouse.Nickname}").FillAsync("16.5");
        await page.GetByLabel($"Water (mL) for {mouse.Nickname}").FillAsync("0.4");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Save for {mouse.Nickname}" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Weight and water saved for {mouse.Nickname}.");
        // 16.5 g of 20 g: 82.5 %, under 85 %: underweight; 5 % of 16.5 g = 0.825 mL, 0.40 given.
        await Assertions.Expect(row.Locator("[data-column=last-weight]")).ToContainTextAsync("16.5 g");
        await Assertions.Expect(row.Locator("[data-column=percentage]")).ToContainTextAsync("82.5%");
        await Assertions.Expect(row.Locator(".flag")).ToHaveTextAsync("underweight");
        await Assertions.Expect(row.Locator("[data-column=given]")).ToHaveTextAsync("0.40");
        await browser.ScreenshotAsync("today-saved");

        // A negative weight: the REST API's message next to the form, nothing saved.
        await page.GetByLabel($"Weight (g) of {mouse.Nickname}").FillAsync("-3");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Save for {mouse.Nickname}" }).ClickAsync();
        await Assertions.Expect(page.Locator($"tr[data-entry-for='{mouse.Nickname}']").GetByRole(AriaRole.Alert)).ToHaveTextAsync("Weight: Ensure this value is greater than or equal to 0.");
        await browser.ScreenshotAsync("today-refused");

        await row.GetByRole(AriaRole.Link, new() { Name = "water history" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Water history of {mouse.Nickname}" })).ToBeVisibleAsync();
        var today = page.Locator($"tr[data-date='{Now:yyyy-MM-dd}']");
        await Assertions.Expect(today.Locator("[data-column=weight]")).ToHaveTextAsync("16.5");
        await Assertions.Expect(today.Locator("[data-column=given]")).ToHaveTextAsync("0.40");
        // On the plot: two weighings, the new one flagged below the threshold.
        await Assertions.Expect(page.Locator("svg.weighing-plot g.weighings circle")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("svg.weighing-plot circle[data-below=true]")).ToHaveCountAsync(1);
        await browser.ScreenshotAsync("water-history");
    }

    [Fact]
    public async Task TrainingHistory_OfAWeek()
    {
        var username = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var trained = await SubjectAsync(app, responsible: username);
        var idle = await SubjectAsync(app, responsible: username);
        await AddAsync(
            new WaterRestriction { SubjectId = trained.Id, StartTime = T(2031, 1, 1), ReferenceWeight = 20 },
            new WaterRestriction { SubjectId = idle.Id, StartTime = T(2031, 1, 1), ReferenceWeight = 20 });
        // Week of Monday 2031-06-02: trained every weekday, idle on Wednesday only.
        await AddAsync([.. Enumerable.Range(0, 5).Select(d => new Session { SubjectId = trained.Id, StartTime = T(2031, 6, 2 + d, 10) }),
            new Session { SubjectId = idle.Id, StartTime = T(2031, 6, 4, 10) }]);
        var (browser, page) = await SignInAsync(nameof(TrainingHistory_OfAWeek), username);
        await using var _ = browser;

        await page.GotoAsync("/admin-actions/training/2031-06-05");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Training history for 2031-06-02" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"tr[data-subject='{trained.Nickname}'] [data-column=training-days]")).ToHaveTextAsync("5");
        await Assertions.Expect(page.Locator($"tr[data-subject='{trained.Nickname}'] [data-column=ok]")).ToHaveTextAsync("OK");
        await Assertions.Expect(page.Locator($"tr[data-subject='{idle.Nickname}'] [data-column=training-days]")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator($"tr[data-subject='{idle.Nickname}'] [data-column=ok]")).ToHaveTextAsync("Not OK");
        await browser.ScreenshotAsync("training-week");

        await page.GetByRole(AriaRole.Link, new() { Name = "Next week ›" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Training history for 2031-06-09" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"tr[data-subject='{trained.Nickname}'] [data-column=training-days]")).ToHaveTextAsync("0");
        await browser.ScreenshotAsync("training-next-week");
    }

    [Fact]
    public async Task WaterRestriction_StartAndEnd()
    {
        var username = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var mouse = await SubjectAsync(app, responsible: username);
        await AddAsync(new Weighing { SubjectId = mouse.Id, DateTime = Now.AddHours(-1), Weight = 24 });
        var (browser, page) = await SignInAsync(nameof(WaterRestriction_StartAndEnd), username);
        await using var _ = browser;

        await page.GotoAsync($"/admin-actions/water-history/{mouse.Id}");
        await Assertions.Expect(page.GetByText("not under water restriction", new() { Exact = true })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("before");
        await page.GetByRole(AriaRole.Button, new() { Name = "Start water restriction" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "End water restriction" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"tr[data-date='{Now:yyyy-MM-dd}'] [data-column=reference]")).ToHaveTextAsync("24.0");
        await Assertions.Expect(page.Locator("svg.weighing-plot g.restrictions rect")).ToHaveCountAsync(1);
        await browser.ScreenshotAsync("started");

        await page.GetByRole(AriaRole.Button, new() { Name = "End water restriction" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Start water restriction" })).ToBeVisibleAsync();
        await browser.ScreenshotAsync("ended");
        var open = await app.WithDbAsync(db => Task.FromResult(db.Set<WaterRestriction>().Count(r => r.SubjectId == mouse.Id && r.EndTime == null)));
        Assert.Equal(0, open);
    }
}
