using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>/sessions and /sessions/{id} (Alyx: actions SessionAPIList / SessionAPIDetail, spec 20 §6.1-6.2).</summary>
static class SessionsApi
{
    static readonly Lazy<Filtering.FilterSet<Session>> Filters = new(SessionFilters.Create);

    public static void MapSessionsApi(this IEndpointRouteBuilder routes)
    {
        routes.Resource("sessions", "id", uuidLookup: true)
            .List(Ordered,
                SessionDtos.ListItem, SessionDtos.List, Filters.Value)
            .Create(CreateAsync, SessionDtos.Detail)
            .Retrieve(GetAsync, SessionDtos.Detail)
            .Update((Guid id, HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct) => UpdateAsync(id, req, db, clock, false, ct),
                SessionDtos.Detail)
            .PartialUpdate((Guid id, HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct) => UpdateAsync(id, req, db, clock, true, ct),
                SessionDtos.Detail)
            // The database cascades datasets (tag-protected ones included, quirk Q-34) and nulls water administrations and children.
            .Destroy((db, id) => db.Sessions.Where(s => s.Id == Guid.Parse(id)), "Session");
    }

    /// <summary>
    /// start_time descending with NULLs first, as PostgreSQL sorts them (there a plain descending order does it and can walk the
    /// start_time index backwards; SQLite puts NULLs last, so it is told); id breaks ties for stable pages.
    /// </summary>
    static IOrderedQueryable<Session> Ordered(AlyxDb db) => db.Provider == DatabaseProvider.Postgres
        ? db.Sessions.OrderByDescending(s => s.StartTime).ThenBy(s => s.Id)
        : db.Sessions.OrderBy(s => s.StartTime == null ? 0 : 1).ThenByDescending(s => s.StartTime).ThenBy(s => s.Id);

    static async Task<IResult> GetAsync(Guid id, HttpRequest req, AlyxDb db, CancellationToken ct)
    {
        var detail = await ReadDetailAsync(db, req, id, ct);
        return detail is null ? AlyxResults.NotFound("Session") : AlyxResults.Ok(detail);
    }

    /// <summary>The detail in four set-based queries: the session with its to-many names, its datasets, its probe insertions, its notes.</summary>
    static async Task<SessionDetail?> ReadDetailAsync(AlyxDb db, HttpRequest req, Guid id, CancellationToken ct)
    {
        var row = await db.WithCollections(db.Sessions.AsNoTracking()).Where(s => s.Id == id).Select(SessionDtos.Row).SingleOrDefaultAsync(ct);
        if (row is null) return null;
        var root = ApiUrls.Root(req);
        var datasets = await SessionDatasets.ReadAsync(db, root, id, ct);
        // Unordered upstream (no model ordering): by name here.
        var insertions = await db.ProbeInsertions.AsNoTracking().AsSplitQuery().Where(p => p.SessionId == id).OrderBy(p => p.Name).ThenBy(p => p.Id)
            .Select(Experiments.InsertionDtos.ListItem).ToListAsync(ct);
        var notes = await db.Notes.AsNoTracking().Where(n => n.ObjectId == id).OrderBy(n => n.DateTime).ThenBy(n => n.Id)
            .Select(NotesApi.Item(req)).ToListAsync(ct);
        return SessionDtos.ToDetail(row, root, datasets, insertions, notes);
    }

    static async Task<IResult> CreateAsync(HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct)
    {
        var session = new Session();
        var error = await SessionWrite.ApplyAsync(session, req, db, clock, partial: false, creating: true, ct);
        if (error is not null) return error;
        var detail = (await ReadDetailAsync(db, req, session.Id, ct))!;
        return AlyxResults.Created(detail, detail.Url);
    }

    static async Task<IResult> UpdateAsync(Guid id, HttpRequest req, AlyxDb db, AlyxClock clock, bool partial, CancellationToken ct)
    {
        var session = await db.Sessions.Include(s => s.Users).Include(s => s.Projects).Include(s => s.Procedures).AsSplitQuery()
            .SingleOrDefaultAsync(s => s.Id == id, ct);
        if (session is null) return AlyxResults.NotFound("Session");
        var error = await SessionWrite.ApplyAsync(session, req, db, clock, partial, creating: false, ct);
        if (error is not null) return error;
        return AlyxResults.Ok((await ReadDetailAsync(db, req, session.Id, ct))!);
    }
}
