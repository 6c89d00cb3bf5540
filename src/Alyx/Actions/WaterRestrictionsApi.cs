using Alyx.Auth;
using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>
/// /water-restriction: the list of alyx/actions/views.py WaterRestrictionList (spec 20-actions §6.5), plus what the
/// original only offers in its admin: POST to start a restriction, GET and PATCH /water-restriction/{id} to read and end
/// one. Writes follow the model's save hook (automatic reference weight, protocol number, §8) and the admin's rules:
/// the subject is alive, it has at most one open restriction, and a restriction ends after it starts.
/// </summary>
static class WaterRestrictionsApi
{
    public static void MapWaterRestrictionsApi(this IEndpointRouteBuilder routes)
    {
        // order_by('-end_time', '-start_time') on PostgreSQL: nulls (open restrictions) first in both.
        routes.Resource("water-restriction", "id", uuidLookup: true)
            .List(db => db.Set<WaterRestriction>()
                    .OrderBy(r => r.EndTime != null).ThenByDescending(r => r.EndTime)
                    .ThenBy(r => r.StartTime != null).ThenByDescending(r => r.StartTime).ThenBy(r => r.Id),
                _ => ActionDtos.WaterRestrictionItem, ActionDtos.WaterRestrictionList, ActionFilters.ForAction<WaterRestriction>())
            .Create((HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct) => SaveAsync(null, req, db, clock, ct),
                ActionDtos.WaterRestriction, description: "Starts a water restriction (not in the original, which manages them in its admin).")
            .Retrieve(GetAsync, ActionDtos.WaterRestriction, description: "One water restriction, with its id.")
            .PartialUpdate((Guid id, HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct) => SaveAsync(id, req, db, clock, ct),
                ActionDtos.WaterRestriction);
    }

    static Task<WaterRestrictionDetail?> ReadAsync(AlyxDb db, HttpRequest req, Guid id, CancellationToken ct) =>
        db.Set<WaterRestriction>().AsNoTracking().Where(r => r.Id == id).Select(ActionDtos.WaterRestrictionDetail(req)).SingleOrDefaultAsync(ct);

    static async Task<IResult> GetAsync(Guid id, HttpRequest req, AlyxDb db, CancellationToken ct) =>
        await ReadAsync(db, req, id, ct) is { } item ? AlyxResults.Ok(item) : AlyxResults.NotFound("WaterRestriction");

