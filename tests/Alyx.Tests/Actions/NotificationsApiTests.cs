using System.Net;
using System.Text.Json.Nodes;
using Alyx.Actions;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Alyx.Tests.Actions.ActionsSeed;

namespace Alyx.Tests.Actions;

/// <summary>The underweight check after a weighing (upstream actions.tests NotificationTests) and the /notifications list.</summary>
public sealed class NotificationsApiTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Upstream NotificationTests.setUp: weighed 10 g, then restricted with reference weight 10 g, then watered.</summary>
    internal async Task<Mouse> RestrictedMouseAsync(string responsible = "test_user")
    {
        var mouse = await SubjectAsync(app, referencePct: 0.85, responsible: responsible);
        await app.WithDbAsync(async db =>
        {
            db.AddRange(
                new Weighing { SubjectId = mouse.Id, Weight = 10, DateTime = T(2018, 6, 1, 12) },
                new WaterRestriction { SubjectId = mouse.Id, StartTime = T(2018, 6, 2, 12), ReferenceWeight = 10 },
                new WaterAdministration { SubjectId = mouse.Id, WaterAdministered = 10, DateTime = T(2018, 6, 3, 12) });
            await db.SaveChangesAsync(Ct);
        });
        return mouse;
    }

    internal async Task<JsonArray> NotificationsAsync(HttpClient client, Mouse mouse) =>
        (await (await client.GetAsync($"/notifications?subject={mouse.Nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK))["results"]!.AsArray();

    internal async Task WeighAsync(HttpClient client, Mouse mouse, double weight, string at) =>
        await (await client.PostAsync("/weighings", Json.Body(new { subject = mouse.Nickname, weight, date_time = at }), Ct)).AssertStatusAsync(HttpStatusCode.Created);

    [Fact]
    public async Task Weighing90Percent_NoNotification()
    {
        // Upstream test_notif_weighing_0.
        var mouse = await RestrictedMouseAsync();
        var client = await app.ClientForAsync();
        await WeighAsync(client, mouse, 9, "2018-06-09T08:00:00");
        Assert.Empty(await NotificationsAsync(client, mouse));
    }

    [Fact]
    public async Task Weighing70Percent_WarningNotificationToResponsibleUser()
    {
        // Upstream test_notif_weighing_1.
        var mouse = await RestrictedMouseAsync();
        var client = await app.ClientForAsync();
        await WeighAsync(client, mouse, 7, "2018-06-09T12:00:00");
        var n = Assert.Single(await NotificationsAsync(client, mouse))!;
        Assert.Equal(["id", "url", "subject", "notification_type", "title", "message", "status", "send_at", "sent_at", "users", "json"], n.Keys());
        var title = $"WARNING: {mouse.Nickname} weight was 70.0% on 2018-06-09 12:00:00";
        Assert.Equal(title, n["title"]!.GetValue<string>());
        Assert.Equal(title + "\n\n", n["message"]!.GetValue<string>());
        Assert.Equal("mouse_underweight", n["notification_type"]!.GetValue<string>());
        Assert.Equal("to-send", n["status"]!.GetValue<string>());
        Assert.Null(n["sent_at"]);
        Assert.Equal(["test_user"], n["users"].Strings());
        Assert.Equal(mouse.Nickname, n["subject"]!.GetValue<string>());
        var detail = await (await client.GetAsync(n["url"]!.GetValue<string>(), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(n.ToJsonString(), detail.ToJsonString());
    }

    [Fact]
    public async Task Weighing86Percent_AttentionNotification()
    {
        // Upstream test_notif_weighing_2.
        var mouse = await RestrictedMouseAsync();
        var client = await app.ClientForAsync();
        await WeighAsync(client, mouse, 8.6, "2018-06-09T16:00:00");
        var n = Assert.Single(await NotificationsAsync(client, mouse))!;
        Assert.StartsWith($"ATTENTION: {mouse.Nickname} weight was 86.0%", n["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task SameUnderweightNotification_NotRepeatedWithinAnHour()
    {
        var mouse = await RestrictedMouseAsync();
        var client = await app.ClientForAsync();
        await WeighAsync(client, mouse, 7, "2018-06-09T12:00:00");
        // A back-dated weighing leaves the latest weighing (and so the title) unchanged: no second notification.
        await WeighAsync(client, mouse, 7.5, "2018-06-08T12:00:00");
        Assert.Single(await NotificationsAsync(client, mouse));
        // A new latest weighing is a new title.
        await WeighAsync(client, mouse, 7.2, "2018-06-10T12:00:00");
        Assert.Equal(2, (await NotificationsAsync(client, mouse)).Count);
    }

    [Fact]
    public async Task ResponsibleUserChange_IsListed_AndFilters()
    {
        var mouse = await RestrictedMouseAsync();
        var other = AlyxApp.Unique("keeper");
        await app.ClientForAsync(other);
        var client = await app.ClientForAsync();
        await (await client.PatchAsync($"/subjects/{mouse.Nickname}", Json.Body(new { responsible_user = other }), Ct)).AssertStatusAsync(HttpStatusCode.OK);
        await WeighAsync(client, mouse, 7, "2018-06-09T12:00:00");
        async Task<int> CountAsync(string query) =>
            (await (await client.GetAsync($"/notifications?subject={mouse.Nickname}&{query}", Ct)).ReadJsonAsync(HttpStatusCode.OK))["count"]!.GetValue<int>();
        Assert.Equal(2, await CountAsync(""));
        Assert.Equal(1, await CountAsync("notification_type=responsible_user_change"));
        Assert.Equal(1, await CountAsync($"users={other}&notification_type=mouse_underweight"));
        Assert.Equal(2, await CountAsync("status=to-send"));
        Assert.Equal(0, await CountAsync("status=sent"));
        Assert.Equal(1, await CountAsync("django=title__icontains,changed from"));
        var change = (await (await client.GetAsync($"/notifications?subject={mouse.Nickname}&notification_type=responsible_user_change", Ct))
            .ReadJsonAsync(HttpStatusCode.OK))["results"]![0]!;
        Assert.Equal($"Responsible user of {mouse.Nickname} changed from test_user to {other}", change["title"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/notifications?status=lost", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/notifications?notification_type=spam", Ct)).StatusCode);
    }

    [Fact]
    public async Task Notifications_ReadOnly()
    {
        var client = await app.ClientForAsync();
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.PostAsync("/notifications", Json.Body(new { title = "x" }), Ct)).StatusCode);
        const string Url = "/notifications/00000000-0000-4000-8000-000000000000";
        Assert.Equal("{\"detail\":\"No Notification matches the given query.\",\"status_code\":404}",
            await (await client.GetAsync(Url, Ct)).AssertStatusAsync(HttpStatusCode.NotFound));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.DeleteAsync(Url, Ct)).StatusCode);
    }
}

/// <summary>Notification rules apply to every subject, so these tests have a database of their own.</summary>
public sealed class NotificationRulesTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    readonly NotificationsApiTests helpers = new(app);

    [Fact]
    public async Task NotificationRules_ScopeNoneRemovesAndScopeAllAdds()
    {
        // Upstream test_notif_rule_1/2, through the underweight notification (recipients default to the responsible user).
        var owner = AlyxApp.Unique("owner");
        var watcher = AlyxApp.Unique("watcher");
        var mouse = await helpers.RestrictedMouseAsync(owner);
        await app.ClientForAsync(watcher);
        await app.WithDbAsync(async db =>
        {
            var ids = await db.Users.Where(u => u.Username == owner || u.Username == watcher).ToDictionaryAsync(u => u.Username, u => u.Id, Ct);
            db.AddRange(
                new NotificationRule { UserId = ids[owner], NotificationType = "mouse_underweight", SubjectsScope = "none" },
                new NotificationRule { UserId = ids[watcher], NotificationType = "mouse_underweight", SubjectsScope = "all" });
            await db.SaveChangesAsync(Ct);
        });
        var client = await app.ClientForAsync();
        await helpers.WeighAsync(client, mouse, 7, "2018-06-09T12:00:00");
        Assert.Equal([watcher], Assert.Single(await helpers.NotificationsAsync(client, mouse))!["users"].Strings());
    }
}

public sealed class NotificationFormatTests
{
    [Theory]
    [InlineData(70.0, "70.0")]
    [InlineData(70.25, "70.2")]
    [InlineData(70.75, "70.8")]
    [InlineData(86.04, "86.0")]
    [InlineData(81.63265306122449, "81.6")]
    [InlineData(0.05, "0.1")]
    public void PythonFixed1_MatchesPythonPercentFormat(double value, string expected) => Assert.Equal(expected, Notifications.PythonFixed(value, 1));
}
