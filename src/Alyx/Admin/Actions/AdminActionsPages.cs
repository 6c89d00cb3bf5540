using System.Globalization;
using System.Text.Json.Nodes;
using Alyx.Actions;
using Alyx.Auth;
using Alyx.Database;
using Alyx.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Admin.Actions;

/// <summary>An entry of the today page that was refused: what was typed and the errors, by field (REST field names).</summary>
public sealed record TodayEntry(Guid SubjectId, string Weight, string Water, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors)
{
    /// <summary>The page's query string (filters and page), empty when there is none.</summary>
    public static string Query(string? lab, string? user, int page)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(lab)) parts.Add("lab=" + Uri.EscapeDataString(lab));
        if (!string.IsNullOrEmpty(user)) parts.Add("user=" + Uri.EscapeDataString(user));
        if (page > 1) parts.Add("page=" + page.ToString(CultureInfo.InvariantCulture));
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}

/// <summary>
/// Alyx's own admin views (alyx/actions/views.py, under <c>/admin-actions/</c>) and the today page: training week, water
/// history, weight plot, subject history, the animals of the day with their one-step weight and water entry, and the start /
/// end water restriction actions of the subject page. Each page runs a fixed number of queries whatever the number of subjects.
/// Writes go through the REST resources' write path (<see cref="IResource.WriteAsync"/>), so their validation and words are the API's.
/// </summary>
public static class AdminActionsPages
{
    public static IEndpointRouteBuilder MapAdminActionsPages(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapAdminActionsGroup();
        group.MapGet("/training/", TrainingAsync);
        group.MapGet("/training/{date}", TrainingAsync);
        group.MapGet("/water-history/{subjectId:guid}", WaterHistoryAsync);
        group.MapGet("/weighing-plot/{subjectId:guid}", WeighingPlotAsync);
        group.MapGet("/subject-history/{subjectId:guid}", SubjectHistoryAsync);
        group.MapGet("/today/", TodayAsync);
        group.MapPost("/today/", TodayPostAsync);
        group.MapPost("/water-restriction/{subjectId:guid}/start", StartRestrictionAsync);
        group.MapPost("/water-restriction/{subjectId:guid}/end", EndRestrictionAsync);
        return routes;
    }

    static int PageOf(HttpRequest request) =>
        int.TryParse(request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page >= 1 ? page : 1;

    static IResult NotFound(HttpContext http, string what) =>
        AdminForms.Page<ActionMessagePage>(http, new { Title = "Not found", Text = what }, StatusCodes.Status404NotFound);

    /// <summary>The generic pages' view rule (the "Lab members" model permission, or superuser): staff outside every group see nothing.</summary>
    static IResult? RefuseView(HttpContext http) =>
        AdminPermissions.CanView(http) ? null
        : AdminForms.Page<ActionMessagePage>(http, new { Title = "Permission denied", Text = "You don’t have permission to view or edit anything." },
            StatusCodes.Status403Forbidden);

    static IResult RefuseChange(HttpContext http) =>
        AdminForms.Page<ActionMessagePage>(http, new { Title = "Permission denied", Text = ActionPermissions.Refusal }, StatusCodes.Status403Forbidden);

    static async Task<IResult> TrainingAsync(HttpContext http, AlyxDb db, AlyxClock clock, string? date, CancellationToken ct)
    {
        if (RefuseView(http) is { } refused) return refused;
        var day = clock.Today;
        if (date is not null && !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day))
            return NotFound(http, $"“{date}” is not a date (YYYY-MM-DD).");
        var monday = TrainingWeek.Monday(day);
        var rows = await TrainingWeek.LoadAsync(db, monday, ct);
        return AdminForms.Page<TrainingPage>(http, new { Monday = monday, Today = clock.Today, Rows = rows });
    }

    static async Task<string?> NicknameAsync(AlyxDb db, Guid id, CancellationToken ct) =>
        await db.Subjects.AsNoTracking().Where(s => s.Id == id).Select(s => s.Nickname).SingleOrDefaultAsync(ct);

    /// <summary>Days per page of the water history (newest first).</summary>
    public const int WaterHistoryDays = 100;

