using Alyx.Filtering;
using Alyx.Http;

namespace Alyx.Jobs;

/// <summary>
/// The C# twin of TaskFilter in alyx/jobs/views.py (spec 50 §3.4): the generated column filters (session, data_repository and
/// parents by UUID, name, graph, executable, numbers, datetime...), <c>lab</c>, <c>status</c> by label, <c>arguments</c> and
/// <c>django=</c>. The original answers an unknown status label with a 500; here it is a 400 naming the choices.
/// </summary>
static class TaskFilters
{
    public static FilterSet<PipelineTask> Create() => new FilterSet<PipelineTask>()
        .Generated()
        .Add(new LookupFilter<PipelineTask>(new FilterDoc("lab", "string", Description: "Lab name of the task's session."), "session__lab__name"))
        .Add(new StatusFilter())
        // BaseFilterSet turns the exact lookup of a JSON field into a CharFilter: the value is compared with the JSON as a string.
        .Add(new FilterDoc("arguments", "string", Description: "Arguments equal to this JSON string."), (q, raw, _) =>
        {
            // Stored as written by the serializer (compact JSON), so the string's JSON text is what an equal value holds.
            var json = System.Text.Json.Nodes.JsonValue.Create(raw.Trim()).ToJsonString();
            return q.Where(t => t.Arguments == json);
        })
        .Django();

    /// <summary>BaseFilterSet.enum_field_filter: a label in any case, blanks around ignored.</summary>
    sealed class StatusFilter : IFilter<PipelineTask>
    {
        public FilterDoc Doc { get; } = new("status", "string", Enum: TaskStatusCodes.Labels, Description: "Status label (any case).");

        public ValueTask<IQueryable<PipelineTask>> ApplyAsync(FilterContext context, IQueryable<PipelineTask> query, IReadOnlyList<string> values,
            ErrorMap errors)
        {
            if (TaskStatusCodes.FromAnyCaseLabel(values[^1]) is not { } code)
            {
                errors.Add("status", TaskStatusCodes.ChoicesMessage);
                return ValueTask.FromResult(query);
            }
            return ValueTask.FromResult(query.Where(t => t.Status == code));
        }
    }
}
