using Alyx.Auth;
using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Alyx.Cli;

/// <summary><c>alyx serve</c>: migrate, make sure an admin exists, serve.</summary>
static class ServeCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.ConfigureServeLogging();
        builder.AddAlyx();
        builder.WebHost.UseUrls(AlyxSettings.Urls.Read(builder.Configuration));
        var app = builder.Build();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AlyxDb>();
            var clock = scope.ServiceProvider.GetRequiredService<AlyxClock>();
            if (app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStart) await DatabaseSetup.MigrateAsync(db, clock);
            // First start of an empty database: Alyx's standard reference rows, as a new site loads its fixtures.
            if (!await db.Users.AnyAsync()) await Data.ReferenceData.LoadAsync(db);
            await EnsureAdminAsync(db, clock, app.Services.GetRequiredService<IOptions<AdminAccountOptions>>().Value);
        }
        app.MapAlyx();
        await app.RunAsync();
        return 0;
    }

    /// <summary>On a database without users, creates a superuser and prints its credentials once.</summary>
    static async Task EnsureAdminAsync(AlyxDb db, AlyxClock clock, AdminAccountOptions admin)
    {
        if (await db.Users.AnyAsync()) return;
        var username = admin.Username;
        var given = admin.Password;
        var password = string.IsNullOrEmpty(given) ? Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12)).Replace('/', 'x').Replace('+', 'y') : given;
        db.Users.Add(new LabMember
        {
            Username = username,
            Password = DjangoPasswordHasher.Hash(password),
            IsSuperuser = true,
            IsStaff = true,
            DateJoined = clock.Now,
        });
        await db.SaveChangesAsync();
        Console.WriteLine(string.IsNullOrEmpty(given)
            ? $"Created the admin superuser: username '{username}', password '{password}' (shown once; change it with 'alyx create-user {username} --password ...')."
            : $"Created the admin superuser '{username}' with the password from ALYX_ADMIN_PASSWORD.");
    }
}

/// <summary>The superuser <c>serve</c> creates on a database without users (settings ALYX_ADMIN_USER, ALYX_ADMIN_PASSWORD; see <see cref="AlyxSettings"/>).</summary>
public sealed class AdminAccountOptions
{
    public string Username { get; set; } = "";

    /// <summary>Null: a password is generated and printed once.</summary>
    public string? Password { get; set; }
}
