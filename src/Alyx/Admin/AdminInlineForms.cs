using System.Globalization;
using System.Linq.Expressions;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Admin;

/// <summary>One row of an editable inline: the related object's id (none for a new row), its inputs, its errors.</summary>
public sealed record InlineFormRow(int Index, Guid? Id, IReadOnlyList<AdminFormField> Fields, bool CanChange, bool Delete, IReadOnlyList<string> Errors)
{
    public bool IsNew => Id is null;
}

/// <summary>
/// An editable inline (Django's inline formset): the rows shown, empty rows for new objects, whether rows may be deleted.
/// Inputs are named <c>{prefix}-{index}-{field}</c>, with <c>{prefix}-{index}-id</c>, <c>{prefix}-{index}-DELETE</c> and
/// <c>{prefix}-TOTAL_FORMS</c>, as Django names them.
/// </summary>
public sealed record InlineFormSet(string Prefix, IReadOnlyList<string> Columns, IReadOnlyList<InlineFormRow> Rows, bool CanAdd, bool CanDelete)
{
    public int ErrorCount => Rows.Sum(r => r.Errors.Count + r.Fields.Count(f => f.Errors.Count > 0));
}

/// <summary>
/// The editable inlines of a change page: built from the inline's rows (their values in one query, their change permissions
/// in one more), and saved row by row through the related model's REST write and delete paths inside the page's transaction.
/// </summary>
public static class AdminInlineForms
{
    /// <summary>Posted rows read at most: the rows shown and their empty rows, with room to spare.</summary>
    const int MaxRows = 1000;

    public static string PrefixOf(AdminInline inline) => inline.Entity.Name.ToLowerInvariant();

    /// <summary>The formset of an editable inline for a user who may change the object; null for a read-only inline.</summary>
    public static async Task<InlineFormSet?> BuildAsync(InlineTable table, AdminModels models, AlyxDb db, HttpContext http, CancellationToken ct)
    {
        if (!table.Inline.Editable || table.Model is not { } child || !child.CanUpdate) return null;
        var ids = table.Rows.Select(r => r.Id).ToList();
        var values = ids.Count == 0 ? [] : await child.Resource.Accept(new ValuesVisitor(db, http.Request, ids, ct));
        var changeable = await AdminPermissions.ChangeableAsync(http, child, db, ids, ct);
        var prefix = PrefixOf(table.Inline);
        var rows = new List<InlineFormRow>();
        foreach (var id in ids)
            rows.Add(Row(child, models, db, table.Inline, prefix, rows.Count, id, values.GetValueOrDefault(id) ?? [], changeable.Contains(id), false, new ErrorMap()));
        var canAdd = AdminPermissions.CanAdd(http, child);
        if (canAdd)
            for (var i = 0; i < table.Inline.Extra; i++) rows.Add(Row(child, models, db, table.Inline, prefix, rows.Count, null, [], true, false, new ErrorMap()));
        var columns = Fields(child, table.Inline, false).Select(f => AdminForm.Label(f.Name)).ToList();
        return new InlineFormSet(prefix, columns, rows, canAdd, AdminPermissions.CanDelete(http, child));
    }

    static IEnumerable<Field> Fields(AdminModel child, AdminInline inline, bool creating)
    {
        var serializer = creating ? child.Resource.CreateSerializer ?? child.Resource.Serializer : child.Resource.Serializer;
        return inline.Fields!.Select(n => serializer.Fields.FirstOrDefault(f => f.Name == n)).OfType<Field>();
    }

    static InlineFormRow Row(AdminModel child, AdminModels models, AlyxDb db, AdminInline inline, string prefix, int index, Guid? id, JsonObject values,
        bool canChange, bool delete, ErrorMap errors)
    {
        var creating = id is null;
        var serializer = creating ? child.Resource.CreateSerializer ?? child.Resource.Serializer : child.Resource.Serializer;
        var messages = errors.ToBody(serializer);
        var fields = new List<AdminFormField>();
        foreach (var field in Fields(child, inline, creating))
        {
            var readOnly = field.ReadOnly || !canChange || field.Kind == FieldKind.Image;
            var errs = messages[field.Name] is JsonArray a ? a.Select(x => x!.GetValue<string>()).ToList() : [];
            fields.Add(new AdminFormField(field, AdminForm.Label(field.Name), readOnly ? AdminQueries.Display(values[field.Name]) : AdminQueries.Text(values[field.Name]),
                readOnly, AdminForm.LookupUrl(child, models, db, field), errs)
            { Prefix = $"{prefix}-{index.ToString(CultureInfo.InvariantCulture)}-" });
        }
        // Errors on fields the row does not show (the reference to the object, a hook's key) are the row's own.
        var rowErrors = messages.Where(kv => kv.Key != "status_code" && fields.All(f => f.Field.Name != kv.Key))
            .SelectMany(kv => kv.Value is JsonArray arr ? arr.Select(x => kv.Key == "non_field_errors" ? x!.GetValue<string>() : $"{kv.Key}: {x}") : [])
            .ToList();
        return new InlineFormRow(index, id, fields, canChange, delete, rowErrors);
    }

