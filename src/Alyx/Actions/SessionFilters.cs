using Alyx.Experiments;
using Alyx.Filtering;
using Alyx.Http;

namespace Alyx.Actions;

/// <summary>The C# twin of SessionFilter in alyx/actions/views.py (spec 20 §6.1).</summary>
static class SessionFilters
{
    /// <summary>The action filters (subject, users, date_range, lab, location, json, django) and the session's own.</summary>
    public static FilterSet<Session> Create() => ActionFilters.ForAction<Session>()
        .Add(Text("type", "type__iexact"))
        .Add(Text("task_protocol", "task_protocol__icontains"))
        .Add(Text("projects", "projects__name__icontains"))
        .Add(Text("project", "projects__name__icontains"))
        .Add(Text("procedures", "procedures__name__icontains"))
        .Add(new QcFilter<Session>(s => s.Qc))
        .Add(Performance("performance_gte", gte: true))
        .Add(Performance("performance_lte", gte: false))
        .Add(new FilterDoc("histology", "boolean", Description: "Sessions of subjects with a Histology session."), (q, raw, _) =>
            FilterValues.DeclaredBool(raw) switch
            {
                true => q.Where(s => s.Subject!.Sessions.Any(o => o.Procedures.Any(p => p.Name == "Histology"))),
                false => q.Where(s => !s.Subject!.Sessions.Any(o => o.Procedures.Any(p => p.Name == "Histology"))),
                null => q,
            })
        .Add(new FilterDoc("dataset_types", "string", Description: "Comma-separated dataset types: sessions with a dataset of each."),
            (q, raw, _) =>
            {
                foreach (var type in Names(raw)) q = q.Where(s => s.Datasets.Any(d => d.DatasetType!.Name == type));
                return q;
            })
        .Add(new DatasetsFilter())
        .Add(new DatasetQcFilter())
        .Add(Text("tag", "data_dataset_session_related__tags__name__icontains"))
        .Add(new JsonColumnFilter<Session>("extended_qc"))
        // Sessions recorded in a brain region through a probe insertion's aligned trajectory or a field of view's default location (spec 40 §5).
        .Atlas<Session>((t, located) => s => s.ProbeInsertions.Any(p => p.TrajectoryEstimates.AsQueryable().Any(t))
            || located.Any(l => l.FieldOfView!.SessionId == s.Id))
        .Django();

    static IEnumerable<string> Names(string raw) => raw.Split(',').Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal);

    internal const string QcThresholdMessage = "Select a valid QC level: a label (CRITICAL, FAIL, WARNING, NOT_SET, PASS) or its code (50, 40, 30, 0, 10).";

    /// <summary>
    /// <c>datasets=a,b</c>: sessions that, for every name, have a dataset of that name with qc at most the threshold
    /// (<c>dataset_qc_lte</c>, default FAIL) and an existing file record on a non-personal repository (quirk Q-30).
    /// </summary>
    sealed class DatasetsFilter : IFilter<Session>
    {
        public FilterDoc Doc { get; } = new("datasets", "string", Description: "Comma-separated dataset names: sessions with all of them.");

        public ValueTask<IQueryable<Session>> ApplyAsync(FilterContext context, IQueryable<Session> query, IReadOnlyList<string> values, ErrorMap errors)
        {
            var threshold = QcCodes.Fail;
            if (context.Last("dataset_qc_lte") is { } raw)
            {
                if (QcCodes.FromLabelOrCode(raw) is not { } given) return ValueTask.FromResult(query); // reported by the dataset_qc_lte filter
                threshold = given;
            }
            foreach (var name in Names(values[^1]))
            {
                query = query.Where(s => s.Datasets.Any(d => d.Name == name && d.Qc <= threshold
                    && d.FileRecords.Any(f => f.Exists && f.DataRepository!.GlobusIsPersonal == false)));
            }
            return ValueTask.FromResult(query);
        }
    }

    /// <summary><c>dataset_qc_lte</c> alone: sessions with any dataset at or below the QC level; with <c>datasets</c>, only its threshold.</summary>
    sealed class DatasetQcFilter : IFilter<Session>
    {
        public FilterDoc Doc { get; } = new("dataset_qc_lte", "string", Description: "QC label or code: the highest dataset QC accepted.");

        public ValueTask<IQueryable<Session>> ApplyAsync(FilterContext context, IQueryable<Session> query, IReadOnlyList<string> values, ErrorMap errors)
        {
            // The original answers an invalid level with a 500 (quirk Q-13).
            if (QcCodes.FromLabelOrCode(values[^1]) is not { } threshold)
            {
                errors.Add("dataset_qc_lte", QcThresholdMessage);
                return ValueTask.FromResult(query);
            }
            if (context.Last("datasets") is not null) return ValueTask.FromResult(query);
            return ValueTask.FromResult(query.Where(s => s.Datasets.Any(d => d.Qc <= threshold)));
        }
    }

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
