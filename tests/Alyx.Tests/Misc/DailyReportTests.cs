using Alyx.Actions;
using Alyx.Http;
using Alyx.Misc;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using static Alyx.Tests.Actions.ActionsSeed;

namespace Alyx.Tests.Misc;

/// <summary>The server on a fixed day: Monday 11 March 2030, 15:00 UTC.</summary>
public sealed class ReportDayApp : AlyxApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2030, 3, 11, 15, 0, 0, TimeSpan.Zero))));
    }
}

/// <summary>
/// The daily report's sections (alyx/misc/management/commands/report.py) for a lab day built here: one keeper with four
/// mice in a lab at 85 %. Expected texts are written out by hand from the original's format strings.
/// </summary>
public sealed class DailyReportTests(ReportDayApp app) : IClassFixture<ReportDayApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    sealed record Day(string User, string Email, string Lab, string A, string B, string C, string D);

    /// <summary>
    /// A: restricted since 8 March (20 g reference), weighed 18 g on the 10th, 0.5 mL that day, sessions on the 6th and 7th.
    /// B: restricted likewise, weighed only today (16.5 g, 82.5 %), a surgery, sessions on five days. C: to be genotyped.
    /// D: culled, not reduced.
    /// </summary>
    async Task<Day> SeedAsync()
    {
        var user = AlyxApp.Unique("rep");
        var email = user + "@lab.test";
        return await app.WithDbAsync(async db =>
        {
            var keeper = new Alyx.Misc.LabMember { Username = user, Email = email, DateJoined = new DateTime(2020, 1, 1) };
            var lab = new Lab { Name = AlyxApp.Unique("replab"), ReferenceWeightPct = 0.85 };
            Subject Mouse(string suffix) => new()
            {
                Nickname = user + "_" + suffix,
                Lab = lab,
                ResponsibleUser = keeper,
                BirthDate = new DateOnly(2029, 6, 1),
            };
            var (a, b, c, d) = (Mouse("a"), Mouse("b"), Mouse("c"), Mouse("d"));
            c.ToBeGenotyped = true;
            db.AddRange(keeper, lab, a, b, c, d);
            db.AddRange(
                new WaterRestriction { Subject = a, StartTime = T(2030, 3, 8, 10), ReferenceWeight = 20 },
                new Weighing { Subject = a, Weight = 18, DateTime = T(2030, 3, 10, 9) },
                new WaterAdministration { Subject = a, WaterAdministered = 0.5, DateTime = T(2030, 3, 10, 12) },
                new Session { Subject = a, StartTime = T(2030, 3, 6, 10) },
                new Session { Subject = a, StartTime = T(2030, 3, 7, 10) },
                new Session { Subject = a, StartTime = T(2030, 3, 7, 15) },
                // Outside the window (13 March onwards is the next one).
                new Session { Subject = a, StartTime = T(2030, 3, 5, 10) },
                new WaterRestriction { Subject = b, StartTime = T(2030, 3, 8, 10), ReferenceWeight = 20 },
                new Weighing { Subject = b, Weight = 16.5, DateTime = T(2030, 3, 11, 8) },
                new Surgery { Subject = b, StartTime = T(2030, 3, 1, 10) },
                new Cull { Subject = d, Date = new DateOnly(2030, 3, 9) });
            foreach (var day in new[] { 6, 7, 8, 9, 10 }) db.Add(new Session { Subject = b, StartTime = T(2030, 3, day, 11) });
            await db.SaveChangesAsync(Ct);
            return new Day(user, email, lab.Name, a.Nickname, b.Nickname, c.Nickname, d.Nickname);
        });
    }

    Task<IReadOnlyList<DailyReport.Mail>> BuildAsync(Day day, params string[] names) => app.WithDbAsync(db =>
        new DailyReport(db, app.Services.GetRequiredService<AlyxClock>()).BuildAsync(names, [day.User], day.Lab, Ct));

    [Fact]
    public async Task KeepersMail_WaterRestrictionSurgeryAndMouseWeight_AsTheOriginalWordsThem()
    {
        var day = await SeedAsync();
        var mail = Assert.Single(await BuildAsync(day, "water_restriction", "surgery", "mouse_weight"));
        Assert.Equal((day.User, day.Email, "Report on 2030-03-11", true), (mail.Username, mail.Email, mail.Subject, mail.WillSend));
        // B has no weighing up to yesterday, so the water section skips it; C and D are not restricted.
        var water = "Mice on water restriction:\n" +
            $"\n* {day.A} since 2030-03-08.\n" +
            "Weight 1 day(s) ago: 18.0g (expected 20.0g, 90.0%).\n" +
            "Given  1 day(s) ago: 0.50mL (min 0.72mL, excess -0.22mL).\n" +
            "Today requires 0.72mL.\n";
        // B had a surgery and D is culled.
        var surgery = $"Mice awaiting surgery:\n* {day.A}\n* {day.C}";
        // A is at 90 % (above 85 + 2), B at 82.5 %.
        var weight = "Mice under the 85% +2% weight limit:\n\n" +
            $"* {day.B} ({day.User} <{day.Email}>) weighed 16.5g instead of 20.0g (82.5%) on 2030-03-11 08:00:00\n";
        Assert.Equal(water + "\n\n" + surgery + "\n\n" + weight, mail.Text);
    }

    [Fact]
    public async Task Training_ListsSubjectsTrainedOnFewerThanFiveDaysOfTheOriginalsWindow()
    {
        var day = await SeedAsync();
        var text = Assert.Single(await BuildAsync(day, "training")).Text;
        // report.py: from today - (weekday + 5) days (Monday 11 March: Wednesday 6 March) for seven days.
        Assert.StartsWith("Sessions between 2030-03-06 and 2030-03-13:\n\n", text, StringComparison.Ordinal);
        Assert.Contains($"* {day.A} ({day.User}) was trained 2 days: Wed 06 Mar, Thu 07 Mar\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain(day.B, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Todo_GenotypeCullAndReduceLists()
    {
        var day = await SeedAsync();
        var text = Assert.Single(await BuildAsync(day, "todo")).Text;
        var sections = text.Split("\n\n");
        Assert.Equal(3, sections.Length);
        Assert.Matches(@"^\d+ mice to be genotyped:", sections[0]);
        Assert.Contains($"* {day.C}", sections[0].Split('\n'));
        Assert.Matches(@"^\d+ mice to be culled:", sections[1]);
        Assert.Matches(@"^\d+ mice to be reduced:", sections[2]);
        Assert.Contains($"* {day.D}", sections[2].Split('\n'));
        Assert.DoesNotContain($"* {day.D}", sections[1].Split('\n'));
    }

    [Fact]
    public async Task NothingToReport_NoMail()
    {
        var day = await SeedAsync();
        var other = AlyxApp.Unique("idle");
        await app.WithDbAsync(async db =>
        {
            db.Users.Add(new Alyx.Misc.LabMember { Username = other, Email = other + "@lab.test", DateJoined = new DateTime(2020, 1, 1) });
            await db.SaveChangesAsync(Ct);
        });
        var mails = await app.WithDbAsync(db =>
            new DailyReport(db, app.Services.GetRequiredService<AlyxClock>()).BuildAsync(["water_restriction", "surgery"], [other, day.User], null, Ct));
        Assert.Equal([(other, false), (day.User, true)],
            mails.Select(m => (m.Username, m.WillSend)).OrderBy(m => m.Username, StringComparer.Ordinal));
        Assert.Equal("\n\n", mails.Single(m => m.Username == other).Text);
    }

    [Fact]
    public async Task PerUserSections_AsManyCommandsForThreeKeepersAsForOne()
    {
        // Three keepers, each with restricted mice weighed yesterday and mice awaiting surgery.
        var days = new[] { await SeedAsync(), await SeedAsync(), await SeedAsync() };
        string[] names = ["water_restriction", "surgery"];
        async Task<int> CommandsFor(params string[] users) => await app.Commands.CountAsync(() => app.WithDbAsync(db =>
            new DailyReport(db, app.Services.GetRequiredService<AlyxClock>()).BuildAsync(names, users, null, Ct)));
        var one = await CommandsFor(days[0].User);
        var three = await CommandsFor([.. days.Select(d => d.User)]);
        Assert.Equal(one, three);
        var mails = await app.WithDbAsync(db =>
            new DailyReport(db, app.Services.GetRequiredService<AlyxClock>()).BuildAsync(names, [.. days.Select(d => d.User)], null, Ct));
        foreach (var day in days)
        {
            // Each keeper's mail lists only that keeper's mice.
            var text = mails.Single(m => m.Username == day.User).Text;
            Assert.Contains($"\n* {day.A} since 2030-03-08.\n", text, StringComparison.Ordinal);
            Assert.EndsWith($"Mice awaiting surgery:\n* {day.A}\n* {day.C}", text, StringComparison.Ordinal);
            foreach (var other in days.Where(d => d != day)) Assert.DoesNotContain(other.A, text, StringComparison.Ordinal);
        }
    }
}
