using System.Globalization;
using System.Text;
using Alyx.Actions;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Misc;

/// <summary>
/// The daily report mail of Alyx's <c>report</c> command (alyx/misc/management/commands/report.py): named sections, each
/// either per user or the same for every user, collated into one mail per user, "Report on YYYY-MM-DD", sent only when the
/// text holds a bullet (<c>*</c>). Where the original's sections fail on Alyx 3.6.1 (water_restriction asserts on a date
/// where a datetime is expected; todo filters on a removed <c>reduced</c> field; mouse_weight with no restricted subject
/// reads an unset threshold) the evident intent is kept: see each section. <c>past_changes</c> (the admin's change log)
/// has no source here and is not offered.
/// </summary>
public sealed class DailyReport(AlyxDb db, AlyxClock clock)
{
    public static readonly string[] Names = ["mouse_weight", "surgery", "todo", "training", "water_restriction"];

    public sealed record Mail(string Username, string Email, string Subject, string Text)
    {
        /// <summary>Whether the original would send it: an address and at least one bullet.</summary>
        public bool WillSend => !string.IsNullOrEmpty(Email) && Text.Contains('*', StringComparison.Ordinal);
    }

    /// <summary>
    /// The mails for <paramref name="names"/> (unknown names skipped, as the original does) to <paramref name="usernames"/>
    /// (every user when empty), ordered by username. <paramref name="lab"/> limits the mouse_weight section.
    /// </summary>
    public async Task<IReadOnlyList<Mail>> BuildAsync(IReadOnlyList<string> names, IReadOnlyList<string> usernames, string? lab,
        CancellationToken ct)
    {
        var users = await db.Users.AsNoTracking()
            .Where(u => usernames.Count == 0 || usernames.Contains(u.Username))
            .OrderBy(u => u.Username)
            .Select(u => new { u.Id, u.Username, u.Email, u.IsStockManager })
            .ToListAsync(ct);
        var texts = users.ToDictionary(u => u.Id, _ => new List<string?>());
        foreach (var name in names)
        {
            switch (name)
            {
                case "mouse_weight":
                    var weight = await MouseWeightAsync(lab, ct);
                    foreach (var u in users) texts[u.Id].Add(weight);
                    break;
                case "todo":
                    var todo = await TodoAsync(ct);
                    foreach (var u in users) texts[u.Id].Add(todo);
                    break;
                case "training":
                    var training = await TrainingAsync(ct);
                    foreach (var u in users) texts[u.Id].Add(training);
                    break;
                case "surgery":
                    var surgery = await SurgeryAsync([.. users.Where(u => !u.IsStockManager).Select(u => u.Id)], ct);
                    foreach (var u in users) texts[u.Id].Add(surgery.GetValueOrDefault(u.Id));
                    break;
                case "water_restriction":
                    var water = await WaterRestrictionAsync([.. users.Select(u => u.Id)], ct);
                    foreach (var u in users) texts[u.Id].Add(water.GetValueOrDefault(u.Id));
                    break;
            }
        }
        var subject = "Report on " + clock.Now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return [.. users.Select(u => new Mail(u.Username, u.Email, subject, string.Join("\n\n", texts[u.Id].Select(t => t ?? ""))))];
    }

    /// <summary>Mails those of <paramref name="mails"/> the original would send; returns how many went out.</summary>
    public static async Task<int> SendAsync(IEnumerable<Mail> mails, Mailer mailer, CancellationToken ct)
    {
        var sent = 0;
        foreach (var mail in mails.Where(m => m.WillSend))
            if (await mailer.SendAsync([mail.Email], mail.Subject, mail.Text, ct)) sent++;
        return sent;
    }

