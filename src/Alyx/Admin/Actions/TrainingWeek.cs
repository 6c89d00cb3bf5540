using Alyx.Actions;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Admin.Actions;

/// <summary>A subject of the training page: which weekdays (Monday first) it had a session, and how many.</summary>
public sealed record TrainingRow(Guid SubjectId, string Nickname, string? Username, IReadOnlyList<bool> Days)
{
    public int TrainingDays => Days.Count(d => d);

    /// <summary>Alyx's <c>training_ok</c>: five or more training days in the week.</summary>
    public bool TrainingOk => TrainingDays >= 5;
}

/// <summary>
/// The training history of a week (alyx/actions/views.py <c>training_days</c>): every subject under an open water restriction
/// (started, not ended), by responsible user then nickname, with the weekdays on which it had a session. Two queries whatever
/// the number of subjects (the original runs one per subject). A subject with several open restrictions is listed once.
/// </summary>
public static class TrainingWeek
{
    /// <summary>The Monday of <paramref name="day"/>'s week.</summary>
    public static DateOnly Monday(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    public static async Task<List<TrainingRow>> LoadAsync(AlyxDb db, DateOnly monday, CancellationToken ct)
    {
        var subjects = await db.Subjects.AsNoTracking()
            .Where(s => s.WaterRestrictions.Any(r => r.StartTime != null && r.EndTime == null))
            .OrderBy(s => s.ResponsibleUser == null ? null : s.ResponsibleUser.Username).ThenBy(s => s.Nickname).ThenBy(s => s.Id)
            .Select(s => new { s.Id, s.Nickname, Username = s.ResponsibleUser == null ? null : s.ResponsibleUser.Username })
            .ToListAsync(ct);
        if (subjects.Count == 0) return [];
        var ids = subjects.Select(s => s.Id).ToList();
        var from = monday.ToDateTime(TimeOnly.MinValue);
        var to = from.AddDays(7);
        var starts = await db.Set<Session>().AsNoTracking()
            .Where(s => ids.Contains(s.SubjectId) && s.StartTime >= from && s.StartTime < to)
            .Select(s => new { s.SubjectId, StartTime = s.StartTime!.Value })
            .ToListAsync(ct);
        var days = starts.ToLookup(s => s.SubjectId, s => (s.StartTime.Date - from).Days);
        return subjects.Select(s =>
        {
            var trained = days[s.Id].ToHashSet();
            return new TrainingRow(s.Id, s.Nickname, s.Username, Enumerable.Range(0, 7).Select(trained.Contains).ToList());
        }).ToList();
    }
}
