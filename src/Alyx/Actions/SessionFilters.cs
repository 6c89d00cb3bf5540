using Alyx.Filtering;
using Alyx.Http;

namespace Alyx.Actions;

/// <summary>The C# twin of SessionFilter in alyx/actions/views.py (spec 20 §6.1).</summary>
static class SessionFilters
{
    public const string DateRangeMessage = "Enter two valid dates separated by a comma: YYYY-MM-DD,YYYY-MM-DD.";

    public static FilterSet<Session> Create() => new FilterSet<Session>()
        .Generated()
        .Add(Text("subject", "subject__nickname__iexact"))
        .Add(Text("nickname", "subject__nickname__iexact"))
        .Add(Text("lab", "lab__name__iexact"))
        .Add(Text("location", "location__name__icontains"))
        .Add(Text("type", "type__iexact"))
        .Add(Text("task_protocol", "task_protocol__icontains"))
        .Add(Text("projects", "projects__name__icontains"))
        .Add(Text("project", "projects__name__icontains"))
        .Add(Text("procedures", "procedures__name__icontains"))
        .Add(new FilterDoc("users", "string", Description: "Comma-separated usernames: sessions with all of them."), (q, raw, _) =>
        {
            // "All of": one EXISTS per distinct name (duplicates would otherwise make the original's filter unsatisfiable).
            foreach (var name in raw.Split(',').Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal))
                q = q.Where(s => s.Users.Any(u => u.Username == name));
            return q;
        })
        .Add(new FilterDoc("date_range", "string", Description: "YYYY-MM-DD,YYYY-MM-DD: start date within the inclusive range."), (q, raw, errors) =>
        {
            // The original fails with a 500 on a malformed range (quirk Q-13); here it is a 400.
            var parts = raw.Split(',');
            if (parts.Length != 2 || !AlyxFormats.TryParseDate(parts[0].Trim(), out var first) || !AlyxFormats.TryParseDate(parts[1].Trim(), out var last)
                || last.DayNumber >= DateOnly.MaxValue.DayNumber)
            {
                errors.Add("date_range", DateRangeMessage);
                return q;
            }
            var from = first.ToDateTime(TimeOnly.MinValue);
            var until = last.AddDays(1).ToDateTime(TimeOnly.MinValue);
            return q.Where(s => s.StartTime >= from && s.StartTime < until);
        })
        .Add(new FilterDoc("qc", "string", Enum: SessionDtos.QcLabels), (q, raw, errors) =>
        {
            var label = raw.Trim().ToUpperInvariant();
            var match = QcCodes.All.FirstOrDefault(c => c.Label == label);
            if (match.Label is null)
            {
                errors.Add("qc", SessionDtos.QcChoicesMessage);
                return q;
            }
            var code = match.Code;
            return q.Where(s => s.Qc == code);
        })
        .Add(Performance("performance_gte", gte: true))
        .Add(Performance("performance_lte", gte: false))
        .Add(new FilterDoc("histology", "boolean", Description: "Sessions of subjects with a Histology session."), (q, raw, _) =>
            FilterValues.DeclaredBool(raw) switch
            {
                true => q.Where(s => s.Subject!.Sessions.Any(o => o.Procedures.Any(p => p.Name == "Histology"))),
                false => q.Where(s => !s.Subject!.Sessions.Any(o => o.Procedures.Any(p => p.Name == "Histology"))),
                null => q,
            })
        .Add(new JsonColumnFilter<Session>("json"))
        .Add(new JsonColumnFilter<Session>("extended_qc"))
        .Django();

    /// <summary>A declared text filter: one lookup path applied to the trimmed value.</summary>
    static IFilter<Session> Text(string name, string path) => new LookupFilter<Session>(new FilterDoc(name, "string"), path);

    /// <summary>
    /// <c>100 * n_correct_trials / n_trials</c> in integer arithmetic (truncated, as the original); sessions without trial counts
    /// never match, and <c>n_trials = 0</c> is non-matching instead of the original's division-by-zero error (quirk Q-12).
    /// </summary>
    static IFilter<Session> Performance(string name, bool gte) => new DelegateFilter<Session>(new FilterDoc(name, "number"), (q, raw, errors) =>
    {
        if (!FilterValues.TryNumber(raw, out var value))
        {
            errors.Add(name, "Enter a number.");
            return q;
        }
        q = q.Where(s => s.NTrials != null && s.NCorrectTrials != null && s.NTrials != 0);
        return gte
            ? q.Where(s => (double)(100 * s.NCorrectTrials!.Value / s.NTrials!.Value) >= value)
            : q.Where(s => (double)(100 * s.NCorrectTrials!.Value / s.NTrials!.Value) <= value);
    });
}