    /// <summary>
    /// <c>make_water_restriction</c>, for each of <paramref name="userIds"/> with any: the user's subjects under an open
    /// restriction, by nickname, with their last weighing up to yesterday, the expected weight and water at that weighing, and
    /// the water today requires (the original passes a date where a datetime is required and fails; the weighing's own time is
    /// used). One query for the restrictions and one water-control load for all the users' subjects.
    /// </summary>
    public async Task<Dictionary<Guid, string>> WaterRestrictionAsync(IReadOnlyList<Guid> userIds, CancellationToken ct)
    {
        var open = await db.Set<WaterRestriction>().AsNoTracking()
            .Where(r => r.StartTime != null && r.EndTime == null && r.Subject!.ResponsibleUserId != null
                && userIds.Contains(r.Subject.ResponsibleUserId.Value))
            .OrderBy(r => r.Subject!.Nickname)
            .Select(r => new { User = r.Subject!.ResponsibleUserId!.Value, r.SubjectId, r.Subject!.Nickname, Start = r.StartTime!.Value })
            .ToListAsync(ct);
        if (open.Count == 0) return [];
        var states = await WaterControl.LoadAsync(db, [.. open.Select(r => r.SubjectId).Distinct()], clock, ct);
        var now = clock.Now;
        var texts = new Dictionary<Guid, string>();
        foreach (var mine in open.GroupBy(r => r.User))
        {
            var text = new StringBuilder("Mice on water restriction:\n");
            foreach (var r in mine)
            {
                if (!states.TryGetValue(r.SubjectId, out var wc)) continue;
                if (wc.LastWeighing(now.Date.AddDays(-1)) is not { } last) continue;
                var days = (now.Date - last.Time.Date).Days;
                text.Append(CultureInfo.InvariantCulture,
                    $"\n* {r.Nickname} since {r.Start:yyyy-MM-dd}.\n" +
                    $"Weight {days} day(s) ago: {F(last.Weight, 1)}g (expected {F(wc.ExpectedWeight(last.Time), 1)}g, {F(wc.PercentageWeight(last.Time), 1)}%).\n" +
                    $"Given  {days} day(s) ago: {F(wc.GivenWater(last.Time), 2)}mL (min {F(wc.ExpectedWater(last.Time), 2)}mL, excess {F(wc.ExcessWater(last.Time), 2)}mL).\n" +
                    $"Today requires {F(wc.RemainingWater(), 2)}mL.\n");
            }
            texts[mine.Key] = text.ToString();
        }
        return texts;
    }

    /// <summary>
    /// <c>make_mouse_weight</c>: subjects under an open restriction (of <paramref name="lab"/> when given) whose weight is
    /// below or within 2 points of the lab threshold, with their responsible user. Null when no restricted subject was ever
    /// weighed (the original then fails on its unset threshold).
    /// </summary>
    public async Task<string?> MouseWeightAsync(string? lab, CancellationToken ct)
    {
        var subjects = await db.Set<WaterRestriction>().AsNoTracking()
            .Where(r => r.StartTime != null && r.EndTime == null && (lab == null || r.Subject!.Lab!.Name == lab))
            .Select(r => new
            {
                r.SubjectId,
                r.Subject!.Nickname,
                User = r.Subject.ResponsibleUser == null ? "None" : r.Subject.ResponsibleUser.Username,
                Email = r.Subject.ResponsibleUser == null ? "" : r.Subject.ResponsibleUser.Email,
            })
            .Distinct().OrderBy(s => s.Nickname).ToListAsync(ct);
        var states = await WaterControl.LoadAsync(db, [.. subjects.Select(s => s.SubjectId)], clock, ct);
        double? threshold = null;
        var text = new StringBuilder();
        foreach (var s in subjects)
        {
            if (!states.TryGetValue(s.SubjectId, out var wc) || wc.LastWeighing() is not { } last) continue;
            threshold = Math.Max(wc.ZscoreWeightPct, wc.ReferenceWeightPct);
            if (wc.WeightStatus() > 0)
                text.Append(CultureInfo.InvariantCulture,
                    $"* {s.Nickname} ({s.User} <{s.Email}>) weighed {F(wc.Weight(), 1)}g instead of {F(wc.ExpectedWeight(), 1)}g " +
                    $"({F(wc.PercentageWeight(), 1)}%) on {Notifications.PythonStr(last.Time)}\n");
        }
        if (threshold is not { } t) return null;
        return $"Mice under the {(int)(100 * t)}% +2% weight limit:\n\n" + text;
    }

