using Alyx.Auth;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Auth;

/// <summary>Basic credentials for the file server: parsing, and the remembered checks following password changes.</summary>
public sealed class BasicCredentialsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("Basic dXNlcjpwYTpzcw==", "user", "pa:ss")]
    [InlineData("basic   dXNlcjo=", "user", "")]
    public void Parse_ValidHeader_SplitsAtFirstColon(string header, string user, string password) =>
        Assert.Equal((user, password), BasicCredentials.Parse(header));

    [Theory]
    [InlineData("")]
    [InlineData("Basic")]
    [InlineData("Basic !!!")]
    [InlineData("Basic OnBhc3M=")]
    [InlineData("Bearer dXNlcjpwYXNz")]
    [InlineData("Token abc")]
    public void Parse_MalformedHeader_IsNull(string header) => Assert.Null(BasicCredentials.Parse(header));

    [Fact]
    public async Task Verify_FollowsPasswordChangesAndDeactivation_EvenWhenRemembered()
    {
        var username = AlyxApp.Unique("basic");
        await app.WithDbAsync(async db =>
        {
            db.Users.Add(new Alyx.Misc.LabMember { Username = username, Password = DjangoPasswordHasher.Hash("one", 1000), DateJoined = new DateTime(2024, 1, 1) });
            await db.SaveChangesAsync(Ct);
        });
        var time = new ManualTime(new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var basic = new BasicCredentials(time);
        Task<CurrentUser?> VerifyAsync(string password) => app.WithDbAsync(db => basic.VerifyAsync(db, username, password, Ct));

        Assert.Equal(username, (await VerifyAsync("one"))?.Username);
        Assert.NotNull(await VerifyAsync("one"));
        Assert.Null(await VerifyAsync("two"));
        Assert.Null(await VerifyAsync("two"));
        time.Now += BasicCredentials.Lifetime + TimeSpan.FromSeconds(1);
        Assert.NotNull(await VerifyAsync("one"));

        await app.WithDbAsync(db => db.Users.Where(u => u.Username == username)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.Password, DjangoPasswordHasher.Hash("two", 1000)), Ct));
        Assert.Null(await VerifyAsync("one"));
        Assert.NotNull(await VerifyAsync("two"));

        await app.WithDbAsync(db => db.Users.Where(u => u.Username == username).ExecuteUpdateAsync(u => u.SetProperty(x => x.IsActive, false), Ct));
        Assert.Null(await VerifyAsync("two"));
        Assert.Null(await app.WithDbAsync(db => basic.VerifyAsync(db, "nobody_" + username, "two", Ct)));
    }
}
