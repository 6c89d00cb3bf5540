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

    async Task<System.Text.Json.Nodes.JsonNode> SubjectRowAsync(string nickname)
    {
        var client = await app.ClientForAsync();
        return await (await client.GetAsync($"/subjects/{nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ManyWeighingsToday_TheLatestIsTheWeightAndFutureOnesDoNotCount()
    {
        var mouse = await SubjectAsync(app);
        var today = Now.Date;
        var rows = new List<object> { new WaterRestriction { SubjectId = mouse.Id, StartTime = today.AddDays(-30).AddHours(9), ReferenceWeight = 20.0 } };
        // Ten weighings of 19 g today (00:00 to 09:00), one of 30 g tomorrow and one in five days: more than the loader's recent rows.
        for (var h = 0; h < 10; h++) rows.Add(new Weighing { SubjectId = mouse.Id, DateTime = today.AddHours(h), Weight = 19.0 });
        rows.Add(new Weighing { SubjectId = mouse.Id, DateTime = today.AddDays(1).AddHours(8), Weight = 30.0 });
        rows.Add(new Weighing { SubjectId = mouse.Id, DateTime = today.AddDays(5).AddHours(8), Weight = 30.0 });
        await AddAsync([.. rows]);
        var client = await app.ClientForAsync();
        var weighed = today.AddHours(10);
        (await client.PostAsync("/weighings", Json.Body(new { subject = mouse.Nickname, weight = 16.0, date_time = Iso(weighed) }), Ct))
            .EnsureSuccessStatusCode();
        // The 16 g weighing at 10:00 is today's last: 16 / 20 = 80 %, at or below the minimum max(0.85, 0.75) = 85 %.
        var titles = await app.WithDbAsync(db => db.Set<Notification>().Where(n => n.SubjectId == mouse.Id).Select(n => n.Title).ToListAsync());
        Assert.Equal([$"WARNING: {mouse.Nickname} weight was 80.0% on {weighed:yyyy-MM-dd} 10:00:00"], titles);
        // 16 is below 0.85 × 20 = 17: 5 % of it (4 % of 19 or 30 would be a wrong weighing).
        var row = await SubjectRowAsync(mouse.Nickname);
        Assert.Equal(0.05 * 16.0, row["expected_water"]!.GetValue<double>());
        Assert.Equal(0.05 * 16.0, row["remaining_water"]!.GetValue<double>());
    }

    [Fact]
    public async Task WeighingsDatedInTheComingDays_DoNotHideTodays()
    {
        var mouse = await SubjectAsync(app);
        var today = Now.Date;
        await AddAsync(
            new WaterRestriction { SubjectId = mouse.Id, StartTime = today.AddDays(-30).AddHours(9), ReferenceWeight = 20.0 },
            new Weighing { SubjectId = mouse.Id, DateTime = today.AddHours(8), Weight = 16.0 },
            new Weighing { SubjectId = mouse.Id, DateTime = today.AddDays(1).AddHours(8), Weight = 30.0 },
            new Weighing { SubjectId = mouse.Id, DateTime = today.AddDays(1).AddHours(9), Weight = 30.0 },
            new Weighing { SubjectId = mouse.Id, DateTime = today.AddDays(2).AddHours(8), Weight = 30.0 },
            new Weighing { SubjectId = mouse.Id, DateTime = today.AddDays(2).AddHours(9), Weight = 30.0 });
        // Today's 16 g is the weight (the four later ones are after today): below 0.85 × 20 = 17, 5 % of it.
        var row = await SubjectRowAsync(mouse.Nickname);
        Assert.Equal(0.05 * 16.0, row["expected_water"]!.GetValue<double>());
    }

    [Fact]
    public async Task RestrictionWithoutReferenceWeight_AndManyLaterWeighings_UsesTheWeighingBeforeItsStart()
    {
        var mouse = await SubjectAsync(app);
        var today = Now.Date;
        var start = today.AddDays(-20).AddHours(9);
        var rows = new List<object>
        {
            new WaterRestriction { SubjectId = mouse.Id, StartTime = start, ReferenceWeight = 0 },
            new Weighing { SubjectId = mouse.Id, DateTime = today.AddDays(-25).AddHours(8), Weight = 21.0 },
        };
        for (var d = 6; d >= 1; d--) rows.Add(new Weighing { SubjectId = mouse.Id, DateTime = today.AddDays(-d).AddHours(8), Weight = 19.0 });
        await AddAsync([.. rows]);
        // Reference: the 21 g weighing before the start; weight 19 is above 0.85 × 21 = 17.85: 4 % of 19.
        var row = await SubjectRowAsync(mouse.Nickname);
        Assert.Equal(21.0, row["reference_weight"]!.GetValue<double>());
        Assert.Equal(0.04 * 19.0, row["expected_water"]!.GetValue<double>());
    }

    [Fact]
    public async Task WeighingsAcrossTheLabsClockChange_TheLastInLabTimeIsTheWeight()
    {
        var mouse = await SubjectAsync(app);
        await app.WithDbAsync(db => db.Set<global::Alyx.Misc.Lab>().Where(l => l.Id == mouse.LabId).ExecuteUpdateAsync(u => u.SetProperty(l => l.Timezone, "Europe/London")));
        // Server time is UTC; London leaves summer time on 2026-10-25 at 01:00 UTC (02:00 BST → 01:00 GMT). The weighing stored at
        // 00:30 is 01:30 in London, later than the three stored at 01:05-01:15 (01:05-01:15 GMT): it is the last of the day.
        var day = new DateTime(2026, 10, 25);
        await AddAsync(
            new WaterRestriction { SubjectId = mouse.Id, StartTime = day.AddDays(-30), ReferenceWeight = 20.0 },
            new Weighing { SubjectId = mouse.Id, DateTime = day.AddMinutes(30), Weight = 16.0 },
            new Weighing { SubjectId = mouse.Id, DateTime = day.AddMinutes(65), Weight = 19.0 },
            new Weighing { SubjectId = mouse.Id, DateTime = day.AddMinutes(70), Weight = 19.0 },
            new Weighing { SubjectId = mouse.Id, DateTime = day.AddMinutes(75), Weight = 19.0 });
        var clock = new AlyxClock(new ManualTime(new DateTimeOffset(day.AddHours(12), TimeSpan.Zero)), TimeZoneInfo.Utc);
        var wc = (await app.WithDbAsync(db => WaterControl.LoadCurrentAsync(db, [mouse.Id], clock, Ct)))[mouse.Id];
        Assert.Equal(new TimedWeight(day.AddMinutes(90), 16.0), wc.LastWeighing());
        // 16 is below 0.85 × 20 = 17: 5 % of it.
        Assert.Equal(0.05 * 16.0, wc.ExpectedWater());
    }
}
