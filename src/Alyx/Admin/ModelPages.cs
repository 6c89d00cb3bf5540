using System.Globalization;
using System.Text.Json.Nodes;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Admin;

/// <summary>
/// The pages of every model, at Django's admin URLs, from its resource declaration and admin options: list, add, change,
/// delete (with its confirmation), the app index and the search-as-you-type lookup.
/// </summary>
public static class ModelPages
{
    public const int PageSize = 100;

    /// <summary>The list page's own query parameters; every other one is a REST filter.</summary>
    static readonly HashSet<string> ListParameters = ["q", "o", "p", "_saved"];

    public static void MapModelPages(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapAdminGroup();
        admin.MapGet("/autocomplete/{app}/{model}/", LookupAsync);
        admin.MapGet("/{app}/", AppIndex);
        admin.MapGet("/{app}/{model}/", ListAsync);
        admin.MapGet("/{app}/{model}/add/", AddFormAsync);
        admin.MapPost("/{app}/{model}/add/", AddAsync);
        admin.MapGet("/{app}/{model}/{id}/", RedirectToChange);
        admin.MapGet("/{app}/{model}/{id}/change/", ChangeFormAsync);
        admin.MapPost("/{app}/{model}/{id}/change/", ChangeAsync);
        admin.MapGet("/{app}/{model}/{id}/delete/", DeleteFormAsync);
        admin.MapPost("/{app}/{model}/{id}/delete/", DeleteAsync);
    }

    static AdminModel? Find(AdminModels models, AlyxDb db, string app, string model) => models.Find(db.Model, app, model);

    /// <summary>The model and the primary key the URL names (a UUID, or an integer for integer-keyed models); null when either is unknown.</summary>
    static (AdminModel Model, object Key)? Find(AdminModels models, AlyxDb db, string app, string model, string id) =>
        Find(models, db, app, model) is { } m && m.TryParseKey(id, out var key) ? (m, key) : null;

    static IResult RedirectToChange(HttpContext http, string app, string model, string id, AdminModels models, AlyxDb db) =>
        Find(models, db, app, model, id) is { } found ? Results.Redirect(found.Model.ChangeUrl(found.Key)) : NotFound(http, $"{app}/{model}");

    static IResult NotFound(HttpContext http, string what) => AdminForms.Page<NotFoundPage>(http, new { What = what }, StatusCodes.Status404NotFound);

    static IResult Forbidden(HttpContext http) => AdminForms.Page<ForbiddenPage>(http, null, StatusCodes.Status403Forbidden);

    static IResult AppIndex(HttpContext http, string app, AdminModels models, AlyxDb db) =>
        !models.All(db.Model).Any(m => m.App == app) ? NotFound(http, "app " + app)
        : AdminPermissions.CanView(http) ? AdminForms.Page<IndexPage>(http, new { App = app })
        : Forbidden(http);

    // ---- list ----

