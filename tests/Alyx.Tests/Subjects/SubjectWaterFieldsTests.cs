using System.Net;
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

    [Fact]
    public async Task GetSubject_Restricted_FiguresEqualTheEngineAndNestedRecordsAreListed()
    {
        var (nickname, id) = await SeedRestrictedAsync();
        var client = await app.ClientForAsync();
        var detail = await (await client.GetAsync($"/subjects/{nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var clock = app.Services.GetRequiredService<AlyxClock>();
        var wc = await app.WithDbAsync(db => WaterControl.LoadAsync(db, id, clock, Ct));
        Assert.Equal(wc!.ExpectedWater(), detail["expected_water"]!.GetValue<double>());
        Assert.Equal(wc.RemainingWater(), detail["remaining_water"]!.GetValue<double>());
        Assert.Equal(wc.ReferenceWeight(), detail["reference_weight"]!.GetValue<double>());
        Assert.True(detail["expected_water"]!.GetValue<double>() > 0);
        Assert.Equal(AlyxFormats.FormatDateTime(wc.LastWaterRestriction!.Value), detail["last_water_restriction"]!.GetValue<string>());
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
        Assert.Equal(["nickname", "url", "expected_water", "remaining_water", "reference_weight", "last_water_restriction", "reference_weight_pct",
            "zscore_weight_pct"], row.Keys());
        Assert.Equal("0.8", row["reference_weight_pct"]!.ToJsonString());
        var list = await (await client.GetAsync($"/subjects?nickname={nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(row["expected_water"]!.ToJsonString(), list["results"]![0]!["expected_water"]!.ToJsonString());
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