    /// <summary>POST (<paramref name="id"/> null) or PATCH.</summary>
    static async Task<IResult> SaveAsync(Guid? id, HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct)
    {
        WaterRestriction? restriction = null;
        if (id is not null)
        {
            restriction = await db.Set<WaterRestriction>().Include(r => r.Users).SingleOrDefaultAsync(r => r.Id == id, ct);
            if (restriction is null) return AlyxResults.NotFound("WaterRestriction");
        }
        var creating = restriction is null;
        var (body, bodyError) = await RequestBody.ReadAsync(req, ct);
        if (bodyError is not null) return bodyError;
        var errors = new ErrorMap();
        var serializer = ActionDtos.WaterRestriction;
        var data = serializer.Validate(body!, partial: !creating, errors);
        Subject? subject = null;
        if (data.Get<string>("subject") is { } nickname)
        {
            subject = await Slugs.ResolveOneAsync(db.Subjects, s => s.Nickname, "nickname", nickname, "subject", errors, ct);
            if (!creating && subject is not null && subject.Id != restriction!.SubjectId)
                errors.Add("subject", "The subject of a water restriction cannot be changed.");
        }
        if (data.TryGet<double>("reference_weight", out var referenceWeight) && referenceWeight < 0)
            errors.Add("reference_weight", "Ensure this value is greater than or equal to 0.");
        WaterType? waterType = null;
        if (data.Get<string>("water_type") is { } typeName)
            waterType = await Slugs.ResolveOneAsync(db.Set<WaterType>(), t => t.Name, "name", typeName, "water_type", errors, ct);
        List<LabMember>? users = null;
        if (data.TryGet<List<string>>("users", out var usernames))
            users = await Slugs.ResolveAsync(db.Users, u => u.Username, "username", usernames!, "users", errors, ct);
        Lab? lab = null;
        if (data.Get<string>("lab") is { } labName)
            lab = await Slugs.ResolveOneAsync(db.Labs, l => l.Name, "name", labName, "lab", errors, ct);
        LabLocation? location = null;
        if (data.Get<string>("location") is { } locationName)
            location = await Slugs.ResolveOneAsync(db.LabLocations, l => l.Name, "name", locationName, "location", errors, ct);
        if (errors.Any) return ActionDtos.Invalid(serializer, errors);

        restriction ??= new WaterRestriction { SubjectId = subject!.Id, StartTime = clock.Now, WaterTypeId = await ActionHooks.DefaultWaterTypeAsync(db, ct) };
        subject ??= await db.Subjects.SingleAsync(s => s.Id == restriction.SubjectId, ct);
        if (data.TryGet<DateTime>("start_time", out var start)) restriction.StartTime = start;
        if (data.Has("end_time")) restriction.EndTime = data.Get<DateTime?>("end_time");
        if (data.Has("reference_weight")) restriction.ReferenceWeight = referenceWeight;
        if (data.Has("water_type")) restriction.WaterTypeId = waterType?.Id;
        if (data.Has("lab")) restriction.LabId = lab?.Id;
        if (data.Has("location")) restriction.LocationId = location?.Id;
        if (data.TryGet<string>("narrative", out var narrative)) restriction.Narrative = narrative ?? "";
        if (data.Has("json")) restriction.Json = data.Get<string>("json");
        // BaseActionSerializer.create: no users (or an empty list) means the caller.
        if (creating && (users is null || users.Count == 0)) users = [await db.Users.SingleAsync(u => u.Id == req.HttpContext.RequiredUser().Id, ct)];
        if (users is not null)
        {
            restriction.Users.Clear();
            restriction.Users.AddRange(users);
        }

        await CheckRulesAsync(db, clock, restriction, subject, creating, errors, ct);
        if (errors.Any) return ActionDtos.Invalid(serializer, errors);
        var referenceError = await ActionHooks.BeforeWaterRestrictionSaveAsync(db, clock, restriction, ct);
        if (referenceError is not null) return ActionDtos.Invalid(serializer, errors.Add("reference_weight", referenceError));

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (creating) db.Add(restriction);
        await db.SaveChangesAsync(ct);
        await ActionHooks.SetProtocolNumberAsync(db, clock, subject, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var item = (await ReadAsync(db, req, restriction.Id, ct))!;
        return creating ? AlyxResults.Created(item, item.Url) : AlyxResults.Ok(item);
    }

    /// <summary>The admin's rules for the merged (stored + given) values.</summary>
    static async Task CheckRulesAsync(AlyxDb db, AlyxClock clock, WaterRestriction restriction, Subject subject, bool creating, ErrorMap errors,
        CancellationToken ct)
    {
        // The admin offers only living subjects (death_date__lte=today excluded) for a new restriction.
        if (creating && subject.DeathDate is { } death && death <= clock.Today)
            errors.Add("subject", $"Subject {subject.Nickname} died on {AlyxFormats.FormatDate(death)}: it cannot be put on water restriction.");
        if (restriction.StartTime is { } start && restriction.EndTime is { } end && end <= start)
            errors.Add("end_time", "The end of a water restriction must be after its start.");
        if (restriction.EndTime is null)
        {
            var id = restriction.Id;
            var open = await db.Set<WaterRestriction>()
                .Where(r => r.SubjectId == subject.Id && r.Id != id && r.StartTime != null && r.EndTime == null)
                .OrderBy(r => r.StartTime).Select(r => r.StartTime).FirstOrDefaultAsync(ct);
            if (open is not null)
                errors.Add("non_field_errors",
                    $"Subject {subject.Nickname} is already on water restriction since {AlyxFormats.FormatDateTime(open.Value)}; end that restriction first.");
        }
    }
}
