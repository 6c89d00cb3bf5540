using System.Net;
using System.Text.Json.Nodes;
using Alyx.Actions;
using Alyx.Http;
using Alyx.Misc;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Alyx.Tests.Actions.ActionsSeed;

namespace Alyx.Tests.Actions;

/// <summary>The server with e-mail to a test SMTP server on loopback and a clock the tests set (11 March 2030, a Monday, UTC).</summary>
public sealed class WelfareApp : AlyxApp
{
    public ManualTime Time { get; } = new(new DateTimeOffset(2030, 3, 11, 15, 0, 0, TimeSpan.Zero));

    public TestSmtp Smtp { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("SMTP_HOST", "127.0.0.1");
        builder.UseSetting("SMTP_PORT", Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("SMTP_TLS", "none");
        builder.UseSetting("MAIL_FROM", "alyx@lab.test");
        builder.UseSetting("MAIL_MAX_ATTEMPTS", "2");
        builder.ConfigureServices(s => s.AddSingleton<TimeProvider>(Time));
    }

    /// <summary>Sets the clock (tests share the app; each sets the time it needs, backwards too).</summary>
    public void At(int day, int hour, int minute = 0) => Time.Now = new DateTimeOffset(2030, 3, day, hour, minute, 0, TimeSpan.Zero);

    public Task<WelfareChecks.Outcome> CheckAsync() =>
        WithDbAsync(db => WelfareChecks.CheckWaterAdminAsync(db, Services.GetRequiredService<AlyxClock>(), TestContext.Current.CancellationToken));

    public Task<NotificationDelivery.Outcome> SendAsync() => WithDbAsync(db => NotificationDelivery.SendPendingAsync(db,
        Services.GetRequiredService<Mailer>(), Services.GetRequiredService<MailOptions>(), Services.GetRequiredService<AlyxClock>(),
        TestContext.Current.CancellationToken));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>
/// The welfare loop (issue: check_water_admin, send_pending_notifications): notifications created by the daily checks
/// as the original words them, mailed once to the right people through a real SMTP server, retried after failures.
/// Tests share one app and clock, so they run one after the other (xunit runs a class's tests sequentially).
/// </summary>
public sealed class WelfareTests(WelfareApp app) : IClassFixture<WelfareApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A user with an address, and a subject of a lab at 85 % restricted since 8 March 10:00 with a 20 g reference weight.</summary>
    async Task<(Mouse Mouse, string Email)> RestrictedAsync()
    {
        var username = AlyxApp.Unique("keeper");
        var mouse = await SubjectAsync(app, referencePct: 0.85, responsible: username);
        var email = username + "@lab.test";
        await app.WithDbAsync(async db =>
        {
            await db.Users.Where(u => u.Username == username).ExecuteUpdateAsync(s => s.SetProperty(u => u.Email, email), Ct);
            db.AddRange(
                new WaterRestriction { SubjectId = mouse.Id, StartTime = T(2030, 3, 8, 10), ReferenceWeight = 20 },
                new Weighing { SubjectId = mouse.Id, Weight = 20, DateTime = T(2030, 3, 8, 10) });
            await db.SaveChangesAsync(Ct);
        });
        return (mouse, email);
    }

    Task AddAsync(params object[] rows) => app.WithDbAsync(async db =>
    {
        db.AddRange(rows);
        await db.SaveChangesAsync(Ct);
    });

    Task<List<Notification>> NotificationsOfAsync(Mouse mouse) => app.WithDbAsync(db =>
        db.Set<Notification>().AsNoTracking().Include(n => n.Users).Where(n => n.SubjectId == mouse.Id).OrderBy(n => n.SendAt).ToListAsync(Ct));

    [Fact]
    public async Task NotWeighedToday_ExactlyOneMailToTheResponsibleUser_NoneAfterTheWeighing()
    {
        app.At(11, 15);
        var (mouse, email) = await RestrictedAsync();
        // Enough water today: only the weighing is missing.
        await AddAsync(new WaterAdministration { SubjectId = mouse.Id, WaterAdministered = 1.0, DateTime = T(2030, 3, 11, 9) });

        await app.CheckAsync();
        var n = Assert.Single(await NotificationsOfAsync(mouse));
        Assert.Equal(("mouse_not_weighed", $"ATTENTION: subject \"{mouse.Nickname}\" weighing missing for 2030-03-11", "to-send"),
            (n.NotificationType, n.Title, n.Status));
        Assert.Equal([mouse.Responsible], n.Users.Select(u => u.Username));

        await app.SendAsync();
        var mail = Assert.Single(app.Smtp.To(email));
        Assert.Equal($"[alyx] ATTENTION: subject \"{mouse.Nickname}\" weighing missing for 2030-03-11", mail.Subject);
        Assert.Equal("alyx@lab.test", mail.From.Mailboxes.Single().Address);
        Assert.Equal(n.Title + "\n\n\n\n--\nMessage sent automatically - please do not reply.", mail.TextBody!.ReplaceLineEndings("\n").TrimEnd('\n'));
        var sent = Assert.Single(await NotificationsOfAsync(mouse));
        Assert.Equal(("sent", (DateTime?)T(2030, 3, 11, 15), T(2030, 3, 11, 15)), (sent.Status, sent.SentAt, sent.SendAt));

        // Weighed later that day: the next check finds nothing to say, and nothing more is mailed.
        var client = await app.ClientForAsync();
        await (await client.PostAsync("/weighings", Json.Body(new { subject = mouse.Nickname, weight = 20.0, date_time = "2030-03-11T15:30:00" }), Ct))
            .AssertStatusAsync(HttpStatusCode.Created);
        app.At(11, 16);
        await app.CheckAsync();
        await app.SendAsync();
        Assert.Single(await NotificationsOfAsync(mouse));
        Assert.Single(app.Smtp.To(email));
    }

    [Fact]
    public async Task RuleScopeNone_TheUserIsNotMailed()
    {
        app.At(11, 15);
        var (mouse, email) = await RestrictedAsync();
        await AddAsync(new WaterAdministration { SubjectId = mouse.Id, WaterAdministered = 1.0, DateTime = T(2030, 3, 11, 9) });
        var userId = await app.WithDbAsync(db => db.Users.Where(u => u.Username == mouse.Responsible).Select(u => u.Id).SingleAsync(Ct));
        await AddAsync(new NotificationRule { UserId = userId, NotificationType = "mouse_not_weighed", SubjectsScope = "none" });

        await app.CheckAsync();
        await app.SendAsync();
        var n = Assert.Single(await NotificationsOfAsync(mouse));
        Assert.Empty(n.Users);
        // Nobody to mail: it stays "to send" (the original's behaviour, Q-36).
        Assert.Equal("to-send", n.Status);
        Assert.Empty(app.Smtp.To(email));
    }

    [Fact]
    public async Task WaterDue23HoursAfterTheLastAdministration_NotBefore()
    {
        var (mouse, email) = await RestrictedAsync();
        await AddAsync(
            new WaterAdministration { SubjectId = mouse.Id, WaterAdministered = 1.0, DateTime = T(2030, 3, 10, 12) },
            new Weighing { SubjectId = mouse.Id, Weight = 20, DateTime = T(2030, 3, 11, 9) });

        // 22 h after the administration: not yet.
        app.At(11, 10);
        await app.CheckAsync();
        Assert.Empty(await NotificationsOfAsync(mouse));

        // 23 h: 4 % of 20 g (above the 85 % threshold weight of 17 g) = 0.8 mL, none given today.
        app.At(11, 11);
        await app.CheckAsync();
        var n = Assert.Single(await NotificationsOfAsync(mouse));
        Assert.Equal(("mouse_water", $"0.8 mL remaining for {mouse.Nickname}"), (n.NotificationType, n.Title));
        Assert.Equal($"0.8 mL remaining for {mouse.Nickname}\n\n\nMouse: {mouse.Nickname}\nUser: {mouse.Responsible}\nDate: 2030-03-11 11:00:00\n" +
            "Last water administration: 2030-03-10 12:00:00, 1.00 mL\nRemaining water: 0.8 mL\nDelay: 23.0 hours\n", n.Message);

        // The same notification within the hour is not repeated (3,600 s minimum delay of mouse_water).
        app.At(11, 11, 30);
        await app.CheckAsync();
        Assert.Single(await NotificationsOfAsync(mouse));
        await app.SendAsync();
        Assert.Equal($"[alyx] 0.8 mL remaining for {mouse.Nickname}", Assert.Single(app.Smtp.To(email)).Subject);
    }

    [Fact]
    public async Task RestrictedSinceToday_NoWaterNorWeighingNotification()
    {
        var (mouse, _) = await RestrictedAsync();
        await app.WithDbAsync(db => db.Set<WaterRestriction>().Where(r => r.SubjectId == mouse.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.StartTime, T(2030, 3, 11, 8)), Ct));
        app.At(11, 15);
        await app.CheckAsync();
        Assert.Empty(await NotificationsOfAsync(mouse));
    }

