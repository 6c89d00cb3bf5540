using System.Globalization;
using Alyx.Database;
using Alyx.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Cli;

/// <summary>The pipeline-task cases of <c>alyx bench</c>: a task graph for part of the synthetic sessions, and the lists workers ask for.</summary>
static partial class BenchCommand
{
    const string TaskGraph = "BenchPipeline";

    static readonly string[] TaskNames = ["RawDataRegistration", "TrainingTrials", "VideoCompress", "SpikeSorting", "DLC"];

    /// <summary>
    /// Five tasks (a chain: each the parent of the next) for every tenth session, statuses in turn, unless the database has
    /// tasks already: 5,000 tasks at scale 1.
    /// </summary>
    static async Task SeedTasksAsync(string database)
    {
        await using var db = DatabaseUrl.Parse(database).Open();
        if (await db.Set<PipelineTask>().AnyAsync()) return;
        var sessions = await db.Sessions.OrderBy(s => s.Id).Select(s => s.Id).ToListAsync();
        var started = System.Diagnostics.Stopwatch.StartNew();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var n = 0;
        for (var i = 0; i < sessions.Count; i += 10)
        {
            PipelineTask? parent = null;
            for (var level = 0; level < TaskNames.Length; level++)
            {
                var task = new PipelineTask
                {
                    Name = TaskNames[level],
                    Graph = TaskGraph,
                    SessionId = sessions[i],
                    Level = level,
                    Priority = 90 - 10 * level,
                    Status = TaskStatusCodes.All[(i / 10 + level) % TaskStatusCodes.All.Count].Code,
                    Executable = "ibllib.pipes.tasks." + TaskNames[level],
                    Datetime = new DateTime(2023, 1, 1).AddMinutes(n),
                    Arguments = "{\"location\": \"server\"}",
                    Cpu = 1,
                    Ram = 4,
                };
                if (parent is not null) task.Parents.Add(parent);
                db.Add(task);
                parent = task;
                n++;
            }
            if (i % 2000 == 0)
            {
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
        }
        await db.SaveChangesAsync();
        Console.WriteLine($"# tasks: {n.ToString(CultureInfo.InvariantCulture)} in {started.Elapsed.TotalSeconds:F1} s");
    }

    static IEnumerable<Target> TaskTargets()
    {
        yield return new("GET /tasks?limit=100", HttpMethod.Get, _ => "/tasks?limit=100");
        yield return new("GET /tasks?status=..&graph=..", HttpMethod.Get, _ => $"/tasks?limit=100&status=Waiting&graph={TaskGraph}");
        yield return new("GET /tasks?name=..&status=..", HttpMethod.Get, i => $"/tasks?limit=100&name={TaskNames[i % TaskNames.Length]}&status=errored");
    }
}
