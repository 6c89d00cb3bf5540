using Alyx.Actions;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Alyx.Tests.Infrastructure.Cli;

namespace Alyx.Tests.Cli;

/// <summary>The welfare verbs for labs with their own scheduler: expire-notifications (the original's words), report, send-notifications.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class WelfareCliTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExpireNotifications_DryRunCountsThenDeletesOnlyOldOnesOfTheStatus()
    {
        var (url, owner) = await TestDatabase.CreateEmptyAsync();
        await using var _ = owner;
        Assert.Equal(0, (await RunAsync("migrate", "--database", url)).Code);
        // The verbs' clock is TIME_ZONE's (UTC by default), stored as naive times.
        var now = DateTime.SpecifyKind(DateTime.UtcNow, DateTimeKind.Unspecified);
        await using (var db = TestDatabase.Open(url))
        {
            db.AddRange(
                new Notification { NotificationType = "mouse_water", Title = "old sent", Status = "sent", SendAt = now.AddDays(-40) },
                new Notification { NotificationType = "mouse_water", Title = "old pending", Status = "to-send", SendAt = now.AddDays(-40) },
                new Notification { NotificationType = "mouse_water", Title = "new sent", Status = "sent", SendAt = now.AddDays(-5) });
            await db.SaveChangesAsync(Ct);
        }

        var dry = await RunAsync("expire-notifications", "--status", "sent", "--dry-run", "--database", url);
        Assert.Equal((0, "Dry run: 1 notifications found with status \"sent\""), (dry.Code, dry.Out.Trim()));
        var deleted = await RunAsync("expire-notifications", "--status", "sent", "--database", url);
        Assert.Equal((0, "Deleted 1 notifications with status \"sent\""), (deleted.Code, deleted.Out.Trim()));
        var rest = await RunAsync("expire-notifications", "--n-days-old", "3", "--database", url);
        Assert.Equal((0, "Deleted 2 notifications"), (rest.Code, rest.Out.Trim()));
        await using (var db = TestDatabase.Open(url))
            Assert.Equal(0, await db.Set<Notification>().CountAsync(Ct));
    }

    [Fact]
    public async Task Report_ListsItsSections_RefusesUnknownOnes_NeedsMailUnlessNoEmail()
    {
        var list = await RunAsync("report", "--list");
        Assert.Equal((0, "mouse_weight, surgery, todo, training, water_restriction"), (list.Code, list.Out.Trim()));
        var (url, owner) = await TestDatabase.CreateEmptyAsync();
        await using var _ = owner;
        Assert.Equal(0, (await RunAsync("migrate", "--database", url)).Code);
        var unknown = await RunAsync("report", "weather", "--no-email", "--database", url);
        Assert.Equal(2, unknown.Code);
        Assert.Contains("no such report: weather", unknown.Err, StringComparison.Ordinal);
        var noMail = await RunAsync("report", "todo", "--database", url);
        Assert.Equal(2, noMail.Code);
        Assert.Contains("SMTP_HOST", noMail.Err, StringComparison.Ordinal);
        var printed = await RunAsync("report", "todo", "--no-email", "--database", url);
        Assert.Equal(0, printed.Code);
        Assert.Equal("", printed.Out);
        var send = await RunAsync("send-notifications", "--database", url);
        Assert.Equal(2, send.Code);
        Assert.Contains("e-mail is off", send.Err, StringComparison.Ordinal);
    }
}
