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
        if (UnknownOption(args) is { } unknown)
            throw new CliException($"unknown option '{unknown}' ('alyx serve --help' lists the settings, each also --NAME value).");
        var builder = WebApplication.CreateBuilder(args);
        builder.ConfigureServeLogging();
        builder.AddAlyx();
        var urls = AlyxSettings.Urls.Read(builder.Configuration);
        builder.WebHost.UseUrls(urls);
        var app = builder.Build();
        app.Services.GetRequiredService<DatabaseUrl>().EnsureFolder();
        // SQLite is single-process: a second server on the same file says so (and is then on its own).
        using var sqliteLock = SqliteServeLock.TryTake(app.Services.GetRequiredService<DatabaseUrl>(), out var servedElsewhere);
        if (servedElsewhere)
            app.Logger.LogWarning("Another alyx serve process is already serving this SQLite file: SQLite is served by one process (its caches and throttle are its own); run one server, or several on PostgreSQL.");
        var migrated = true;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AlyxDb>();
            var clock = scope.ServiceProvider.GetRequiredService<AlyxClock>();
            if (app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStart) await DatabaseSetup.MigrateAsync(db, clock);
            else if ((await db.Database.GetPendingMigrationsAsync()).Any())
            {
                migrated = false;
                await Console.Error.WriteLineAsync("alyx serve: the database schema is not current (MIGRATE_ON_START=false): run 'alyx migrate'; /readyz says not ready until then.");
            }
            // First start of an empty database: Alyx's standard reference rows, as a new site loads its fixtures.
            if (migrated && !await db.Users.AnyAsync()) await Data.ReferenceData.LoadAsync(db);
        }
        app.MapAlyx();
        try
        {
            await app.StartAsync();
        }
        catch (IOException e)
        {
            throw new ServeException(ExitCodes.CannotListen, $"cannot listen on {urls} (setting urls, --urls): {e.Message}");
        }
        // The admin is created (and its password printed) only once the server listens.
        if (migrated)
        {
            await using var scope = app.Services.CreateAsyncScope();
            await EnsureAdminAsync(scope.ServiceProvider.GetRequiredService<AlyxDb>(), scope.ServiceProvider.GetRequiredService<AlyxClock>(),
                app.Services.GetRequiredService<IOptions<AdminAccountOptions>>().Value);
        }
        await app.WaitForShutdownAsync();
        await app.DisposeAsync();
        return 0;
    }

    /// <summary>Options the web host itself reads from the command line.</summary>
    static readonly string[] HostOptions = ["environment", "contentRoot", "applicationName", "webroot"];

    /// <summary>The first option that is neither a setting (by any of its names, in any case) nor one of the host's, or null.</summary>
    static string? UnknownOption(string[] args)
    {
        var known = AlyxSettings.All.SelectMany(s => s.Keys).Concat(HostOptions).ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith('-')) continue;
            var name = arg.TrimStart('-').Split('=', 2)[0];
            if (!known.Contains(name) && !known.Contains(name.Replace('-', '_'))) return arg.Split('=', 2)[0];
            if (!arg.Contains('=', StringComparison.Ordinal)) i++;
        }
        return null;
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
