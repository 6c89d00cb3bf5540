using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>A session in <c>/sessions</c> lists: the light shape without json, qc, users or nested rows (quirk Q-3).</summary>
public sealed record SessionListItem(
    Guid Id,
    string Subject,
    DateTime? StartTime,
    int? Number,
    string? Lab,
    List<string> Projects,
    string Url,
    string TaskProtocol);

/// <summary>A water administration nested in the session detail (<c>wateradmin_session_related</c>).</summary>
public sealed record SessionWaterAdministration(Guid Id, string Name, string? WaterType, double? WaterAdministered);

/// <summary>A dataset nested in the session detail (<c>data_dataset_session_related</c>).</summary>
public sealed record SessionDataset(
    Guid Id,
    string Name,
    string? DatasetType,
    string? DataUrl,
    string Url,
    long? FileSize,
    string Hash,
    string Version,
    string Collection,
    string Revision,
    string DefaultRevision,
    string Qc);

/// <summary>/sessions/{id} and the POST /sessions response.</summary>
public sealed record SessionDetail(
    string Subject,
    List<string> Users,
    string? Location,
    List<string> Procedures,
    string? Lab,
    List<string> Projects,
    string? Type,
    string TaskProtocol,
    int? Number,
    DateTime? StartTime,
    DateTime? EndTime,
    string Narrative,
    string? ParentSession,
    int? NCorrectTrials,
    int? NTrials,
    string Url,
    [property: JsonConverter(typeof(RawJsonConverter))] string? ExtendedQc,
    string Qc,
    List<SessionWaterAdministration> WateradminSessionRelated,
    List<SessionDataset> DataDatasetSessionRelated,
    DateTime? AutoDatetime,
    Guid Id,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json,
    List<Experiments.InsertionListItem> ProbeInsertion,
    List<System.Text.Json.Nodes.JsonObject> FieldOfView,
    List<NoteItem> Notes) : IHasUrl;

/// <summary>The session row as read from the database for the detail; nested rows are read by separate set-based queries.</summary>
sealed record SessionRow(
    Guid Id,
    string Subject,
    List<string> Users,
    string? Location,
    List<string> Procedures,
    string? Lab,
    List<string> Projects,
    string? Type,
    string TaskProtocol,
    int? Number,
    DateTime? StartTime,
    DateTime? EndTime,
    string Narrative,
    Guid? ParentSession,
    int? NCorrectTrials,
    int? NTrials,
    string? ExtendedQc,
    int Qc,
    DateTime? AutoDatetime,
    string? Json,
    List<SessionWaterAdministration> WaterAdministrations);

static class SessionDtos
{
    public static readonly Serializer List = new("SessionList",
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        new Field("subject", FieldKind.Slug) { ReadOnly = true },
        new Field("start_time", FieldKind.DateTime) { ReadOnly = true, Nullable = true },
        new Field("number", FieldKind.Integer) { ReadOnly = true, Nullable = true },
        new Field("lab", FieldKind.Slug) { ReadOnly = true, Nullable = true },
        new Field("projects", FieldKind.SlugList) { ReadOnly = true },
        new Field("url", FieldKind.String) { ReadOnly = true, Format = "uri" },
        new Field("task_protocol", FieldKind.String) { ReadOnly = true });

    public static readonly Serializer Detail = new("SessionDetail",
        new Field("subject", FieldKind.Slug) { Required = true },
        new Field("users", FieldKind.SlugList),
        new Field("location", FieldKind.Slug) { Nullable = true },
        new Field("procedures", FieldKind.SlugList),
        new Field("lab", FieldKind.Slug),
        new Field("projects", FieldKind.SlugList),
        new Field("type", FieldKind.String) { Nullable = true, MaxLength = 255 },
        new Field("task_protocol", FieldKind.String) { MaxLength = 1023 },
        new Field("number", FieldKind.Integer) { Nullable = true },
        new Field("start_time", FieldKind.DateTime) { Nullable = true },
        new Field("end_time", FieldKind.DateTime) { Nullable = true },
        new Field("narrative", FieldKind.String),
        new Field("parent_session", FieldKind.String) { Nullable = true, Format = "uri", Description = "URL of the parent session." },
        new Field("n_correct_trials", FieldKind.Integer) { Nullable = true },
        new Field("n_trials", FieldKind.Integer) { Nullable = true },
        new Field("url", FieldKind.String) { ReadOnly = true, Format = "uri" },
        new Field("extended_qc", FieldKind.Json) { Nullable = true },
        new Field("qc", FieldKind.Choice) { Choices = QcCodes.Labels, AllowBlank = false, ChoiceMessage = QcCodes.ChoicesMessage },
        new Field("wateradmin_session_related", FieldKind.Json) { ReadOnly = true, ReadType = "array" },
        new Field("data_dataset_session_related", FieldKind.Json) { ReadOnly = true, ReadType = "array" },
        new Field("auto_datetime", FieldKind.DateTime) { ReadOnly = true, Nullable = true },
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        new Field("json", FieldKind.Json) { Nullable = true, Description = "Structured data, formatted in a user-defined way" },
        new Field("probe_insertion", FieldKind.Json) { ReadOnly = true, ReadType = "array" },
        new Field("field_of_view", FieldKind.Json) { ReadOnly = true, ReadType = "array" },
        new Field("notes", FieldKind.Json) { ReadOnly = true, ReadType = "array" });

