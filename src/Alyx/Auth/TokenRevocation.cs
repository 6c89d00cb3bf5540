using Alyx.Database;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Auth;

/// <summary>
/// A password change or a deactivation revokes the user's tokens at once: every save of a context that changes a user's
/// password or turns <c>is_active</c> off deletes that user's <c>authtoken_token</c> rows in the same transaction
/// (<see cref="AlyxDb"/>'s SaveChanges), and a dump import does the same for the users it changes so
/// (<see cref="Database.Import.DumpImporter"/>). The write to the token table moves the <see cref="WriteTracker"/>'s auth
/// version when it commits, so no <see cref="TokenCache"/> entry of this process answers for the token afterwards; the
/// next request with it is DRF's 403 "Invalid token." and the ONE client asks for a new token. Writes that bypass the
/// context (SQL by hand) keep the token: a deactivated user's token is then refused as "User inactive or deleted.".
/// </summary>
public static class TokenRevocation
{
    /// <summary>
    /// The users whose tracked rows change their password or are deactivated by the pending save. Only the tracked users'
    /// changes are detected here (the save detects the rest once): a save of thousands of datasets is not scanned twice.
    /// </summary>
    public static List<Guid> PendingRevocations(AlyxDb db)
    {
        var tracker = db.ChangeTracker;
        var auto = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            var users = tracker.Entries<LabMember>().ToList();
            if (auto)
            {
                foreach (var user in users) user.DetectChanges();
            }
            return [.. users.Where(e => e.State == EntityState.Modified && (PasswordChanged(e) || Deactivated(e))).Select(e => e.Entity.Id)];
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = auto;
        }
    }

    static bool PasswordChanged(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<LabMember> e)
    {
        var p = e.Property(u => u.Password);
        return p.IsModified && !string.Equals(p.OriginalValue, p.CurrentValue, StringComparison.Ordinal);
    }

    static bool Deactivated(Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry<LabMember> e)
    {
        var p = e.Property(u => u.IsActive);
        return p.IsModified && p.OriginalValue && !p.CurrentValue;
    }

    /// <summary>Deletes the tokens of <paramref name="users"/> (in the context's open transaction, if any).</summary>
    public static async Task RevokeAsync(AlyxDb db, IReadOnlyCollection<Guid> users, CancellationToken ct)
    {
        foreach (var batch in users.Chunk(500)) await db.Tokens.Where(t => batch.Contains(t.UserId)).ExecuteDeleteAsync(ct);
    }

    /// <summary>Synchronous <see cref="RevokeAsync"/>.</summary>
    public static void Revoke(AlyxDb db, IReadOnlyCollection<Guid> users)
    {
        foreach (var batch in users.Chunk(500)) db.Tokens.Where(t => batch.Contains(t.UserId)).ExecuteDelete();
    }
}
