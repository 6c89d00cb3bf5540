using Alyx.Actions;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Admin.Actions;

/// <summary>A water-restricted subject on the today page, with the water engine's figures for today.</summary>
public sealed record TodayRow(
    Guid SubjectId,
    string Nickname,
    string Lab,
    string? Responsible,
    TimedWeight? LastWeighing,
    bool WeighedToday,
    double ReferenceWeight,
    double ExpectedWeight,
    double PercentageWeight,
    double MinPercentage,
    double ExpectedWater,
    double GivenWater,
    double RemainingWater,
    bool Underweight);

/// <summary>A lab or user offered in the page's filters.</summary>
public sealed record FilterChoice(string Value, string Label);

/// <summary>
/// The animals of the day: living subjects under a water restriction in force now (started, not ended), optionally of one lab
/// and one responsible user, by responsible user then nickname, paginated in SQL. Three queries per page: the subjects, then
/// the water engine's two (<see cref="WaterControl.LoadAsync(AlyxDb, IReadOnlyCollection{Guid}, AlyxClock, CancellationToken)"/>).
/// </summary>
public static class TodayBoard
{
    public const int PageSize = 100;

    public static async Task<(List<TodayRow> Rows, bool More)> LoadAsync(AlyxDb db, AlyxClock clock, string? lab, string? user, int page,
        CancellationToken ct)
    {
        var now = clock.Now;
        var today = DateOnly.FromDateTime(now);
        var query = db.Subjects.AsNoTracking()
            .Where(s => (s.DeathDate == null || s.DeathDate > today)
                && s.WaterRestrictions.Any(r => r.StartTime != null && r.StartTime <= now && (r.EndTime == null || r.EndTime > now)));
        if (!string.IsNullOrEmpty(lab)) query = query.Where(s => s.Lab!.Name == lab);
        if (!string.IsNullOrEmpty(user)) query = query.Where(s => s.ResponsibleUser != null && s.ResponsibleUser.Username == user);
        var subjects = await query
            .OrderBy(s => s.ResponsibleUser == null ? null : s.ResponsibleUser.Username).ThenBy(s => s.Nickname).ThenBy(s => s.Id)
            .Skip((page - 1) * PageSize).Take(PageSize + 1)
            .Select(s => new { s.Id, s.Nickname, Lab = s.Lab!.Name, Responsible = s.ResponsibleUser == null ? null : s.ResponsibleUser.Username })
            .ToListAsync(ct);
        var more = subjects.Count > PageSize;
        if (more) subjects.RemoveAt(PageSize);
        var water = await WaterControl.LoadAsync(db, subjects.Select(s => s.Id).ToList(), clock, ct);
        var rows = subjects.Where(s => water.ContainsKey(s.Id)).Select(s =>
        {
            var wc = water[s.Id];
            var last = wc.LastWeighing();
            var percentage = wc.PercentageWeight();
            return new TodayRow(s.Id, s.Nickname, s.Lab, s.Responsible, last, wc.WeighingAt() is not null, wc.ReferenceWeight(),
                wc.ExpectedWeight(), percentage, wc.MinPercentage, wc.ExpectedWater(), wc.GivenWater(), wc.RemainingWater(),
                wc.WeightStatus() == 2);
        }).ToList();
        return (rows, more);
    }

    /// <summary>The labs and responsible users that have a restricted subject today, for the filters (two small queries).</summary>
    public static async Task<(List<FilterChoice> Labs, List<FilterChoice> Users)> ChoicesAsync(AlyxDb db, AlyxClock clock, CancellationToken ct)
    {
        var now = clock.Now;
        var restricted = db.Subjects.AsNoTracking()
            .Where(s => s.WaterRestrictions.Any(r => r.StartTime != null && r.StartTime <= now && (r.EndTime == null || r.EndTime > now)));
        var labs = await restricted.Select(s => s.Lab!.Name).Distinct().OrderBy(n => n).ToListAsync(ct);
        var users = await restricted.Where(s => s.ResponsibleUser != null).Select(s => s.ResponsibleUser!.Username).Distinct().OrderBy(n => n)
            .ToListAsync(ct);
        return (labs.Select(l => new FilterChoice(l, l)).ToList(), users.Select(u => new FilterChoice(u, u)).ToList());
    }
}
