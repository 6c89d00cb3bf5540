using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Alyx.Admin;

/// <summary>
/// A model of the admin: a resource declaration of the REST API under its Django name (<c>subjects/subject</c>), taken
/// from the entity's model label (<c>subjects.subject</c>), with Django's verbose names.
/// </summary>
public sealed record AdminModel(string App, string Name, string Verbose, string Plural, IResource Resource, IEntityType EntityType)
{
    /// <summary>The model's admin declaration (<see cref="IAdminDeclaration"/>), or the defaults.</summary>
    public AdminOptions Options { get; init; } = new();

    /// <summary>Components rendered under the change form (<see cref="AdminSectionAttribute"/>), in order.</summary>
    public IReadOnlyList<Type> ChangeSections { get; init; } = [];

    /// <summary>The list page, <c>/admin/{app}/{model}/</c>.</summary>
    public string ListUrl => $"/admin/{App}/{Name}/";

    public string AddUrl => $"/admin/{App}/{Name}/add/";

    public string ChangeUrl(object id) => $"/admin/{App}/{Name}/{KeyText(id)}/change/";

    public string DeleteUrl(object id) => $"/admin/{App}/{Name}/{KeyText(id)}/delete/";

    /// <summary>A primary key as the pages' URLs carry it: a lowercase hyphenated UUID, or a decimal integer.</summary>
    public static string KeyText(object id) => id switch
    {
        Guid g => g.ToString("D"),
        int n => n.ToString(CultureInfo.InvariantCulture),
        _ => Convert.ToString(id, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>The primary key a URL segment names, of this model's key type (<see cref="IResource.KeyType"/>); false when it is not one.</summary>
    public bool TryParseKey(string text, [NotNullWhen(true)] out object? key)
    {
        key = null;
        if (Resource.KeyType == typeof(int))
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return false;
            key = number;
            return true;
        }
        if (!Guid.TryParseExact(text, "D", out var id)) return false;
        key = id;
        return true;
    }

    public bool CanCreate => Resource.Verbs.HasFlag(Verbs.Create);

    /// <summary>
    /// The admin changes any model the REST API can write (create or update): the write path is the same; Django's admin
    /// changes weighings that the REST API only creates.
    /// </summary>
    public bool CanUpdate => (Resource.Verbs & (Verbs.Create | Verbs.Update | Verbs.PartialUpdate)) != 0;

    /// <summary>Django's app verbose name (the app label, capitalised; Django's own auth app has its long name).</summary>
    public string AppTitle => App == "auth" ? "Authentication and Authorization" : char.ToUpperInvariant(App[0]) + App[1..];
}

/// <summary>Every model of the admin, from the REST API's resource declarations (<see cref="ApiCatalog.Resources"/>), built once.</summary>
public sealed class AdminModels(ApiCatalog catalog)
{
    /// <summary>Django's verbose_name_plural where it is not the verbose name plus "s" (Alyx's Meta options).</summary>
    static readonly Dictionary<string, string> Plurals = new(StringComparer.Ordinal)
    {
        ["species"] = "Species",
        ["labmember"] = "Lab members",
    };

    IReadOnlyList<AdminModel>? all;
    readonly Lock gate = new();

    public IReadOnlyList<AdminModel> All(IModel model)
    {
        lock (gate) return all ??= Build(model);
    }

    public AdminModel? Find(IModel model, string app, string name) => All(model).FirstOrDefault(m => m.App == app && m.Name == name);

    public AdminModel? For(IModel model, Type entity) => All(model).FirstOrDefault(m => m.Resource.Entity == entity);

    IReadOnlyList<AdminModel> Build(IModel model)
    {
        // One model per entity: the resource with the most verbs (Subject is both /subjects and /water-restricted-subjects).
        return catalog.Resources
            .GroupBy(r => r.Entity)
            .Select(g => g.OrderByDescending(r => BitCount((int)r.Verbs)).First())
            .Select(r => (Resource: r, Type: model.FindEntityType(r.Entity)))
            .Where(x => x.Type?.ModelLabelOf() is not null)
            // The pages address rows by their primary key, a UUID or (auth groups, brain regions) an integer.
            .Where(x => x.Type!.FindPrimaryKey()?.Properties is [{ ClrType: var key }] && key == x.Resource.KeyType)
            .Select(x => (x.Resource, Type: x.Type!))
            .Select(x =>
            {
                var label = x.Type.ModelLabelOf()!.Split('.');
                var verbose = Words(x.Resource.Model);
                var plural = Plurals.GetValueOrDefault(label[1]) ?? Capitalise(Plural(verbose));
                return new AdminModel(label[0], label[1], verbose, plural, x.Resource, x.Type)
                {
                    Options = Declarations.GetValueOrDefault(x.Resource.Entity) ?? new AdminOptions(),
                    ChangeSections = Sections.Where(t => t.Attribute.Entity == x.Resource.Entity).OrderBy(t => t.Attribute.Order).Select(t => t.Type).ToList(),
                };
            })
            .OrderBy(m => m.App, StringComparer.Ordinal).ThenBy(m => m.Plural, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Every <see cref="IAdminDeclaration"/> of the assembly, by entity.</summary>
    static readonly Dictionary<Type, AdminOptions> Declarations = typeof(AdminModels).Assembly.GetTypes()
        .Where(t => typeof(IAdminDeclaration).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
        .Select(t => (IAdminDeclaration)Activator.CreateInstance(t)!)
        .ToDictionary(d => d.Entity, d => d.Options);

    /// <summary>Every component marked <see cref="AdminSectionAttribute"/>.</summary>
    static readonly List<(Type Type, AdminSectionAttribute Attribute)> Sections = typeof(AdminModels).Assembly.GetTypes()
        .SelectMany(t => t.GetCustomAttributes(typeof(AdminSectionAttribute), false).Cast<AdminSectionAttribute>().Select(a => (t, a)))
        .ToList();

    static int BitCount(int v) => System.Numerics.BitOperations.PopCount((uint)v);

    /// <summary>Django's verbose name of a class: "WaterAdministration" is "water administration".</summary>
    public static string Words(string className)
    {
        var b = new StringBuilder();
        for (var i = 0; i < className.Length; i++)
        {
            var c = className[i];
            if (i > 0 && char.IsUpper(c) && (char.IsLower(className[i - 1]) || i + 1 < className.Length && char.IsLower(className[i + 1])))
                b.Append(' ');
            b.Append(char.ToLowerInvariant(c));
        }
        return b.ToString();
    }

    static string Plural(string words) =>
        words.EndsWith('y') && !words.EndsWith("ay", StringComparison.Ordinal) && !words.EndsWith("ey", StringComparison.Ordinal)
            ? words[..^1] + "ies"
            : words + "s";

    public static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