    public static string Url(string root, Guid id) => root + "/sessions/" + id.ToString("D");

    public static Expression<Func<Session, SessionListItem>> ListItem(HttpRequest req)
    {
        var root = ApiUrls.Root(req) + "/sessions/";
        return s => new SessionListItem(s.Id, s.Subject!.Nickname, s.StartTime, s.Number, s.Lab == null ? null : s.Lab.Name,
            s.Projects.Select(p => p.Name).ToList(), root + s.Id, s.TaskProtocol);
    }

    /// <summary>
    /// <see cref="ListItem"/> on PostgreSQL without the projects (an empty list, filled by <see cref="EnrichProjectsAsync"/>).
    /// Nested in the page's statement, PostgreSQL's planner hashed the whole link table (every session's projects) to join a page
    /// of 100 (1.3 ms of its 2.0 ms at scale 1), and planned that five-table join again for each request.
    /// </summary>
    public static Expression<Func<Session, SessionListItem>> ListItemWithoutProjects(HttpRequest req)
    {
        var root = ApiUrls.Root(req) + "/sessions/";
        return s => new SessionListItem(s.Id, s.Subject!.Nickname, s.StartTime, s.Number, s.Lab == null ? null : s.Lab.Name,
            new List<string>(), root + s.Id, s.TaskProtocol);
    }

    sealed record SessionProjectName(Guid SessionId, string Name);

    static readonly Func<AlyxDb, Guid[], IAsyncEnumerable<SessionProjectName>> ProjectsOfSessions =
        EF.CompileAsyncQuery((AlyxDb db, Guid[] ids) => db.Set<Dictionary<string, object>>("actions_session_projects")
            .Where(x => ids.Contains(EF.Property<Guid>(x, "session_id")))
            .Join(db.Projects, x => EF.Property<Guid>(x, "project_id"), p => p.Id, (x, p) => new { SessionId = EF.Property<Guid>(x, "session_id"), p.Id, p.Name })
            .OrderBy(x => x.SessionId).ThenBy(x => x.Id)
            .Select(x => new SessionProjectName(x.SessionId, x.Name)));

    /// <summary>
    /// The projects of a page of <see cref="ListItemWithoutProjects"/> rows in one compiled statement on their ids (index probes
    /// on the link table's key), each session's in project id order, as the nested collection was.
    /// </summary>
    public static async Task EnrichProjectsAsync(AlyxDb db, List<SessionListItem> rows, CancellationToken ct)
    {
        var byId = new Dictionary<Guid, List<string>>(rows.Count);
        foreach (var row in rows) byId.TryAdd(row.Id, row.Projects);
        await foreach (var link in ProjectsOfSessions(db, [.. byId.Keys]).WithCancellation(ct))
        {
            if (byId.TryGetValue(link.SessionId, out var names)) names.Add(link.Name);
        }
    }

    /// <summary>The session's row and the names of its references, without collections: one indexed row.</summary>
    static readonly Func<AlyxDb, Guid, CancellationToken, Task<SessionRow?>> DetailRow =
        EF.CompileAsyncQuery((AlyxDb db, Guid id, CancellationToken ct) => db.Sessions.AsNoTracking()
            .Where(s => s.Id == id)
            .Select(s => new SessionRow(
                s.Id,
                s.Subject!.Nickname,
                new List<string>(),
                s.Location == null ? null : s.Location.Name,
                new List<string>(),
                s.Lab == null ? null : s.Lab.Name,
                new List<string>(),
                s.Type,
                s.TaskProtocol,
                s.Number,
                s.StartTime,
                s.EndTime,
                s.Narrative,
                s.ParentSessionId,
                s.NCorrectTrials,
                s.NTrials,
                s.ExtendedQc,
                s.Qc,
                s.AutoDatetime,
                s.Json,
                new List<SessionWaterAdministration>()))
            .FirstOrDefault());

