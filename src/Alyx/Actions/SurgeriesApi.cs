using Alyx.Auth;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>
/// /surgeries and /surgeries/{id} — alyx/actions/views.py SurgeriesList / SurgeriesAPIDetail (spec 20-actions §6.8):
/// list, retrieve, update, partial update; plus POST, which the original only offers in its admin. Relations other
/// than the subject are written and read as primary keys. Every save runs the surgery hook (§8).
/// </summary>
static class SurgeriesApi
{
    static readonly FilterSet<Surgery> Filters = ActionFilters.ForAction<Surgery>()
        .Add(new LookupFilter<Surgery>(new FilterDoc("procedure", "string", Description: "Procedure name (case-insensitive)."),
            "procedures__name__iexact"))
        .Add(new ChoiceFilter<Surgery>("outcome_type", "string", ActionDtos.OutcomeTypes, v => s => s.OutcomeType == v));

    public static void MapSurgeriesApi(this IEndpointRouteBuilder routes)
    {
        // order_by('-start_time') on PostgreSQL: nulls first.
        routes.Resource("surgeries", "id", uuidLookup: true)
            .List(db => db.Set<Surgery>().OrderBy(s => s.StartTime != null).ThenByDescending(s => s.StartTime).ThenBy(s => s.Id),
                _ => ActionDtos.SurgeryItem, ActionDtos.Surgery, Filters)
            .Create((HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct) => SaveAsync(null, req, db, clock, false, ct),
                ActionDtos.Surgery, description: "Records a surgery (not in the original, which does this in its admin).")
            .Retrieve(GetAsync, ActionDtos.Surgery)
            .Update((Guid id, HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct) => SaveAsync(id, req, db, clock, false, ct),
                ActionDtos.Surgery)
            .PartialUpdate((Guid id, HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct) => SaveAsync(id, req, db, clock, true, ct),
                ActionDtos.Surgery);
    }

    static Task<SurgeryItem?> ReadAsync(AlyxDb db, Guid id, CancellationToken ct) =>
        db.Set<Surgery>().AsNoTracking().Where(s => s.Id == id).Select(ActionDtos.SurgeryItem).SingleOrDefaultAsync(ct);

    static async Task<IResult> GetAsync(Guid id, AlyxDb db, CancellationToken ct) =>
        await ReadAsync(db, id, ct) is { } item ? AlyxResults.Ok(item) : AlyxResults.NotFound("Surgery");

