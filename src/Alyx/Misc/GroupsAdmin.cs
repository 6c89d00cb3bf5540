using Alyx.Admin;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Misc;

/// <summary>A group as the admin's list and change form show it.</summary>
public sealed record GroupItem(int Id, string Name);

/// <summary>
/// Django's auth groups in the admin (<c>/admin/auth/group/</c>, Django's GroupAdmin: search by name, ordered by name). The
/// REST API does not serve groups: the declaration is registered for the admin pages only. Django's GroupAdmin also edits
/// the group's model permissions; this server keeps no permission table (the "Lab members" rules are in
/// <see cref="AdminPermissions"/>), so the form holds the name only.
/// </summary>
static class GroupsAdmin
{
    public const string DuplicateName = "Group with this Name already exists.";

    static readonly Serializer Serializer = new("Group",
        new Field("id", FieldKind.Integer) { ReadOnly = true },
        new Field("name", FieldKind.String) { Required = true, AllowBlank = false, MaxLength = 150 });

    public static void RegisterGroupsAdmin(this IEndpointRouteBuilder routes)
    {
        new Resource<Group, GroupItem>
        {
            Path = "groups",
            Model = "Group",
            IntegerId = g => g.Id,
            // What the user form's groups field and its search-as-you-type take: the group's (unique) name.
            Slug = ("name", g => g.Name),
            Serializer = Serializer,
            Ordered = db => db.Groups.OrderBy(g => g.Name).ThenBy(g => g.Id),
            Item = g => new GroupItem(g.Id, g.Name),
            Filters = null,
            UniqueViolation = ("name", DuplicateName),
            Write = async w =>
            {
                w.Text("name", (g, v) => g.Name = v);
                if (!w.Data.TryGet<string>("name", out var name) || name is null || w.Errors.Has("name")) return;
                var id = w.Entity.Id;
                if (await w.Db.Groups.AnyAsync(g => g.Name == name && g.Id != id, w.Ct)) w.Errors.Add("name", DuplicateName);
            },
        }.Register(routes);
    }
}

/// <summary>Django's GroupAdmin: search by name, ordered by name.</summary>
sealed class GroupAdmin : IAdminDeclaration
{
    public Type Entity => typeof(Group);

    public AdminOptions Options { get; } = new()
    {
        Columns = [new AdminColumn("name", "Name", "Name")],
        Search = ["Name"],
        Display = ["Name"],
    };
}
