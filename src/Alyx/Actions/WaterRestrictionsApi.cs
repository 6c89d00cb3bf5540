using Alyx.Http;
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
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        new Resource<WaterRestriction, WaterRestrictionItem, WaterRestrictionDetail>
        {
            Path = "water-restriction",
            Model = "WaterRestriction",
            Serializer = ActionDtos.WaterRestriction,
            ListSerializer = ActionDtos.WaterRestrictionList,
            // order_by('-end_time', '-start_time') on PostgreSQL: nulls (open restrictions) first in both.
            Ordered = db => db.Set<WaterRestriction>()
                .OrderBy(r => r.EndTime != null).ThenByDescending(r => r.EndTime)
                .ThenBy(r => r.StartTime != null).ThenByDescending(r => r.StartTime).ThenBy(r => r.Id),
            Item = ActionDtos.WaterRestrictionItem,
            DetailFor = ActionDtos.WaterRestrictionDetail,
            Filters = ActionFilters.ForAction<WaterRestriction>(),
            Verbs = Verbs.ListCreate | Verbs.Retrieve | Verbs.PartialUpdate,
            Location = true,
            CreateDescription = "Starts a water restriction (not in the original, which manages them in its admin).",
            RetrieveDescription = "One water restriction, with its id.",
            ForUpdate = q => q.Include(r => r.Users),
            Defaults = w => w.Entity.StartTime = clock.Now,
            Write = WriteAsync,
            BeforeSave = async w =>
            {
                var subject = await w.Db.Subjects.FindAsync([w.Entity.SubjectId], w.Ct);
                await CheckRulesAsync(w, subject!, clock.Today);
                if (w.Errors.Any) return;
                if (await ActionHooks.BeforeWaterRestrictionSaveAsync(w.Db, clock, w.Entity, w.Ct) is { } error) w.Errors.Add("reference_weight", error);
            },
            AfterSave = async w =>
            {
                await ActionHooks.SetProtocolNumberAsync(w.Db, clock, (await w.Db.Subjects.FindAsync([w.Entity.SubjectId], w.Ct))!, w.Ct);
                await w.Db.SaveChangesAsync(w.Ct);
            },
        }.Map(routes);
    }

    static async Task WriteAsync(ResourceWrite<WaterRestriction> w)
    {
        if (w.Creating) w.Entity.WaterTypeId = await ActionHooks.DefaultWaterTypeAsync(w.Db, w.Ct);
        var subject = await w.RefAsync("subject", w.Db.Subjects, s => s.Nickname, "nickname");
        if (subject is not null && w.Creating) w.Entity.SubjectId = subject.Id;
        else if (subject is not null && subject.Id != w.Entity.SubjectId) w.Errors.Add("subject", "The subject of a water restriction cannot be changed.");
        if (w.Data.TryGet<double>("reference_weight", out var referenceWeight) && referenceWeight < 0)
            w.Errors.Add("reference_weight", "Ensure this value is greater than or equal to 0.");
        w.Value<DateTime>("start_time", (e, v) => e.StartTime = v).Value<DateTime?>("end_time", (e, v) => e.EndTime = v)
            .Value<double>("reference_weight", (e, v) => e.ReferenceWeight = v).Text("narrative", (e, v) => e.Narrative = v);
        await w.RefAsync("water_type", w.Db.Set<WaterType>(), t => t.Name, "name", (e, t) => e.WaterTypeId = t?.Id);
        var users = await w.RefsAsync("users", w.Db.Users, u => u.Username, "username");
        await w.RefAsync("lab", w.Db.Labs, l => l.Name, "name", (e, l) => e.LabId = l?.Id);
        await w.RefAsync("location", w.Db.LabLocations, l => l.Name, "name", (e, l) => e.LocationId = l?.Id);
        if (w.Errors.Any) return;
        // BaseActionSerializer.create: no users (or an empty list) means the caller.
        if (w.Creating && (users is null || users.Count == 0)) users = [await w.Db.Users.SingleAsync(u => u.Id == w.User.Id, w.Ct)];
        if (users is not null) w.Entity.Users = users;
    }

    /// <summary>The admin's rules for the merged (stored + given) values.</summary>
    static async Task CheckRulesAsync(ResourceWrite<WaterRestriction> w, Subject subject, DateOnly today)
    {
        var restriction = w.Entity;
        // The admin offers only living subjects (death_date__lte=today excluded) for a new restriction.
        if (w.Creating && subject.DeathDate is { } death && death <= today)
            w.Errors.Add("subject", $"Subject {subject.Nickname} died on {AlyxFormats.FormatDate(death)}: it cannot be put on water restriction.");
        if (restriction.StartTime is { } start && restriction.EndTime is { } end && end <= start)
            w.Errors.Add("end_time", "The end of a water restriction must be after its start.");
        if (restriction.EndTime is null)
        {
            var id = restriction.Id;
            var open = await w.Db.Set<WaterRestriction>()
                .Where(r => r.SubjectId == subject.Id && r.Id != id && r.StartTime != null && r.EndTime == null)
                .OrderBy(r => r.StartTime).Select(r => r.StartTime).FirstOrDefaultAsync(w.Ct);
            if (open is not null)
                w.Errors.Add("non_field_errors",
                    $"Subject {subject.Nickname} is already on water restriction since {AlyxFormats.FormatDateTime(open.Value)}; end that restriction first.");
        }
    }
}
