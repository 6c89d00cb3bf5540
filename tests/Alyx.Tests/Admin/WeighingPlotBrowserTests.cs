using Alyx.Actions;
using Alyx.Http;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Alyx.Tests.Admin;

/// <summary>
/// The weight plot in Chromium on the water history page: a subject with a long history and two restrictions, one weighed
/// once, one never weighed. Each plot is saved as its own PNG beside the page's screenshot under <c>artifacts/browser/</c>.
/// </summary>
public sealed class WeighingPlotBrowserTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task WeighingPlot_LongHistory_SingleWeighing_AndNone()
    {
        var username = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var (longId, _) = await AdminSeed.SubjectAsync(app, username);
        var (singleId, _) = await AdminSeed.SubjectAsync(app, username);
        var (noneId, _) = await AdminSeed.SubjectAsync(app, username);
        var today = app.Services.GetRequiredService<AlyxClock>().Now.Date;
        var first = today.AddDays(-150);
        await app.WithDbAsync(async db =>
        {
            // The lab's rule (this class's own database): weight above 80 % of the reference, so the plot has its threshold lines.
            (await db.Labs.OrderBy(l => l.Name).FirstAsync(TestContext.Current.CancellationToken)).ReferenceWeightPct = 0.8;
            for (var i = 0; i <= 150; i++)
                db.Add(new Weighing { SubjectId = longId, DateTime = first.AddDays(i).AddHours(9), Weight = 24 + Math.Sin(i / 9.0) - (i is >= 60 and < 80 or >= 120 ? 3 + 0.05 * (i % 20) : 0) });
            db.Add(new WaterRestriction { SubjectId = longId, StartTime = first.AddDays(60).AddHours(8), EndTime = first.AddDays(80).AddHours(8), ReferenceWeight = 24 });
            db.Add(new WaterRestriction { SubjectId = longId, StartTime = first.AddDays(120).AddHours(8), ReferenceWeight = 24 });
            db.Add(new Weighing { SubjectId = singleId, DateTime = today.AddDays(-1).AddHours(10), Weight = 21.5 });
            db.Add(new WaterRestriction { SubjectId = singleId, StartTime = today.AddDays(-1).AddHours(8), ReferenceWeight = 23 });
            await db.SaveChangesAsync();
        });

        await using var browser = await app.NewSessionAsync(nameof(WeighingPlot_LongHistory_SingleWeighing_AndNone));
        var page = browser.Page;
        await page.SetViewportSizeAsync(1100, 800);
        await page.GotoAsync("/admin/login/");
        await page.GetByLabel("Username:").FillAsync(username);
        await page.GetByLabel("Password:").FillAsync(AdminClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Site administration" })).ToBeVisibleAsync();

        foreach (var (name, id) in new[] { ("long-history", longId), ("single-weighing", singleId), ("no-weighing", noneId) })
        {
            await page.GotoAsync($"/admin-actions/water-history/{id}");
            var plot = page.Locator("svg.weighing-plot");
            await Assertions.Expect(plot).ToBeVisibleAsync();
            var folder = Path.GetDirectoryName(await browser.ScreenshotAsync(name))!;
            await plot.ScreenshotAsync(new() { Path = Path.Combine(folder, $"plot-{name}.png") });
            var box = (await plot.BoundingBoxAsync())!;
            if (id == noneId)
            {
                await Assertions.Expect(plot.GetByText("No weighings recorded for this subject")).ToBeVisibleAsync();
                continue;
            }
            // The legend is drawn below the plot area: its box starts under the x axis in the rendered page.
            var legend = (await plot.Locator("g.legend > rect").BoundingBoxAsync())!;
            var axis = (await plot.Locator("g.axes > line").Nth(1).BoundingBoxAsync())!;
            Assert.True(legend.Y > axis.Y + axis.Height, $"legend at {legend.Y} is not below the x axis at {axis.Y}");
            Assert.True(legend.Y + legend.Height <= box.Y + box.Height + 1);
            await Assertions.Expect(plot.Locator("g.legend")).ToContainTextAsync("80% of expected");
            if (id == singleId)
            {
                // Every series of the single day shows as a marker: reference, z-score and the two thresholds.
                Assert.Equal(4, await plot.Locator("g.markers path").CountAsync());
                foreach (var marker in await plot.Locator("g.markers path").AllAsync())
                    Assert.True((await marker.BoundingBoxAsync())!.Width >= 5);
            }
            else
            {
                Assert.Equal(2, await plot.Locator("g.restrictions rect").CountAsync());
            }
        }
    }
}
