using System.Net;
using Alyx.Actions;
using Alyx.Http;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Alyx.Tests.Actions.ActionsSeed;

namespace Alyx.Tests.Actions;

/// <summary>
/// The water figures of the subject rows and the underweight check read only the recent part of a subject's history: they
/// must still find a latest weighing made long ago, the weighing before an old restriction start, and today's water.
/// Figures by hand (lab reference percentage 0.85, z-score percentage 0: the expected weight is the reference weight).
/// </summary>
public sealed class WaterFiguresHistoryTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    DateTime Now => app.Services.GetRequiredService<AlyxClock>().Now;

    static string Iso(DateTime t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

    Task AddAsync(params object[] rows) => app.WithDbAsync(async db =>
    {
        db.AddRange(rows);
        await db.SaveChangesAsync();
    });

    [Fact]
    public async Task LatestWeighingDaysAgo_AndTodaysWater_GiveTheFigures()
    {
        var mouse = await SubjectAsync(app);
        var today = Now.Date;
        var start = today.AddDays(-30).AddHours(9);
        await AddAsync(
            new WaterRestriction { SubjectId = mouse.Id, StartTime = start, ReferenceWeight = 20.0 },
            new Weighing { SubjectId = mouse.Id, DateTime = today.AddDays(-30).AddHours(8), Weight = 20.0 },
            new Weighing { SubjectId = mouse.Id, DateTime = today.AddDays(-20).AddHours(8), Weight = 19.0 },
            new Weighing { SubjectId = mouse.Id, DateTime = today.AddDays(-10).AddHours(8), Weight = 18.0 },
            new WaterAdministration { SubjectId = mouse.Id, DateTime = today.AddDays(-10).AddHours(9), WaterAdministered = 1.0 },
            new WaterAdministration { SubjectId = mouse.Id, DateTime = today.AddDays(-1).AddHours(23), WaterAdministered = 0.25 },
            new WaterAdministration { SubjectId = mouse.Id, DateTime = today.AddMinutes(1), WaterAdministered = 0.5 });
        var client = await app.ClientForAsync();
        foreach (var url in new[] { $"/subjects/{mouse.Nickname}", $"/subjects?nickname={mouse.Nickname}" })
        {
            var body = await (await client.GetAsync(url, Ct)).ReadJsonAsync(HttpStatusCode.OK);
            var row = body["results"] is System.Text.Json.Nodes.JsonArray list ? list.Single()! : body;
            // Weight 18 (10 days ago) is above 0.85 × 20 = 17: 4 % of it; given today 0.5 (yesterday's 0.25 does not count).
            Assert.Equal(20.0, row["reference_weight"]!.GetValue<double>());
            Assert.Equal(Iso(start), row["last_water_restriction"]!.GetValue<string>());
            Assert.Equal(0.04 * 18.0, row["expected_water"]!.GetValue<double>());
            Assert.Equal(0.04 * 18.0 - 0.5, row["remaining_water"]!.GetValue<double>());
        }
    }

    [Fact]
    public async Task RestrictionWithoutReferenceWeight_UsesTheWeighingBeforeItsStart()
    {
        var mouse = await SubjectAsync(app);
        var today = Now.Date;
        var start = today.AddDays(-20).AddHours(9);
        // Stored directly: the REST save would fill the reference weight in.
        await AddAsync(
            new WaterRestriction { SubjectId = mouse.Id, StartTime = start, ReferenceWeight = 0 },
            new Weighing { SubjectId = mouse.Id, DateTime = today.AddDays(-25).AddHours(8), Weight = 21.0 },
            new Weighing { SubjectId = mouse.Id, DateTime = today.AddDays(-15).AddHours(8), Weight = 19.5 },
            new Weighing { SubjectId = mouse.Id, DateTime = today.AddDays(-9).AddHours(8), Weight = 19.0 });
        var client = await app.ClientForAsync();
        var row = await (await client.GetAsync($"/subjects/{mouse.Nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        // Reference: the 21 g weighing before the start; weight 19 is above 0.85 × 21 = 17.85: 4 % of 19, nothing given.
        Assert.Equal(21.0, row["reference_weight"]!.GetValue<double>());
        Assert.Equal(Iso(start), row["last_water_restriction"]!.GetValue<string>());
        Assert.Equal(0.04 * 19.0, row["expected_water"]!.GetValue<double>());
        Assert.Equal(0.04 * 19.0, row["remaining_water"]!.GetValue<double>());
    }

    [Fact]
    public async Task PostedWeighingDatedDaysAgo_IsTheOneTheUnderweightCheckReports()
    {
        var mouse = await SubjectAsync(app);
        var today = Now.Date;
        var weighed = today.AddDays(-10).AddHours(9);
        await AddAsync(new WaterRestriction { SubjectId = mouse.Id, StartTime = today.AddDays(-30).AddHours(9), ReferenceWeight = 20.0 },
            new Weighing { SubjectId = mouse.Id, DateTime = today.AddDays(-30).AddHours(8), Weight = 20.0 });
        var client = await app.ClientForAsync();
        (await client.PostAsync("/weighings", Json.Body(new { subject = mouse.Nickname, weight = 16.0, date_time = Iso(weighed) }), Ct))
            .EnsureSuccessStatusCode();
        // 16 / 20 = 80 %, at or below the minimum max(0.85, 0.75) = 85 %.
        var titles = await app.WithDbAsync(db => db.Set<Notification>().Where(n => n.SubjectId == mouse.Id).Select(n => n.Title).ToListAsync());
        var expected = $"WARNING: {mouse.Nickname} weight was 80.0% on {weighed:yyyy-MM-dd} 09:00:00";
        Assert.Equal([expected], titles);
    }
}
