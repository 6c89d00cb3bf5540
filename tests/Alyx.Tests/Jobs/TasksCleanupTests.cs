using System.Text.Json.Nodes;
using Alyx.Actions;
using Alyx.Jobs;
using Alyx.Subjects;
using Alyx.Tests.Cli;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Jobs;

/// <summary><c>alyx tasks cleanup</c> (spec 50 §6): upstream TestManagementTasks.test_cleanup, step by step, on this class's own database.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class TasksCleanupTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly int[] Codes = [20, 25, 30, 40, 45, 50, 55, 60];

    static readonly DateTime Base = new(2024, 1, 1);

    Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => Infrastructure.Cli.RunAsync(["tasks", .. args, "--database", app.DatabaseUrl]);

    Task<int> CountAsync(Func<IQueryable<PipelineTask>, IQueryable<PipelineTask>>? where = null) =>
        app.WithDbAsync(db => (where ?? (q => q))(db.Set<PipelineTask>()).CountAsync(Ct));

    /// <summary>100 tasks saved one a day back from 2024-01-01, statuses in turn; task_0 belongs to a signed-off session.</summary>
    async Task SeedAsync()
    {
        await app.WithDbAsync(async db =>
        {
            var subject = new Subject { Nickname = AlyxApp.Unique("586"), LabId = Alyx.Database.DatabaseSetup.DefaultLabId };
            var session = new Session
            {
                Subject = subject,
                Number = 1,
                Type = "Experiment",
                Json = new JsonObject { ["sign_off_checklist"] = new JsonObject { ["sign_off_date"] = Base.ToString("s") } }.ToJsonString(),
            };
            for (var i = 0; i < 100; i++)
                db.Add(new PipelineTask { Name = $"task_{i}", Status = Codes[i % Codes.Length], Datetime = Base.AddDays(-i), Session = i == 0 ? session : null });
            await db.SaveChangesAsync(Ct);
        });
    }

    [Fact]
    public async Task TasksCleanup_EveryOption_DeletesWhatTheOriginalDeletes()
    {
        await SeedAsync();
        // --before 90 days back (to the day): the 10 oldest.
        var before = DateOnly.FromDateTime(Base.AddDays(-(90 - 0.1)));
        var dry = await RunAsync("cleanup", "--before", before.ToString("O"), "--dry");
        Assert.Equal(0, dry.Code);
        Assert.Equal("Found 10 tasks to delete\n", dry.Out.Replace("\r", "", StringComparison.Ordinal));
        Assert.Equal(100, await CountAsync());

        var run = await RunAsync("cleanup", "--before", before.ToString("O"));
        Assert.Equal("Found 10 tasks to delete\nTasks deleted\n", run.Out.Replace("\r", "", StringComparison.Ordinal));
        Assert.Equal(90, await CountAsync());
        var until = before.AddDays(1).ToDateTime(TimeOnly.MinValue);
        Assert.Equal(0, await CountAsync(q => q.Where(t => t.Datetime < until)));

        // --signed-off: only task_0, whose session's checklist has a sign-off date.
        Assert.Equal(0, (await RunAsync("cleanup", "--signed-off")).Code);
        Assert.Equal(89, await CountAsync());
        Assert.Equal(0, await CountAsync(q => q.Where(t => t.Name == "task_0")));

        // --status as a code, then as a label in any case.
        var waiting = await CountAsync(q => q.Where(t => t.Status == 20));
        Assert.True(waiting > 0);
        Assert.Equal(0, (await RunAsync("cleanup", "--status", "20")).Code);
        Assert.Equal((89 - waiting, 0), (await CountAsync(), await CountAsync(q => q.Where(t => t.Status == 20))));
        var errored = await CountAsync(q => q.Where(t => t.Status == 40));
        Assert.Equal(0, (await RunAsync("cleanup", "--status", "errored")).Code);
        Assert.Equal((89 - waiting - errored, 0), (await CountAsync(), await CountAsync(q => q.Where(t => t.Status == 40))));

        // --status ~Abandoned with --before 80 days back: everything but the abandoned tasks of those days.
        var cutoff = Base.AddDays(-80).AddDays(1);
        var total = await CountAsync();
        var selected = await CountAsync(q => q.Where(t => t.Status != 45 && t.Datetime < cutoff));
        Assert.Equal(0, (await RunAsync("cleanup", "--status", "~Abandoned", "--before", DateOnly.FromDateTime(Base.AddDays(-80)).ToString("O"))).Code);
        Assert.Equal(total - selected, await CountAsync());
        Assert.Equal(0, await CountAsync(q => q.Where(t => t.Status != 45 && t.Datetime < cutoff)));
        Assert.True(await CountAsync(q => q.Where(t => t.Status == 45 && t.Datetime < cutoff)) > 0);

        // --status ~60 --limit 5: the five oldest not complete.
        var notComplete = await CountAsync(q => q.Where(t => t.Status != 60));
        var oldest = await app.WithDbAsync(db => db.Set<PipelineTask>().Where(t => t.Status != 60).OrderBy(t => t.Datetime).Take(5).Select(t => t.Id)
            .ToListAsync(Ct));
        var limited = await RunAsync("cleanup", "--status", "~60", "--limit", "5");
        Assert.StartsWith("Found 5 tasks to delete", limited.Out, StringComparison.Ordinal);
        Assert.Equal(notComplete - 5, await CountAsync(q => q.Where(t => t.Status != 60)));
        Assert.Equal(0, await CountAsync(q => q.Where(t => oldest.Contains(t.Id))));

        // Errors: nothing is deleted.
        var left = await CountAsync();
        foreach (var (args, message) in new[]
        {
            (new[] { "cleanup", "--status", "NotAStatus" }, "Status \"NotAStatus\" not recognized"),
            (["cleanup", "--status", "1000"], "Status 1000 not recognized"),
            (["cleanup", "--status", "10"], "Status 10 not recognized"),
            (["NotAnAction"], "Action \"NotAnAction\" not recognized"),
            (["cleanup", "--before", "2024-13-01"], "--before"),
            (["cleanup", "--limit", "many"], "--limit"),
        })
        {
            var (code, _, err) = await RunAsync(args);
            Assert.Equal(2, code);
            Assert.Contains(message, err, StringComparison.Ordinal);
        }
        Assert.Equal(left, await CountAsync());
    }
}
