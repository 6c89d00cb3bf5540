using System.Globalization;
using System.Text.Json;
using Alyx.Auth;
using Alyx.Database;
using Alyx.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Admin.Actions;

/// <summary>A lab's row of the status overview.</summary>
public sealed record TaskStatusLab(string Name, int Queued, DateTime? LastJobActivity, DateTime? LastSessionDate, string? Ibllib, double? SpaceLeftTb);

/// <summary>A task shown in a session's row: the first of its name, by time.</summary>
public sealed record TaskStatusCell(Guid Id, int Status);

/// <summary>A session's row of a graph's status table; <see cref="Tasks"/> by task name.</summary>
public sealed record TaskStatusSession(Guid Id, string Text, string TaskProtocol, int Qc, IReadOnlyDictionary<string, TaskStatusCell> Tasks);

/// <summary>A project of the filter form.</summary>
public sealed record TaskStatusProject(Guid Id, string Name, bool Selected);

/// <summary>Everything one status page shows.</summary>
public sealed record TaskStatusModel(
    IReadOnlyList<string> Graphs,
    IReadOnlyList<TaskStatusLab> Labs,
    IReadOnlyList<TaskStatusProject> Projects,
    string? Graph,
    string? Lab,
    IReadOnlyList<string> TaskNames,
    IReadOnlyList<TaskStatusSession> Sessions,
    int Count,
    int Page,
    int Pages);

/// <summary>
/// The pipeline status pages (Alyx: jobs/views.py TasksStatusView, spec 50 §5) under <c>/admin-tasks/status</c>:
/// <c>/admin-tasks/status</c> (graphs and labs), <c>/&lt;graph&gt;</c> and <c>/&lt;graph&gt;/&lt;lab&gt;</c> (the sessions having a
/// task of the graph, 50 a page, <c>?projects=&lt;uuid&gt;</c> repeatable). Unlike the original, which serves them to anyone,
/// they need an active staff user's session (the admin's rule). A fixed number of queries whatever the number of labs,
/// sessions and tasks: the labs' counts in one, the graph's sessions in two (count and page) and their tasks in one.
/// </summary>
public static class TaskStatusView
{
    public const int PageSize = 50;

    /// <summary>Django's colours of the task statuses (spec 50 §2).</summary>
    public static string Colour(int status) => status switch
    {
        20 => "#79aec8",
        25 => "Purple",
        30 => "Black",
        40 => "Tomato",
        45 => "Maroon",
        50 => "Orange",
        55 => "DarkBlue",
        60 => "MediumSeaGreen",
        _ => "Gray",
    };

    /// <summary>The status label, or the code itself when it has none (the column default 10).</summary>
    public static string Label(int status) =>
        TaskStatusCodes.All.FirstOrDefault(s => s.Code == status).Label ?? status.ToString(CultureInfo.InvariantCulture);

    public static IEndpointRouteBuilder MapTaskStatusPages(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/admin-tasks/status").RequireAuthorization(AlyxPolicy.Admin);
        group.MapGet("", (HttpContext http, AlyxDb db, CancellationToken ct) => PageAsync(http, db, null, null, ct));
        group.MapGet("/{graph}", (HttpContext http, AlyxDb db, string graph, CancellationToken ct) => PageAsync(http, db, graph, null, ct));
        group.MapGet("/{graph}/{lab}", (HttpContext http, AlyxDb db, string graph, string lab, CancellationToken ct) => PageAsync(http, db, graph, lab, ct));
        return routes;
    }

