using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Alyx.Actions;
using Alyx.Http;
using Alyx.Misc;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Subjects;

/// <summary>The water-control figures and nested records on /subjects (upstream test_subject_1, test_subject_weighing,
/// test_subject_water_administration, test_subject_restricted).</summary>
public sealed class SubjectWaterFieldsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<(string Nickname, Guid Id)> SeedRestrictedAsync()
    {
        var nickname = AlyxApp.Unique("thirsty");
        var today = app.Services.GetRequiredService<AlyxClock>().Now.Date;
        var subject = new Subject { Nickname = nickname, Sex = "F", BirthDate = DateOnly.FromDateTime(today.AddDays(-70)) };
        await app.WithDbAsync(async db =>
        {
            var lab = new Lab { Name = AlyxApp.Unique("wlab"), ReferenceWeightPct = 0.8 };
            db.Labs.Add(lab);
            subject.LabId = lab.Id;
            db.Subjects.Add(subject);
            var water = new WaterType { Name = AlyxApp.Unique("Water") };
            db.Add(water);
            db.Add(new WaterRestriction { SubjectId = subject.Id, StartTime = today.AddDays(-10).AddHours(9), ReferenceWeight = 25 });
            db.Add(new Weighing { SubjectId = subject.Id, DateTime = today.AddDays(-1).AddHours(8), Weight = 22.5 });
            db.Add(new WaterAdministration { SubjectId = subject.Id, DateTime = today.AddHours(0.5), WaterAdministered = 0.4, WaterTypeId = water.Id });
            await db.SaveChangesAsync(Ct);
        });
        return (nickname, subject.Id);
    }

    // The figures of SeedRestrictedAsync's subject, by hand from 11-subjects §5.3 (lab Pr = 0.8, Pz = 0, no lab zone, no
    // implant, so iw = 0 throughout):
    //   reference_weight = the last restriction's reference weight 25 - ref_implant 0 = 25.0;
    //   expected_weight(NOW) = (0/0.8)·zscore + (0.8/0.8)·25.0 + 0 = 25.0, threshold = 0.8·(25.0 - 0) + 0 = 20.0;
    //   the last weighing, 22.5 (yesterday), is not below it: expected_water = 0.04·22.5 = 0.9;
    //   remaining_water = 0.9 - 0.4 (given today) = 0.5; last_water_restriction = the open restriction's start.
    static string RestrictionStart(AlyxApp app) =>
        app.Services.GetRequiredService<AlyxClock>().Now.Date.AddDays(-10).ToString("yyyy-MM-dd'T'09:00:00", CultureInfo.InvariantCulture);

    static string ExpectedFigures(AlyxApp app) =>
        $"\"reference_weight\":25.0,\"last_water_restriction\":\"{RestrictionStart(app)}\",\"expected_water\":0.9,\"remaining_water\":0.5";

    [Fact]
    public async Task GetSubject_Restricted_FiguresByHandAndNestedRecordsAreListed()
    {
        var (nickname, _) = await SeedRestrictedAsync();
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync($"/subjects/{nickname}", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains(ExpectedFigures(app), body, StringComparison.Ordinal);
        var detail = JsonNode.Parse(body)!;
        var weighing = Assert.Single(detail["weighings"]!.AsArray())!;
        Assert.Equal(["subject", "date_time", "weight", "user", "url"], weighing.Keys());
        Assert.Equal(nickname, weighing["subject"]!.GetValue<string>());
        Assert.Matches("^http://localhost/weighings/[0-9a-f-]{36}$", weighing["url"]!.GetValue<string>());
        var water = Assert.Single(detail["water_administrations"]!.AsArray())!;
        Assert.Equal(["subject", "date_time", "water_administered", "water_type", "user", "url", "session", "adlib"], water.Keys());
        Assert.Equal("0.4", water["water_administered"]!.ToJsonString());
    }

    [Fact]
    public async Task ListWaterRestrictedSubjects_RestrictedSubject_HasFiguresInOrder()
    {
        var (nickname, _) = await SeedRestrictedAsync();
        var client = await app.ClientForAsync();
        var page = await (await client.GetAsync("/water-restricted-subjects?limit=1000", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var row = page["results"]!.AsArray().Single(r => r!["nickname"]!.GetValue<string>() == nickname)!;
        // The figures of GetSubject_Restricted_FiguresByHandAndNestedRecordsAreListed, in this endpoint's key order.
        Assert.Equal($"{{\"nickname\":\"{nickname}\",\"url\":\"http://localhost/subjects/{nickname}\",\"expected_water\":0.9,\"remaining_water\":0.5,"
            + $"\"reference_weight\":25.0,\"last_water_restriction\":\"{RestrictionStart(app)}\",\"reference_weight_pct\":0.8,\"zscore_weight_pct\":0.0}}",
            row.ToJsonString());
        var list = await (await client.GetAsync($"/subjects?nickname={nickname}", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains(ExpectedFigures(app), list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListSubjects_NoWaterHistory_FiguresAreFloatZeros()
    {
        var client = await app.ClientForAsync();
        var lab = AlyxApp.Unique("dry");
        await client.PostAsync("/labs", Json.Body(new { name = lab }), Ct);
        var created = await (await client.PostAsync("/subjects", Json.Body(new { nickname = AlyxApp.Unique("dry"), lab }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Contains("\"reference_weight\":0.0,\"last_water_restriction\":null,\"expected_water\":0.0,\"remaining_water\":0.0,\"json\":null", created);
    }

    [Fact]
    public async Task GetSubject_SessionProjects_AreTheDistinctProjectsOfItsSessions()
    {
        var (nickname, id) = await SeedRestrictedAsync();
        var (p1, p2) = (AlyxApp.Unique("zproj"), AlyxApp.Unique("aproj"));
        await app.WithDbAsync(async db =>
        {
            var a = new Project { Name = p1 };
            var b = new Project { Name = p2 };
            db.Projects.AddRange(a, b);
            db.Add(new Session { SubjectId = id, StartTime = new DateTime(2024, 1, 1), Projects = [a, b] });
            db.Add(new Session { SubjectId = id, StartTime = new DateTime(2024, 1, 2), Projects = [a] });
            await db.SaveChangesAsync(Ct);
        });
        var client = await app.ClientForAsync();
        var expected = new[] { p1, p2 }.Order(StringComparer.Ordinal);
        var detail = await (await client.GetAsync($"/subjects/{nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(expected, detail["session_projects"].Strings());
        Assert.Empty(detail["projects"]!.AsArray());
        var list = await (await client.GetAsync($"/subjects?nickname={nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(expected, list["results"]![0]!["session_projects"].Strings());
    }
}
