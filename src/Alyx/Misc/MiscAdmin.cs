using Alyx.Admin;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Misc;

/// <summary>Alyx: misc/admin.py LabMemberAdmin (Django's UserAdmin), with the user's groups, which only superusers change.</summary>
sealed class LabMemberAdmin : IAdminDeclaration
{
    public Type Entity => typeof(LabMember);

    public AdminOptions Options { get; } = new()
    {
        Search = ["Username", "FirstName", "LastName", "Email"],
        Display = ["Username"],
        Relations = [new AdminRelation(
            new Field("groups", FieldKind.SlugList)
            {
                Description = "The groups this user belongs to. A user will get all permissions granted to each of their groups.",
            },
            typeof(Group), ReadGroupsAsync, WriteGroupsAsync, SuperuserOnly: true)],
    };

    static Task<List<string>> ReadGroupsAsync(AlyxDb db, object key, CancellationToken ct)
    {
        var id = (Guid)key;
        return db.Users.AsNoTracking().Where(u => u.Id == id).SelectMany(u => u.Groups).OrderBy(g => g.Name).Select(g => g.Name).ToListAsync(ct);
    }

    /// <summary>Replaces the user's groups by the named ones; an unknown name is an error on the field and nothing is written.</summary>
    static async Task WriteGroupsAsync(AlyxDb db, object key, List<string> names, ErrorMap errors, CancellationToken ct)
    {
        var groups = await Slugs.ResolveAsync(db.Groups, g => g.Name, "name", names, "groups", errors, ct);
        if (errors.Has("groups")) return;
        var id = (Guid)key;
        var user = await db.Users.Include(u => u.Groups).SingleAsync(u => u.Id == id, ct);
        user.Groups.Clear();
        user.Groups.AddRange(groups);
        await db.SaveChangesAsync(ct);
    }
}