    static readonly Func<AlyxDb, Guid, IAsyncEnumerable<string>> DetailUsers =
        EF.CompileAsyncQuery((AlyxDb db, Guid id) => db.Sessions.Where(s => s.Id == id).SelectMany(s => s.Users)
            .OrderBy(u => u.Username).Select(u => u.Username));

    // Procedures and projects in the order of their link tables' keys (session, then the linked row's id), as the nested
    // collections of the original query came.
    static readonly Func<AlyxDb, Guid, IAsyncEnumerable<string>> DetailProcedures =
        EF.CompileAsyncQuery((AlyxDb db, Guid id) => db.Sessions.Where(s => s.Id == id).SelectMany(s => s.Procedures)
            .OrderBy(p => p.Id).Select(p => p.Name));

    static readonly Func<AlyxDb, Guid, IAsyncEnumerable<string>> DetailProjects =
        EF.CompileAsyncQuery((AlyxDb db, Guid id) => db.Sessions.Where(s => s.Id == id).SelectMany(s => s.Projects)
            .OrderBy(p => p.Id).Select(p => p.Name));

    static readonly Func<AlyxDb, Guid, IAsyncEnumerable<SessionWaterAdministration>> DetailWaterAdministrations =
        EF.CompileAsyncQuery((AlyxDb db, Guid id) => db.Set<WaterAdministration>().AsNoTracking()
            .Where(w => w.SessionId == id).OrderBy(w => w.DateTime).ThenBy(w => w.Id)
            .Select(w => new SessionWaterAdministration(w.Id, w.Name, w.WaterType == null ? null : w.WaterType.Name, w.WaterAdministered)));

    /// <summary>The session with its to-many names, in up to five compiled statements on its id (row, users, procedures, projects, water).</summary>
    /// <remarks>
    /// <paramref name="created"/>: the session as this request has just created it (the context's tracked entity). Its water
    /// administrations (written by other requests, which cannot name it before it is answered) are none, and not read; a list of
    /// users, procedures or projects that it was written with holds the rows, so one of at most one row is answered from them
    /// (the name the statement would read, and the order of one), a longer one is read in the statement's order.
    /// </remarks>
    public static async Task<SessionRow?> ReadRowAsync(AlyxDb db, Guid id, CancellationToken ct, Session? created = null)
    {
        var row = await DetailRow(db, id, ct);
        if (row is null) return null;
        return row with
        {
            Users = created is { Users.Count: <= 1 } ? [.. created.Users.Select(u => u.Username)] : await ListAsync(DetailUsers(db, id), ct),
            Procedures = created is { Procedures.Count: <= 1 } ? [.. created.Procedures.Select(p => p.Name)] : await ListAsync(DetailProcedures(db, id), ct),
            Projects = created is { Projects.Count: <= 1 } ? [.. created.Projects.Select(p => p.Name)] : await ListAsync(DetailProjects(db, id), ct),
            WaterAdministrations = created is not null ? [] : await ListAsync(DetailWaterAdministrations(db, id), ct),
        };
    }

    public static async Task<List<TItem>> ListAsync<TItem>(IAsyncEnumerable<TItem> items, CancellationToken ct)
    {
        var list = new List<TItem>();
        await foreach (var item in items.WithCancellation(ct)) list.Add(item);
        return list;
    }

    public static SessionDetail ToDetail(SessionRow r, string root, List<SessionDataset> datasets, List<Experiments.InsertionListItem> insertions,
        List<NoteItem> notes) => new(
        r.Subject, r.Users, r.Location, r.Procedures, r.Lab, r.Projects, r.Type, r.TaskProtocol, r.Number, r.StartTime, r.EndTime,
        r.Narrative, r.ParentSession is { } parent ? Url(root, parent) : null, r.NCorrectTrials, r.NTrials, Url(root, r.Id), r.ExtendedQc,
        QcCodes.Label(r.Qc), r.WaterAdministrations, datasets, r.AutoDatetime, r.Id, r.Json, insertions, [], notes);
}
