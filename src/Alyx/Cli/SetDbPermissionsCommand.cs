using Alyx.Admin;
using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Cli;

/// <summary>
/// <c>alyx set-db-permissions [--superusers U1,U2] [--stock-managers U3]</c> (Alyx's set_db_permissions, misc spec §9.3):
/// creates the "Lab members" group (its model permissions are the admin's, conventions §6.3), puts every user in it, makes
/// every user active and staff, and makes the listed users superusers and stock managers.
/// </summary>
static class SetDbPermissionsCommand
{
    public static Task<int> RunAsync(string[] raw) => AlyxCli.WithDbAsync(raw, async (services, args) =>
    {
        static HashSet<string> Names(string? list) =>
            [.. (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        var superusers = Names(args.Option("--superusers"));
        var stockManagers = Names(args.Option("--stock-managers"));
        args.EnsureNoExtra();
        var db = services.GetRequiredService<AlyxDb>();
        await DatabaseSetup.MigrateAsync(db, services.GetRequiredService<AlyxClock>());
        var unknown = superusers.Concat(stockManagers).Distinct()
            .Except(await db.Users.Where(u => superusers.Contains(u.Username) || stockManagers.Contains(u.Username)).Select(u => u.Username).ToListAsync())
            .Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0) throw new CliException($"no such user: {string.Join(", ", unknown)}.");
        await using var transaction = await db.Database.BeginTransactionAsync();
        var group = await db.Groups.Include(g => g.Users).SingleOrDefaultAsync(g => g.Name == AdminPermissions.LabMembersGroup);
        var created = group is null;
        group ??= db.Groups.Add(new Group { Name = AdminPermissions.LabMembersGroup }).Entity;
        var users = await db.Users.OrderBy(u => u.Username).ToListAsync();
        var added = 0;
        foreach (var user in users)
        {
            user.IsActive = true;
            user.IsStaff = true;
            if (superusers.Contains(user.Username)) user.IsSuperuser = true;
            if (stockManagers.Contains(user.Username)) user.IsStockManager = true;
            if (group.Users.Contains(user)) continue;
            group.Users.Add(user);
            added++;
        }
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        Console.WriteLine($"{(created ? "Created" : "Kept")} group '{group.Name}'; {added} of {users.Count} users added to it; every user is active and staff.");
        return 0;
    });
}
