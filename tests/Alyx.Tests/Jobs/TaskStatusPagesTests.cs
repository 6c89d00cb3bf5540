using System.Net;
using System.Text.RegularExpressions;
using Alyx.Actions;
using Alyx.Jobs;
using Alyx.Misc;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Jobs;

/// <summary>
/// The pipeline status pages /admin-tasks/status[/graph[/lab]] (spec 50 §5): staff session required, the labs' counts and
/// dates and the graph's session table computed by hand from the rows each test writes, a bounded number of commands.
/// </summary>
public sealed partial class TaskStatusPagesTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static DateTime T(int d, int h = 10) => new(2024, 3, d, h, 0, 0);

    sealed record World(string Graph, string OtherGraph, string LabA, string LabB, string Nickname, Guid S1, Guid S2, Guid S3, Guid S4, Guid Project,
        Guid CompleteExtract, Guid SortErrored, Guid S2Extract);

    /// <summary>
    /// Lab A (json: ibllib 2.7.1, 12,345 GB free): S1 (03-01, qc NOT_SET) with Extract Complete (02:00) then Extract Waiting (03:00)
    /// and Sort Errored; S2 (03-02, FAIL, project P) with Extract Waiting; S3 (03-03, CRITICAL) with QcOnly Waiting. Lab B: S4
    /// (03-04) with a task of another graph, Started.
    /// </summary>
    async Task<World> SeedAsync()
    {
        var graph = AlyxApp.Unique("graph");
        var other = AlyxApp.Unique("other");
        var labA = AlyxApp.Unique("labA");
        var labB = AlyxApp.Unique("labB");
        var nickname = AlyxApp.Unique("TS");
        return await app.WithDbAsync(async db =>
        {
            var a = new Lab { Name = labA, Json = """{"ibllib_version": "2.7.1", "raid_available": 12345}""" };
            var b = new Lab { Name = labB };
            var project = new Project { Name = AlyxApp.Unique("proj") };
            var subject = new Subject { Nickname = nickname, Lab = a };
            var s1 = new Session { Subject = subject, Lab = a, StartTime = T(1), Number = 1, TaskProtocol = "ephysChoiceWorld", Qc = 0 };
            var s2 = new Session { Subject = subject, Lab = a, StartTime = T(2), Number = 2, Qc = 40, Projects = [project] };
            var s3 = new Session { Subject = subject, Lab = a, StartTime = T(3), Number = 3, Qc = 50 };
            var s4 = new Session { Subject = subject, Lab = b, StartTime = T(4), Number = 1 };
            var complete = new PipelineTask { Name = "Extract", Graph = graph, Status = 60, Session = s1, Datetime = T(5, 2) };
            var sort = new PipelineTask { Name = "Sort", Graph = graph, Status = 40, Session = s1, Datetime = T(5, 4) };
            var s2Extract = new PipelineTask { Name = "Extract", Graph = graph, Status = 20, Session = s2, Datetime = T(6, 9) };
            db.AddRange(a, b, project, subject, s1, s2, s3, s4, complete, sort, s2Extract,
                new PipelineTask { Name = "Extract", Graph = graph, Status = 20, Session = s1, Datetime = T(5, 3) },
                new PipelineTask { Name = "QcOnly", Graph = graph, Status = 20, Session = s3, Datetime = T(7, 1) },
                new PipelineTask { Name = "Other", Graph = other, Status = 30, Session = s4, Datetime = T(8, 1) });
            await db.SaveChangesAsync(Ct);
            return new World(graph, other, labA, labB, nickname, s1.Id, s2.Id, s3.Id, s4.Id, project.Id, complete.Id, sort.Id, s2Extract.Id);
        });
    }

    static string Row(string html, string attribute, string key)
    {
        var start = html.IndexOf($"{attribute}=\"{key}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No row {attribute}={key}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    static string Cell(string row, string cls)
    {
        var m = Regex.Match(row, $"<td class=\"[^\"]*\\b{cls}\\b[^\"]*\">(.*?)</td>", RegexOptions.Singleline);
        Assert.True(m.Success, $"No cell {cls} in {row}");
        return WebUtility.HtmlDecode(m.Groups[1].Value.Trim());
    }

    static string Text(string fragment) => WebUtility.HtmlDecode(Regex.Replace(Regex.Replace(fragment, "<[^>]+>", " "), @"\s+", " ").Trim());

    /// <summary>The cells of a session row, tags removed.</summary>
    static List<string> Cells(string row) => [.. Regex.Matches(row, "<td[^>]*>(.*?)</td>", RegexOptions.Singleline).Select(m => Text(m.Groups[1].Value))];

    [Fact]
    public async Task Anonymous_AndTokenClients_AreSentToLogin()
    {
        foreach (var path in new[] { "/admin-tasks/status", "/admin-tasks/status/g", "/admin-tasks/status/g/lab" })
        {
            var response = await app.AnonymousClient().GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/admin/login/?next=" + Uri.EscapeDataString(path), response.Headers.Location!.OriginalString);
        }
        var token = await app.ClientForAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await token.GetAsync("/admin-tasks/status", Ct)).StatusCode);
    }

    [Fact]
    public async Task Overview_ListsGraphsAndLabsWithTheirFigures()
    {
        var w = await SeedAsync();
        var (client, _) = await AdminClient.SignedInAsync(app);
        var html = await client.PageAsync("/admin-tasks/status");
        Assert.Contains($"href=\"/admin-tasks/status/{w.Graph}\"", html);
        Assert.Contains($"href=\"/admin-tasks/status/{w.OtherGraph}\"", html);
        // No session table on the overview.
        Assert.DoesNotContain("task-sessions", html);

        var a = Row(html, "data-lab", w.LabA);
        Assert.Contains($"href=\"/admin-tasks/status/{w.Graph}/{w.LabA}\"", a);
        // Waiting tasks over lab A's sessions: S1 Extract, S2 Extract, S3 QcOnly (all graphs, CRITICAL sessions included).
        Assert.Equal("3", Cell(a, "queued"));
        Assert.Equal("2024-03-07 01:00", Cell(a, "last-job"));
        Assert.Equal("2024-03-03 10:00", Cell(a, "last-session"));
        Assert.Equal("2.7.1", Cell(a, "ibllib"));
        Assert.Equal("12.3", Cell(a, "space"));      // 12345 / 1000 rounded to 0.1

        var b = Row(html, "data-lab", w.LabB);
        Assert.Equal("0", Cell(b, "queued"));
        Assert.Equal("2024-03-08 01:00", Cell(b, "last-job"));
        Assert.Equal("2024-03-04 10:00", Cell(b, "last-session"));
        Assert.Equal("", Cell(b, "ibllib"));
        Assert.Equal("", Cell(b, "space"));
    }

    [Fact]
    public async Task Graph_ListsItsNonCriticalSessions_NewestFirst_WithTheFirstTaskOfEachName()
    {
        var w = await SeedAsync();
        var (client, _) = await AdminClient.SignedInAsync(app);
        var html = await client.PageAsync($"/admin-tasks/status/{w.Graph}");
        // Task columns: the graph's names over non-CRITICAL sessions (QcOnly only ran on S3).
        var table = html.IndexOf("task-sessions", StringComparison.Ordinal);
        var head = html[table..html.IndexOf("</thead>", table, StringComparison.Ordinal)];
        Assert.Equal(["Session", "Project", "Task protocol", "QC", "Extract", "Sort"],
            Regex.Matches(head, "<th scope=\"col\">(.*?)</th>").Select(m => m.Groups[1].Value));
        Assert.Contains("Sessions: 2<", html);
        Assert.DoesNotContain(w.S3.ToString(), html);
        Assert.DoesNotContain(w.S4.ToString(), html);
        Assert.True(html.IndexOf(w.S2.ToString(), StringComparison.Ordinal) < html.IndexOf(w.S1.ToString(), StringComparison.Ordinal));

        var s1 = Row(html, "data-session", w.S1.ToString());
        Assert.Equal([$"{w.S1} {w.Nickname}/2024-03-01/001", "", "ephysChoiceWorld", "-", "Complete", "Errored"], Cells(s1));
        Assert.Contains($"href=\"/admin/actions/session/{w.S1}/change/\"", s1);
        Assert.Contains($"style=\"color: MediumSeaGreen\" href=\"/admin/jobs/task/{w.CompleteExtract}/change/\"", s1);
        Assert.Contains($"style=\"color: Tomato\" href=\"/admin/jobs/task/{w.SortErrored}/change/\"", s1);
        var s2 = Row(html, "data-session", w.S2.ToString());
        Assert.Equal([$"{w.S2} {w.Nickname}/2024-03-02/002", "", "", "FAIL", "Waiting", "-"], Cells(s2));
        Assert.Contains($"style=\"color: #79aec8\" href=\"/admin/jobs/task/{w.S2Extract}/change/\"", s2);

        // Restricted to a lab: lab B has none of this graph's sessions.
        Assert.Contains("Sessions: 2<", await client.PageAsync($"/admin-tasks/status/{w.Graph}/{w.LabA}"));
        var none = await client.PageAsync($"/admin-tasks/status/{w.Graph}/{w.LabB}");
        Assert.Contains("Sessions: 0<", none);
        Assert.DoesNotContain("data-session=", none);
        // By project: S2 only.
        var project = await client.PageAsync($"/admin-tasks/status/{w.Graph}?projects={w.Project}");
        Assert.Contains("Sessions: 1<", project);
        Assert.Contains($"data-session=\"{w.S2}\"", project);
        Assert.DoesNotContain($"data-session=\"{w.S1}\"", project);
    }

    /// <summary>A graph with <paramref name="sessions"/> sessions in one lab, each with two tasks.</summary>
    async Task<(string Graph, string Lab)> ManyAsync(int sessions)
    {
        var graph = AlyxApp.Unique("many");
        var labName = AlyxApp.Unique("labM");
        await app.WithDbAsync(async db =>
        {
            var lab = new Lab { Name = labName };
            var subject = new Subject { Nickname = AlyxApp.Unique("M"), Lab = lab };
            db.AddRange(lab, subject);
            for (var i = 0; i < sessions; i++)
            {
                var s = new Session { Subject = subject, Lab = lab, StartTime = new DateTime(2023, 1, 1).AddDays(i), Number = 1 };
                db.AddRange(s, new PipelineTask { Name = "A", Graph = graph, Status = 20, Session = s, Datetime = new DateTime(2023, 6, 1) },
                    new PipelineTask { Name = "B", Graph = graph, Status = 60, Session = s, Datetime = new DateTime(2023, 6, 1) });
            }
            await db.SaveChangesAsync(Ct);
            return true;
        });
        return (graph, labName);
    }

    [Fact]
    public async Task Pages_Hold50Sessions()
    {
        var (graph, lab) = await ManyAsync(51);
        var (client, _) = await AdminClient.SignedInAsync(app);
        var first = await client.PageAsync($"/admin-tasks/status/{graph}/{lab}");
        Assert.Contains("Sessions: 51<", first);
        Assert.Equal(50, Regex.Count(first, "data-session="));
        Assert.Contains("Page 1 of 2", first);
        Assert.Contains("Queued", first);
        Assert.Equal("51", Cell(Row(first, "data-lab", lab), "queued"));
        var second = await client.PageAsync($"/admin-tasks/status/{graph}/{lab}?page=2");
        Assert.Single(Regex.Matches(second, "data-session="));
        // The oldest session (2023-01-01) is the last one.
        Assert.Contains("/2023-01-01/001", second);
    }

    [Fact]
    public async Task Commands_DoNotGrowWithSessionsOrTasks()
    {
        var (small, smallLab) = await ManyAsync(1);
        var (large, largeLab) = await ManyAsync(60);
        var (client, _) = await AdminClient.SignedInAsync(app);
        var overview = await app.Commands.CountAsync(() => client.PageAsync("/admin-tasks/status"));
        var one = await app.Commands.CountAsync(() => client.PageAsync($"/admin-tasks/status/{small}/{smallLab}"));
        var many = await app.Commands.CountAsync(() => client.PageAsync($"/admin-tasks/status/{large}/{largeLab}"));
        Assert.Equal(one, many);
        // Session check + graphs, labs, projects (+ count, page, task names, tasks on a graph page).
        Assert.InRange(overview, 3, 6);
        Assert.InRange(many, 7, 10);
    }
}
