namespace Alyx.Admin;

/// <summary>
/// What only a person needs of a model, declared next to its resource (Django's ModelAdmin options): list columns, search
/// fields, list filters, form sections, inlines. Everything is optional; a model without a declaration gets defaults from
/// its resource declaration and its entity. Paths name entity properties, dotted through navigations (<c>Subject.Nickname</c>).
/// </summary>
public sealed record AdminOptions
{
    /// <summary>list_display: the list columns, fields of the REST list item (default: its first simple fields).</summary>
    public IReadOnlyList<AdminColumn>? Columns { get; init; }

    /// <summary>search_fields: text properties that <c>?q=</c> searches (any of them containing the words, case-insensitively).</summary>
    public IReadOnlyList<string>? Search { get; init; }

    /// <summary>list_filter: the REST API's filters offered beside the list.</summary>
    public IReadOnlyList<AdminFilter> Filters { get; init; } = [];

    /// <summary>fieldsets: titled groups of the serializer's fields; fields not named go in a last section.</summary>
    public IReadOnlyList<AdminSection> Sections { get; init; } = [];

    /// <summary>The related rows shown on the change page (Django's inlines): weighings of a subject, pups of a litter...</summary>
    public IReadOnlyList<AdminInline> Inlines { get; init; } = [];

    /// <summary>The object's name in titles, lookups and the delete page (Django's __str__): property paths joined by spaces.</summary>
    public IReadOnlyList<string>? Display { get; init; }

    /// <summary>The default sort (a path, '-' in front for descending) where the REST ordering is not the one people want.</summary>
    public string? Ordering { get; init; }

    /// <summary>
    /// Many-to-many fields the form edits that the REST representation does not carry (Django's UserAdmin: a user's groups),
    /// after the serializer's fields; saved in the same transaction as the object.
    /// </summary>
    public IReadOnlyList<AdminRelation> Relations { get; init; } = [];
}

/// <summary>
/// An admin-only many-to-many field: its form field (a <see cref="Http.FieldKind.SlugList"/>: the related rows' names,
/// chosen with search-as-you-type on <paramref name="Target"/>'s lookup), how the object's current values are read, and how a
/// posted list replaces them (adding the REST API's words to the errors for unknown names; nothing is written then). With
/// <paramref name="SuperuserOnly"/> only superusers change it; others see it read-only.
/// </summary>
public sealed record AdminRelation(Http.Field Field, Type Target, Func<Database.AlyxDb, object, CancellationToken, Task<List<string>>> ReadAsync,
    Func<Database.AlyxDb, object, List<string>, Http.ErrorMap, CancellationToken, Task> WriteAsync, bool SuperuserOnly = false);

/// <summary>A list column: the REST list item's field, its heading, and the property it sorts by (none: not sortable).</summary>
public sealed record AdminColumn(string Field, string? Title = null, string? Sort = null);

/// <summary>
/// A filter beside the list: a query parameter of the resource's REST filters and its choices, either fixed (value, label)
/// or the values of a text property of another entity (<paramref name="ChoicesFrom"/>: the entity and the property path),
/// at most <see cref="AdminFilter.MaxChoices"/> of them.
/// </summary>
public sealed record AdminFilter(string Parameter, string Title, IReadOnlyList<(string Value, string Label)>? Choices = null,
    (Type Entity, string Path)? ChoicesFrom = null)
{
    public const int MaxChoices = 40;

    public static AdminFilter YesNo(string parameter, string title) => new(parameter, title, [("True", "Yes"), ("False", "No")]);

    public static AdminFilter Values<TEntity>(string parameter, string title, string path) => new(parameter, title, null, (typeof(TEntity), path));
}

/// <summary>A fieldset: a title and the serializer fields it holds, in order.</summary>
public sealed record AdminSection(string Title, params string[] Fields);

/// <summary>
/// Rows of <paramref name="Entity"/> whose <paramref name="ForeignKey"/> (a Guid property: <c>SubjectId</c>) is the object's id,
/// newest or first by <paramref name="OrderBy"/> (a path, '-' for descending), shown as a table of <paramref name="Columns"/>
/// (heading, path) with links to their change pages. <paramref name="AddField"/> names the add form's field that the
/// "Add" link fills with the object's <paramref name="AddValuePath"/> (the subject's nickname).
/// </summary>
public sealed record AdminInline(string Title, Type Entity, string ForeignKey, IReadOnlyList<(string Title, string Path)> Columns,
    string? OrderBy = null, string? AddField = null, string? AddValuePath = null)
{
    /// <summary>Rows shown; more are counted and linked to the filtered list.</summary>
    public int Limit { get; init; } = 50;

    /// <summary>The list filter that selects the same rows on the related model's list page (e.g. <c>subject</c>), if any.</summary>
    public string? ListFilter { get; init; }

    /// <summary>
    /// The fields of the related model's write serializer edited in the table (Django's editable inline formset, e.g. a
    /// subject's weighings): null leaves the inline read-only. Editing needs <see cref="AddField"/>, the field that refers
    /// to the object (the object's slug, else its id, fills it in new rows).
    /// </summary>
    public IReadOnlyList<string>? Fields { get; init; }

    /// <summary>Empty rows offered for new related objects under the editable rows (Django's <c>extra</c>).</summary>
    public int Extra { get; init; } = 1;

    public bool Editable => Fields is not null && AddField is not null;

    /// <summary>Rows reached through two keys (a litter's parents through its breeding pair): the path of the id to compare instead of the object's id.</summary>
    public string? ParentKeyPath { get; init; }
}

/// <summary>A model's admin declaration, found by reflection: one class per model, next to its resource (e.g. Subjects/SubjectsAdmin.cs).</summary>
public interface IAdminDeclaration
{
    Type Entity { get; }

    AdminOptions Options { get; }
}

/// <summary>
/// Marks a component as an extra section of a model's change page (the extension point of the change page): it is
/// rendered under the form for every object of <see cref="Entity"/>, with the parameter <c>Guid Id</c> (the object's id),
/// in <see cref="Order"/>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class AdminSectionAttribute(Type entity) : Attribute
{
    public Type Entity { get; } = entity;

    public int Order { get; init; }
}
