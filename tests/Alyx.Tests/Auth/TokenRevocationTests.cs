using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Alyx.Auth;
using Alyx.Cli;
using Alyx.Database.Import;
using Alyx.Http;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Auth;

/// <summary>
/// A password change or a deactivation revokes the user's tokens at once, even one this process has just used (and so
/// remembers): through a save of the context, <c>alyx create-user</c> and the import of users. Other changes keep them.
/// </summary>
[Collection(nameof(Cli.ConsoleCollection))]
public sealed class TokenRevocationTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const string InvalidToken = "{\"detail\":\"Invalid token.\",\"status_code\":403}";

    /// <summary>A client of a new user with password <paramref name="password"/>, whose token has just been used (so is cached).</summary>
    async Task<(string Username, HttpClient Client)> CachedClientAsync(string password = "old-password")
    {
        var username = AlyxApp.Unique("revoked");
        var client = await app.ClientForAsync(username);
        await app.WithDbAsync(db => db.Users.Where(u => u.Username == username)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Password, DjangoPasswordHasher.Hash(password, 1000)), Ct));
        await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        return (username, client);
    }

    Task<int> TokenCountAsync(string username) => app.WithDbAsync(db => db.Tokens.CountAsync(t => t.User!.Username == username, Ct));

    [Fact]
    public async Task PasswordChange_RevokesTheCachedToken()
    {
        var (username, client) = await CachedClientAsync();
        await app.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Username == username, Ct);
            user.Password = DjangoPasswordHasher.Hash("new-password", 1000);
            await db.SaveChangesAsync(Ct);
        });
        Assert.Equal(0, await TokenCountAsync(username));
        Assert.Equal(InvalidToken, await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task Deactivation_RevokesTheCachedToken()
    {
        var (username, client) = await CachedClientAsync();
        await app.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Username == username, Ct);
            user.IsActive = false;
            await db.SaveChangesAsync(Ct);
        });
        Assert.Equal(0, await TokenCountAsync(username));
        Assert.Equal(InvalidToken, await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task OtherChanges_AndARolledBackPasswordChange_KeepTheToken()
    {
        var (username, client) = await CachedClientAsync();
        await app.WithDbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Username == username, Ct);
            user.Email = "someone@example.org";
            user.IsStaff = true;
            await db.SaveChangesAsync(Ct);
            await using var tx = await db.Database.BeginTransactionAsync(Ct);
            user.Password = DjangoPasswordHasher.Hash("never-committed", 1000);
            await db.SaveChangesAsync(Ct);
            await tx.RollbackAsync(Ct);
        });
        Assert.Equal(1, await TokenCountAsync(username));
        await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CreateUserCommand_OnAnExistingUser_RevokesItsToken_AndTheNewPasswordGivesANewOne()
    {
        var username = AlyxApp.Unique("cli");
        var client = await app.ClientForAsync(username);
        var old = client.DefaultRequestHeaders.Authorization!.Parameter;
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var o = new StringWriter();
        Console.SetOut(o);
        Console.SetError(o);
        int code;
        try
        {
            code = await AlyxCli.RunAsync(["create-user", username, "--password", "changed-password", "--database", app.DatabaseUrl]);
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
        Assert.True(code == 0, o.ToString());
        Assert.Equal(0, await TokenCountAsync(username));
        Assert.Equal(InvalidToken, await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.Forbidden));

        var login = await app.AnonymousClient().PostAsJsonAsync("/auth-token", new { username, password = "changed-password" }, Ct);
        var key = (await login.Content.ReadFromJsonAsync<Dictionary<string, string>>(Ct))!["token"];
        Assert.NotEqual(old, key);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", key);
        await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.OK);
    }

    async Task ImportUserAsync(string username, string password, bool active)
    {
        var id = await app.WithDbAsync(db => db.Users.Where(u => u.Username == username).Select(u => u.Id).SingleAsync(Ct));
        var file = Path.Combine(Path.GetTempPath(), $"alyx-token-import-{Guid.NewGuid():N}.json");
        try
        {
            await File.WriteAllTextAsync(file, $$$"""
                [{"model": "misc.labmember", "pk": "{{{id}}}", "fields": {"password": "{{{password}}}", "username": "{{{username}}}", "is_active": {{{(active ? "true" : "false")}}}, "date_joined": "2020-01-01T00:00:00"}}]
                """, Encoding.UTF8, Ct);
            await app.WithDbAsync(db => new DumpImporter(db, new AlyxClock(TimeProvider.System, TimeZoneInfo.Utc)).ImportAsync([file], Ct));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Import_ChangingAUsersPassword_RevokesTheCachedToken()
    {
        var (username, client) = await CachedClientAsync();
        await ImportUserAsync(username, DjangoPasswordHasher.Hash("imported-password", 1000), active: true);
        Assert.Equal(0, await TokenCountAsync(username));
        Assert.Equal(InvalidToken, await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task Import_DeactivatingAUser_RevokesTheCachedToken()
    {
        var (username, client) = await CachedClientAsync();
        var stored = await app.WithDbAsync(db => db.Users.Where(u => u.Username == username).Select(u => u.Password).SingleAsync(Ct));
        await ImportUserAsync(username, stored, active: false);
        Assert.Equal(0, await TokenCountAsync(username));
        Assert.Equal(InvalidToken, await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task Import_OfAnUnchangedActiveUser_KeepsTheToken()
    {
        var (username, client) = await CachedClientAsync();
        var stored = await app.WithDbAsync(db => db.Users.Where(u => u.Username == username).Select(u => u.Password).SingleAsync(Ct));
        await ImportUserAsync(username, stored, active: true);
        Assert.Equal(1, await TokenCountAsync(username));
        await (await client.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.OK);
    }
}