    [Fact]
    public async Task FailingSmtp_RetriedAfterTheBackoff_SentOnceWhenItRecovers()
    {
        app.At(11, 15);
        var (mouse, email) = await RestrictedAsync();
        var n = await PendingAsync(mouse, "retry me");

        app.Smtp.Failing = true;
        try
        {
            await app.SendAsync();
        }
        finally
        {
            app.Smtp.Failing = false;
        }
        var failed = await app.WithDbAsync(db => db.Set<Notification>().AsNoTracking().SingleAsync(x => x.Id == n.Id, Ct));
        Assert.Equal("to-send", failed.Status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"failed_attempts":["2030-03-11T15:00:00"]}"""), JsonNode.Parse(failed.Json!)), failed.Json);

        // Within the 5-minute back-off nothing is tried, although the server is back.
        app.At(11, 15, 4);
        await app.SendAsync();
        Assert.Empty(app.Smtp.To(email));

        app.At(11, 15, 5);
        await app.SendAsync();
        await app.SendAsync();
        Assert.Equal("[alyx] retry me", Assert.Single(app.Smtp.To(email)).Subject);
        var done = await app.WithDbAsync(db => db.Set<Notification>().AsNoTracking().SingleAsync(x => x.Id == n.Id, Ct));
        Assert.Equal(("sent", (DateTime?)T(2030, 3, 11, 15, 5), T(2030, 3, 11, 14)), (done.Status, done.SentAt, done.SendAt));
    }

    /// <summary>A notification due at 14:00 for the mouse's responsible user.</summary>
    async Task<Notification> PendingAsync(Mouse mouse, string title) => await app.WithDbAsync(async db =>
    {
        var user = await db.Users.SingleAsync(u => u.Username == mouse.Responsible, Ct);
        var n = new Notification { NotificationType = "mouse_water", Title = title, Message = "", SubjectId = mouse.Id, SendAt = T(2030, 3, 11, 14) };
        n.Users.Add(user);
        db.Add(n);
        await db.SaveChangesAsync(Ct);
        return n;
    });

    [Fact]
    public async Task TwoFailures_GiveTheNotificationUp()
    {
        app.At(11, 15);
        var (mouse, email) = await RestrictedAsync();
        var n = await PendingAsync(mouse, "doomed");
        app.Smtp.Failing = true;
        try
        {
            await app.SendAsync();
            app.At(11, 15, 5);
            await app.SendAsync();
        }
        finally
        {
            app.Smtp.Failing = false;
        }
        var row = await app.WithDbAsync(db => db.Set<Notification>().AsNoTracking().SingleAsync(x => x.Id == n.Id, Ct));
        Assert.Equal("no-send", row.Status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"failed_attempts":["2030-03-11T15:00:00","2030-03-11T15:05:00"]}"""),
            JsonNode.Parse(row.Json!)), row.Json);
        app.At(11, 18);
        await app.SendAsync();
        Assert.Empty(app.Smtp.To(email));
    }

    [Fact]
    public async Task TwoSendersAtOnce_MailEveryNotificationOnce()
    {
        app.At(11, 15);
        var (mouse, email) = await RestrictedAsync();
        var user = await app.WithDbAsync(db => db.Users.SingleAsync(u => u.Username == mouse.Responsible, Ct));
        var titles = Enumerable.Range(0, 30).Select(i => $"once {i:D2} {mouse.Nickname}").ToList();
        await app.WithDbAsync(async db =>
        {
            db.Attach(user);
            foreach (var title in titles)
            {
                var n = new Notification { NotificationType = "mouse_water", Title = title, Message = "", SubjectId = mouse.Id, SendAt = T(2030, 3, 11, 14) };
                n.Users.Add(user);
                db.Add(n);
            }
            await db.SaveChangesAsync(Ct);
        });

        // A second sender with its own connection and mailer, as another server process (or the CLI verb) would be.
        await using var other = TestDatabase.Open(app.DatabaseUrl);
        var options = app.Services.GetRequiredService<MailOptions>();
        var otherMailer = new Mailer(options, app.Services.GetRequiredService<ILogger<Mailer>>());
        var clock = app.Services.GetRequiredService<AlyxClock>();
        await Task.WhenAll(app.SendAsync(), Task.Run(() => NotificationDelivery.SendPendingAsync(other, otherMailer, options, clock, Ct), Ct));

        Assert.Equal(titles, app.Smtp.To(email).Select(m => m.Subject!["[alyx] ".Length..]).Order(StringComparer.Ordinal));
        Assert.All(await NotificationsOfAsync(mouse), n => Assert.Equal("sent", n.Status));
    }
}

public sealed class PythonFixedTests
{
    [Theory]
    [InlineData(0.125, 2, "0.12")]
    [InlineData(0.375, 2, "0.38")]
    [InlineData(0.625, 2, "0.62")]
    [InlineData(1.005, 2, "1.00")]
    [InlineData(-0.21999999999999997, 2, "-0.22")]
    [InlineData(0.72, 2, "0.72")]
    [InlineData(23.0, 1, "23.0")]
    public void MatchesPythonPercentFormat(double value, int digits, string expected) =>
        Assert.Equal(expected, Notifications.PythonFixed(value, digits));
}
