using Alyx.Http;
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
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        new Resource<WaterAdministration, WaterAdministrationItem>
        {
            Path = "water-administrations",
            Model = "WaterAdministration",
            Serializer = ActionDtos.WaterAdministration,
            // No order upstream: date_time then id, for stable pages.
            Ordered = db => db.Set<WaterAdministration>().OrderBy(w => w.DateTime).ThenBy(w => w.Id),
            ItemFor = ActionDtos.WaterAdministrationItem,
            Filters = ActionFilters.ForRecord<WaterAdministration>("WaterAdministration"),
            Location = true,
            Defaults = w => w.Entity.DateTime = clock.Now,
            Write = WriteAsync,
            CreateChecksOnlyRead = true,
            BeforeSave = async w =>
            {
                // The subject Write resolved, else (an update that does not name one) the stored one.
                var subject = w.Found as Subject ?? await w.Db.Subjects.AsNoTracking().SingleAsync(s => s.Id == w.Entity.SubjectId, w.Ct);
                // the original refuses with a 500; this is a 400 with the same text.
                if (await ActionHooks.BeforeWaterAdministrationSaveAsync(w.Db, w.Entity, subject, w.Ct) is { } refusal) w.Refuse(refusal);
            },
        }.Map(routes);
    }

    /// <summary>Fields absent from a PUT keep their values, as DRF updates only the validated fields.</summary>
    static async Task WriteAsync(ResourceWrite<WaterAdministration> w)
    {
        // date_time is not nullable here: a null would fail the death-date check with a 500 upstream.
        w.Found = await w.RefAsync("subject", w.Db.Subjects, s => s.Nickname, "nickname", (e, s) => e.SubjectId = s!.Id);
        if (w.Data.TryGet<double?>("water_administered", out var volume) && volume < 0)
            w.Errors.Add("water_administered", "Ensure this value is greater than or equal to 0.");
        w.Value<DateTime>("date_time", (e, v) => e.DateTime = v).Value<double?>("water_administered", (e, v) => e.WaterAdministered = v)
            .Value<bool>("adlib", (e, v) => e.Adlib = v);
        await w.RefAsync("water_type", w.Db.Set<WaterType>(), t => t.Name, "name", (e, t) => e.WaterTypeId = t!.Id);
        // CurrentUserDefault applies to create and PUT, not PATCH.
        var user = await w.RefAsync("user", w.Db.Users, u => u.Username, "username");
        if (user is not null) w.Entity.UserId = user.Id;
        else if (!w.Partial) w.Entity.UserId = w.User.Id;
        if (w.Data.Get<string>("session") is { } text)
        {
            if (!Guid.TryParse(text, out var id)) w.Errors.Add("session", $"“{text}” is not a valid UUID.");
            else if (!await w.Db.Set<Session>().AnyAsync(s => s.Id == id, w.Ct)) w.Errors.Add("session", $"Object with id={text} does not exist.");
            else w.Entity.SessionId = id;
        }
    }
}
