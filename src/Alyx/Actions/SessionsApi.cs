using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>
/// /sessions and /sessions/{id} (Alyx: actions SessionAPIList / SessionAPIDetail, spec 20 §6.1-6.2). A DELETE leaves the rest to the
/// database: it cascades datasets (tag-protected ones included, quirk Q-34) and nulls water administrations and child sessions.
/// </summary>
static class SessionsApi
{
    static readonly Lazy<Filtering.FilterSet<Session>> Filters = new(SessionFilters.Create);

    public static void MapSessionsApi(this IEndpointRouteBuilder routes)
    {
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        var postgres = routes.ServiceProvider.GetRequiredService<DatabaseUrl>().Provider == DatabaseProvider.Postgres;
        new Resource<Session, SessionListItem, SessionDetail>
        {
            Path = "sessions",
            Model = "Session",
            Serializer = SessionDtos.Detail,
            ListSerializer = SessionDtos.List,
            // On SQLite the projects are read by a second query: in the same statement SQLite materialised every session's
            // projects (a LEFT JOIN on a subquery it cannot flatten) to join a page of them, 16 ms at 10,000 sessions. On
            // PostgreSQL too, on the page's ids (SessionDtos.EnrichProjectsAsync).
            Ordered = db => db.WithCollections(Ordered(db)),
            ItemFor = postgres ? SessionDtos.ListItemWithoutProjects : SessionDtos.ListItem,
            Enrich = postgres ? SessionDtos.EnrichProjectsAsync : null,
            ReadDetail = ReadDetailAsync,
            ReadCreated = ReadCreatedAsync,
            Filters = Filters.Value,
            Location = true,
            ForUpdate = q => q.Include(s => s.Users).Include(s => s.Projects).Include(s => s.Procedures).AsSplitQuery(),
            Defaults = w => w.Entity.StartTime = clock.Now,
            Write = WriteAsync,
            // Write and BeforeSave only read (references, the caller, the subject's lab): a create's transaction (and on
            // SQLite the write queue's turn) holds only the inserts.
            CreateChecksOnlyRead = true,
            BeforeSave = async w =>
            {
                var s = w.Entity;
                // Users default to the caller on create when absent or empty (quirk Q-16); on update an empty list empties them.
                if (w.Creating && s.Users.Count == 0) s.Users = [Caller(w)];
                // Session.save: the lab defaults to the subject's whenever it is empty (from the row Write resolved when the
                // body named the subject, else read); auto_datetime is the time of the write.
                s.LabId ??= w.Found is Subjects.Subject subject && subject.Id == s.SubjectId ? subject.LabId
                    : await w.Db.Subjects.Where(x => x.Id == s.SubjectId).Select(x => x.LabId).SingleAsync(w.Ct);
                s.AutoDatetime = clock.Now;
            },
        }.Map(routes);
    }

    /// <summary>
    /// The caller's row for the session's users: the one this context tracks, else a row known by its key and username alone
    /// (attached unchanged, so saving writes only the link; its username is the answer's).
    /// </summary>
    static LabMember Caller(ResourceWrite<Session> w)
    {
        if (w.Db.Users.Local.FindEntry(w.User.Id)?.Entity is { } tracked) return tracked;
        var caller = new LabMember { Id = w.User.Id, Username = w.User.Username };
        w.Db.Users.Attach(caller);
        return caller;
    }

    /// <summary>
    /// start_time descending with NULLs first, as PostgreSQL sorts them (there a plain descending order does it and can walk the
    /// start_time index backwards; SQLite puts NULLs last, so it is told); id breaks ties for stable pages.
    /// </summary>
    static IOrderedQueryable<Session> Ordered(AlyxDb db) => db.Provider == DatabaseProvider.Postgres
        ? db.Sessions.OrderByDescending(s => s.StartTime).ThenBy(s => s.Id)
        : db.Sessions.OrderBy(s => s.StartTime == null ? 0 : 1).ThenByDescending(s => s.StartTime).ThenBy(s => s.Id);

    // Unordered upstream (no model ordering): by name here.
    static readonly Func<AlyxDb, Guid, IAsyncEnumerable<Experiments.InsertionListItem>> Insertions =
        EF.CompileAsyncQuery((AlyxDb db, Guid id) => db.ProbeInsertions.AsNoTracking().AsSplitQuery().Where(p => p.SessionId == id)
            .OrderBy(p => p.Name).ThenBy(p => p.Id).Select(Experiments.InsertionDtos.ListItem));

