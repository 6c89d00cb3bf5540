using Alyx.Actions;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Alyx.Tests.Actions.ActionsSeed;

namespace Alyx.Tests.Admin;

/// <summary>The admin index shows the signed-in user's notifications: those still to send first, then the most recent.</summary>
public sealed class NotificationsPanelTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Index_ListsMyNotifications_PendingFirst_NotOthers()
    {
        var (client, username) = await AdminClient.SignedInAsync(app);
        var mouse = await SubjectAsync(app, responsible: username);
        var someone = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var ids = await app.WithDbAsync(async db =>
        {
            var me = await db.Users.SingleAsync(u => u.Username == username, Ct);
            var other = await db.Users.SingleAsync(u => u.Username == someone, Ct);
            var sent = new Notification { NotificationType = "mouse_water", Title = "older and sent", Status = "sent", SubjectId = mouse.Id, SendAt = T(2030, 3, 11, 9), Users = [me] };
            var pending = new Notification { NotificationType = "mouse_not_weighed", Title = "still to send", SubjectId = mouse.Id, SendAt = T(2030, 3, 10, 9), Users = [me] };
            var theirs = new Notification { NotificationType = "mouse_water", Title = "someone else's", SubjectId = mouse.Id, SendAt = T(2030, 3, 11, 9), Users = [other] };
            db.AddRange(sent, pending, theirs);
            await db.SaveChangesAsync(Ct);
            return (Sent: sent.Id, Pending: pending.Id);
        });

        var html = await client.PageAsync("/admin/");
        var text = AdminClient.Text(html);
        Assert.Contains("Your notifications", text);
        var pendingAt = text.IndexOf("still to send", StringComparison.Ordinal);
        var sentAt = text.IndexOf("older and sent", StringComparison.Ordinal);
        Assert.True(pendingAt > 0 && sentAt > pendingAt, text);
        Assert.DoesNotContain("someone else's", text);
        Assert.Contains($"2030-03-10 09:00 {mouse.Nickname} still to send to send", text);
        Assert.Contains($"href=\"/admin/actions/notification/{ids.Pending}/change/\"", html);
        // The link opens the notification's admin page.
        await client.PageAsync($"/admin/actions/notification/{ids.Pending}/change/");
    }

    [Fact]
    public async Task Index_WithoutNotifications_SaysNone()
    {
        var (client, _) = await AdminClient.SignedInAsync(app);
        Assert.Contains("Your notifications None.", AdminClient.Text(await client.PageAsync("/admin/")));
    }
}
