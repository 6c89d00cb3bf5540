using Alyx.Http;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>
/// /weighings (list, create) and /weighings/{id} (retrieve, delete) — alyx/actions/views.py WeighingAPIListCreate and
/// WeighingAPIDetail (spec 20-actions §6.3). A create runs the underweight check (§9.2) once the weighing is committed.
/// </summary>
static class WeighingsApi
{
    public static void MapWeighingsApi(this IEndpointRouteBuilder routes)
    {
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        new Resource<Weighing, WeighingItem>
        {
            Path = "weighings",
            Model = "Weighing",
            Serializer = ActionDtos.Weighing,
            // No order upstream: date_time then id, for stable pages.
            Ordered = db => db.Set<Weighing>().OrderBy(w => w.DateTime).ThenBy(w => w.Id),
            ItemFor = ActionDtos.WeighingItem,
            Filters = ActionFilters.ForRecord<Weighing>("Weighing"),
            Verbs = Verbs.ListCreate | Verbs.Retrieve | Verbs.Destroy,
            Location = true,
            CreateChecksOnlyRead = true,
            Defaults = w =>
            {
                w.Entity.DateTime = clock.Now;
                w.Entity.UserId = w.User.Id;
            },
            // date_time is not nullable here: the original stores a null and then fails in the underweight check.
            Write = async w =>
            {
                // With its lab: the underweight check after the commit takes its columns from this row.
                w.Found = await w.RefAsync("subject", w.Db.Subjects.Include(s => s.Lab), s => s.Nickname, "nickname", (e, s) => e.SubjectId = s!.Id);
                if (w.Data.TryGet<double>("weight", out var weight) && weight < 0) w.Errors.Add("weight", "Ensure this value is greater than or equal to 0.");
                w.Value<double>("weight", (e, v) => e.Weight = v).Value<DateTime>("date_time", (e, v) => e.DateTime = v);
                await w.RefAsync("user", w.Db.Users, u => u.Username, "username", (e, u) => e.UserId = u!.Id);
            },
            // After the commit, as upstream's Weighing.save checks once the row is saved (Django's autocommit): the write's
            // transaction holds only the insert, and the check's reads (the recent rows) do not hold SQLite's write queue.
            // Inside an admin page's transaction it runs in that transaction, at once.
            AfterCommit = async w =>
            {
                if (w.Found is Subject { Lab: { } lab } subject && subject.Id == w.Entity.SubjectId)
                    await Notifications.CheckUnderweightAsync(w.Db, clock, WaterControl.ColumnsOf(subject, lab), w.Ct);
                else await Notifications.CheckUnderweightAsync(w.Db, clock, w.Entity.SubjectId, w.Ct);
                await w.Db.SaveChangesAsync(w.Ct);
            },
        }.Map(routes);
    }
}
