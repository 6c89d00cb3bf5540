using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Alyx.Auth;
using Alyx.Misc;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Auth;

/// <summary>Tests that run with no other test at the same time (process-wide counters).</summary>
[CollectionDefinition(nameof(AloneCollection), DisableParallelization = true)]
public sealed class AloneCollection;

/// <summary>
/// A refused login costs a password hash at Django's work factor whatever the username, so the answer's timing does not tell
/// which usernames exist: counted in hash iterations (the server's <c>alyx.auth.password.iterations</c> counter), not timed.
/// </summary>
[Collection(nameof(AloneCollection))]
public sealed class PasswordCostTests(LoginApp app) : IClassFixture<LoginApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const int DjangoWorkFactor = 1_000_000;

    async Task<string> UserAsync(bool active)
    {
        var username = AlyxApp.Unique("cost");
        await app.WithDbAsync(async db =>
        {
            db.Users.Add(new LabMember
            {
                Username = username,
                Password = DjangoPasswordHasher.Hash("right", DjangoWorkFactor),
                IsActive = active,
                DateJoined = new DateTime(2020, 1, 1),
            });
            await db.SaveChangesAsync(Ct);
        });
        return username;
    }

    /// <summary>Hash iterations spent by a refused /auth-token request, by what the password was checked against.</summary>
    async Task<IReadOnlyDictionary<string, long>> IterationsOfARefusedLoginAsync(string username, int peer)
    {
        var spent = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Alyx" && instrument.Name == "alyx.auth.password.iterations") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
                if (tag.Key == "against") spent.AddOrUpdate((string)tag.Value!, value, (_, v) => v + value);
        });
        listener.Start();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/auth-token") { Content = Json.Body(new { username, password = "wrong" }) };
        request.Headers.Add(LoginApp.PeerHeader, $"198.19.7.{peer}");
        using var response = await app.AnonymousClient().SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return spent;
    }

    [Fact]
    public async Task WrongPassword_UnknownUser_InactiveUser_EachCostOneHashAtDjangosWorkFactor()
    {
        var known = await UserAsync(active: true);
        var inactive = await UserAsync(active: false);

        var wrongPassword = await IterationsOfARefusedLoginAsync(known, 1);
        var unknown = await IterationsOfARefusedLoginAsync(AlyxApp.Unique("ghost"), 2);
        var deactivated = await IterationsOfARefusedLoginAsync(inactive, 3);

        static string Spent(IReadOnlyDictionary<string, long> spent) => string.Join(", ", spent.OrderBy(s => s.Key).Select(s => $"{s.Key}: {s.Value}"));
        Assert.Equal("user: 1000000", Spent(wrongPassword));
        Assert.Equal("dummy: 1000000", Spent(unknown));
        Assert.Equal(DjangoWorkFactor, deactivated.Values.Sum());
    }
}