    static async Task<IResult> WaterHistoryAsync(HttpContext http, AlyxDb db, AlyxClock clock, Guid subjectId, CancellationToken ct)
    {
        if (RefuseView(http) is { } refused) return refused;
        var wc = await WaterControl.LoadAsync(db, subjectId, clock, ct);
        if (wc is null) return NotFound(http, "No subject with this id.");
        var page = PageOf(http.Request);
        var records = new List<WaterRecord>();
        var more = false;
        // The REST engine's days (to_jsonable): from the first weighing or administration to today, each at the first's time of day.
        if (wc.FirstDate() is { } first)
        {
            var days = (wc.Now.Date - first.Date).Days + 1;
            var newest = days - 1 - (page - 1) * WaterHistoryDays;
            if (newest >= 0)
            {
                var oldest = Math.Max(0, newest - WaterHistoryDays + 1);
                records.AddRange(wc.Records(first.AddDays(oldest), first.AddDays(newest)).Reverse());
                more = oldest > 0;
            }
        }
        return AdminForms.Page<WaterHistoryPage>(http, new
        {
            SubjectId = subjectId,
            wc.Nickname,
            Chart = WeighingChart.For(wc),
            OpenSince = wc.Restrictions.Where(r => r.End is null).Select(r => (DateTime?)r.Start).LastOrDefault(),
            Records = records,
            Page = page,
            More = more,
        });
    }

    static async Task<IResult> WeighingPlotAsync(HttpContext http, AlyxDb db, AlyxClock clock, Guid subjectId, CancellationToken ct)
    {
        if (RefuseView(http) is { } refused) return refused;
        var wc = await WaterControl.LoadAsync(db, subjectId, clock, ct);
        if (wc is null) return NotFound(http, "No subject with this id.");
        http.Response.Headers.CacheControl = "no-cache, no-store";
        return new RazorComponentResult<WeighingPlot>(new { Chart = WeighingChart.For(wc) }) { ContentType = "image/svg+xml; charset=utf-8" };
    }

    static async Task<IResult> SubjectHistoryAsync(HttpContext http, AlyxDb db, Guid subjectId, CancellationToken ct)
    {
        if (RefuseView(http) is { } refused) return refused;
        var nickname = await NicknameAsync(db, subjectId, ct);
        if (nickname is null) return NotFound(http, "No subject with this id.");
        var page = PageOf(http.Request);
        var (items, more) = await SubjectHistory.LoadAsync(db, subjectId, page, ct);
        return AdminForms.Page<SubjectHistoryPage>(http, new { SubjectId = subjectId, Nickname = nickname, Items = items, Page = page, More = more });
    }

    static async Task<IResult> TodayAsync(HttpContext http, AlyxDb db, AlyxClock clock, CancellationToken ct) =>
        RefuseView(http) ?? await TodayPageAsync(http, db, clock, null, null, StatusCodes.Status200OK, ct);

    static async Task<IResult> TodayPageAsync(HttpContext http, AlyxDb db, AlyxClock clock, TodayEntry? failed, string? message, int status,
        CancellationToken ct)
    {
        var query = http.Request.Query;
        string? lab = query["lab"], user = query["user"];
        var page = PageOf(http.Request);
        var (rows, more) = await TodayBoard.LoadAsync(db, clock, lab, user, page, ct);
        var (labs, users) = await TodayBoard.ChoicesAsync(db, clock, ct);
        // The entry form is offered on the rows the user may change (one query for the page).
        var changeable = await ActionPermissions.ChangeableSubjectsAsync(http, db, rows.Select(r => r.SubjectId).ToList(), ct);
        if (message is null && query["saved"].ToString() is { Length: > 0 } saved) message = $"Weight and water saved for {saved}.";
        return AdminForms.Page<TodayPage>(http, new
        {
            clock.Today,
            Rows = rows,
            Labs = labs,
            Users = users,
            Lab = lab,
            User = user,
            Page = page,
            More = more,
            Message = message,
            Failed = failed,
            Changeable = changeable,
        }, status);
    }

    static IResult? RefuseReadOnly(HttpContext http) =>
        http.RequiredUser().IsPublicUser
            ? AdminForms.Page<ActionMessagePage>(http, new { Title = "Permission denied", Text = "Public users can look but not change anything." },
                StatusCodes.Status403Forbidden)
            : null;

    static IResource ResourceFor(HttpContext http, string path) =>
        http.RequestServices.GetRequiredService<ApiCatalog>().Resources.Single(r => r.Path == path);

    /// <summary>The errors of a refused write, by field (<c>detail</c> for a whole-request refusal).</summary>
    static void Collect(ResourceOutcome outcome, Dictionary<string, IReadOnlyList<string>> into)
    {
        if (outcome.Refused is { } refusal) into["non_field_errors"] = [refusal];
        foreach (var (field, messages) in outcome.Errors.ToBody())
        {
            if (field == "status_code" || messages is not JsonArray list) continue;
            into[field] = [.. list.Select(m => m!.GetValue<string>())];
        }
        if (into.Count == 0) into["non_field_errors"] = ["The entry was refused."];
    }

