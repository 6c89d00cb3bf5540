using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Alyx.Auth;
using Alyx.Database;
using Alyx.Misc;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Infrastructure;

/// <summary>The real server (routes, middleware, EF Core, migrations) on its own database, through TestServer.</summary>
public class AlyxApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    string url = "";
    IAsyncDisposable? owner;

    static AlyxApp()
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
    }

    public async ValueTask InitializeAsync() => (url, owner) = await TestDatabase.CreateAsync();

    /// <summary>The commands EF Core sends to this app's database (<see cref="CommandCounter"/>).</summary>
    public CommandCounter Commands { get; } = new();

    /// <summary>This fixture's database, as a DATABASE_URL (for CLI verbs run against it).</summary>
    public string DatabaseUrl => url;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("database", url);
        builder.UseSetting("MIGRATE_ON_START", "true");
        builder.UseSetting("ALYX_ADMIN_USER", "admin");
        builder.UseSetting("ALYX_ADMIN_PASSWORD", "admin-password");
        // Suites send hundreds of requests a minute as one user; ThrottlingTests turn the budgets back on.
        builder.UseSetting("THROTTLE_BURST_RATE", "none");
        builder.UseSetting("THROTTLE_DOCS_RATE", "none");
        // No scheduled job fires during a test by chance; ScheduleTests switch the schedule on.
        builder.UseSetting("SCHEDULER", "false");
        builder.UseSetting("MEDIA_ROOT", Path.Combine(Path.GetTempPath(), "alyx-test-media"));
        builder.ConfigureServices(services =>
        {
            services.ConfigureDbContext<SqliteAlyxDb>((_, o) => o.AddInterceptors(Commands), ServiceLifetime.Singleton);
            services.ConfigureDbContext<PostgresAlyxDb>((_, o) => o.AddInterceptors(Commands), ServiceLifetime.Singleton);
        });
        builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (owner is not null) await owner.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs code against this app's database in its own scope.</summary>
    public async Task<T> WithDbAsync<T>(Func<AlyxDb, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AlyxDb>());
    }

    public Task WithDbAsync(Func<AlyxDb, Task> work) => WithDbAsync(async db =>
    {
        await work(db);
        return true;
    });

    /// <summary>A client authenticated as <paramref name="username"/> (created if missing) with a token header.</summary>
    public async Task<HttpClient> ClientForAsync(string username = "test_user", bool isPublic = false)
    {
        var key = await WithDbAsync(async db =>
        {
            var user = await db.Users.SingleOrDefaultAsync(u => u.Username == username);
            if (user is null)
            {
                user = new LabMember { Username = username, IsPublicUser = isPublic, DateJoined = new DateTime(2020, 1, 1) };
                db.Users.Add(user);
            }
            var token = await db.Tokens.SingleOrDefaultAsync(t => t.UserId == user.Id);
            if (token is null)
            {
                token = new AuthToken { Key = DjangoPasswordHasher.NewTokenKey(), UserId = user.Id, Created = new DateTime(2020, 1, 1) };
                db.Tokens.Add(token);
            }
            await db.SaveChangesAsync();
            return token.Key;
        });
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", key);
        return client;
    }

    public HttpClient AnonymousClient() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>A unique name for rows a test creates, so parallel tests never collide.</summary>
    public static string Unique(string prefix) => $"{prefix}_{Guid.NewGuid().ToString("N")[..10]}";
}

public static class HttpAssert
{
    /// <summary>Asserts the status; the failure message carries the body.</summary>
    public static async Task<string> AssertStatusAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} {expected}, got {(int)response.StatusCode}: {body}");
        return body;
    }
}