    /// <summary>
    /// Writes the posted rows of <paramref name="shown"/> (the formset as built for this request): new rows that were filled
    /// in, changed rows, rows marked for deletion, each through the related model's REST path, in the caller's transaction.
    /// Returns the formset to show again (the posted values, the errors) and whether every row was written.
    /// </summary>
    public static async Task<(InlineFormSet Formset, bool Saved)> SaveAsync(InlineFormSet shown, InlineTable table, string parentValue, IFormCollection posted,
        AdminModels models, AlyxDb db, HttpContext http, CancellationToken ct)
    {
        var child = table.Model!;
        var inline = table.Inline;
        var prefix = shown.Prefix;
        var total = int.TryParse(posted[prefix + "-TOTAL_FORMS"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? Math.Min(n, MaxRows) : 0;
        var byId = shown.Rows.Where(r => r.Id is not null).ToDictionary(r => r.Id!.Value);
        var rows = new List<InlineFormRow>();
        var saved = true;
        for (var i = 0; i < total; i++)
        {
            var rowPrefix = $"{prefix}-{i.ToString(CultureInfo.InvariantCulture)}-";
            var postedId = posted[rowPrefix + "id"].ToString();
            Guid? id = Guid.TryParse(postedId, out var g) ? g : null;
            if (postedId.Length > 0 && (id is null || !byId.ContainsKey(id.Value)))
            {
                // Not one of this object's rows (removed meanwhile, or not the object's): nothing to show or write.
                saved = false;
                rows.Add(new InlineFormRow(i, null, [], false, false, [$"This {child.Verbose} is no longer one of the rows of this {inline.Title.ToLowerInvariant()}; reload the page."]));
                continue;
            }
            var template = id is { } known ? byId[known] : null;
            if (template is null && !shown.CanAdd) continue;
            var canChange = template?.CanChange ?? true;
            var rowFields = Row(child, models, db, inline, prefix, i, id, [], canChange, false, new ErrorMap()).Fields
                .Select(f => f with { Value = template?.Fields.FirstOrDefault(t => t.Field.Name == f.Field.Name)?.Value ?? "" }).ToList();
            var delete = id is not null && posted.ContainsKey(rowPrefix + "DELETE");
            var changed = rowFields.Where(f => !f.ReadOnly).Any(f => Changed(f, posted));
            var errors = new ErrorMap();
            string? refused = null;
            if (delete)
            {
                if (!shown.CanDelete || !canChange) refused = $"You do not have permission to delete this {child.Verbose}.";
                else
                {
                    var outcome = await child.Resource.DeleteAsync(http, db, id!.Value, ct);
                    if (!outcome.Succeeded) refused = outcome.Refused ?? $"The {child.Verbose} could not be deleted.";
                }
            }
            else if (changed)
            {
                if (!canChange) refused = $"You do not have permission to change this {child.Verbose}.";
                else
                {
                    // Only what changed: the other fields keep their values (a PATCH), or their REST defaults in a new row
                    // (the time of day, the user who enters it), as if the row were posted to the REST API.
                    var body = AdminForm.Body(rowFields.Where(f => !f.ReadOnly && Changed(f, posted)), posted);
                    if (id is null) body[inline.AddField!] = parentValue;
                    var outcome = await child.Resource.WriteAsync(http, db, id, new RequestData(body, null, true), ct);
                    if (outcome.Refused is not null) refused = outcome.Refused;
                    else if (!outcome.Succeeded) errors = outcome.Errors.Any ? outcome.Errors : errors.Add("non_field_errors", $"The {child.Verbose} no longer exists.");
                }
            }
            // Each row starts from a clean context: what a refused row left tracked must not ride on the next row's save.
            db.ChangeTracker.Clear();
            if (refused is not null) errors.Add("non_field_errors", refused);
            if (errors.Any) saved = false;
            var values = AdminForm.Values(rowFields, posted);
            rows.Add(Row(child, models, db, inline, prefix, i, id, values, canChange, delete, errors));
        }
        return (shown with { Rows = rows }, saved);
    }

    /// <summary>Django's has_changed: the posted input differs from the value shown (an empty new row is left alone).</summary>
    static bool Changed(AdminFormField field, IFormCollection posted) => field.Field.Kind == FieldKind.Boolean
        ? posted.ContainsKey(field.Name) != (field.Value == "Yes")
        : posted.TryGetValue(field.Name, out var value) && value.ToString().Trim() != field.Value.Trim();

    /// <summary>The REST representations of the inline's rows, by id, in one query (and the resource's one batched enrichment).</summary>
    sealed class ValuesVisitor(AlyxDb db, HttpRequest request, List<Guid> ids, CancellationToken ct) : IResourceVisitor<Task<Dictionary<Guid, JsonObject>>>
    {
        public async Task<Dictionary<Guid, JsonObject>> Visit<T, TList, TDetail>(Resource<T, TList, TDetail> resource)
            where T : class, IEntity, new() where TList : class where TDetail : class
        {
            var item = resource.Project(request);
            var p = item.Parameters[0];
            var init = Expression.MemberInit(Expression.New(typeof(AdminQueries.Row<TList>)),
                Expression.Bind(typeof(AdminQueries.Row<TList>).GetProperty(nameof(AdminQueries.Row<TList>.Id))!,
                    Expression.Convert(Expression.Property(p, nameof(IEntity.Id)), typeof(object))),
                Expression.Bind(typeof(AdminQueries.Row<TList>).GetProperty(nameof(AdminQueries.Row<TList>.Item))!, item.Body));
            var rows = await db.Set<T>().AsNoTracking().Where(e => ids.Contains(e.Id))
                .Select(Expression.Lambda<Func<T, AdminQueries.Row<TList>>>(init, p)).ToListAsync(ct);
            var items = rows.Select(r => r.Item).ToList();
            if (resource.Enrich is not null && items.Count > 0) await resource.Enrich(db, items, ct);
            return rows.Select((r, i) => (r.Id, Json: (JsonObject)JsonSerializer.SerializeToNode(items[i], items[i].GetType(), AlyxJson.Options)!))
                .ToDictionary(x => (Guid)x.Id, x => x.Json);
        }
    }
}
