using System.Text.Json.Nodes;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Jobs;

/// <summary>
/// /tasks and /tasks/{id} (Alyx: jobs TaskList / TaskDetail, spec 50 §3). Differences from the original, all fixes of its
/// 500s: a task created without a status is Waiting (the model's default 10 has no label), a stored code without a label
/// is rendered as null, an unknown status in the list filter is a 400, and a task cannot become its own ancestor.
/// </summary>
static class TasksApi
{
    static readonly Lazy<FilterSet<PipelineTask>> Filters = new(TaskFilters.Create);

    public static void MapTasksApi(this IEndpointRouteBuilder routes)
    {
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        new Resource<PipelineTask, TaskItem>
        {
            Path = "tasks",
            Model = "Task",
            Serializer = TaskDtos.Detail,
            CreateSerializer = TaskDtos.Create,
            Ordered = Ordered,
            Item = TaskDtos.Item,
            Filters = Filters.Value,
            ForUpdate = q => q.Include(t => t.Parents),
            Defaults = w => w.Entity.Status = TaskStatusCodes.Waiting,
            Write = WriteAsync,
            BeforeSave = async w =>
            {
                await UniqueAsync(w);
                // auto_now: every save, status updates included.
                w.Entity.Datetime = clock.Now;
            },
            ListDescription = "Pipeline tasks, ordered by level, then priority (highest first), then session start (newest first).",
        }.Map(routes);
    }

    /// <summary>Django's order_by('level', '-priority', '-session__start_time'), read from an index (<see cref="TaskOrder"/>).</summary>
    static IQueryable<PipelineTask> Ordered(AlyxDb db) => db.WithCollections(TaskOrder.Apply(db, db.Set<PipelineTask>()));

    static async Task WriteAsync(ResourceWrite<PipelineTask> w)
    {
        foreach (var field in TaskDtos.SmallIntegers)
        {
            if (w.Data.TryGet<int>(field, out var v) && w.Data.Get<object>(field) is not null)
            {
                if (v > TaskDtos.SmallMax) w.Errors.Add(field, $"Ensure this value is less than or equal to {TaskDtos.SmallMax}.");
                else if (v < TaskDtos.SmallMin) w.Errors.Add(field, $"Ensure this value is greater than or equal to {TaskDtos.SmallMin}.");
            }
        }
        w.Value<string?>("name", (t, v) => t.Name = v)
            .Value<int?>("priority", (t, v) => t.Priority = v)
            .Value<int?>("io_charge", (t, v) => t.IoCharge = v)
            .Value<int?>("level", (t, v) => t.Level = v)
            .Value<int?>("gpu", (t, v) => t.Gpu = v)
            .Value<int?>("cpu", (t, v) => t.Cpu = v)
            .Value<int?>("ram", (t, v) => t.Ram = v)
            .Value<int?>("time_out_secs", (t, v) => t.TimeOutSecs = v)
            .Value<double?>("time_elapsed_secs", (t, v) => t.TimeElapsedSecs = v)
            .Value<string?>("executable", (t, v) => t.Executable = v)
            .Value<string?>("graph", (t, v) => t.Graph = v)
            .Value<string?>("log", (t, v) => t.Log = v)
            .Value<string?>("version", (t, v) => t.Version = v)
            .Value<string?>("arguments", (t, v) => t.Arguments = v);
        if (w.Data.TryGet<string>("status", out var status) && status is not null) w.Entity.Status = TaskStatusCodes.FromLabel(status)!.Value;
        if (w.Data.TryGet<string>("session", out var session))
        {
            if (session is null) w.Entity.SessionId = null;
            else if (await ExistingIdAsync(w, "session", session, w.Db.Sessions.Select(s => s.Id)) is { } id) w.Entity.SessionId = id;
        }
        await w.RefAsync("data_repository", w.Db.DataRepositories, r => r.Name, "name", (t, r) => t.DataRepositoryId = r!.Id);
        if (w.Data.TryGet<List<string>>("parents", out var parents)) await ParentsAsync(w, parents ?? []);
    }

    /// <summary>A SlugRelatedField(slug_field='id') value: Django's message for a malformed UUID, DRF's for a missing row.</summary>
    static async Task<Guid?> ExistingIdAsync(ResourceWrite<PipelineTask> w, string field, string value, IQueryable<Guid> ids)
    {
        if (!Guid.TryParse(value.Trim(), out var id))
        {
            w.Errors.Add(field, $"“{value}” is not a valid UUID.");
            return null;
        }
        if (!await ids.AnyAsync(i => i == id, w.Ct))
        {
            w.Errors.Add(field, $"Object with id={value} does not exist.");
            return null;
        }
        return id;
    }

    /// <summary>
    /// The parents replace the stored set. DRF stops at the first bad item. A parent that is the task itself or one of its
    /// descendants would make the task its own ancestor: refused (the original stores the cycle).
    /// </summary>
    static async Task ParentsAsync(ResourceWrite<PipelineTask> w, List<string> values)
    {
        var ids = new List<Guid>();
        foreach (var value in values)
        {
            if (await ExistingIdAsync(w, "parents", value, w.Db.Set<PipelineTask>().Select(t => t.Id)) is not { } id) return;
            if (!ids.Contains(id)) ids.Add(id);
        }
        if (!w.Creating && ids.Count > 0)
        {
            var descendants = await DescendantsAsync(w.Db, w.Entity.Id, w.Ct);
            if (ids.FirstOrDefault(descendants.Contains) is var cycle && cycle != Guid.Empty)
            {
                w.Errors.Add("parents", cycle == w.Entity.Id
                    ? "A task cannot be its own parent."
                    : $"Task {cycle} depends on this task: it cannot be one of its parents (a task cannot be its own ancestor).");
                return;
            }
        }
        var rows = await w.Db.Set<PipelineTask>().Where(t => ids.Contains(t.Id)).ToListAsync(w.Ct);
        w.Entity.Parents = rows;
    }

    /// <summary>The task and every task that depends on it, directly or not: one query per generation of the graph.</summary>
    internal static async Task<HashSet<Guid>> DescendantsAsync(AlyxDb db, Guid id, CancellationToken ct)
    {
        var seen = new HashSet<Guid> { id };
        var frontier = new List<Guid> { id };
        while (frontier.Count > 0)
        {
            var current = frontier;
            var children = await db.Set<PipelineTask>().Where(c => c.Parents.Any(p => current.Contains(p.Id))).Select(c => c.Id).ToListAsync(ct);
            frontier = children.Where(seen.Add).ToList();
        }
        return seen;
    }

    /// <summary>
    /// UniqueTogetherValidator(name, session, arguments): only when none of the three is null (NULLs are distinct in the
    /// database's constraint); arguments compare as JSON values.
    /// </summary>
    static async Task UniqueAsync(ResourceWrite<PipelineTask> w)
    {
        var t = w.Entity;
        if (t.Name is null || t.SessionId is null || t.Arguments is null) return;
        var candidates = await w.Db.Set<PipelineTask>().Where(o => o.Id != t.Id && o.Name == t.Name && o.SessionId == t.SessionId && o.Arguments != null)
            .Select(o => o.Arguments!).ToListAsync(w.Ct);
        var arguments = JsonNode.Parse(t.Arguments);
        if (candidates.Exists(c => JsonNode.DeepEquals(JsonNode.Parse(c), arguments))) w.Errors.Add("non_field_errors", TaskDtos.UniqueMessage);
    }
}
