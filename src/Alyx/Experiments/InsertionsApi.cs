using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Experiments;

/// <summary>/insertions and /insertions/{id} (Alyx: experiments ProbeInsertionList / ProbeInsertionDetail, spec 40 §4.1).</summary>
static class InsertionsApi
{
    static readonly Lazy<Filtering.FilterSet<ProbeInsertion>> Filters = new(InsertionFilters.Create);

    public static void MapInsertionsApi(this IEndpointRouteBuilder routes)
    {
        routes.Resource("insertions", "id", uuidLookup: true)
            .List(Ordered, _ => InsertionDtos.ListItem, InsertionDtos.List, Filters.Value)
            .Create(CreateAsync, InsertionDtos.List)
            .Retrieve(GetAsync, InsertionDtos.Detail)
            .Update((Guid id, HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct) => UpdateAsync(id, req, db, clock, false, ct),
                InsertionDtos.Detail)
            .PartialUpdate((Guid id, HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct) => UpdateAsync(id, req, db, clock, true, ct),
                InsertionDtos.Detail)
            // The database cascades the dataset links.
            .Destroy((db, id) => db.ProbeInsertions.Where(p => p.Id == Guid.Parse(id)), "ProbeInsertion");
    }

    /// <summary>
    /// Session start time descending, insertions without a session or start time first (PostgreSQL sorts NULLs first in a
    /// descending order; SQLite is told), then name; id breaks ties for stable pages.
    /// </summary>
    static IOrderedQueryable<ProbeInsertion> Ordered(AlyxDb db) => db.Provider == DatabaseProvider.Postgres
        ? db.ProbeInsertions.AsSplitQuery().OrderByDescending(p => p.Session!.StartTime).ThenBy(p => p.Name).ThenBy(p => p.Id)
        : db.ProbeInsertions.AsSplitQuery().OrderBy(p => p.Session!.StartTime == null ? 0 : 1).ThenByDescending(p => p.Session!.StartTime)
            .ThenBy(p => p.Name).ThenBy(p => p.Id);

    static async Task<IResult> GetAsync(Guid id, HttpRequest req, AlyxDb db, CancellationToken ct)
    {
        var detail = await ReadDetailAsync(db, req, id, ct);
        return detail is null ? AlyxResults.NotFound("ProbeInsertion") : AlyxResults.Ok(detail);
    }

    static async Task<InsertionListItem?> ReadItemAsync(AlyxDb db, Guid id, CancellationToken ct) =>
        await db.ProbeInsertions.AsNoTracking().AsSplitQuery().Where(p => p.Id == id).Select(InsertionDtos.ListItem).SingleOrDefaultAsync(ct);

    /// <summary>The detail: the list shape, with the datasets nested (for an insertion without session, none: a 500 upstream).</summary>
    static async Task<InsertionDetail?> ReadDetailAsync(AlyxDb db, HttpRequest req, Guid id, CancellationToken ct)
    {
        var item = await ReadItemAsync(db, id, ct);
        if (item is null) return null;
        var datasets = item.Session is null ? [] : await InsertionDatasets.ReadAsync(db, ApiUrls.Root(req), item.Session.Value, item.Name, ct);
        return InsertionDtos.ToDetail(item, datasets);
    }

    static async Task<IResult> CreateAsync(HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct)
    {
        var insertion = new ProbeInsertion();
        var error = await InsertionWrite.ApplyAsync(insertion, InsertionDtos.List, req, db, clock, partial: false, creating: true, ct);
        if (error is not null) return error;
        return AlyxResults.Created((await ReadItemAsync(db, insertion.Id, ct))!);
    }

    static async Task<IResult> UpdateAsync(Guid id, HttpRequest req, AlyxDb db, AlyxClock clock, bool partial, CancellationToken ct)
    {
        var insertion = await db.ProbeInsertions.Include(p => p.Datasets).SingleOrDefaultAsync(p => p.Id == id, ct);
        if (insertion is null) return AlyxResults.NotFound("ProbeInsertion");
        var error = await InsertionWrite.ApplyAsync(insertion, InsertionDtos.Detail, req, db, clock, partial, creating: false, ct);
        if (error is not null) return error;
        return AlyxResults.Ok((await ReadDetailAsync(db, req, id, ct))!);
    }
}