    static async Task<IResult> ListAsync(HttpContext http, string app, string model, AdminModels models, AlyxDb db, ListCounts counts, CancellationToken ct)
    {
        if (Find(models, db, app, model) is not { } m || !m.Resource.Verbs.HasFlag(Verbs.List)) return NotFound(http, $"{app}/{model}");
        if (!AdminPermissions.CanView(http)) return Forbidden(http);
        var parameters = QueryParams.Of(http.Request);
        var filters = parameters.Where(kv => !ListParameters.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var search = parameters.GetValueOrDefault("q").LastOrDefault()?.Trim();
        var columns = Columns(m);
        var sortParam = parameters.GetValueOrDefault("o").LastOrDefault();
        var sortColumn = columns.FirstOrDefault(c => c.Sort is not null && (sortParam == c.Field || sortParam == "-" + c.Field));
        var sort = sortColumn is null ? null : (sortParam![0] == '-' ? "-" : "") + sortColumn.Sort;
        var page = int.TryParse(parameters.GetValueOrDefault("p").LastOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var result = await AdminQueries.ListAsync(m, db, http.Request, counts, new AdminListQuery(filters, search, sort, (page - 1) * PageSize, PageSize), ct);
        var panels = new List<FilterPanel>();
        foreach (var filter in m.Options.Filters) panels.Add(await PanelAsync(filter, db, http.Request, ct));
        return AdminForms.Page<ListPage>(http, new Dictionary<string, object?>
        {
            ["Model"] = m,
            ["Result"] = result,
            ["Columns"] = columns,
            ["Search"] = search,
            ["Sort"] = sortParam,
            ["PageNumber"] = page,
            ["Filters"] = panels,
            ["CanAdd"] = AdminPermissions.CanAdd(http, m),
        });
    }

    /// <summary>The declared columns, or the first simple fields of the REST list item (those that are entity properties sort).</summary>
    static IReadOnlyList<AdminColumn> Columns(AdminModel m)
    {
        if (m.Options.Columns is { } declared) return declared;
        var sortable = m.EntityType.GetProperties().Where(p => p.PropertyInfo is not null)
            .ToDictionary(p => p.DjangoNameOf(), p => p.Name, StringComparer.Ordinal);
        return (m.Resource.ListSerializer ?? m.Resource.Serializer).Fields
            .Where(f => !f.WriteOnly && f.Name is not ("url" or "id" or "json") && f.Kind is not (FieldKind.SlugList or FieldKind.Json or FieldKind.Image))
            .Where(f => f.MaxLength is null or <= 255 || f.Kind != FieldKind.String || f.Name == "name")
            .Take(6)
            .Select(f => new AdminColumn(f.Name, null, sortable.GetValueOrDefault(f.Name)))
            .ToList();
    }

    public sealed record FilterPanel(string Title, string Parameter, IReadOnlyList<(string Label, string Href, bool Selected)> Choices);

    static async Task<FilterPanel> PanelAsync(AdminFilter filter, AlyxDb db, HttpRequest request, CancellationToken ct)
    {
        var current = QueryParams.Of(request).GetValueOrDefault(filter.Parameter).LastOrDefault();
        var choices = filter.Choices?.ToList() ?? [];
        if (filter.ChoicesFrom is { } source)
        {
            var values = await (Task<List<string>>)typeof(ModelPages).GetMethod(nameof(ValuesAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                .MakeGenericMethod(source.Entity).Invoke(null, [db, source.Path, ct])!;
            choices = values.Select(v => (v, v)).ToList();
        }
        var list = new List<(string, string, bool)> { ("All", With(request, filter.Parameter, null), string.IsNullOrEmpty(current)) };
        list.AddRange(choices.Select(c => (c.Label, With(request, filter.Parameter, c.Value), current == c.Value)));
        return new FilterPanel(filter.Title, filter.Parameter, list);
    }

    static Task<List<string>> ValuesAsync<TEntity>(AlyxDb db, string path, CancellationToken ct) where TEntity : class
    {
        var text = Paths.Text<TEntity>(path);
        return db.Set<TEntity>().AsNoTracking().Select(text).Where(v => v != "").Distinct().OrderBy(v => v).Take(AdminFilter.MaxChoices).ToListAsync(ct);
    }

    /// <summary>This page's address with one query parameter set (or removed), the page number reset.</summary>
    public static string With(HttpRequest request, string key, string? value)
    {
        var parameters = QueryParams.Of(request).Where(kv => kv.Key != key && kv.Key != "p" && kv.Key != "_saved")
            .SelectMany(kv => kv.Value.Select(v => (kv.Key, Value: v ?? ""))).ToList();
        if (value is not null) parameters.Add((key, value));
        var query = string.Join("&", parameters.Select(x => Uri.EscapeDataString(x.Key) + "=" + Uri.EscapeDataString(x.Value)));
        return request.Path + (query.Length > 0 ? "?" + query : "");
    }

    // ---- lookup ----

    static async Task<IResult> LookupAsync(HttpContext http, string app, string model, AdminModels models, AlyxDb db, CancellationToken ct)
    {
        if (Find(models, db, app, model) is not { } m) return Results.NotFound();
        if (!AdminPermissions.CanView(http)) return Results.StatusCode(StatusCodes.Status403Forbidden);
        var term = http.Request.Query["term"].ToString();
        var page = int.TryParse(http.Request.Query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        var (results, more) = await AdminQueries.LookupAsync(m, db, term, page, ct);
        return Results.Json(new JsonObject
        {
            ["results"] = new JsonArray(results.Select(r => (JsonNode)new JsonObject { ["id"] = r.Value, ["text"] = r.Text }).ToArray()),
            ["more"] = more,
        });
    }

    // ---- add and change ----

    static async Task<IResult> AddFormAsync(HttpContext http, string app, string model, AdminModels models, AlyxDb db, CancellationToken ct)
    {
        if (Find(models, db, app, model) is not { } m || !m.CanCreate) return NotFound(http, $"{app}/{model}");
        if (!AdminPermissions.CanAdd(http, m)) return Forbidden(http);
        // Initial values from the query string, as Django's add view takes them (?subject=...).
        var initial = new JsonObject();
        foreach (var (key, value) in QueryParams.Of(http.Request)) initial[key] = value.LastOrDefault();
        var form = await AdminForm.BuildAsync(m, models, db, http, null, initial, new ErrorMap(), ct);
        return AdminForms.Page<ChangePage>(http, new { Model = m, Form = form });
    }

    static async Task<IResult> AddAsync(HttpContext http, string app, string model, AdminModels models, AlyxDb db, CancellationToken ct)
    {
        if (Find(models, db, app, model) is not { } m || !m.CanCreate) return NotFound(http, $"{app}/{model}");
        if (!AdminPermissions.CanAdd(http, m)) return Forbidden(http);
        return await SaveAsync(http, m, models, db, null, ct);
    }

    static async Task<IResult> ChangeFormAsync(HttpContext http, string app, string model, string id, AdminModels models, AlyxDb db, CancellationToken ct)
    {
        if (Find(models, db, app, model, id) is not (var m, var key)) return NotFound(http, $"{app}/{model}");
        if (!AdminPermissions.CanView(http)) return Forbidden(http);
        var values = await m.Resource.ReadJsonAsync(db, http.Request, key, ct);
        if (values is null) return NotFound(http, $"{m.Verbose} with ID “{id}”");
        var form = await AdminForm.BuildAsync(m, models, db, http, key, values, new ErrorMap(), ct);
        return AdminForms.Page<ChangePage>(http, new { Model = m, Form = form });
    }

    static async Task<IResult> ChangeAsync(HttpContext http, string app, string model, string id, AdminModels models, AlyxDb db, CancellationToken ct)
    {
        if (Find(models, db, app, model, id) is not (var m, var key)) return NotFound(http, $"{app}/{model}");
        if (!await AdminPermissions.CanChangeAsync(http, m, db, key, ct)) return Forbidden(http);
        return await SaveAsync(http, m, models, db, key, ct);
    }

    /// <summary>The posted form through the resource's write path; errors re-render the form with them next to their fields.</summary>
    static async Task<IResult> SaveAsync(HttpContext http, AdminModel m, AdminModels models, AlyxDb db, object? id, CancellationToken ct)
    {
        var posted = await http.Request.ReadFormAsync(ct);
        var shown = await AdminForm.BuildAsync(m, models, db, http, id, id is null ? [] : await m.Resource.ReadJsonAsync(db, http.Request, id, ct) ?? [],
            new ErrorMap(), ct);
        var body = AdminForm.Body(shown, posted);
        var relations = AdminForm.Relations(shown, posted);
        // The object, its editable inline rows and its admin-only relations are written in one transaction: any error writes nothing.
        var editing = shown.InlineForms.Any(f => f is not null);
        await using var tx = editing || relations.Count > 0 ? await db.Database.BeginTransactionAsync(ct) : null;
        var outcome = await m.Resource.WriteAsync(http, db, id, new RequestData(body, null, true), ct);
        if (outcome.Error is not null) return NotFound(http, $"{m.Verbose} with ID “{(id is null ? "" : AdminModel.KeyText(id))}”");
        var formsets = shown.InlineForms.ToList();
        var saved = outcome.Succeeded;
        if (saved)
            foreach (var (relation, values) in relations)
            {
                db.ChangeTracker.Clear();
                await relation.WriteAsync(db, outcome.Key!, values, outcome.Errors, ct);
            }
        saved &= !outcome.Errors.Any;
        if (editing)
        {
            db.ChangeTracker.Clear();
            var parent = ParentValue(m, shown, body, id!);
            for (var i = 0; i < formsets.Count; i++)
            {
                if (formsets[i] is not { } formset) continue;
                var (result, ok) = await AdminInlineForms.SaveAsync(formset, shown.Inlines[i], parent, posted, models, db, http, ct);
                formsets[i] = result;
                saved &= ok;
            }
        }
        if (!saved)
        {
            if (tx is not null)
            {
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
            }
            var values = AdminForm.Values(shown, posted);
            var form = await AdminForm.BuildAsync(m, models, db, http, id, values, outcome.Errors, ct, editing ? formsets : null);
            return AdminForms.Page<ChangePage>(http, new { Model = m, Form = form, Refused = outcome.Refused }, StatusCodes.Status200OK);
        }
        if (tx is not null) await tx.CommitAsync(ct);
        var newId = outcome.Key!;
        var name = await AdminQueries.DisplayAsync(m, db, newId, ct) ?? AdminModel.KeyText(newId);
        var verb = id is null ? "added" : "changed";
        if (posted.ContainsKey("_continue"))
        {
            AdminForms.Flash(http, $"The {m.Verbose} “{name}” was {verb} successfully. You may edit it again below.");
            return Results.Redirect(m.ChangeUrl(newId));
        }
        if (posted.ContainsKey("_addanother"))
        {
            AdminForms.Flash(http, $"The {m.Verbose} “{name}” was {verb} successfully. You may add another {m.Verbose} below.");
            return Results.Redirect(m.AddUrl);
        }
        AdminForms.Flash(http, $"The {m.Verbose} “{name}” was {verb} successfully.");
        return Results.Redirect(m.ListUrl);
    }

    /// <summary>What new inline rows refer to the object by: its slug as saved now (a subject's nickname), else its id.</summary>
    static string ParentValue(AdminModel m, AdminForm shown, JsonObject body, object id) =>
        m.Resource.SlugName is not { } slug ? AdminModel.KeyText(id)
        : body[slug] is JsonValue v && v.TryGetValue<string>(out var posted) && posted.Length > 0 ? posted
        : shown.Fields.FirstOrDefault(f => f.Name == slug)?.Value is { Length: > 0 } value ? value
        : AdminModel.KeyText(id);

    // ---- delete ----

    static async Task<IResult> DeleteFormAsync(HttpContext http, string app, string model, string id, AdminModels models, AlyxDb db, CancellationToken ct)
    {
        if (Find(models, db, app, model, id) is not (var m, var key)) return NotFound(http, $"{app}/{model}");
        if (!AdminPermissions.CanDelete(http, m)) return Forbidden(http);
        var name = await AdminQueries.DisplayAsync(m, db, key, ct);
        if (name is null) return NotFound(http, $"{m.Verbose} with ID “{id}”");
        var cascade = await AdminRelated.CascadeAsync(models, db, m.EntityType, key, ct);
        return AdminForms.Page<DeletePage>(http, new { Model = m, Id = key, Name = name, Cascade = cascade });
    }

    static async Task<IResult> DeleteAsync(HttpContext http, string app, string model, string id, AdminModels models, AlyxDb db, CancellationToken ct)
    {
        if (Find(models, db, app, model, id) is not (var m, var key)) return NotFound(http, $"{app}/{model}");
        if (!AdminPermissions.CanDelete(http, m)) return Forbidden(http);
        var name = await AdminQueries.DisplayAsync(m, db, key, ct);
        if (name is null) return NotFound(http, $"{m.Verbose} with ID “{id}”");
        var outcome = await m.Resource.DeleteAsync(http, db, key, ct);
        if (!outcome.Succeeded)
        {
            var cascade = await AdminRelated.CascadeAsync(models, db, m.EntityType, key, ct);
            return AdminForms.Page<DeletePage>(http, new { Model = m, Id = key, Name = name, Cascade = cascade, Refused = outcome.Refused ?? "The object could not be deleted." });
        }
        AdminForms.Flash(http, $"The {m.Verbose} “{name}” was deleted successfully.");
        return Results.Redirect(m.ListUrl);
    }

}
