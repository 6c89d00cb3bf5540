using Alyx.Actions;
using Alyx.Filtering;
using Alyx.Http;

namespace Alyx.Experiments;

/// <summary>
/// The C# twin of ProbeInsertionFilter in alyx/experiments/views.py (spec 40 §4.1), the atlas filters (<see cref="AtlasFilters"/>) included.
/// </summary>
static class InsertionFilters
{
    public static FilterSet<ProbeInsertion> Create() => new FilterSet<ProbeInsertion>()
        .Generated()
        .Add(Text("subject", "session__subject__nickname", "Subject nickname of the session."))
        .AddSessionDate(static (from, until) => p => p.Session!.StartTime >= from && p.Session.StartTime < until)
        .AddExperimentNumber(static number => p => p.Session!.Number == number)
        .Add(new FilterDoc("session", "string", "uuid", Description: "Session id."), (q, raw, errors) =>
        {
            if (!Guid.TryParse(raw.Trim(), out var id))
            {
                errors.Add("session", "Enter a valid UUID.");
                return q;
            }
            return q.Where(p => p.SessionId == id);
        })
        // The original matches the long name only while the field shows the slug (quirk fix 1): either is accepted.
        .Add(new FilterDoc("model", "string", Description: "Probe model: long name (Neuropixel 3B2) or probe_model (3B2)."), (q, raw, _) =>
        {
            var model = raw.Trim();
            return q.Where(p => p.Model != null && (p.Model.Name == model || p.Model.Model == model));
        })
        .Add(new FilterDoc("dataset_types", "string", Description: "Comma-separated dataset types: insertions linked to a dataset of each."),
            (q, raw, _) =>
            {
                foreach (var type in Names(raw)) q = q.Where(p => p.Datasets.Any(d => d.DatasetType!.Name == type));
                return q;
            })
        .Add(new DatasetsFilter())
        .Add(new DatasetQcFilter())
        .Add(Text("lab", "session__lab__name__iexact", "Lab name of the session (case-insensitive)."))
        .Add(Text("project", "session__projects__name__icontains", "A project name of the session contains (case-insensitive)."))
        .Add(Text("task_protocol", "session__task_protocol__icontains", "Task protocol of the session contains (case-insensitive)."))
        .Add(Text("tag", "datasets__tags__name__icontains", "A linked dataset has a tag whose name contains (case-insensitive)."))
        .Atlas<ProbeInsertion>(t => p => p.TrajectoryEstimates.AsQueryable().Any(t))
        .Django();

    static IEnumerable<string> Names(string raw) => raw.Split(',').Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal);

    static LookupFilter<ProbeInsertion> Text(string name, string path, string description) =>
        new(new FilterDoc(name, "string", Description: description), path);

    /// <summary><c>datasets=a,b</c>: insertions linked, for every name, to a dataset of that name with qc at most <c>dataset_qc_lte</c> (default FAIL).</summary>
    sealed class DatasetsFilter : IFilter<ProbeInsertion>
    {
        public FilterDoc Doc { get; } = new("datasets", "string", Description: "Comma-separated dataset names: insertions linked to all of them.");

        public ValueTask<IQueryable<ProbeInsertion>> ApplyAsync(FilterContext context, IQueryable<ProbeInsertion> query, IReadOnlyList<string> values,
            ErrorMap errors)
        {
            var threshold = QcCodes.Fail;
            if (context.Last("dataset_qc_lte") is { } raw)
            {
                if (QcCodes.FromLabelOrCode(raw) is not { } given) return ValueTask.FromResult(query); // reported by the dataset_qc_lte filter
                threshold = given;
            }
            foreach (var name in Names(values[^1])) query = query.Where(p => p.Datasets.Any(d => d.Name == name && d.Qc <= threshold));
            return ValueTask.FromResult(query);
        }
    }

    /// <summary><c>dataset_qc_lte</c> alone: insertions linked to any dataset at or below the QC level; with <c>datasets</c>, only its threshold.</summary>
    sealed class DatasetQcFilter : IFilter<ProbeInsertion>
    {
        public FilterDoc Doc { get; } = new("dataset_qc_lte", "string", Description: "QC label or code: linked datasets at or below it.");

        public ValueTask<IQueryable<ProbeInsertion>> ApplyAsync(FilterContext context, IQueryable<ProbeInsertion> query, IReadOnlyList<string> values,
            ErrorMap errors)
        {
            // The original answers an invalid level with a 500.
            if (QcCodes.FromLabelOrCode(values[^1]) is not { } threshold)
            {
                errors.Add("dataset_qc_lte", SessionFilters.QcThresholdMessage);
                return ValueTask.FromResult(query);
            }
            if (context.Parameters.ContainsKey("datasets")) return ValueTask.FromResult(query);
            return ValueTask.FromResult(query.Where(p => p.Datasets.Any(d => d.Qc <= threshold)));
        }
    }
}
