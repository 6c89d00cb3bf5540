using System.Net;
using Alyx.Actions;
using Alyx.Misc;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Subjects;

/// <summary>Spec 11 §3.1 steps 4 and 8: cull-date sync and the responsible-user change notification.</summary>
public sealed class SubjectSaveSideEffectsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<(string Nickname, string Lab, string[] Users)> SeedAsync(int users)
    {
        var names = Enumerable.Range(0, users).Select(_ => AlyxApp.Unique("keeper")).ToArray();
        var lab = AlyxApp.Unique("lab");
        var nickname = AlyxApp.Unique("mouse");
        await app.WithDbAsync(async db =>
        {
            db.Labs.Add(new Lab { Name = lab });
            db.Users.AddRange(names.Select(n => new LabMember { Username = n }));
            await db.SaveChangesAsync(Ct);
        });
        var client = await app.ClientForAsync();
        await (await client.PostAsync("/subjects", Json.Body(new { nickname, lab, responsible_user = names[0] }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        return (nickname, lab, names);
    }

    static Task<List<(string Title, List<string> Users)>> NotificationsAsync(AlyxApp app, string nickname) => app.WithDbAsync(async db =>
        (await db.Set<Notification>().Where(n => n.Subject!.Nickname == nickname && n.NotificationType == "responsible_user_change")
            .OrderBy(n => n.SendAt).ThenBy(n => n.Title)
            .Select(n => new { n.Title, Users = n.Users.Select(u => u.Username).ToList() }).ToListAsync(Ct))
        .Select(n => (n.Title, n.Users.Order(StringComparer.Ordinal).ToList())).ToList());

    [Fact]
    public async Task PatchSubject_ResponsibleUserChanged_NotifiesOldAndNewUser()
    {
        var (nickname, _, users) = await SeedAsync(2);
        var client = await app.ClientForAsync();
        await (await client.PatchAsync($"/subjects/{nickname}", Json.Body(new { responsible_user = users[1] }), Ct)).AssertStatusAsync(HttpStatusCode.OK);
        var notifications = await NotificationsAsync(app, nickname);
        var (title, recipients) = Assert.Single(notifications);
        Assert.Equal($"Responsible user of {nickname} changed from {users[0]} to {users[1]}", title);
        Assert.Equal(users.Order(StringComparer.Ordinal), recipients);
    }

    [Fact]
    public async Task PatchSubject_SameChangeWithinAnHour_IsNotNotifiedTwice()
    {
        var (nickname, _, users) = await SeedAsync(2);
        var client = await app.ClientForAsync();
        foreach (var user in new[] { users[1], users[0], users[1] })
            await (await client.PatchAsync($"/subjects/{nickname}", Json.Body(new { responsible_user = user }), Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(2, (await NotificationsAsync(app, nickname)).Count);
    }

    [Fact]
    public async Task PatchSubject_NotificationRules_RemoveAndAddRecipients()
    {
        var (nickname, lab, users) = await SeedAsync(4);
        await app.WithDbAsync(async db =>
        {
            var ids = await db.Users.Where(u => users.Contains(u.Username)).ToDictionaryAsync(u => u.Username, u => u.Id, Ct);
            db.Set<NotificationRule>().AddRange(
                new NotificationRule { UserId = ids[users[0]], NotificationType = "responsible_user_change", SubjectsScope = "none" },
                new NotificationRule { UserId = ids[users[2]], NotificationType = "responsible_user_change", SubjectsScope = "all" },
                new NotificationRule { UserId = ids[users[3]], NotificationType = "responsible_user_change", SubjectsScope = "lab" });
            db.LabMemberships.Add(new LabMembership
            {
                UserId = ids[users[3]],
                LabId = await db.Labs.Where(l => l.Name == lab).Select(l => l.Id).SingleAsync(Ct),
                StartDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-30),
            });
            await db.SaveChangesAsync(Ct);
        });
        var client = await app.ClientForAsync();
        await (await client.PatchAsync($"/subjects/{nickname}", Json.Body(new { responsible_user = users[1] }), Ct)).AssertStatusAsync(HttpStatusCode.OK);
        var (_, recipients) = Assert.Single(await NotificationsAsync(app, nickname));
        Assert.Equal(users[1..].Order(StringComparer.Ordinal), recipients);
        // Rules apply to every subject: remove them so the other tests of this database are unaffected.
        await app.WithDbAsync(db => db.Set<NotificationRule>().Where(r => users.Contains(r.User!.Username)).ExecuteDeleteAsync(Ct));
    }

    [Fact]
    public async Task PostSubject_NewSubject_CreatesNoNotification()
    {
        var (nickname, _, _) = await SeedAsync(1);
        Assert.Empty(await NotificationsAsync(app, nickname));
    }

    [Fact]
    public async Task PatchSubject_DeathDate_MovesTheCullDate()
    {
        var (nickname, _, _) = await SeedAsync(1);
        await app.WithDbAsync(async db =>
        {
            var subject = await db.Subjects.SingleAsync(s => s.Nickname == nickname, Ct);
            subject.DeathDate = new DateOnly(2024, 5, 1);
            db.Add(new Cull { SubjectId = subject.Id, Date = new DateOnly(2024, 5, 1) });
            await db.SaveChangesAsync(Ct);
        });
        var client = await app.ClientForAsync();
        await (await client.PatchAsync($"/subjects/{nickname}", Json.Body(new { death_date = "2024-05-03" }), Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(new DateOnly(2024, 5, 3), await app.WithDbAsync(db => db.Set<Cull>().Where(c => c.Subject!.Nickname == nickname).Select(c => c.Date).SingleAsync(Ct)));
    }
}
