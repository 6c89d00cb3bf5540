using System.Net;
using System.Text;
using Alyx.Database;
using Alyx.Database.Import;
using Alyx.Http;
using Alyx.Jobs;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Jobs;

/// <summary>
/// The order of <c>/tasks</c> (Django's <c>level, -priority, -session__start_time</c>, NULLs as on PostgreSQL, id for ties) where it
/// depends on the session's start time, which the database copies onto each task (<see cref="TaskOrder"/>): tasks without a session
/// or whose session has no start time, sessions whose start time changes after their tasks were written, tasks moved to another
/// session, sessions written directly (not through the API), dump imports; and the index that gives the order on each provider.
/// </summary>
public sealed class TaskOrderTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static async Task<List<string>> NamesAsync(HttpClient client, string graph, int limit = 1000, int offset = 0)
    {
        var page = await (await client.GetAsync($"/tasks?graph={graph}&limit={limit}&offset={offset}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        return page["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();
    }

    static Task Add(HttpClient client, string graph, string name, int level, int priority, Guid? session) =>
        TaskWorld.PostAsync(client, $$"""
            {"session": {{(session is null ? "null" : $"\"{session}\"")}}, "name": "{{name}}", "graph": "{{graph}}", "level": {{level}}, "priority": {{priority}}}
            """);

    [Fact]
    public async Task ListTasks_FollowsTheSessionsStartTime_WhenItChangesAfterTheTasksWereWritten()
    {
        var client = await app.ClientForAsync();
        var w = await TaskWorld.CreateAsync(app, new DateTime(2024, 5, 1, 9, 0, 0));
        var april = await w.SessionAsync(app, new DateTime(2024, 4, 1, 9, 0, 0), 2);
        var undated = await w.SessionAsync(app, null, 3);
        var graph = AlyxApp.Unique("follow");
        await Add(client, graph, "may", 0, 50, w.Session);
        await Add(client, graph, "april", 0, 50, april);
        await Add(client, graph, "undated", 0, 50, undated);
        await Add(client, graph, "later-level", 1, 90, w.Session);

        // Within level 0, priority 50: the session without a start time first (NULL first descending), then the newer session.
        Assert.Equal(["undated", "may", "april", "later-level"], await NamesAsync(client, graph));

        // The April session moves to June (PATCH /sessions): before May.
        var patched = await client.PatchAsync($"/sessions/{april}", Json.Body("""{"start_time": "2024-06-01T09:00:00"}"""), Ct);
        await patched.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["undated", "april", "may", "later-level"], await NamesAsync(client, graph));

        // The undated session gets a start time in 2030, written directly (not through the API): still first, now by its date.
        await app.WithDbAsync(async db =>
        {
            await db.Sessions.Where(s => s.Id == undated).ExecuteUpdateAsync(u => u.SetProperty(s => s.StartTime, new DateTime(2030, 1, 1)), Ct);
        });
        Assert.Equal(["undated", "april", "may", "later-level"], await NamesAsync(client, graph));

        // The May session loses its start time: first.
        await app.WithDbAsync(async db =>
        {
            await db.Sessions.Where(s => s.Id == w.Session).ExecuteUpdateAsync(u => u.SetProperty(s => s.StartTime, (DateTime?)null), Ct);
        });
        Assert.Equal(["may", "undated", "april", "later-level"], await NamesAsync(client, graph));

        // ... and gets one again through the context (the admin's way of writing), older than June.
        await app.WithDbAsync(async db =>
        {
            var session = await db.Sessions.SingleAsync(s => s.Id == w.Session, Ct);
            session.StartTime = new DateTime(2024, 5, 2, 9, 0, 0);
            await db.SaveChangesAsync(Ct);
        });
        Assert.Equal(["undated", "april", "may", "later-level"], await NamesAsync(client, graph));

        // Pages of the same order, with the count.
        var page = await (await client.GetAsync($"/tasks?graph={graph}&limit=2&offset=1", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(4, page["count"]!.GetValue<int>());
        Assert.Equal(["april", "may"], page["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ListTasks_TaskMovedToAnotherSession_OrSessionRemoved_TakesItsStartTime()
    {
        var client = await app.ClientForAsync();
        var w = await TaskWorld.CreateAsync(app, new DateTime(2024, 5, 1, 9, 0, 0));
        var march = await w.SessionAsync(app, new DateTime(2024, 3, 1, 9, 0, 0), 2);
        var july = await w.SessionAsync(app, new DateTime(2024, 7, 1, 9, 0, 0), 3);
        var graph = AlyxApp.Unique("move");
        await Add(client, graph, "a", 2, 5, w.Session);
        await Add(client, graph, "b", 2, 5, march);
        var moving = (await TaskWorld.PostAsync(client, $$"""{"session": "{{march}}", "name": "c", "graph": "{{graph}}", "level": 2, "priority": 5}"""))["id"]!
            .GetValue<string>();
        // b and c share the March session: id decides between them.
        string[] march2 = string.CompareOrdinal(await IdOfAsync(client, graph, "b"), moving) < 0 ? ["b", "c"] : ["c", "b"];
        Assert.Equal(["a", .. march2], await NamesAsync(client, graph));

        // c moves to the July session (PATCH /tasks): first.
        (await client.PatchAsync($"/tasks/{moving}", Json.Body($$"""{"session": "{{july}}"}"""), Ct)).EnsureSuccessStatusCode();
        Assert.Equal(["c", "a", "b"], await NamesAsync(client, graph));

        // c loses its session: a task without a session sorts as a NULL start time, first.
        (await client.PatchAsync($"/tasks/{moving}", Json.Body("""{"session": null}"""), Ct)).EnsureSuccessStatusCode();
        Assert.Equal(["c", "a", "b"], await NamesAsync(client, graph));

        // Back to the March session, then that session moves to August.
        (await client.PatchAsync($"/tasks/{moving}", Json.Body($$"""{"session": "{{march}}"}"""), Ct)).EnsureSuccessStatusCode();
        Assert.Equal(["a", .. march2], await NamesAsync(client, graph));
        (await client.PatchAsync($"/sessions/{march}", Json.Body("""{"start_time": "2024-08-01T09:00:00"}"""), Ct)).EnsureSuccessStatusCode();
        Assert.Equal([.. march2, "a"], await NamesAsync(client, graph));
    }

    static async Task<string> IdOfAsync(HttpClient client, string graph, string name)
    {
        var page = await (await client.GetAsync($"/tasks?graph={graph}&name={name}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        return page["results"]![0]!["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task ListTasks_EqualKeys_TieBrokenById_AcrossPages()
    {
        var client = await app.ClientForAsync();
        var w = await TaskWorld.CreateAsync(app, new DateTime(2024, 5, 1, 9, 0, 0));
        var graph = AlyxApp.Unique("ties");
        // Fixed ids, in this order as text and as uuid: 0e..., 5a..., a1..., f0...; written in another order.
        var ids = new[] { "f0c1d2e3-0000-4000-8000-000000000004", "0e0a0b0c-0000-4000-8000-000000000001", "a1b2c3d4-0000-4000-8000-000000000003",
            "5a5b5c5d-0000-4000-8000-000000000002" };
        await app.WithDbAsync(async db =>
        {
            var n = 0;
            foreach (var id in ids)
            {
                db.Add(new PipelineTask
                {
                    Id = Guid.Parse(id),
                    Name = "t" + id[..2],
                    Graph = graph,
                    Level = 3,
                    Priority = 30,
                    SessionId = w.Session,
                    Status = TaskStatusCodes.Waiting,
                    Datetime = new DateTime(2024, 5, 1).AddMinutes(n++),
                });
            }
            // The same keys without a session (NULL start time): before those with one.
            db.Add(new PipelineTask { Id = Guid.Parse("b0000000-0000-4000-8000-000000000005"), Name = "nb", Graph = graph, Level = 3, Priority = 30 });
            db.Add(new PipelineTask { Id = Guid.Parse("20000000-0000-4000-8000-000000000006"), Name = "n2", Graph = graph, Level = 3, Priority = 30 });
            await db.SaveChangesAsync(Ct);
        });
        string[] expected = ["n2", "nb", "t0e", "t5a", "ta1", "tf0"];
        Assert.Equal(expected, await NamesAsync(client, graph));
        var paged = new List<string>();
        for (var offset = 0; offset < 6; offset += 4) paged.AddRange(await NamesAsync(client, graph, 4, offset));
        Assert.Equal(expected, paged);
    }

    [Fact]
    public async Task ImportDump_TasksAndSessions_TakeTheSessionsStartTime()
    {
        var client = await app.ClientForAsync();
        var w = await TaskWorld.CreateAsync(app, new DateTime(2024, 5, 1, 9, 0, 0));
        var graph = AlyxApp.Unique("dump");
        var session = Guid.NewGuid();
        async Task ImportAsync(string json)
        {
            var file = Path.Combine(Path.GetTempPath(), $"alyx-task-order-{Guid.NewGuid():N}.json");
            try
            {
                await File.WriteAllTextAsync(file, json, Encoding.UTF8, Ct);
                await app.WithDbAsync(async db =>
                {
                    await new DumpImporter(db, new AlyxClock(TimeProvider.System, TimeZoneInfo.Utc)).ImportAsync([file], Ct);
                });
            }
            finally
            {
                File.Delete(file);
            }
        }
        string Session(string start) => $$$"""
            {"model": "actions.session", "pk": "{{{session}}}", "fields": {"subject": "{{{w.SubjectId}}}", "lab": "{{{w.LabId}}}", "start_time": "{{{start}}}", "number": 7}}
            """;

        // A new session of 2025 with a task (the task first in the file), and a task of the existing session of May 2024.
        await ImportAsync($$$"""
            [{"model": "jobs.task", "pk": "{{{Guid.NewGuid()}}}", "fields": {"name": "imported", "graph": "{{{graph}}}", "level": 0, "priority": 1,
              "session": "{{{session}}}", "status": 20, "datetime": "2024-01-01T00:00:00", "parents": []}},
             {"model": "jobs.task", "pk": "{{{Guid.NewGuid()}}}", "fields": {"name": "existing", "graph": "{{{graph}}}", "level": 0, "priority": 1,
              "session": "{{{w.Session}}}", "status": 20, "datetime": "2024-01-01T00:00:00", "parents": []}},
             {{{Session("2025-04-01T09:00:00")}}}]
            """);
        Assert.Equal(["imported", "existing"], await NamesAsync(client, graph));

        // A second dump moves the new session back to 2020.
        await ImportAsync($"[{Session("2020-04-01T09:00:00")}]");
        Assert.Equal(["existing", "imported"], await NamesAsync(client, graph));
    }

    [Fact]
    public async Task ListOrder_IsReadFromAnIndex_WithoutSorting()
    {
        var plan = await app.WithDbAsync(db => PlanAsync(db, TaskOrder.Apply(db, db.Set<PipelineTask>()).Select(t => t.Id).Take(100)));
        Assert.Contains("IX_jobs_task_order", plan);
        Assert.DoesNotContain("TEMP B-TREE", plan);
        Assert.DoesNotContain("Sort", plan);
    }

    [Fact]
    public async Task NameAndStatusFilter_ReadsItsPageInOrderFromOneIndex_WithoutSorting()
    {
        // The pipeline's query (/tasks?name=..&status=..): on a large table the order index alone is walked past every task of
        // other names and statuses; the name-status index holds the order after its two columns. The two values are constants,
        // so EF writes them into the statement.
        const string name = "VideoCompress";
        const int status = 40;
        var plan = await app.WithDbAsync(db => PlanAsync(db,
            TaskOrder.Apply(db, db.Set<PipelineTask>().Where(t => t.Name == name && t.Status == status)).Select(t => t.Id).Take(100)));
        Assert.Contains("IX_jobs_task_name_status_order", plan);
        Assert.DoesNotContain("TEMP B-TREE", plan);
        Assert.DoesNotContain("Sort", plan);
    }

    /// <summary>
    /// The plan of a query, its one parameter (the page's limit) bound to 100: on SQLite the details of EXPLAIN QUERY PLAN; on
    /// PostgreSQL the lines of EXPLAIN, told to avoid sorting and sequential scans (the test database is too small for the planner
    /// to prefer an index otherwise), so that it can only do without a Sort node if an index gives the whole order.
    /// </summary>
    static async Task<string> PlanAsync(AlyxDb db, IQueryable<Guid> query)
    {
        var lines = query.ToQueryString().Split('\n')
            .Where(l => !l.StartsWith(".param", StringComparison.Ordinal) && !l.StartsWith("--", StringComparison.Ordinal));
        var body = System.Text.RegularExpressions.Regex.Replace(string.Join("\n", lines), @"@\w+", "@p");
        var postgres = db.Provider == DatabaseProvider.Postgres;
        await db.Database.OpenConnectionAsync(Ct);
        var connection = db.Database.GetDbConnection();
        await using var transaction = await connection.BeginTransactionAsync(Ct);
        if (postgres)
        {
            await using var off = connection.CreateCommand();
            off.Transaction = transaction;
            off.CommandText = "SET LOCAL enable_sort = off; SET LOCAL enable_incremental_sort = off; SET LOCAL enable_seqscan = off";
            await off.ExecuteNonQueryAsync(Ct);
        }
        var plan = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = (postgres ? "EXPLAIN " : "EXPLAIN QUERY PLAN ") + body;
            var p = command.CreateParameter();
            p.ParameterName = "@p";
            p.Value = 100;
            command.Parameters.Add(p);
            await using var reader = await command.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct)) plan.Add(reader.GetString(postgres ? 0 : 3));
        }
        await transaction.RollbackAsync(Ct);
        return string.Join("\n", plan);
    }
}
