using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Experiments;

/// <summary>
/// /insertions and /insertions/{id} (Alyx: experiments ProbeInsertionList / ProbeInsertionDetail, spec 40 §4.1). POST validates with
/// the list serializer (writable <c>datasets</c>) and answers the list item; PUT and PATCH use the detail serializer. A DELETE leaves
/// the dataset links to the database's cascade.
/// </summary>
static class InsertionsApi
{
    static readonly Lazy<Filtering.FilterSet<ProbeInsertion>> Filters = new(InsertionFilters.Create);

    public static void MapInsertionsApi(this IEndpointRouteBuilder routes)
    {
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        new Resource<ProbeInsertion, InsertionListItem, InsertionDetail>
        {
            Path = "insertions",
            Model = "ProbeInsertion",
            Serializer = InsertionDtos.Detail,
            ListSerializer = InsertionDtos.List,
            CreateSerializer = InsertionDtos.List,
            CreateAnswersListItem = true,
            Ordered = Ordered,
            PageByIds = true,
            Item = InsertionDtos.ListItem,
            ReadDetail = ReadDetailAsync,
            Filters = Filters.Value,
            ForUpdate = q => q.Include(p => p.Datasets),
            Write = WriteAsync,
            BeforeSave = async w =>
            {
                var p = w.Entity;
                if (p.SessionId is not null
                    && await w.Db.ProbeInsertions.AnyAsync(o => o.Id != p.Id && o.Name == p.Name && o.SessionId == p.SessionId, w.Ct))
                {
                    w.Errors.Add("non_field_errors", InsertionDtos.UniqueMessage);
                    return;
                }
                // ProbeInsertion.save: auto_datetime, and the links re-derived from the collections, unless the request gives them
                // (DRF sets a given many-to-many after the save, replacing what the save linked).
                p.AutoDatetime = clock.Now;
                if (!w.Data.Has("datasets")) await InsertionLinks.RelinkAsync(w.Db, p, w.Ct);
            },
            // Two requests creating the same (name, session) at once: the database refuses the second.
            UniqueViolation = ("non_field_errors", InsertionDtos.UniqueMessage),
        }.Map(routes);
    }

    /// <summary>
    /// Session start time descending, insertions without a session or start time first (PostgreSQL sorts NULLs first in a
    /// descending order; SQLite is told), then name; id breaks ties for stable pages.
    /// </summary>
    static IOrderedQueryable<ProbeInsertion> Ordered(AlyxDb db) => db.Provider == DatabaseProvider.Postgres
        ? db.ProbeInsertions.AsSplitQuery().OrderByDescending(p => p.Session!.StartTime).ThenBy(p => p.Name).ThenBy(p => p.Id)
        : db.ProbeInsertions.AsSplitQuery().OrderBy(p => p.Session!.StartTime == null ? 0 : 1).ThenByDescending(p => p.Session!.StartTime)
            .ThenBy(p => p.Name).ThenBy(p => p.Id);

    /// <summary>The detail: the list shape, with the datasets nested (for an insertion without session, none: a 500 upstream).</summary>
    static async Task<InsertionDetail?> ReadDetailAsync(AlyxDb db, HttpRequest req, Guid id, CancellationToken ct)
    {
        var item = await db.ProbeInsertions.AsNoTracking().AsSplitQuery().Where(p => p.Id == id).Select(InsertionDtos.ListItem).SingleOrDefaultAsync(ct);
        if (item is null) return null;
        var datasets = item.Session is null ? [] : await InsertionDatasets.ReadAsync(db, ApiUrls.Root(req), item.Session.Value, item.Name, ct);
        return InsertionDtos.ToDetail(item, datasets);
    }

    /// <summary>The session (<c>slug_field='id'</c>) and probe model slugs, the chronic insertion and the writable <c>datasets</c> (POST only).</summary>
    static async Task WriteAsync(ResourceWrite<ProbeInsertion> w)
    {
        w.Text("serial", (p, v) => p.Serial = v);
        if (w.Data.TryGet<string>("session", out var session) && session is not null)
        {
            // Django's messages for a malformed or unknown id.
            if (!Guid.TryParse(session, out var id)) w.Errors.Add("session", $"“{session}” is not a valid UUID.");
            else if (!await w.Db.Sessions.AnyAsync(s => s.Id == id, w.Ct)) w.Errors.Add("session", $"Object with id={session} does not exist.");
            else w.Entity.SessionId = id;
        }
        await w.RefAsync("model", w.Db.ProbeModels, m => m.Model, "probe_model", (p, v) => p.ModelId = v!.Id);
        await ChronicAsync(w);
        if (w.Data.TryGet<List<string>>("datasets", out var values)) await DatasetsAsync(w, values!);
    }

    /// <summary>
    /// The chronic insertion (a primary key; null unlinks). Alyx: ProbeInsertionListSerializer.validate — a linked insertion's serial
    /// must equal the chronic insertion's (the serial of the request, blank when not given).
    /// </summary>
    static async Task ChronicAsync(ResourceWrite<ProbeInsertion> w)
    {
        if (!w.Data.TryGet<string>("chronic_insertion", out var chronic)) return;
        if (chronic is null)
        {
            w.Entity.ChronicInsertionId = null;
            return;
        }
        if (!Guid.TryParse(chronic, out var id))
        {
            w.Errors.Add("chronic_insertion", $"“{chronic}” is not a valid UUID.");
            return;
        }
        var serial = await w.Db.ChronicInsertions.Where(c => c.Id == id).Select(c => c.Serial).ToListAsync(w.Ct);
        if (serial.Count == 0)
        {
            w.Errors.Add("chronic_insertion", $"Invalid pk \"{chronic}\" - object does not exist.");
            return;
        }
        w.Entity.ChronicInsertionId = id;
        var given = w.Data.TryGet<string>("serial", out var s) ? s : null;
        if (given != serial[0]) w.Errors.Add("non_field_errors", "serial number of chronic insertion and probe insertion do not match");
    }

    /// <summary>The list serializer's <c>datasets</c>: primary keys, each of an existing dataset; they replace the links.</summary>
    static async Task DatasetsAsync(ResourceWrite<ProbeInsertion> w, List<string> values)
    {
        var ids = new List<Guid>();
        foreach (var value in values)
        {
            if (Guid.TryParse(value.Trim(), out var id)) ids.Add(id);
            else w.Errors.Add("datasets", $"“{value}” is not a valid UUID.");
        }
        var distinct = ids.Distinct().ToList();
        var found = await w.Db.Datasets.Where(d => distinct.Contains(d.Id)).ToListAsync(w.Ct);
        foreach (var id in distinct.Where(id => found.TrueForAll(d => d.Id != id)))
            w.Errors.Add("datasets", $"Invalid pk \"{id:D}\" - object does not exist.");
        w.Entity.Datasets = found;
    }
}