    static async Task<IResult> SaveAsync(Guid? id, HttpRequest req, AlyxDb db, AlyxClock clock, bool partial, CancellationToken ct)
    {
        Surgery? surgery = null;
        if (id is not null)
        {
            surgery = await db.Set<Surgery>().Include(s => s.Users).Include(s => s.Procedures).SingleOrDefaultAsync(s => s.Id == id, ct);
            if (surgery is null) return AlyxResults.NotFound("Surgery");
        }
        var (body, bodyError) = await RequestBody.ReadAsync(req, ct);
        if (bodyError is not null) return bodyError;
        var errors = new ErrorMap();
        var serializer = ActionDtos.Surgery;
        var data = serializer.Validate(body!, partial, errors);
        Subject? subject = null;
        if (data.Get<string>("subject") is { } nickname)
            subject = await Slugs.ResolveOneAsync(db.Subjects, s => s.Nickname, "nickname", nickname, "subject", errors, ct);
        if (data.TryGet<double>("implant_weight", out var implant) && implant < 0)
            errors.Add("implant_weight", "Ensure this value is greater than or equal to 0.");
        var lab = await PrimaryKeyAsync(db.Labs, data, "lab", errors, ct);
        var location = await PrimaryKeyAsync(db.LabLocations, data, "location", errors, ct);
        var users = await PrimaryKeysAsync(db.Users, data, "users", errors, ct);
        var procedures = await PrimaryKeysAsync(db.Set<ProcedureType>(), data, "procedures", errors, ct);
        if (errors.Any) return ActionDtos.Invalid(serializer, errors);

        var creating = surgery is null;
        if (surgery is null)
        {
            surgery = new Surgery
            {
                StartTime = clock.Now,
                // Surgery.location's default: the first location named "Surgery Room".
                LocationId = await db.LabLocations.Where(l => l.Name == "Surgery Room").OrderBy(l => l.Id).Select(l => (Guid?)l.Id).FirstOrDefaultAsync(ct),
            };
        }
        if (subject is not null) surgery.SubjectId = subject.Id;
        subject ??= await db.Subjects.SingleAsync(s => s.Id == surgery.SubjectId, ct);
        if (data.TryGet<string>("name", out var name)) surgery.Name = name ?? "";
        if (data.Has("json")) surgery.Json = data.Get<string>("json");
        if (data.TryGet<string>("narrative", out var narrative)) surgery.Narrative = narrative ?? "";
        if (data.Has("start_time")) surgery.StartTime = data.Get<DateTime?>("start_time");
        if (data.Has("end_time")) surgery.EndTime = data.Get<DateTime?>("end_time");
        if (data.TryGet<string>("outcome_type", out var outcome)) surgery.OutcomeType = outcome ?? "";
        if (data.Has("implant_weight")) surgery.ImplantWeight = implant;
        if (data.Has("lab")) surgery.LabId = lab?.Id;
        if (data.Has("location")) surgery.LocationId = location?.Id;
        // As the other actions' create: no users means the caller.
        if (creating && (users is null || users.Count == 0)) users = [await db.Users.SingleAsync(u => u.Id == req.HttpContext.RequiredUser().Id, ct)];
        if (users is not null)
        {
            surgery.Users.Clear();
            surgery.Users.AddRange(users);
        }
        if (procedures is not null)
        {
            surgery.Procedures.Clear();
            surgery.Procedures.AddRange(procedures);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (creating) db.Add(surgery);
        await db.SaveChangesAsync(ct);
        await ActionHooks.AfterSurgerySaveAsync(db, clock, surgery, subject, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var item = (await ReadAsync(db, surgery.Id, ct))!;
        return creating ? AlyxResults.Created(item) : AlyxResults.Ok(item);
    }

    /// <summary>DRF's PrimaryKeyRelatedField on a UUID key, with its messages.</summary>
    static async Task<T?> PrimaryKeyAsync<T>(IQueryable<T> set, Validated data, string field, ErrorMap errors, CancellationToken ct) where T : class
    {
        if (data.Get<string>(field) is not { } text) return null;
        return (await FindAllAsync(set, [text], field, errors, ct))?.FirstOrDefault();
    }

    static async Task<List<T>?> PrimaryKeysAsync<T>(IQueryable<T> set, Validated data, string field, ErrorMap errors, CancellationToken ct)
        where T : class
    {
        if (!data.TryGet<List<string>>(field, out var texts)) return null;
        return await FindAllAsync(set, texts!, field, errors, ct);
    }

    static async Task<List<T>?> FindAllAsync<T>(IQueryable<T> set, IReadOnlyList<string> texts, string field, ErrorMap errors, CancellationToken ct)
        where T : class
    {
        var ids = new List<Guid>();
        foreach (var text in texts)
        {
            if (!Guid.TryParse(text.Trim(), out var g))
            {
                errors.Add(field, $"“{text}” is not a valid UUID.");
                return null;
            }
            ids.Add(g);
        }
        var rows = await set.Where(e => ids.Contains(EF.Property<Guid>(e, "Id"))).ToListAsync(ct);
        var byId = rows.ToDictionary(e => (Guid)typeof(T).GetProperty("Id")!.GetValue(e)!);
        var result = new List<T>();
        foreach (var (g, text) in ids.Zip(texts))
        {
            if (!byId.TryGetValue(g, out var row))
            {
                errors.Add(field, $"Invalid pk \"{text}\" - object does not exist.");
                return null;
            }
            if (!result.Contains(row)) result.Add(row);
        }
        return result;
    }
}
