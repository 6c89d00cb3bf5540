using System.Globalization;
using Alyx.Actions;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Admin.Actions;

/// <summary>A row of any action table, in one shape so that they come in one query.</summary>
sealed class HistoryRow
{
    public int Kind { get; init; }
    public Guid Id { get; init; }
    public DateTime? Time { get; init; }
    public string? Type { get; init; }
    public int? Number { get; init; }
    public int? NCorrectTrials { get; init; }
    public int? NTrials { get; init; }
    public double? Value { get; init; }
}

/// <summary>One action of the subject: when, what (model name and admin path), its type and a few of its fields.</summary>
public sealed record HistoryItem(DateTime? Time, string Name, string ChangeUrl, string? Type, IReadOnlyList<string> Fields);

/// <summary>
/// Every action of a subject, newest first (alyx/actions/views.py <c>SubjectHistoryListView</c>, which lists the subject's
/// BaseAction rows: sessions, water restrictions, surgeries, other actions, ...), here with the weighings and water
/// administrations too. One query per page, paginated in SQL.
/// </summary>
public static class SubjectHistory
{
    public const int PageSize = 100;

    /// <summary>Model names and their admin app/model, by <see cref="HistoryRow.Kind"/>.</summary>
    static readonly (string Name, string Admin)[] Kinds =
    [
        ("Session", "actions/session"),
        ("Weighing", "actions/weighing"),
        ("WaterAdministration", "actions/wateradministration"),
        ("WaterRestriction", "actions/waterrestriction"),
        ("Surgery", "actions/surgery"),
        ("OtherAction", "actions/otheraction"),
        ("ChronicRecording", "actions/chronicrecording"),
        ("VirusInjection", "actions/virusinjection"),
    ];

    static IQueryable<HistoryRow> Actions<T>(AlyxDb db, Guid subject, int kind) where T : BaseAction =>
        db.Set<T>().AsNoTracking().Where(a => a.SubjectId == subject).Select(a => new HistoryRow
        {
            Kind = kind,
            Id = a.Id,
            Time = a.StartTime,
            Type = (string?)null,
            Number = (int?)null,
            NCorrectTrials = (int?)null,
            NTrials = (int?)null,
            Value = (double?)null,
        });

    /// <summary>One page of the history (<paramref name="page"/> from 1) and whether there is a next page.</summary>
    public static async Task<(List<HistoryItem> Items, bool More)> LoadAsync(AlyxDb db, Guid subject, int page, CancellationToken ct)
    {
        var sessions = db.Set<Session>().AsNoTracking().Where(s => s.SubjectId == subject).Select(s => new HistoryRow
        {
            Kind = 0,
            Id = s.Id,
            Time = s.StartTime,
            Type = s.Type,
            Number = s.Number,
            NCorrectTrials = s.NCorrectTrials,
            NTrials = s.NTrials,
            Value = (double?)null,
        });
        var weighings = db.Set<Weighing>().AsNoTracking().Where(w => w.SubjectId == subject).Select(w => new HistoryRow
        {
            Kind = 1,
            Id = w.Id,
            Time = w.DateTime,
            Type = (string?)null,
            Number = (int?)null,
            NCorrectTrials = (int?)null,
            NTrials = (int?)null,
            Value = (double?)w.Weight,
        });
        var water = db.Set<WaterAdministration>().AsNoTracking().Where(w => w.SubjectId == subject).Select(w => new HistoryRow
        {
            Kind = 2,
            Id = w.Id,
            Time = w.DateTime,
            Type = w.WaterType == null ? null : w.WaterType.Name,
            Number = (int?)null,
            NCorrectTrials = (int?)null,
            NTrials = (int?)null,
            Value = w.WaterAdministered,
        });
        var restrictions = db.Set<WaterRestriction>().AsNoTracking().Where(w => w.SubjectId == subject).Select(w => new HistoryRow
        {
            Kind = 3,
            Id = w.Id,
            Time = w.StartTime,
            Type = w.WaterType == null ? null : w.WaterType.Name,
            Number = (int?)null,
            NCorrectTrials = (int?)null,
            NTrials = (int?)null,
            Value = (double?)w.ReferenceWeight,
        });
        var all = sessions.Concat(weighings).Concat(water).Concat(restrictions)
            .Concat(Actions<Surgery>(db, subject, 4)).Concat(Actions<OtherAction>(db, subject, 5))
            .Concat(Actions<ChronicRecording>(db, subject, 6)).Concat(Actions<VirusInjection>(db, subject, 7));
        var rows = await all.OrderBy(r => r.Time == null).ThenByDescending(r => r.Time).ThenBy(r => r.Kind).ThenBy(r => r.Id)
            .Skip((page - 1) * PageSize).Take(PageSize + 1).ToListAsync(ct);
        var items = rows.Take(PageSize).Select(r =>
        {
            var (name, admin) = Kinds[r.Kind];
            return new HistoryItem(r.Time, name, $"/admin/{admin}/{r.Id}/change/", r.Type, Fields(r));
        }).ToList();
        return (items, rows.Count > PageSize);
    }

    /// <summary>The upstream <c>CLASS_FIELDS</c> as <c>name: value</c> (null values skipped), plus the weighing's and water's amounts.</summary>
    static List<string> Fields(HistoryRow r)
    {
        var fields = new List<string>();
        void Add(string name, object? value)
        {
            if (value is not null) fields.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: {value}"));
        }
        switch (r.Kind)
        {
            case 0:
                Add("number", r.Number);
                Add("n_correct_trials", r.NCorrectTrials);
                Add("n_trials", r.NTrials);
                break;
            case 1:
                Add("weight", r.Value is { } w ? string.Create(CultureInfo.InvariantCulture, $"{w:0.0#} g") : null);
                break;
            case 2:
                Add("water_administered", r.Value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:0.0##} mL") : null);
                break;
            case 3:
                Add("reference_weight", r.Value is { } rw ? string.Create(CultureInfo.InvariantCulture, $"{rw:0.0#} g") : null);
                break;
        }
        return fields;
    }
}