    static async Task<IResult> PageAsync(HttpContext http, AlyxDb db, string? graph, string? lab, CancellationToken ct)
    {
        var page = int.TryParse(http.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p >= 1 ? p : 1;
        var projects = http.Request.Query["projects"].Select(v => Guid.TryParse(v, out var id) ? id : (Guid?)null).OfType<Guid>().Distinct().ToList();
        var model = await LoadAsync(db, graph, lab, projects, page, ct);
        return AdminForms.Page<TaskStatusPage>(http, new { Model = model });
    }

    public static async Task<TaskStatusModel> LoadAsync(AlyxDb db, string? graph, string? lab, IReadOnlyList<Guid> projects, int page,
        CancellationToken ct)
    {
        var tasks = db.Set<PipelineTask>().AsNoTracking();
        var graphs = await tasks.Where(t => t.Graph != null && t.Graph != "").Select(t => t.Graph!).Distinct().OrderBy(g => g).ToListAsync(ct);

        // One query: every lab with its queued tasks, last task time and last session with tasks.
        var labRows = await db.Labs.AsNoTracking().OrderBy(l => l.Name).Select(l => new
        {
            l.Name,
            l.Json,
            Queued = tasks.Count(t => t.Status == TaskStatusCodes.Waiting && t.Session!.LabId == l.Id),
            LastJob = tasks.Where(t => t.Session!.LabId == l.Id).Max(t => (DateTime?)t.Datetime),
            LastSession = db.Sessions.Where(s => s.LabId == l.Id && s.Tasks.Any()).Max(s => s.StartTime),
        }).ToListAsync(ct);
        var labs = labRows.Select(l =>
        {
            var (ibllib, raid) = LabJson(l.Json);
            return new TaskStatusLab(l.Name, l.Queued, l.LastJob, l.LastSession, ibllib, raid is { } r ? Math.Round(r / 1000, 1) : null);
        }).ToList();
        var projectRows = await db.Projects.AsNoTracking().OrderBy(x => x.Name).Select(x => new { x.Id, x.Name }).ToListAsync(ct);
        var projectList = projectRows.Select(x => new TaskStatusProject(x.Id, x.Name, projects.Contains(x.Id))).ToList();

        if (graph is null) return new TaskStatusModel(graphs, labs, projectList, null, null, [], [], 0, 1, 1);

        var sessions = db.Sessions.AsNoTracking().Where(s => s.Qc != 50 && s.Tasks.Any(t => t.Graph == graph));
        if (lab is not null) sessions = sessions.Where(s => s.Lab!.Name == lab);
        if (projects.Count > 0)
        {
            var ids = projects.ToList();
            sessions = sessions.Where(s => s.Projects.Any(x => ids.Contains(x.Id)));
        }
        var count = await sessions.CountAsync(ct);
        var pages = Math.Max(1, (count + PageSize - 1) / PageSize);
        page = Math.Min(page, pages);
        var rows = await sessions.OrderByDescending(s => s.StartTime).ThenBy(s => s.Id).Skip((page - 1) * PageSize).Take(PageSize)
            .Select(s => new { s.Id, Nickname = s.Subject!.Nickname, s.StartTime, s.Number, s.TaskProtocol, s.Qc }).ToListAsync(ct);
        // The graph's task names over the sessions that are not CRITICAL; the page's tasks of the graph in the same query.
        var names = await tasks.Where(t => t.Graph == graph && t.Name != null && t.Session != null && t.Session.Qc != 50)
            .Select(t => t.Name!).Distinct().OrderBy(n => n).ToListAsync(ct);
        var pageIds = rows.Select(r => (Guid?)r.Id).ToList();
        var cells = await tasks.Where(t => t.Graph == graph && t.Name != null && pageIds.Contains(t.SessionId))
            .OrderBy(t => t.Datetime).ThenBy(t => t.Id).Select(t => new { t.Id, t.SessionId, Name = t.Name!, t.Status }).ToListAsync(ct);
        var bySession = cells.GroupBy(c => c.SessionId!.Value).ToDictionary(g => g.Key,
            g => (IReadOnlyDictionary<string, TaskStatusCell>)g.GroupBy(c => c.Name, StringComparer.Ordinal)
                .ToDictionary(n => n.Key, n => new TaskStatusCell(n.First().Id, n.First().Status), StringComparer.Ordinal));
        var list = rows.Select(r => new TaskStatusSession(r.Id, SessionText(r.Id, r.Nickname, r.StartTime, r.Number), r.TaskProtocol, r.Qc,
            bySession.GetValueOrDefault(r.Id) ?? new Dictionary<string, TaskStatusCell>())).ToList();
        return new TaskStatusModel(graphs, labs, projectList, graph, lab, names, list, count, page, pages);
    }

    /// <summary>Alyx's Session.__str__: <c>&lt;uuid&gt; &lt;subject&gt;/&lt;YYYY-MM-DD&gt;/&lt;NNN&gt;</c>.</summary>
    static string SessionText(Guid id, string nickname, DateTime? start, int? number) =>
        $"{id} {nickname}/{(start is { } s ? s.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : "None")}/"
        + (number is { } n ? n.ToString("000", CultureInfo.InvariantCulture) : "None");

    /// <summary>The lab's <c>json.ibllib_version</c> and <c>json.raid_available</c> (GB), when present.</summary>
    static (string? Ibllib, double? Raid) LabJson(string? json)
    {
        if (string.IsNullOrEmpty(json)) return (null, null);
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return (null, null);
            string? ibllib = doc.RootElement.TryGetProperty("ibllib_version", out var v) && v.ValueKind != JsonValueKind.Null
                ? (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText())
                : null;
            double? raid = doc.RootElement.TryGetProperty("raid_available", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetDouble() : null;
            return (ibllib, raid);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }
}
