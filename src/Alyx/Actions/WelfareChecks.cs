using System.Globalization;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>
/// The daily welfare checks of Alyx's <c>check_water_admin</c> command (actions/notifications.py, spec 20-actions §9.2):
/// every living subject under an open water restriction, ordered by responsible user then nickname, gets the water check
/// then the weighing check at the server-local current time. The water-control state of all of them is read in two
/// queries; the notifications are saved together.
/// </summary>
public static class WelfareChecks
{
    public sealed record Outcome(int Subjects, int Water, int NotWeighed);

    public static async Task<Outcome> CheckWaterAdminAsync(AlyxDb db, AlyxClock clock, CancellationToken ct)
    {
        var restricted = await db.Set<WaterRestriction>().AsNoTracking()
            .Where(r => r.StartTime != null && r.EndTime == null && r.Subject!.DeathDate == null)
            .OrderBy(r => r.Subject!.ResponsibleUser!.Username).ThenBy(r => r.Subject!.Nickname)
            .Select(r => r.SubjectId)
            .ToListAsync(ct);
        // A subject with two open restrictions is checked once (the original checks it twice and repeats its
        // "not weighed" notification, whose type has no minimum delay).
        var ids = restricted.Distinct().ToList();
        var subjects = await db.Subjects.Where(s => ids.Contains(s.Id)).Include(s => s.ResponsibleUser).ToDictionaryAsync(s => s.Id, ct);
        var states = await WaterControl.LoadAsync(db, ids, clock, ct);
        var now = clock.Now;
        int water = 0, notWeighed = 0;
        foreach (var id in ids)
        {
            if (!states.TryGetValue(id, out var wc) || !subjects.TryGetValue(id, out var subject)) continue;
            if (WaterMessage(wc, subject.ResponsibleUser?.Username ?? "", now) is var (title, details)
                && await Notifications.CreateAsync(db, clock, Notifications.MouseWater, title, subject, details: details, ct: ct) is not null)
                water++;
            if (NotWeighedMessage(wc, now) is { } missing
                && await Notifications.CreateAsync(db, clock, Notifications.MouseNotWeighed, missing, subject, ct: ct) is not null)
                notWeighed++;
        }
        await db.SaveChangesAsync(ct);
        return new(ids.Count, water, notWeighed);
    }

    /// <summary>
    /// <c>check_water_administration</c> at <paramref name="now"/>: restricted, not since today, water remaining, and the last
    /// administration (or the restriction's start) at least 23 h − 10 s ago. Title and details block, or null.
    /// </summary>
    public static (string Title, string Details)? WaterMessage(SubjectWaterControl wc, string responsible, DateTime now)
    {
        if (wc.RestrictionStart(now) is not { } start || start.Date == now.Date) return null;
        var remaining = wc.RemainingWater(now);
        var last = wc.LastWaterAdministration(now);
        var current = wc.Restrictions.Count > 0 && wc.Restrictions[^1].End is null ? wc.Restrictions[^1].Start : (DateTime?)null;
        if ((last?.Time ?? current) is not { } since) return null;
        var delay = now - since;
        if (!(remaining > 0 && delay.TotalSeconds >= 23 * 3600 - 10)) return null;
        var title = $"{Notifications.PythonFixed(remaining, 1)} mL remaining for {wc.Nickname}";
        // The original fails here when the subject never had water; the block then says None.
        var lastText = last is { } a
            ? $"{Stamp(a.Time)}, {Notifications.PythonFixed(a.Volume ?? 0, 2)} mL"
            : "None";
        var details = $"\nMouse: {wc.Nickname}\nUser: {responsible}\nDate: {Stamp(now)}\nLast water administration: {lastText}\n" +
            $"Remaining water: {Notifications.PythonFixed(remaining, 1)} mL\nDelay: {Notifications.PythonFixed(delay.TotalSeconds / 3600, 1)} hours\n";
        return (title, details);
    }

    /// <summary>
    /// <c>check_weighed</c> at <paramref name="now"/>: restricted, not (restricted since today with a reference weight), and
    /// no weighing today. The title, or null.
    /// </summary>
    public static string? NotWeighedMessage(SubjectWaterControl wc, DateTime now)
    {
        if (wc.RestrictionStart(now) is not { } start) return null;
        if (start.Date == now.Date && wc.ReferenceWeight(now) != 0) return null;
        if (wc.LastWeighing(now) is { } w && w.Time.Date == now.Date) return null;
        return $"ATTENTION: subject \"{wc.Nickname}\" weighing missing for {now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
    }

    static string Stamp(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
