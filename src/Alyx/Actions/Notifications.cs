using System.Globalization;
using Alyx.Database;
using Alyx.Http;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>
/// Notifications (Alyx: actions.models.create_notification and actions.notifications, spec 20-actions §9). Rows are
/// created with status <c>to-send</c>; <see cref="NotificationDelivery"/> mails them (on the schedule or the
/// <c>send-notifications</c> verb) when SMTP is configured.
/// </summary>
public static class Notifications
{
    public const string ResponsibleUserChange = "responsible_user_change";
    public const string MouseUnderweight = "mouse_underweight";
    public const string MouseWater = "mouse_water";
    public const string MouseTraining = "mouse_training";
    public const string MouseNotWeighed = "mouse_not_weighed";

    /// <summary>The notification types in Alyx's declaration order.</summary>
    public static readonly string[] Types = [ResponsibleUserChange, MouseUnderweight, MouseWater, MouseTraining, MouseNotWeighed];

    public static readonly string[] Statuses = ["no-send", "to-send", "sent"];

    /// <summary>Alyx's NOTIFICATION_MIN_DELAYS: seconds before the same notification may be created again.</summary>
    static double MinDelay(string type) => type is ResponsibleUserChange or MouseUnderweight or MouseWater ? 3600 : 0;

    /// <summary>
    /// Spec 11 §3.4: on an update that changes a subject's responsible user (both old and new set), a
    /// <c>responsible_user_change</c> notification to the old and new users, adjusted by notification rules.
    /// </summary>
    public static async Task ResponsibleUserChangedAsync(AlyxDb db, AlyxClock clock, Subject subject, Guid oldUserId, Guid newUserId,
        CancellationToken ct)
    {
        var names = await db.Users.Where(u => u.Id == oldUserId || u.Id == newUserId).ToDictionaryAsync(u => u.Id, u => u.Username, ct);
        var title = $"Responsible user of {subject.Nickname} changed from {names[oldUserId]} to {names[newUserId]}";
        await CreateAsync(db, clock, ResponsibleUserChange, title, subject, [oldUserId, newUserId], ct: ct);
    }

    /// <summary>
    /// <c>create_notification</c> (spec §9.1): skipped when the latest notification with the same type, title and subject
    /// (not <c>no-send</c>) is more recent than the type's minimum delay, unless <paramref name="force"/>; recipients are
    /// <paramref name="users"/> (default: the subject's responsible user) adjusted by the notification rules. The row is
    /// added to the context, not saved. Returns it, or null when throttled.
    /// </summary>
    public static async Task<Notification?> CreateAsync(AlyxDb db, AlyxClock clock, string type, string message, Subject? subject,
        IReadOnlyCollection<Guid>? users = null, bool force = false, string details = "", CancellationToken ct = default)
    {
        var now = clock.Now;
        var subjectId = subject?.Id;
        if (!force)
        {
            var last = await db.Set<Notification>()
                .Where(n => n.NotificationType == type && n.Title == message && n.SubjectId == subjectId && n.Status != "no-send")
                .OrderByDescending(n => n.SendAt).ThenByDescending(n => n.Id)
                .Select(n => new { n.SentAt, n.SendAt }).FirstOrDefaultAsync(ct);
            if (last is not null && (now - (last.SentAt ?? last.SendAt)).TotalSeconds < MinDelay(type)) return null;
        }
        var recipients = await RecipientsAsync(db, clock, type, subject, users, ct);
        var rows = recipients.Count == 0 ? [] : await db.Users.Where(u => recipients.Contains(u.Id)).ToListAsync(ct);
        var notification = new Notification
        {
            NotificationType = type,
            Title = message,
            Message = message + "\n\n" + details,
            SubjectId = subjectId,
            Status = "to-send",
            SendAt = now,
            Users = rows,
        };
        db.Add(notification);
        return notification;
    }

