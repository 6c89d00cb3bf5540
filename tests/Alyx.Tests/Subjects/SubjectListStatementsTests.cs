using System.Text.Json.Nodes;
using Alyx.Actions;
using Alyx.Http;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Subjects;

/// <summary>
/// GET /subjects sends three statements for a page whatever the number of its subjects and whatever their histories hold (issue 16):
/// the page's rows (with the columns the water figures read), the nested names of all rows (projects, session projects, genotype),
/// and the water events of all rows. Values by hand: lab reference percentage 0.85 and z-score percentage 0, so the expected weight is
/// the reference weight.
/// </summary>
public sealed class SubjectListStatementsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    DateTime Now => app.Services.GetRequiredService<AlyxClock>().Now;

    /// <summary>A lab with <paramref name="subjects"/> subjects named prefix_s0.., each with a history when <paramref name="histories"/>.</summary>
    async Task<string> LabAsync(int subjects, bool histories)
    {
        var prefix = AlyxApp.Unique("sls");
        var today = Now.Date;
        await app.WithDbAsync(async db =>
        {
            var lab = new Alyx.Misc.Lab { Name = prefix, ReferenceWeightPct = 0.85 };
            var projects = new[] { "b", "a", "c" }.Select(p => new Project { Name = $"{prefix}_{p}" }).ToArray();
            var alleles = new[] { "y", "x" }.Select(a => new Allele { Nickname = $"{prefix}_{a}" }).ToArray();
            db.AddRange(lab);
            db.AddRange(projects);
            db.AddRange(alleles);
            for (var i = 0; i < subjects; i++)
            {
                var subject = new Subject { Nickname = $"{prefix}_s{i}", Lab = lab, BirthDate = new DateOnly(2018, 1, 1) };
                db.Add(subject);
                if (!histories) continue;
                subject.Projects.AddRange([projects[0], projects[1]]);
                db.Add(new Zygosity { Subject = subject, Allele = alleles[0], Value = 2 });
                db.Add(new Zygosity { Subject = subject, Allele = alleles[1], Value = 1 });
                db.Add(new Session { Subject = subject, StartTime = today.AddDays(-5), Projects = [projects[2]] });
                db.Add(new Session { Subject = subject, StartTime = today.AddDays(-4), Projects = [projects[1], projects[2]] });
                db.Add(new WaterRestriction { Subject = subject, StartTime = today.AddDays(-40).AddHours(9), EndTime = today.AddDays(-35), ReferenceWeight = 30.0 });
                db.Add(new WaterRestriction { Subject = subject, StartTime = today.AddDays(-30).AddHours(9), ReferenceWeight = 20.0 });
                for (var d = 30; d >= 0; d--)
                    db.Add(new Weighing { Subject = subject, DateTime = today.AddDays(-d).AddHours(8), Weight = 18.0 + d / 10.0 });
                for (var d = 30; d >= 1; d--)
                    db.Add(new WaterAdministration { Subject = subject, DateTime = today.AddDays(-d).AddHours(15), WaterAdministered = 1.0 });
                db.Add(new WaterAdministration { Subject = subject, DateTime = today.AddMinutes(1), WaterAdministered = 0.25 });
                db.Add(new WaterAdministration { Subject = subject, DateTime = today.AddMinutes(2), WaterAdministered = 0.5 });
            }
            await db.SaveChangesAsync(Ct);
        });
        return prefix;
    }

    async Task<(int Commands, JsonArray Rows)> PageAsync(HttpClient client, string lab)
    {
        var (commands, body) = await app.Commands.GetJsonAsync(client, $"/subjects?limit=100&lab={lab}", Ct);
        return (commands, body["results"]!.AsArray());
    }

    static List<string> Strings(JsonNode? list) => list!.AsArray().Select(n => n!.GetValue<string>()).ToList();

    [Fact]
    public async Task SubjectPage_ManySubjectsWithLongHistories_SendsAsManyStatementsAsOneBareSubject()
    {
        var client = await app.ClientForAsync("sls_user");
        var bare = await LabAsync(1, histories: false);
        var busy = await LabAsync(6, histories: true);
        await PageAsync(client, bare); // the token lookup is remembered after the first request

        var (few, bareRows) = await PageAsync(client, bare);
        var (many, busyRows) = await PageAsync(client, busy);

        Assert.Equal(few, many);
        Assert.Equal(3, many);
        var lone = Assert.Single(bareRows)!;
        Assert.Empty(lone["projects"]!.AsArray());
        Assert.Empty(lone["session_projects"]!.AsArray());
        Assert.Empty(lone["genotype"]!.AsArray());
        Assert.Equal(0.0, lone["reference_weight"]!.GetValue<double>());
        Assert.Null(lone["last_water_restriction"]);
        Assert.Equal(0.0, lone["expected_water"]!.GetValue<double>());
        Assert.Equal(0.0, lone["remaining_water"]!.GetValue<double>());

        Assert.Equal(6, busyRows.Count);
        Assert.Equal(Enumerable.Range(0, 6).Select(i => $"{busy}_s{i}"), busyRows.Select(r => r!["nickname"]!.GetValue<string>()));
        foreach (var row in busyRows)
        {
            Assert.Equal([$"{busy}_a", $"{busy}_b"], Strings(row!["projects"]));
            // Sessions in projects c, then a and c.
            Assert.Equal([$"{busy}_a", $"{busy}_c"], Strings(row["session_projects"]));
            // By allele nickname: x (+/-, 1) before y (+/+, 2).
            Assert.Equal([$"{busy}_x +/-", $"{busy}_y +/+"], Strings(row["genotype"]));
            // The open restriction's reference weight; today's weighing 18.0 is above 0.85 × 20 = 17: 4 % of it; given today 0.75.
            Assert.Equal(20.0, row["reference_weight"]!.GetValue<double>());
            Assert.Equal(Now.Date.AddDays(-30).AddHours(9).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                row["last_water_restriction"]!.GetValue<string>());
            Assert.Equal(0.04 * 18.0, row["expected_water"]!.GetValue<double>());
            Assert.Equal(0.04 * 18.0 - 0.75, row["remaining_water"]!.GetValue<double>());
        }
    }

    [Fact]
    public async Task SubjectPage_SubjectsWithAndWithoutNames_EachRowHasItsOwnNames()
    {
        var client = await app.ClientForAsync("sls_user");
        var prefix = AlyxApp.Unique("slm");
        var today = Now.Date;
        await app.WithDbAsync(async db =>
        {
            var lab = new Alyx.Misc.Lab { Name = prefix };
            // Names chosen so that the statement's order (by name) and the rows' order (by nickname) differ.
            var z = new Project { Name = $"{prefix}_z" };
            var m = new Project { Name = $"{prefix}_m" };
            var allele = new Allele { Nickname = $"{prefix}_q" };
            db.AddRange(lab, z, m, allele);
            var s0 = new Subject { Nickname = $"{prefix}_s0", Lab = lab };
            var s1 = new Subject { Nickname = $"{prefix}_s1", Lab = lab, Projects = [z] };
            var s2 = new Subject { Nickname = $"{prefix}_s2", Lab = lab };
            var s3 = new Subject { Nickname = $"{prefix}_s3", Lab = lab, Projects = [m, z] };
            db.AddRange(s0, s1, s2, s3);
            db.Add(new Zygosity { Subject = s2, Allele = allele, Value = 0 });
            db.Add(new Session { Subject = s1, StartTime = today.AddDays(-1), Projects = [m] });
            db.Add(new Session { Subject = s3, StartTime = today.AddDays(-2), Projects = [z] });
            db.Add(new Session { Subject = s3, StartTime = today.AddDays(-1), Projects = [m] });
            await db.SaveChangesAsync(Ct);
        });
        await PageAsync(client, prefix); // the token lookup is remembered after the first request

        var (commands, rows) = await PageAsync(client, prefix);

        Assert.Equal(3, commands);
        Assert.Equal(Enumerable.Range(0, 4).Select(i => $"{prefix}_s{i}"), rows.Select(r => r!["nickname"]!.GetValue<string>()));
        Assert.Equal([[], [$"{prefix}_z"], [], [$"{prefix}_m", $"{prefix}_z"]], rows.Select(r => Strings(r!["projects"])));
        Assert.Equal([[], [$"{prefix}_m"], [], [$"{prefix}_m", $"{prefix}_z"]], rows.Select(r => Strings(r!["session_projects"])));
        // No line: every zygosity is listed; 0 is "-/-".
        Assert.Equal([[], [], [$"{prefix}_q -/-"], []], rows.Select(r => Strings(r!["genotype"])));
    }
}
