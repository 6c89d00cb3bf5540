using Alyx.Auth;
using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>
/// /water-administrations (list, create) and /water-administrations/{id} (retrieve, update, partial update, delete) —
/// alyx/actions/views.py WaterAdministrationAPIListCreate / WaterAdministrationAPIDetail (spec 20-actions §6.4). Every
/// save fills a missing water type and refuses a date after the subject's death (§8).
/// </summary>
static class WaterAdministrationsApi
{
    public static void MapWaterAdministrationsApi(this IEndpointRouteBuilder routes)
    {
        // No order upstream: date_time then id, for stable pages.
        routes.Resource("water-administrations", "id", uuidLookup: true)
            .List(db => db.Set<WaterAdministration>().OrderBy(w => w.DateTime).ThenBy(w => w.Id), ActionDtos.WaterAdministrationItem,
                ActionDtos.WaterAdministration, ActionFilters.ForRecord<WaterAdministration>("WaterAdministration"))
            .Create((HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct) => SaveAsync(null, req, db, clock, false, ct),
                ActionDtos.WaterAdministration)
            .Retrieve(GetAsync, ActionDtos.WaterAdministration)
            .Update((Guid id, HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct) => SaveAsync(id, req, db, clock, false, ct),
                ActionDtos.WaterAdministration)
            .PartialUpdate((Guid id, HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct) => SaveAsync(id, req, db, clock, true, ct),
                ActionDtos.WaterAdministration)
            .Destroy((db, id) => db.Set<WaterAdministration>().Where(w => w.Id == Guid.Parse(id)), "WaterAdministration");
    }

    static Task<WaterAdministrationItem?> ReadAsync(AlyxDb db, HttpRequest req, Guid id, CancellationToken ct) =>
        db.Set<WaterAdministration>().AsNoTracking().Where(w => w.Id == id).Select(ActionDtos.WaterAdministrationItem(req)).SingleOrDefaultAsync(ct);

    static async Task<IResult> GetAsync(Guid id, HttpRequest req, AlyxDb db, CancellationToken ct) =>
        await ReadAsync(db, req, id, ct) is { } item ? AlyxResults.Ok(item) : AlyxResults.NotFound("WaterAdministration");

    /// <summary>Create (<paramref name="id"/> null), PUT or PATCH: DRF validation, slug references, then the save hook.</summary>
    static async Task<IResult> SaveAsync(Guid? id, HttpRequest req, AlyxDb db, AlyxClock clock, bool partial, CancellationToken ct)
    {
        WaterAdministration? administration = null;
        if (id is not null)
        {
            administration = await db.Set<WaterAdministration>().SingleOrDefaultAsync(w => w.Id == id, ct);
            if (administration is null) return AlyxResults.NotFound("WaterAdministration");
        }
        var (body, bodyError) = await RequestBody.ReadAsync(req, ct);
        if (bodyError is not null) return bodyError;
        var errors = new ErrorMap();
        // date_time is not nullable here: a null would fail the death-date check with a 500 upstream.
        var data = ActionDtos.WaterAdministration.Validate(body!, partial, errors);
        Subject? subject = null;
        if (data.Get<string>("subject") is { } nickname)
            subject = await Slugs.ResolveOneAsync(db.Subjects, s => s.Nickname, "nickname", nickname, "subject", errors, ct);
        if (data.TryGet<double?>("water_administered", out var volume) && volume < 0)
            errors.Add("water_administered", "Ensure this value is greater than or equal to 0.");
        WaterType? waterType = null;
        if (data.Get<string>("water_type") is { } typeName)
            waterType = await Slugs.ResolveOneAsync(db.Set<WaterType>(), t => t.Name, "name", typeName, "water_type", errors, ct);
        LabMember? user = null;
        if (data.Get<string>("user") is { } username)
            user = await Slugs.ResolveOneAsync(db.Users, u => u.Username, "username", username, "user", errors, ct);
        Guid? sessionId = null;
        if (data.Get<string>("session") is { } sessionText)
        {
            if (!Guid.TryParse(sessionText, out var sid)) errors.Add("session", $"“{sessionText}” is not a valid UUID.");
            else if (!await db.Set<Session>().AnyAsync(s => s.Id == sid, ct)) errors.Add("session", $"Object with id={sessionText} does not exist.");
            else sessionId = sid;
        }
        if (errors.Any) return ActionDtos.Invalid(ActionDtos.WaterAdministration, errors);

        var creating = administration is null;
        administration ??= new WaterAdministration { DateTime = clock.Now };
        if (subject is not null) administration.SubjectId = subject.Id;
        subject ??= await db.Subjects.SingleAsync(s => s.Id == administration.SubjectId, ct);
        if (data.TryGet<DateTime>("date_time", out var t)) administration.DateTime = t;
        if (data.Has("water_administered")) administration.WaterAdministered = volume;
        if (waterType is not null) administration.WaterTypeId = waterType.Id;
        // CurrentUserDefault applies to create and PUT, not PATCH.
        if (user is not null) administration.UserId = user.Id;
        else if (!partial) administration.UserId = req.HttpContext.RequiredUser().Id;
        // Fields absent from a PUT keep their values, as DRF updates only the validated fields.
        if (sessionId is not null) administration.SessionId = sessionId;
        if (data.TryGet<bool>("adlib", out var adlib)) administration.Adlib = adlib;

        // the original refuses with a 500; this is a 400 with the same text.
        var refusal = await ActionHooks.BeforeWaterAdministrationSaveAsync(db, administration, subject, ct);
        if (refusal is not null) return AlyxResults.BadRequest(refusal);
        if (creating) db.Add(administration);
        await db.SaveChangesAsync(ct);
        var item = (await ReadAsync(db, req, administration.Id, ct))!;
        return creating ? AlyxResults.Created(item, item.Url) : AlyxResults.Ok(item);
    }
}