    /// <summary><c>get_recipients</c>: given users (or the responsible user), minus scope-none rules, plus rules whose scope admits the subject.</summary>
    static async Task<HashSet<Guid>> RecipientsAsync(AlyxDb db, AlyxClock clock, string type, Subject? subject, IReadOnlyCollection<Guid>? users,
        CancellationToken ct)
    {
        var recipients = users is not null ? [.. users]
            : subject?.ResponsibleUserId is { } responsible ? new HashSet<Guid> { responsible } : [];
        var today = clock.Today;
        var labId = subject?.LabId;
        var rules = await db.Set<NotificationRule>().Where(r => r.NotificationType == type)
            .Select(r => new
            {
                r.UserId,
                r.SubjectsScope,
                // check_scope 'lab': a membership of the subject's lab that started before today and has not ended.
                InLab = r.User!.LabMemberships.Any(m => m.LabId == labId && m.StartDate != null && m.StartDate < today
                    && (m.EndDate == null || m.EndDate >= today)),
            })
            .ToListAsync(ct);
        recipients.ExceptWith(rules.Where(r => r.SubjectsScope == "none").Select(r => r.UserId));
        if (subject is null) return recipients;
        recipients.UnionWith(rules.Where(r => r.SubjectsScope switch
        {
            "all" => true,
            "" or "mine" => r.UserId == subject.ResponsibleUserId,
            "lab" => r.InLab,
            _ => false,
        }).Select(r => r.UserId));
        return recipients;
    }

    /// <summary>
    /// <c>check_underweight</c>, run after a weighing is saved: at the current (lab-local) time, when the weight is above
    /// 0 % and at most 2 points above the minimum percentage, a <c>mouse_underweight</c> notification, <c>WARNING</c>
    /// at or below the minimum, <c>ATTENTION</c> above it (Q-23: evaluated now, not at the weighing's date).
    /// </summary>
    /// <remarks>The figures come from the rows they depend on (<see cref="WaterControl.LoadCurrentAsync"/>); the subject row
    /// is read only when a notification is due.</remarks>
    public static async Task CheckUnderweightAsync(AlyxDb db, AlyxClock clock, Guid subjectId, CancellationToken ct) =>
        await CheckUnderweightAsync(db, clock, (await WaterControl.LoadCurrentAsync(db, [subjectId], clock, ct)).GetValueOrDefault(subjectId), ct);

    /// <summary>
    /// <see cref="CheckUnderweightAsync(AlyxDb, AlyxClock, Guid, CancellationToken)"/> of a subject whose row and lab the caller
    /// has read (the weighing's subject reference, as upstream's <c>Weighing.save</c> uses <c>self.subject</c>): one statement less.
    /// </summary>
    public static async Task CheckUnderweightAsync(AlyxDb db, AlyxClock clock, WaterControlSubject subject, CancellationToken ct) =>
        await CheckUnderweightAsync(db, clock, (await WaterControl.LoadCurrentOfAsync(db, [subject], clock, ct)).GetValueOrDefault(subject.Id), ct);

    static async Task CheckUnderweightAsync(AlyxDb db, AlyxClock clock, SubjectWaterControl? wc, CancellationToken ct)
    {
        if (wc is null) return;
        var subjectId = wc.Subject.Id;
        var percentage = wc.PercentageWeight();
        var minimum = wc.MinPercentage;
        if (!(percentage > 0 && percentage <= minimum + 2)) return;
        var header = percentage <= minimum ? "WARNING" : "ATTENTION";
        var at = wc.LastWeighing() is { } w ? PythonStr(w.Time) : "None";
        var message = string.Create(CultureInfo.InvariantCulture, $"{header}: {wc.Nickname} weight was {PythonFixed(percentage, 1)}% on {at}");
        var subject = await db.Subjects.AsNoTracking().SingleAsync(s => s.Id == subjectId, ct);
        await CreateAsync(db, clock, MouseUnderweight, message, subject, ct: ct);
    }

    /// <summary>
    /// Python's <c>'%.Nf'</c>: the exact binary value rounded, ties to even. .NET's fixed format rounds an exact tie (70.25
    /// at one decimal) away from zero, so ties are rounded here first. A value is an exact tie at N decimals when it is an
    /// odd multiple of 2^-(N+1) (a tenth-, hundredth-... half has no fives in binary), i.e. 2^(N+1) times it is an odd integer.
    /// </summary>
    public static string PythonFixed(double value, int digits)
    {
        var scaled = value * Math.Pow(2, digits + 1);
        if (double.IsFinite(scaled) && scaled == Math.Floor(scaled) && Math.Abs(scaled % 2) == 1)
            value = Math.Round(value * Math.Pow(10, digits), MidpointRounding.ToEven) / Math.Pow(10, digits);
        return value.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    /// <summary>Python's <c>str()</c> of a naive datetime: a space separator, microseconds only when non-zero.</summary>
    public static string PythonStr(DateTime t)
    {
        var text = t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        var micro = (int)(t.Ticks % TimeSpan.TicksPerSecond / 10);
        return micro == 0 ? text : text + "." + micro.ToString("D6", CultureInfo.InvariantCulture);
    }
}
