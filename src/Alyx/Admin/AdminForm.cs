using System.Text.Json.Nodes;
using Alyx.Auth;
using Alyx.Database;
using Alyx.Http;
using Alyx.Subjects;

namespace Alyx.Admin;

/// <summary>One input of a change form: a field of the resource's serializer, its value as text, its errors (the REST API's words).</summary>
public sealed record AdminFormField(Field Field, string Label, string Value, bool ReadOnly, string? LookupUrl, IReadOnlyList<string> Errors)
{
    /// <summary>The input names' prefix of an inline row (<c>weighing-0-</c>); empty on the object's own form.</summary>
    public string Prefix { get; init; } = "";

    public string Name => Prefix + Field.Name;

    public string Id => "id_" + Name;

    /// <summary>The admin-only relation this field edits (not part of the REST body), if it is one.</summary>
    public AdminRelation? Relation { get; init; }
}

public sealed record AdminFormSection(string Title, IReadOnlyList<AdminFormField> Fields);

/// <summary>
/// The add or change form of a model: the write serializer's fields (Django's fieldsets from the admin options), their
/// values (the REST detail, the query string of an add page, or what was posted), errors, permissions, inlines.
/// </summary>
public sealed class AdminForm
{
    /// <summary>The object's primary key (a UUID, or an integer for integer-keyed models); null on add pages.</summary>
    public object? Id { get; init; }

    /// <summary>The object's name (Django's __str__), on change pages.</summary>
    public string? Name { get; init; }

    public required IReadOnlyList<AdminFormSection> Sections { get; init; }

    public IReadOnlyList<string> NonFieldErrors { get; init; } = [];

    /// <summary>The user may save this form (add permission, or change permission on this object).</summary>
    public bool Editable { get; init; }

    public bool Deletable { get; init; }

    public IReadOnlyList<InlineTable> Inlines { get; init; } = [];

    /// <summary>The editable inlines' formsets, by position in <see cref="Inlines"/> (null: that inline is a read-only table).</summary>
    public IReadOnlyList<InlineFormSet?> InlineForms { get; init; } = [];

    public IEnumerable<AdminFormField> Fields => Sections.SelectMany(s => s.Fields);

    public int ErrorCount => Fields.Count(f => f.Errors.Count > 0) + (NonFieldErrors.Count > 0 ? 1 : 0) + InlineForms.Sum(f => f?.ErrorCount ?? 0);

    public static async Task<AdminForm> BuildAsync(AdminModel m, AdminModels models, AlyxDb db, HttpContext http, object? id, JsonObject values,
        ErrorMap errors, CancellationToken ct, IReadOnlyList<InlineFormSet?>? inlineForms = null)
    {
        var user = http.RequiredUser();
        var creating = id is null;
        var editable = creating ? AdminPermissions.CanAdd(http, m) : await AdminPermissions.CanChangeAsync(http, m, db, id!, ct);
        var serializer = creating ? m.Resource.CreateSerializer ?? m.Resource.Serializer : m.Resource.Serializer;
        var messages = errors.ToBody(serializer);
        var lockedResponsible = !creating && m.Resource.Entity == typeof(Subject)
            && !await AdminPermissions.CanChangeResponsibleUserAsync(user, db, await ResponsibleOfAsync(db, (Guid)id!, ct), ct);
        var fields = new List<AdminFormField>();
        foreach (var field in serializer.Fields)
        {
            if (field.Name is "url" || field.WriteOnly && !editable) continue;
            if (field.ReadOnly && (creating || field.Kind == FieldKind.Json)) continue;   // nested lists are the inlines' job
            var readOnly = field.ReadOnly || !editable || field.Kind == FieldKind.Image || lockedResponsible && field.Name == "responsible_user";
            var errs = messages[field.Name] is JsonArray a ? a.Select(x => x!.GetValue<string>()).ToList() : [];
            fields.Add(new AdminFormField(field, Label(field.Name), readOnly ? AdminQueries.Display(values[field.Name]) : AdminQueries.Text(values[field.Name]), readOnly,
                LookupUrl(m, models, db, field), errs));
        }
        foreach (var relation in m.Options.Relations)
        {
            var readOnly = !editable || relation.SuperuserOnly && !user.IsSuperuser;
            // The posted text when the form comes back with errors, else the stored rows (none on an add page).
            var value = values.ContainsKey(relation.Field.Name) ? AdminQueries.Text(values[relation.Field.Name])
                : id is null ? "" : string.Join(", ", await relation.ReadAsync(db, id, ct));
            var errs = messages[relation.Field.Name] is JsonArray a ? a.Select(x => x!.GetValue<string>()).ToList() : [];
            var target = models.For(db.Model, relation.Target);
            fields.Add(new AdminFormField(relation.Field, Label(relation.Field.Name), value, readOnly,
                target is null ? null : $"/admin/autocomplete/{target.App}/{target.Name}/", errs)
            { Relation = relation });
        }
        var sections = new List<AdminFormSection>();
        var left = fields.ToList();
        foreach (var section in m.Options.Sections)
        {
            var named = section.Fields.Select(n => left.FirstOrDefault(f => f.Name == n)).OfType<AdminFormField>().ToList();
            left.RemoveAll(named.Contains);
            if (named.Count > 0) sections.Add(new AdminFormSection(section.Title, named));
        }
        if (left.Count > 0) sections.Add(new AdminFormSection(sections.Count == 0 ? "" : "Other", left));
        var inlines = new List<InlineTable>();
        var formsets = new List<InlineFormSet?>();
        if (id is Guid parent)
            foreach (var inline in m.Options.Inlines)
            {
                var table = await AdminRelated.InlineAsync(inline, models, db, parent, ct);
                inlines.Add(table);
                formsets.Add(inlineForms is not null ? inlineForms[formsets.Count] : editable ? await AdminInlineForms.BuildAsync(table, models, db, http, ct) : null);
            }
        var nonField = messages["non_field_errors"] is JsonArray n ? n.Select(x => x!.GetValue<string>()).ToList() : [];
        // Errors on fields the form does not show (a hook's key) are shown above the form.
        nonField.AddRange(messages.Where(kv => kv.Key is not ("non_field_errors" or "status_code") && fields.All(f => f.Name != kv.Key))
            .SelectMany(kv => kv.Value is JsonArray arr ? arr.Select(x => $"{kv.Key}: {x}") : []));
        return new AdminForm
        {
            Id = id,
            Name = creating ? null : await AdminQueries.DisplayAsync(m, db, id!, ct),
            Sections = sections,
            NonFieldErrors = nonField,
            Editable = editable,
            Deletable = !creating && AdminPermissions.CanDelete(http, m),
            Inlines = inlines,
            InlineForms = formsets,
        };
    }