    /// <summary>
    /// One form, two writes in one transaction: a weighing and a water administration for the subject (either may be left
    /// empty, not both), through the REST resources' validation. Any error writes nothing and shows the page again (400).
    /// </summary>
    static async Task<IResult> TodayPostAsync(HttpContext http, AlyxDb db, AlyxClock clock, CancellationToken ct)
    {
        if (RefuseReadOnly(http) is { } refused) return refused;
        var form = await http.Request.ReadFormAsync(ct);
        var weight = form["weight"].ToString().Trim();
        var water = form["water_administered"].ToString().Trim();
        var errors = new Dictionary<string, IReadOnlyList<string>>();
        if (!Guid.TryParse(form["subject_id"], out var subjectId)) return NotFound(http, "No subject with this id.");
        var nickname = await NicknameAsync(db, subjectId, ct);
        if (nickname is null) return NotFound(http, "No subject with this id.");
        if (!await ActionPermissions.MayChangeSubjectAsync(http, db, subjectId, ct)) return RefuseChange(http);
        if (weight.Length == 0 && water.Length == 0) errors["non_field_errors"] = ["Enter a weight, a volume of water, or both."];
        else
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (weight.Length > 0)
            {
                var outcome = await ResourceFor(http, "weighings").WriteAsync(http, db, null,
                    new RequestData(new JsonObject { ["subject"] = nickname, ["weight"] = weight }, null, true), ct);
                if (!outcome.Succeeded) Collect(outcome, errors);
            }
            if (errors.Count == 0 && water.Length > 0)
            {
                var outcome = await ResourceFor(http, "water-administrations").WriteAsync(http, db, null,
                    new RequestData(new JsonObject { ["subject"] = nickname, ["water_administered"] = water }, null, true), ct);
                if (!outcome.Succeeded) Collect(outcome, errors);
            }
            if (errors.Count == 0) await tx.CommitAsync(ct);
            else
            {
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
            }
        }
        if (errors.Count > 0)
            return await TodayPageAsync(http, db, clock, new TodayEntry(subjectId, weight, water, errors), null, StatusCodes.Status400BadRequest, ct);
        var query = http.Request.Query;
        var target = "/admin-actions/today/" + TodayEntry.Query(query["lab"], query["user"], PageOf(http.Request));
        target += (target.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "saved=" + Uri.EscapeDataString(nickname) + "#s-" + subjectId;
        return Results.Redirect(target);
    }

    /// <summary>Starts a water restriction now (the REST create: reference weight from the last weighing, one open restriction at most).</summary>
    static async Task<IResult> StartRestrictionAsync(HttpContext http, AlyxDb db, Guid subjectId, CancellationToken ct)
    {
        if (RefuseReadOnly(http) is { } refused) return refused;
        var nickname = await NicknameAsync(db, subjectId, ct);
        if (nickname is null) return NotFound(http, "No subject with this id.");
        if (!await ActionPermissions.MayChangeSubjectAsync(http, db, subjectId, ct)) return RefuseChange(http);
        var outcome = await ResourceFor(http, "water-restriction").WriteAsync(http, db, null,
            new RequestData(new JsonObject { ["subject"] = nickname }, null, true), ct);
        return await AfterRestrictionAsync(http, subjectId, outcome, ct);
    }

    /// <summary>Ends the subject's open water restriction now (the REST partial update), for those who may change it (§6.3).</summary>
    static async Task<IResult> EndRestrictionAsync(HttpContext http, AlyxDb db, AlyxClock clock, Guid subjectId, CancellationToken ct)
    {
        if (RefuseReadOnly(http) is { } refused) return refused;
        var open = await db.Set<WaterRestriction>().AsNoTracking()
            .Where(r => r.SubjectId == subjectId && r.StartTime != null && r.EndTime == null)
            .OrderByDescending(r => r.StartTime).Select(r => new { r.Id })
            .FirstOrDefaultAsync(ct);
        if (open is null) return NotFound(http, "This subject has no open water restriction.");
        if (!await ActionPermissions.MayEndRestrictionAsync(http, db, subjectId, open.Id, ct)) return RefuseChange(http);
        var now = clock.Now.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture);
        var outcome = await ResourceFor(http, "water-restriction").WriteAsync(http, db, open.Id,
            new RequestData(new JsonObject { ["end_time"] = now }, null, true), ct);
        return await AfterRestrictionAsync(http, subjectId, outcome, ct);
    }

    static async Task<IResult> AfterRestrictionAsync(HttpContext http, Guid subjectId, ResourceOutcome outcome, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var back = AdminForms.SafeNext(form["next"], $"/admin/subjects/subject/{subjectId}/change/");
        if (outcome.Succeeded) return Results.Redirect(back);
        var errors = new Dictionary<string, IReadOnlyList<string>>();
        Collect(outcome, errors);
        return AdminForms.Page<ActionMessagePage>(http, new
        {
            Title = "Water restriction not changed",
            Text = string.Join(" ", errors.SelectMany(e => e.Value)),
            Back = back,
        }, StatusCodes.Status400BadRequest);
    }
}