    static readonly Func<AlyxDb, Guid, string, IAsyncEnumerable<NoteItem>> Notes =
        EF.CompileAsyncQuery(Projections.Inline<Func<AlyxDb, Guid, string, IQueryable<NoteItem>>>((db, id, media) => db.Notes.AsNoTracking().Where(n => n.ObjectId == id)
            .OrderBy(n => n.DateTime).ThenBy(n => n.Id).Select(n => Projections.Expand(NotesApi.MediaItem, n, media))));

    /// <summary>
    /// The detail in compiled statements on the session's id, as many whatever its nested rows: the session and its to-many names,
    /// its datasets and their URLs, its probe insertions, its notes.
    /// </summary>
    static async Task<SessionDetail?> ReadDetailAsync(AlyxDb db, HttpRequest req, Guid id, CancellationToken ct)
    {
        var row = await SessionDtos.ReadRowAsync(db, id, ct);
        if (row is null) return null;
        var root = ApiUrls.Root(req);
        var datasets = await SessionDatasets.ReadAsync(db, root, id, ct);
        var insertions = await SessionDtos.ListAsync(Insertions(db, id), ct);
        var notes = await SessionDtos.ListAsync(Notes(db, id, NotesApi.Media(req)), ct);
        return SessionDtos.ToDetail(row, root, datasets, insertions, notes);
    }

    /// <summary>
    /// The answer of a create: the row in one compiled statement, and the names of its users, procedures and projects from
    /// the rows this request wrote (read when it wrote more than one of a kind). Its water administrations, datasets, probe
    /// insertions and notes are empty: those rows are written by other requests, which cannot name the session before this one
    /// answers (the id is the server's, read-only in the body), so the four statements that read them are not sent.
    /// </summary>
    static async Task<SessionDetail?> ReadCreatedAsync(AlyxDb db, HttpRequest req, Guid id, CancellationToken ct)
    {
        // The context that wrote it tracks it; were it not, the row and its lists are read whole.
        var row = await SessionDtos.ReadRowAsync(db, id, ct, db.Sessions.Local.FindEntry(id)?.Entity);
        return row is null ? null : SessionDtos.ToDetail(row, ApiUrls.Root(req), [], [], []);
    }

    /// <summary>
    /// SessionDetailSerializer's fields: slugs, and <c>parent_session</c> as a hyperlink. PUT requires <c>subject</c> but leaves
    /// omitted fields unchanged, like PATCH.
    /// </summary>
    static async Task WriteAsync(ResourceWrite<Session> w)
    {
        w.Value<string?>("type", (s, v) => s.Type = v).Text("task_protocol", (s, v) => s.TaskProtocol = v)
            .Value<int?>("number", (s, v) => s.Number = v).Value<DateTime?>("start_time", (s, v) => s.StartTime = v)
            .Value<DateTime?>("end_time", (s, v) => s.EndTime = v).Text("narrative", (s, v) => s.Narrative = v)
            .Value<int?>("n_correct_trials", (s, v) => s.NCorrectTrials = v).Value<int?>("n_trials", (s, v) => s.NTrials = v)
            .Value<string?>("extended_qc", (s, v) => s.ExtendedQc = v).Text("qc", (s, v) => s.Qc = QcCodes.FromLabel(v)!.Value);
        w.Found = await w.RefAsync("subject", w.Db.Subjects, s => s.Nickname, "nickname", (s, v) => s.SubjectId = v!.Id);
        await w.RefsAsync("users", w.Db.Users, u => u.Username, "username", (s, v) => s.Users = v);
        await w.RefAsync("location", w.Db.LabLocations, l => l.Name, "name", (s, v) => s.LocationId = v?.Id);
        await w.RefsAsync("procedures", w.Db.ProcedureTypes, p => p.Name, "name", (s, v) => s.Procedures = v);
        await w.RefAsync("lab", w.Db.Labs, l => l.Name, "name", (s, v) => s.LabId = v!.Id);
        await w.RefsAsync("projects", w.Db.Projects, p => p.Name, "name", (s, v) => s.Projects = v);
        if (!w.Data.Has("parent_session")) return;
        var (parent, error) = await Hyperlinks.ResolveAsync(w.Body.Fields["parent_session"], "sessions",
            id => w.Db.Sessions.AnyAsync(s => s.Id == id, w.Ct), nullable: true);
        if (error is not null) w.Errors.Add("parent_session", error);
        else w.Entity.ParentSessionId = parent;
    }
}