    static async Task<Guid?> ResponsibleOfAsync(AlyxDb db, Guid subject, CancellationToken ct) =>
        await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
            db.Subjects.Where(s => s.Id == subject).Select(s => s.ResponsibleUserId), ct);

    /// <summary>Django's verbose field name: <c>responsible_user</c> reads "Responsible user".</summary>
    public static string Label(string field) => AdminModels.Capitalise(field.Replace('_', ' '));

    /// <summary>The search-as-you-type endpoint of the model a reference field points to, if the admin has it.</summary>
    internal static string? LookupUrl(AdminModel m, AdminModels models, AlyxDb db, Field field)
    {
        if (field.Kind is not (FieldKind.Slug or FieldKind.SlugList or FieldKind.Uuid)) return null;
        var target = m.EntityType.GetNavigations().Where(n => n.DjangoNameOf() == field.Name).Select(n => n.TargetEntityType.ClrType)
            .Concat(m.EntityType.GetSkipNavigations().Where(n => n.DjangoNameOf() == field.Name).Select(n => n.TargetEntityType.ClrType))
            .FirstOrDefault();
        return target is null || models.For(db.Model, target) is not { } related ? null : $"/admin/autocomplete/{related.App}/{related.Name}/";
    }

    /// <summary>
    /// The write body from a posted form, for the fields this form lets the user edit (others keep their values: the change
    /// is a PATCH): an unticked box is false, a list is comma-separated, an empty value is null where the field allows it.
    /// </summary>
    public static JsonObject Body(AdminForm shown, IFormCollection posted) => Body(shown.Fields.Where(f => f.Relation is null), posted);

    /// <summary>The posted values of the form's editable admin-only relations (<see cref="AdminOptions.Relations"/>).</summary>
    public static List<(AdminRelation Relation, List<string> Values)> Relations(AdminForm shown, IFormCollection posted) =>
        shown.Fields.Where(f => f.Relation is not null && !f.ReadOnly)
            .Select(f => (f.Relation!, posted[f.Name].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList()))
            .ToList();

    public static JsonObject Body(IEnumerable<AdminFormField> fields, IFormCollection posted)
    {
        var body = new JsonObject();
        foreach (var field in fields.Where(f => !f.ReadOnly))
        {
            var raw = posted[field.Name].ToString();
            switch (field.Field.Kind)
            {
                case FieldKind.Boolean:
                    body[field.Field.Name] = posted.ContainsKey(field.Name) && raw is not ("" or "false" or "off");
                    break;
                case FieldKind.SlugList:
                    body[field.Field.Name] = new JsonArray(raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
                    break;
                default:
                    if (!posted.ContainsKey(field.Name)) break;
                    body[field.Field.Name] = raw.Trim().Length == 0 && field.Field.Nullable ? null : JsonValue.Create(raw);
                    break;
            }
        }
        return body;
    }

    /// <summary>What the user posted, to show again beside the errors.</summary>
    public static JsonObject Values(AdminForm shown, IFormCollection posted) => Values(shown.Fields, posted);

    public static JsonObject Values(IEnumerable<AdminFormField> fields, IFormCollection posted)
    {
        var values = new JsonObject();
        foreach (var field in fields)
            values[field.Field.Name] = field.ReadOnly ? JsonValue.Create(field.Value)
                : field.Field.Kind == FieldKind.Boolean ? JsonValue.Create(posted.ContainsKey(field.Name))
                : JsonValue.Create(posted[field.Name].ToString());
        return values;
    }
}
