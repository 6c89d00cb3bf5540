using Alyx.Auth;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>
/// /weighings (list, create) and /weighings/{id} (retrieve, delete) — alyx/actions/views.py WeighingAPIListCreate and
/// WeighingAPIDetail (spec 20-actions §6.3). A create runs the underweight check (§9.2).
/// </summary>
static class WeighingsApi
{
    public static void MapWeighingsApi(this IEndpointRouteBuilder routes)
    {
        // No order upstream: date_time then id, for stable pages.
        routes.Resource("weighings", "id", uuidLookup: true)
            .List(db => db.Set<Weighing>().OrderBy(w => w.DateTime).ThenBy(w => w.Id), ActionDtos.WeighingItem, ActionDtos.Weighing,
                ActionFilters.ForRecord<Weighing>("Weighing"))
            .Create(CreateAsync, ActionDtos.Weighing)
            .Retrieve(GetAsync, ActionDtos.Weighing)
            .Destroy((db, id) => db.Set<Weighing>().Where(w => w.Id == Guid.Parse(id)), "Weighing");
    }

    static Task<WeighingItem?> ReadAsync(AlyxDb db, HttpRequest req, Guid id, CancellationToken ct) =>
        db.Set<Weighing>().AsNoTracking().Where(w => w.Id == id).Select(ActionDtos.WeighingItem(req)).SingleOrDefaultAsync(ct);

    static async Task<IResult> GetAsync(Guid id, HttpRequest req, AlyxDb db, CancellationToken ct) =>
        await ReadAsync(db, req, id, ct) is { } item ? AlyxResults.Ok(item) : AlyxResults.NotFound("Weighing");

    static async Task<IResult> CreateAsync(HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct)
    {
        var (body, bodyError) = await RequestBody.ReadAsync(req, ct);
        if (bodyError is not null) return bodyError;
        var errors = new ErrorMap();
        // date_time is not nullable here: the original stores a null and then fails in the underweight check.
        var data = ActionDtos.Weighing.Validate(body!, partial: false, errors);
        var subject = data.Get<string>("subject") is { } nickname
            ? await Slugs.ResolveOneAsync(db.Subjects, s => s.Nickname, "nickname", nickname, "subject", errors, ct)
            : null;
        if (data.TryGet<double>("weight", out var weight) && weight < 0) errors.Add("weight", "Ensure this value is greater than or equal to 0.");
        var userId = req.HttpContext.RequiredUser().Id;
        if (data.Get<string>("user") is { } username)
            userId = (await Slugs.ResolveOneAsync(db.Users, u => u.Username, "username", username, "user", errors, ct))?.Id ?? userId;
        if (errors.Any) return ActionDtos.Invalid(ActionDtos.Weighing, errors);

        var weighing = new Weighing
        {
            SubjectId = subject!.Id,
            DateTime = data.TryGet<DateTime>("date_time", out var t) ? t : clock.Now,
            Weight = weight,
            UserId = userId,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Add(weighing);
        await db.SaveChangesAsync(ct);
        await Notifications.CheckUnderweightAsync(db, clock, subject, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        var item = (await ReadAsync(db, req, weighing.Id, ct))!;
        return AlyxResults.Created(item, item.Url);
    }
}
