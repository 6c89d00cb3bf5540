using Alyx.Auth;
using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Cli;

/// <summary><c>alyx serve</c>: migrate, make sure an admin exists, serve.</summary>
static class ServeCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        if (builder.Configuration["urls"] is null && builder.Configuration["ASPNETCORE_URLS"] is null)
            builder.WebHost.UseUrls("http://127.0.0.1:8000");
        builder.AddAlyx();
        var app = builder.Build();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AlyxDb>();
            var clock = scope.ServiceProvider.GetRequiredService<AlyxClock>();
            if (!(app.Configuration["MIGRATE_ON_START"] is "false" or "0")) await DatabaseSetup.MigrateAsync(db, clock);
            // First start of an empty database: Alyx's standard reference rows, as a new site loads its fixtures.
            if (!await db.Users.AnyAsync()) await Data.ReferenceData.LoadAsync(db);
            await EnsureAdminAsync(db, clock, app.Configuration);
        }
        app.MapAlyx();
        await app.RunAsync();
        return 0;
    }

    /// <summary>On a database without users, creates a superuser and prints its credentials once.</summary>
    static async Task EnsureAdminAsync(AlyxDb db, AlyxClock clock, IConfiguration config)
    {
        if (await db.Users.AnyAsync()) return;
        var username = config["ALYX_ADMIN_USER"] is { Length: > 0 } u ? u : "admin";
        var given = config["ALYX_ADMIN_PASSWORD"];
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
