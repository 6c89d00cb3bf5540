using Alyx.Database;
using Alyx.Http;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>Notifications (Alyx: actions.notifications.create_notification); e-mail delivery is not configured here.</summary>
public static class Notifications
{
    public const string ResponsibleUserChange = "responsible_user_change";

    /// <summary>
    /// Spec 11 §3.4: on an update that changes a subject's responsible user (both old and new set), a
    /// <c>responsible_user_change</c> notification to the old and new users, adjusted by notification rules, unless the
    /// same notification was scheduled within the last hour.
    /// </summary>
    public static async Task ResponsibleUserChangedAsync(AlyxDb db, AlyxClock clock, Subject subject, Guid oldUserId, Guid newUserId,
        CancellationToken ct)
    {
        var names = await db.Users.Where(u => u.Id == oldUserId || u.Id == newUserId).ToDictionaryAsync(u => u.Id, u => u.Username, ct);
        var title = $"Responsible user of {subject.Nickname} changed from {names[oldUserId]} to {names[newUserId]}";
        var now = clock.Now;
        var recent = now.AddSeconds(-3600);
        if (await db.Set<Notification>().AnyAsync(n => n.NotificationType == ResponsibleUserChange && n.Title == title
            && n.SubjectId == subject.Id && n.Status != "no-send" && n.SendAt >= recent, ct))
            return;

        var today = clock.Today;
        var rules = await db.Set<NotificationRule>().Where(r => r.NotificationType == ResponsibleUserChange)
            .Select(r => new
            {
                r.UserId,
                r.SubjectsScope,
                InLab = r.User!.LabMemberships.Any(m => m.LabId == subject.LabId && m.StartDate != null && m.StartDate <= today
                    && (m.EndDate == null || m.EndDate >= today)),
            })
            .ToListAsync(ct);
        var recipients = new HashSet<Guid> { oldUserId, newUserId };
        recipients.ExceptWith(rules.Where(r => r.SubjectsScope == "none").Select(r => r.UserId));
        recipients.UnionWith(rules.Where(r => r.SubjectsScope switch
        {
            "all" => true,
            "" or "mine" => r.UserId == subject.ResponsibleUserId,
            "lab" => r.InLab,
            _ => false,
        }).Select(r => r.UserId));
        var users = await db.Users.Where(u => recipients.Contains(u.Id)).ToListAsync(ct);
        db.Add(new Notification
        {
            NotificationType = ResponsibleUserChange,
            Title = title,
            Message = title + "\n\n",
            SubjectId = subject.Id,
            Status = "to-send",
            SendAt = now,
            Users = users,
        });
    }
}
