using Alyx.Auth;
using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Cli;

/// <summary><c>alyx create-user USERNAME --password P [--superuser] [--staff] [--public] [--email E]</c>; updates an existing user.</summary>
static class CreateUserCommand
{
    public static Task<int> RunAsync(string[] raw) => AlyxCli.WithDbAsync(raw, async (services, args) =>
    {
        var password = args.Option("--password");
        var email = args.Option("--email");
        var superuser = args.Flag("--superuser");
        var staff = args.Flag("--staff");
        var isPublic = args.Flag("--public");
        var names = args.Positionals();
        args.EnsureNoExtra();
        if (names.Count != 1) throw new CliException("give exactly one USERNAME.");
        if (string.IsNullOrEmpty(password)) throw new CliException("--password is required.");
        var username = names[0];
        if (!System.Text.RegularExpressions.Regex.IsMatch(username, UserDtos.UsernamePattern))
            throw new CliException("a username may contain only letters, numbers, and @/./+/-/_ characters.");
        var db = services.GetRequiredService<AlyxDb>();
        var clock = services.GetRequiredService<AlyxClock>();
        await DatabaseSetup.MigrateAsync(db, clock);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Username == username);
        var created = user is null;
        user ??= db.Users.Add(new LabMember { Username = username, DateJoined = clock.Now }).Entity;
        user.Password = DjangoPasswordHasher.Hash(password);
        user.IsSuperuser |= superuser;
        user.IsStaff |= staff || superuser;
        user.IsPublicUser = isPublic;
        user.IsActive = true;
        if (email is not null) user.Email = email;
        await db.SaveChangesAsync();
        Console.WriteLine($"{(created ? "Created" : "Updated")} user '{username}'.");
        return 0;
    });
}
