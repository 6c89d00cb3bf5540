using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
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
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        new Resource<Surgery, SurgeryItem>
        {
            Path = "surgeries",
            Model = "Surgery",
            Serializer = ActionDtos.Surgery,
            // order_by('-start_time') on PostgreSQL: nulls first.
            Ordered = db => db.Set<Surgery>().OrderBy(s => s.StartTime != null).ThenByDescending(s => s.StartTime).ThenBy(s => s.Id),
            Item = ActionDtos.SurgeryItem,
            Filters = Filters,
            Verbs = Verbs.All & ~Verbs.Destroy,
            CreateDescription = "Records a surgery (not in the original, which does this in its admin).",
            ForUpdate = q => q.Include(s => s.Users).Include(s => s.Procedures),
            Defaults = w => w.Entity.StartTime = clock.Now,
            Write = WriteAsync,
            AfterSave = async w =>
            {
                var subject = await w.Db.Subjects.SingleAsync(s => s.Id == w.Entity.SubjectId, w.Ct);
                await ActionHooks.AfterSurgerySaveAsync(w.Db, clock, w.Entity, subject, w.Ct);
                await w.Db.SaveChangesAsync(w.Ct);
            },
        }.Map(routes);
    }

    static async Task WriteAsync(ResourceWrite<Surgery> w)
    {
        // Surgery.location's default: the first location named "Surgery Room".
        if (w.Creating)
        {
            w.Entity.LocationId = await w.Db.LabLocations.Where(l => l.Name == "Surgery Room").OrderBy(l => l.Id).Select(l => (Guid?)l.Id)
                .FirstOrDefaultAsync(w.Ct);
        }
        await w.RefAsync("subject", w.Db.Subjects, s => s.Nickname, "nickname", (e, s) => e.SubjectId = s!.Id);
        if (w.Data.TryGet<double>("implant_weight", out var implant) && implant < 0)
            w.Errors.Add("implant_weight", "Ensure this value is greater than or equal to 0.");
        w.Text("narrative", (e, v) => e.Narrative = v).Value<DateTime?>("start_time", (e, v) => e.StartTime = v)
            .Value<DateTime?>("end_time", (e, v) => e.EndTime = v).Text("outcome_type", (e, v) => e.OutcomeType = v)
            .Value<double>("implant_weight", (e, v) => e.ImplantWeight = v);
        if (await PrimaryKeysAsync(w, w.Db.Labs, "lab") is { } lab) w.Entity.LabId = lab.FirstOrDefault()?.Id;
        if (await PrimaryKeysAsync(w, w.Db.LabLocations, "location") is { } location) w.Entity.LocationId = location.FirstOrDefault()?.Id;
        var users = await PrimaryKeysAsync(w, w.Db.Users, "users");
        var procedures = await PrimaryKeysAsync(w, w.Db.Set<ProcedureType>(), "procedures");
        if (w.Errors.Any) return;
        // As the other actions' create: no users means the caller.
        if (w.Creating && (users is null || users.Count == 0)) users = [await w.Db.Users.SingleAsync(u => u.Id == w.User.Id, w.Ct)];
        if (users is not null) w.Entity.Users = users;
        if (procedures is not null) w.Entity.Procedures = procedures;
    }

    /// <summary>
    /// DRF's PrimaryKeyRelatedField on a UUID key (one, or <c>many=True</c>), with its messages: the rows, none for a given
    /// null, or null when the field is absent or in error.
    /// </summary>
    static async Task<List<T>?> PrimaryKeysAsync<T>(ResourceWrite<Surgery> w, IQueryable<T> set, string field) where T : class, IEntity
    {
        if (!w.Data.TryGet<object>(field, out var value)) return null;
        IReadOnlyList<string> texts = value switch { List<string> list => list, string one => [one], _ => [] };
        var ids = new List<Guid>();
        foreach (var text in texts)
        {
            if (!Guid.TryParse(text.Trim(), out var id))
            {
                w.Errors.Add(field, $"“{text}” is not a valid UUID.");
                return null;
            }
            ids.Add(id);
        }
        var byId = (await set.Where(e => ids.Contains(e.Id)).ToListAsync(w.Ct)).ToDictionary(e => e.Id);
        var result = new List<T>();
        foreach (var (id, text) in ids.Zip(texts))
        {
            if (!byId.TryGetValue(id, out var row))
            {
                w.Errors.Add(field, $"Invalid pk \"{text}\" - object does not exist.");
                return null;
            }
            if (!result.Contains(row)) result.Add(row);
        }
        return result;
    }
}
