using System.Text.Json.Nodes;
using Alyx.Actions;
using Alyx.Misc;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Actions;

/// <summary>
/// GET /sessions sends two statements for a page on both providers whatever the number of its sessions and of their projects
/// (issue 16): the page's rows, then the projects of all its sessions on their ids. On PostgreSQL the projects were a collection
/// joined into the page's statement, for which the planner hashed every session's project links to join a page of them. Each
/// session's projects come in project id order (the order of the joined collection before): ids given here, so the expected
/// order is the ordinal order of their lowercase spelling, which is not the names' order.
/// </summary>
public sealed class SessionListStatementsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A subject with <paramref name="sessions"/> sessions on consecutive days, each in the projects <paramref name="projects"/> gives it.</summary>
    async Task<string> SubjectAsync(int sessions, Func<int, Project[]> projects)
    {
        var lab = new Lab { Name = AlyxApp.Unique("lab") };
        var subject = new Subject { Nickname = AlyxApp.Unique("slst"), LabId = lab.Id };
        await app.WithDbAsync(async db =>
        {
            db.AddRange(lab, subject);
            for (var i = 0; i < sessions; i++)
            {
                var ids = projects(i).Select(p => p.Id).ToList();
                var linked = db.Projects.Where(p => ids.Contains(p.Id)).ToList();
                db.Add(new Session { SubjectId = subject.Id, LabId = lab.Id, StartTime = new DateTime(2024, 3, 1, 9, 0, 0).AddDays(i), Number = 1, Projects = linked });
            }
            await db.SaveChangesAsync(Ct);
        });
        return subject.Nickname;
    }

    async Task<(int Commands, JsonArray Rows)> PageAsync(HttpClient client, string subject)
    {
        var (commands, body) = await app.Commands.GetJsonAsync(client, $"/sessions?limit=100&subject={subject}", Ct);
        return (commands, body["results"]!.AsArray());
    }

    static List<string> Strings(JsonNode? list) => list!.AsArray().Select(n => n!.GetValue<string>()).ToList();

    [Fact]
    public async Task SessionPage_ManySessionsWithProjects_SendsAsManyStatementsAsOneBareSession()
    {
        var client = await app.ClientForAsync("slst_user");
        var tag = Guid.NewGuid().ToString("N")[..8];
        // Ids chosen so that id order (…0001 < …0002 < …0003) is the reverse of the names' order (z > m > a).
        var zulu = new Project { Id = Guid.Parse($"{tag}-0000-0000-0000-000000000001"), Name = AlyxApp.Unique("zulu") };
        var mike = new Project { Id = Guid.Parse($"{tag}-0000-0000-0000-000000000002"), Name = AlyxApp.Unique("mike") };
        var alfa = new Project { Id = Guid.Parse($"{tag}-0000-0000-0000-000000000003"), Name = AlyxApp.Unique("alfa") };
        await app.WithDbAsync(async db =>
        {
            db.AddRange(zulu, mike, alfa);
            await db.SaveChangesAsync(Ct);
        });
        var bare = await SubjectAsync(1, _ => []);
        // Session i (0..11): in alfa and zulu when i is even, in mike too when i is divisible by 3, in none when i is 11.
        var busy = await SubjectAsync(12, i => i == 11 ? [] : [.. (i % 2 == 0 ? new[] { alfa, zulu } : []), .. (i % 3 == 0 ? new[] { mike } : [])]);
        await PageAsync(client, bare); // the token lookup is remembered after the first request

        var (few, bareRows) = await PageAsync(client, bare);
        var (many, busyRows) = await PageAsync(client, busy);

        Assert.Equal(few, many);
        Assert.Equal(2, many);
        Assert.Empty(Assert.Single(bareRows)!["projects"]!.AsArray());
        Assert.Equal(12, busyRows.Count);
        // Newest first: row k is session 11 - k.
        var expected = new Dictionary<int, string[]>
        {
            [11] = [],
            [10] = [zulu.Name, alfa.Name],
            [9] = [mike.Name],
            [8] = [zulu.Name, alfa.Name],
            [7] = [],
            [6] = [zulu.Name, mike.Name, alfa.Name],
            [5] = [],
            [4] = [zulu.Name, alfa.Name],
            [3] = [mike.Name],
            [2] = [zulu.Name, alfa.Name],
            [1] = [],
            [0] = [zulu.Name, mike.Name, alfa.Name],
        };
        for (var k = 0; k < 12; k++)
        {
            var row = busyRows[k]!;
            Assert.Equal(new DateTime(2024, 3, 1, 9, 0, 0).AddDays(11 - k).ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture),
                row["start_time"]!.GetValue<string>());
            Assert.Equal(busy, row["subject"]!.GetValue<string>());
            Assert.Equal(expected[11 - k], Strings(row["projects"]));
        }
    }
}