    /// <summary>
    /// <c>make_surgery</c>, for each of <paramref name="userIds"/> with any: the user's living (not culled) subjects that never
    /// had a surgery, by nickname; one query for all the users.
    /// </summary>
    public async Task<Dictionary<Guid, string>> SurgeryAsync(IReadOnlyList<Guid> userIds, CancellationToken ct)
    {
        var pending = await db.Subjects.AsNoTracking()
            .Where(s => s.ResponsibleUserId != null && userIds.Contains(s.ResponsibleUserId.Value)
                && !db.Set<Cull>().Any(c => c.SubjectId == s.Id) && !s.Surgeries.Any())
            .Select(s => new { User = s.ResponsibleUserId!.Value, s.Nickname }).Distinct().ToListAsync(ct);
        return pending.GroupBy(p => p.User).ToDictionary(g => g.Key,
            g => "Mice awaiting surgery:\n" + string.Join('\n', g.Select(p => p.Nickname).Order(StringComparer.Ordinal).Select(n => "* " + n)));
    }

    /// <summary>
    /// <c>make_training</c>: for each open restriction (by responsible user, then nickname), the subjects trained on fewer
    /// than five days in the window the original uses: from today minus (weekday + 5) days, for seven days.
    /// </summary>
    public async Task<string> TrainingAsync(CancellationToken ct)
    {
        var today = clock.Today;
        var weekday = ((int)today.DayOfWeek + 6) % 7; // Python's weekday(): Monday is 0
        var from = today.AddDays(-(weekday + 5));
        var to = from.AddDays(7);
        DateTime start = from.ToDateTime(TimeOnly.MinValue), end = to.ToDateTime(TimeOnly.MinValue);
        var rows = await db.Set<WaterRestriction>().AsNoTracking()
            .Where(r => r.StartTime != null && r.EndTime == null)
            .OrderBy(r => r.Subject!.ResponsibleUser!.Username).ThenBy(r => r.Subject!.Nickname).ThenBy(r => r.Id)
            .Select(r => new
            {
                r.SubjectId,
                r.Subject!.Nickname,
                User = r.Subject.ResponsibleUser == null ? "None" : r.Subject.ResponsibleUser.Username,
            })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.SubjectId).Distinct().ToList();
        var sessions = await db.Set<Session>().AsNoTracking()
            .Where(s => ids.Contains(s.SubjectId) && s.StartTime >= start && s.StartTime < end)
            .Select(s => new { s.SubjectId, s.StartTime })
            .ToListAsync(ct);
        var days = sessions.ToLookup(s => s.SubjectId, s => DateOnly.FromDateTime(s.StartTime!.Value));
        var text = new StringBuilder($"Sessions between {from:yyyy-MM-dd} and {to:yyyy-MM-dd}:\n\n");
        foreach (var r in rows)
        {
            var dates = days[r.SubjectId].Distinct().Order().ToList();
            if (dates.Count < 5)
            {
                var list = string.Join(", ", dates.Select(d => d.ToString("ddd dd MMM", CultureInfo.InvariantCulture)));
                text.Append(CultureInfo.InvariantCulture, $"* {r.Nickname} ({r.User}) was trained {dates.Count} days: {list}\n");
            }
        }
        return text.ToString();
    }

    /// <summary>
    /// <c>make_todo</c>: subjects to be genotyped, living subjects to be culled, and culled subjects not yet reduced (the
    /// original filters on a <c>reduced</c> flag that no longer exists; <c>reduced_date</c> unset is used).
    /// </summary>
    public async Task<string> TodoAsync(CancellationToken ct)
    {
        var culled = db.Set<Cull>().Select(c => c.SubjectId);
        var genotype = await db.Subjects.Where(s => s.ToBeGenotyped).Select(s => s.Nickname).ToListAsync(ct);
        var cull = await db.Subjects.Where(s => s.ToBeCulled && !culled.Contains(s.Id)).Select(s => s.Nickname).ToListAsync(ct);
        var reduce = await db.Subjects.Where(s => culled.Contains(s.Id) && s.ReducedDate == null).Select(s => s.Nickname).ToListAsync(ct);
        static string List(List<string> nicknames) => string.Join('\n', nicknames.Order(StringComparer.Ordinal).Select(n => "* " + n));
        return $"{genotype.Count} mice to be genotyped:\n{List(genotype)}\n\n{cull.Count} mice to be culled:\n{List(cull)}\n\n" +
            $"{reduce.Count} mice to be reduced:\n{List(reduce)}";
    }

    static string F(double value, int digits) => Notifications.PythonFixed(value, digits);
}
