using Alyx.Auth;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Admin.Actions;

/// <summary>The admin's object-level change rule (conventions §6.3) for an action of a subject.</summary>
public static class ActionPermissions
{
    /// <summary>
    /// Superusers; else the subject's responsible user, one of that user's allowed users, or one of the action's own
    /// users. Public users never. One query.
    /// </summary>
    public static async Task<bool> MayChangeAsync(AlyxDb db, CurrentUser user, Guid subjectId, IReadOnlyCollection<Guid> actionUsers,
        CancellationToken ct)
    {
        if (user.IsPublicUser) return false;
        if (user.IsSuperuser || actionUsers.Contains(user.Id)) return true;
        var me = user.Id;
        return await db.Subjects.AsNoTracking().Where(s => s.Id == subjectId)
            .AnyAsync(s => s.ResponsibleUserId == me || (s.ResponsibleUser != null && s.ResponsibleUser.AllowedUsers.Any(a => a.Id == me)), ct);
    }
}
