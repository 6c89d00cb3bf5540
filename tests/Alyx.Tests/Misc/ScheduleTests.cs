using System.Net;
using Alyx.Actions;
using Alyx.Misc;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using static Alyx.Tests.Actions.ActionsSeed;

namespace Alyx.Tests.Misc;

/// <summary>The server with its schedule on: notification expiry at 03:00 in Europe/Paris, every other job off; a fake clock.</summary>
public sealed class ScheduleApp : AlyxApp
{
    /// <summary>01:59 UTC on 11 March 2030 is 02:59 in Paris (winter time, UTC+1).</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 3, 11, 1, 59, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("SCHEDULER", "true");
        builder.UseSetting("TIME_ZONE", "Europe/Paris");
        builder.UseSetting("SCHEDULE_EXPIRE_NOTIFICATIONS", "0 3 * * *");
        builder.UseSetting("NOTIFICATION_DAYS", "30");
        foreach (var job in new[] { "CHECK_WATER_ADMIN", "SEND_NOTIFICATIONS", "REPORT", "ONE_CACHE", "BACKUP" })
            builder.UseSetting("SCHEDULE_" + job, "off");
        builder.ConfigureServices(s => s.AddSingleton<TimeProvider>(Time));
    }
}

public sealed class ScheduleTests(ScheduleApp app) : IClassFixture<ScheduleApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    Task<ScheduledJob?> JobAsync(string name) =>
        app.WithDbAsync(db => db.Set<ScheduledJob>().AsNoTracking().SingleOrDefaultAsync(j => j.Name == name, Ct));

    async Task<ScheduledJob> WaitForAsync(string name, Func<ScheduledJob, bool> done)
    {
        for (var i = 0; i < 200; i++)
        {
            if (await JobAsync(name) is { } job && done(job)) return job;
            await Task.Delay(50, Ct);
        }
        throw new TimeoutException($"The scheduled job {name} did not reach the expected state.");
    }

    [Fact]
    public async Task ExpiryRunsAtItsTimeInTheLabZone_RecordedAndShownToSuperusers()
    {
        var mouse = await SubjectAsync(app);
        var old = new Notification { NotificationType = "mouse_water", Title = "old", SubjectId = mouse.Id, SendAt = T(2030, 1, 1, 12), Status = "sent" };
        var recent = new Notification { NotificationType = "mouse_water", Title = "recent", SubjectId = mouse.Id, SendAt = T(2030, 3, 1, 12), Status = "sent" };
        await app.WithDbAsync(async db =>
        {
            db.AddRange(old, recent);
            await db.SaveChangesAsync(Ct);
        });
        // The schedule has started (its rows exist) and nothing ran before 03:00.
        var before = await WaitForAsync("expire-notifications", _ => true);
        Assert.Null(before.LastStarted);
        Assert.Equal(2, await app.WithDbAsync(db => db.Set<Notification>().CountAsync(n => n.SubjectId == mouse.Id, Ct)));

        app.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(30));
        var run = await WaitForAsync("expire-notifications", j => j.LastOutcome != "");
        Assert.Equal("ok", run.LastOutcome);
        // Server-local (Paris) times; the old notification (70 days) is gone, the recent one (10 days) stays.
        Assert.Equal(new DateTime(2030, 3, 11, 3, 0, 30), run.LastStarted);
        Assert.StartsWith("Deleted ", run.LastMessage, StringComparison.Ordinal);
        Assert.Equal(["recent"], await app.WithDbAsync(db => db.Set<Notification>().Where(n => n.SubjectId == mouse.Id).Select(n => n.Title).ToListAsync(Ct)));
        // The jobs that are off never ran.
        Assert.Null((await JobAsync("check-water-admin"))!.LastStarted);

        var admin = await app.ClientForAsync("schedule_admin");
        await app.WithDbAsync(db => db.Users.Where(u => u.Username == "schedule_admin").ExecuteUpdateAsync(s => s.SetProperty(u => u.IsSuperuser, true), Ct));
        var body = await (await admin.GetAsync("/admin-tasks/schedule", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("Europe/Paris", body["time_zone"]!.GetValue<string>());
        var jobs = body["jobs"]!.AsArray();
        Assert.Equal(["check-water-admin", "send-notifications", "report", "expire-notifications", "one-cache", "backup"],
            jobs.Select(j => j!["name"]!.GetValue<string>()));
        var expire = jobs.Single(j => j!["name"]!.GetValue<string>() == "expire-notifications")!;
        Assert.Equal(("0 3 * * *", true, "2030-03-12T03:00:00", "2030-03-11T03:00:30", "ok"),
            (expire["schedule"]!.GetValue<string>(), expire["enabled"]!.GetValue<bool>(), expire["next_run"]!.GetValue<string>(),
                expire["last_started"]!.GetValue<string>(), expire["last_outcome"]!.GetValue<string>()));
        var backup = jobs.Single(j => j!["name"]!.GetValue<string>() == "backup")!;
        Assert.Equal(("off", false, null), (backup["schedule"]!.GetValue<string>(), backup["enabled"]!.GetValue<bool>(), backup["next_run"]));

        var user = await app.ClientForAsync("schedule_user");
        await (await user.GetAsync("/admin-tasks/schedule", Ct)).AssertStatusAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public void BadCronExpression_IsRefusedAtStartWithTheSettingNamed()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["SCHEDULE_REPORT"] = "at eight" }).Build();
        var e = Assert.Throws<InvalidSettingsException>(() => AlyxSettings.Validate(config));
        Assert.Contains("SCHEDULE_REPORT", Assert.Single(e.Errors), StringComparison.Ordinal);
        var names = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["REPORT_NAMES"] = "todo,weather" }).Build();
        Assert.Contains("REPORT_NAMES", Assert.Single(Assert.Throws<InvalidSettingsException>(() => AlyxSettings.Validate(names)).Errors),
            StringComparison.Ordinal);
    }
}
