using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Subjects;

/// <summary>/subjects, /subjects/{nickname} and /water-restricted-subjects (Alyx: subjects SubjectList / SubjectDetail / WaterRestrictedSubjectList).</summary>
static class SubjectsApi
{
    enum Mode
    {
        Create,
        Put,
        Patch,
    }

    public static void MapSubjectsApi(this IEndpointRouteBuilder routes)
    {
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        // Default order is Subject's Meta.ordering ['nickname', '-birth_date'], then id for stable pages.
        routes.Resource("subjects", "nickname")
            .List(db => Ordered(db.WithCollections(db.Subjects)), req => SubjectDtos.ListItem(req, clock.Today), SubjectDtos.List,
                SubjectFilters.Create(clock), enrich: async (db, rows, ct) =>
                {
                    await SubjectDtos.EnrichGenotypesAsync(db, rows, ct);
                    await SubjectDtos.EnrichSessionProjectsAsync(db, rows, ct);
                    await SubjectDtos.EnrichWaterAsync(db, clock, rows, ct);
                })
            .Create(CreateAsync, SubjectDtos.List)
            .Retrieve(GetAsync, SubjectDtos.Detail)
            .Update((string nickname, HttpRequest req, AlyxDb db, AlyxClock c, CancellationToken ct) => UpdateAsync(nickname, req, db, c, Mode.Put, ct),
                SubjectDtos.Detail)
            .PartialUpdate((string nickname, HttpRequest req, AlyxDb db, AlyxClock c, CancellationToken ct) =>
                UpdateAsync(nickname, req, db, c, Mode.Patch, ct), SubjectDtos.Detail)
            // The database cascades (zygosities, genotype tests, actions, project links) and nulls breeding-pair parents.
            .Destroy((db, nickname) => db.Subjects.Where(s => s.Nickname == nickname), "Subject");

        // No filter set at all: every parameter but limit/offset is ignored. Dead subjects are not excluded (quirk S6).
        routes.Resource("water-restricted-subjects", "nickname")
            .List(db => Ordered(db.Subjects.Where(s => s.WaterRestrictions.Any(w => w.EndTime == null))), SubjectDtos.WaterRestrictedItem,
                SubjectDtos.WaterRestricted, enrich: (db, rows, ct) => SubjectDtos.EnrichWaterAsync(db, clock, rows, ct));
    }

    static IOrderedQueryable<Subject> Ordered(IQueryable<Subject> subjects) =>
        subjects.OrderBy(s => s.Nickname).ThenByDescending(s => s.BirthDate).ThenBy(s => s.Id);

    /// <summary>
    /// A nickname shared by subjects of different labs is refused with a 400 rather than answered with one of them
    /// (quirk S5: the original fails with a 500; any error is acceptable, an arbitrary pick is not).
    /// </summary>
    static async Task<(Guid? Id, IResult? Error)> FindAsync(AlyxDb db, string nickname, CancellationToken ct)
    {
        var ids = await db.Subjects.Where(s => s.Nickname == nickname).Select(s => s.Id).Take(2).ToListAsync(ct);
        return ids.Count switch
        {
            0 => (null, AlyxResults.NotFound("Subject")),
            1 => (ids[0], null),
            _ => (null, AlyxResults.BadRequest("More than one Subject matches the given query.")),
        };
    }

    static async Task<IResult> GetAsync(string nickname, HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct)
    {
        var (id, error) = await FindAsync(db, nickname, ct);
        if (error is not null) return error;
        return AlyxResults.Ok(await ReadDetailAsync(db, req, clock, id!.Value, ct));
    }

    static async Task<SubjectDetail> ReadDetailAsync(AlyxDb db, HttpRequest req, AlyxClock clock, Guid id, CancellationToken ct)
    {
        var detail = SubjectDtos.WithNestedSubject(await db.Subjects.AsNoTracking().AsSplitQuery().Where(s => s.Id == id)
            .Select(SubjectDtos.DetailItem(req, clock.Today)).SingleAsync(ct));
        detail = detail with { SessionProjects = [.. (await SubjectDtos.SessionProjectsAsync(db, [id], ct))[id]] };
        await SubjectDtos.EnrichWaterAsync(db, clock, [detail], ct);
        return detail;
    }

    static async Task<IResult> CreateAsync(HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct)
    {
        var subject = new Subject();
        var error = await SubjectWrite.ApplyAsync(subject, req, db, clock, partial: false, creating: true, ct);
        if (error is not null) return error;
        var item = await db.Subjects.AsNoTracking().AsSplitQuery().Where(s => s.Id == subject.Id)
            .Select(SubjectDtos.ListItem(req, clock.Today)).SingleAsync(ct);
        var rows = new List<SubjectListItem> { item };
        await SubjectDtos.EnrichGenotypesAsync(db, rows, ct);
        await SubjectDtos.EnrichSessionProjectsAsync(db, rows, ct);
        await SubjectDtos.EnrichWaterAsync(db, clock, rows, ct);
        item = rows[0];
        return AlyxResults.Created(item, item.Url);
    }

    static async Task<IResult> UpdateAsync(string nickname, HttpRequest req, AlyxDb db, AlyxClock clock, Mode mode, CancellationToken ct)
    {
        var (id, lookupError) = await FindAsync(db, nickname, ct);
        if (lookupError is not null) return lookupError;
        var subject = await db.Subjects.Include(s => s.Projects).SingleAsync(s => s.Id == id, ct);
        var error = await SubjectWrite.ApplyAsync(subject, req, db, clock, partial: mode == Mode.Patch, creating: false, ct);
        if (error is not null) return error;
        return AlyxResults.Ok(await ReadDetailAsync(db, req, clock, subject.Id, ct));
    }
}
