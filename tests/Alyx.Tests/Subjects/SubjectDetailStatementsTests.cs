using System.Net;
using System.Text.Json.Nodes;
using Alyx.Actions;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Subjects;

/// <summary>
/// GET /subjects/{nickname} sends a fixed, small number of statements whatever the subject's history holds (issue 16): the lookup,
/// the subject's row (with the columns the water figures read), its name lists together, its weighings, its water administrations
/// and the water events; none grows with the weighings.
/// </summary>
public sealed class SubjectDetailStatementsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<string> SubjectAsync(HttpClient client, string lab, int weighings, int administrations)
    {
        var nickname = AlyxApp.Unique("stmt");
        await (await client.PostAsync("/subjects", Json.Body(new { nickname, lab }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        await app.WithDbAsync(async db =>
        {
            var id = await db.Subjects.Where(s => s.Nickname == nickname).Select(s => s.Id).SingleAsync(Ct);
            // Entered newest first: the detail lists them by date.
            for (var i = weighings - 1; i >= 0; i--)
                db.Add(new Weighing { SubjectId = id, DateTime = new DateTime(2024, 3, 1, 9, 0, 0).AddDays(i), Weight = 20 + i / 10.0 });
            for (var i = administrations - 1; i >= 0; i--)
                db.Add(new WaterAdministration { SubjectId = id, DateTime = new DateTime(2024, 3, 1, 17, 0, 0).AddDays(i), WaterAdministered = 1 + i / 4.0 });
            await db.SaveChangesAsync(Ct);
        });
        return nickname;
    }

    Task<(int Commands, JsonNode Body)> DetailAsync(HttpClient client, string nickname) => app.Commands.GetJsonAsync(client, $"/subjects/{nickname}", Ct);

    [Fact]
    public async Task SubjectDetail_LongHistory_SendsAsManyStatementsAsAShortOne()
    {
        var client = await app.ClientForAsync("stmt_user");
        var lab = AlyxApp.Unique("lab");
        await app.WithDbAsync(async db =>
        {
            db.Labs.Add(new Alyx.Misc.Lab { Name = lab });
            await db.SaveChangesAsync(Ct);
        });
        var shortOne = await SubjectAsync(client, lab, 1, 1);
        var longOne = await SubjectAsync(client, lab, 40, 12);
        await DetailAsync(client, shortOne); // the token lookup is remembered after the first request

        var (few, shortBody) = await DetailAsync(client, shortOne);
        var (many, longBody) = await DetailAsync(client, longOne);

        Assert.Equal(few, many);
        // Lookup by nickname; the row with the columns the water figures read; projects, session projects and genotype in one
        // statement; weighings; water administrations; the water events.
        Assert.Equal(6, many);
        Assert.Single(shortBody["weighings"]!.AsArray());
        var weighings = longBody["weighings"]!.AsArray();
        Assert.Equal(40, weighings.Count);
        Assert.Equal("2024-03-01T09:00:00", weighings[0]!["date_time"]!.GetValue<string>());
        Assert.Equal(23.9, weighings[39]!["weight"]!.GetValue<double>());
        Assert.All(weighings, w => Assert.Equal(longOne, w!["subject"]!.GetValue<string>()));
        var administrations = longBody["water_administrations"]!.AsArray();
        Assert.Equal(12, administrations.Count);
        Assert.Equal("2024-03-12T17:00:00", administrations[11]!["date_time"]!.GetValue<string>());
        Assert.Equal(3.75, administrations[11]!["water_administered"]!.GetValue<double>());
    }
}
