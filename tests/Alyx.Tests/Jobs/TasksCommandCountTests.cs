using System.Data.Common;
using System.Net;
using Alyx.Database;
using Alyx.Jobs;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Alyx.Tests.Jobs;

/// <summary>Counts the commands EF sends to the database (every kind, synchronous or not).</summary>
public sealed class CommandCounter : DbCommandInterceptor
{
    int count;

    public int Count => Volatile.Read(ref count);

    public void Reset() => Interlocked.Exchange(ref count, 0);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Interlocked.Increment(ref count);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref count);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Interlocked.Increment(ref count);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref count);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Interlocked.Increment(ref count);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref count);
        return ValueTask.FromResult(result);
    }
}

/// <summary>The app with a <see cref="CommandCounter"/> on its context (its own database: only this class's requests reach it).</summary>
public sealed class CountingApp : AlyxApp
{
    public CommandCounter Counter { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // Every list request counts its rows: no count remembered from an earlier page.
        builder.UseSetting("COUNT_CACHE_SECONDS", "0");
        builder.ConfigureServices(services =>
        {
            services.ConfigureDbContext<SqliteAlyxDb>(o => o.AddInterceptors(Counter));
            services.ConfigureDbContext<PostgresAlyxDb>(o => o.AddInterceptors(Counter));
        });
    }
}

/// <summary>No N+1: the task list and detail send a number of commands that does not grow with the page (issue 13 item 5).</summary>
public sealed class TasksCommandCountTests(CountingApp app) : IClassFixture<CountingApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<int> CommandsAsync(HttpClient client, string url)
    {
        // The token lookup is cached after the first request; warm it so that only the endpoint's own commands are counted.
        (await client.GetAsync("/tasks?limit=1&graph=warm", Ct)).EnsureSuccessStatusCode();
        app.Counter.Reset();
        var response = await client.GetAsync(url, Ct);
        await response.AssertStatusAsync(HttpStatusCode.OK);
        return app.Counter.Count;
    }

    [Fact]
    public async Task ListTasks_FullPageOfLinkedTasks_SendsAFixedNumberOfCommands()
    {
        var client = await app.ClientForAsync();
        var w = await TaskWorld.CreateAsync(app);
        var graph = AlyxApp.Unique("count");
        await app.WithDbAsync(async db =>
        {
            var repository = await db.DataRepositories.SingleAsync(r => r.Id == w.RepositoryId, Ct);
            PipelineTask? previous = null;
            for (var i = 0; i < 120; i++)
            {
                var task = new PipelineTask
                {
                    Name = $"t{i}",
                    Graph = graph,
                    SessionId = w.Session,
                    DataRepository = repository,
                    Level = i % 3,
                    Priority = i,
                    Status = 20 + i % 2 * 40,
                    Datetime = new DateTime(2024, 1, 1).AddMinutes(i),
                    Arguments = $"{{\"i\": {i}}}",
                };
                if (previous is not null) task.Parents.Add(previous);
                db.Add(task);
                previous = task;
            }
            await db.SaveChangesAsync(Ct);
        });

        var small = await CommandsAsync(client, $"/tasks?graph={graph}&limit=2&offset=5");
        var full = await CommandsAsync(client, $"/tasks?graph={graph}&limit=100&offset=5");
        var filtered = await CommandsAsync(client, $"/tasks?graph={graph}&status=complete&lab={w.Lab}&limit=100");

        // The page (its parents in the same or one split query) and the count: the same for 2 rows as for 100.
        Assert.Equal(small, full);
        Assert.InRange(full, 1, 3);
        Assert.InRange(filtered, 1, 3);
        var id = await app.WithDbAsync(db => db.Set<PipelineTask>().Where(t => t.Graph == graph && t.Name == "t50").Select(t => t.Id).SingleAsync(Ct));
        Assert.InRange(await CommandsAsync(client, $"/tasks/{id}"), 1, 2);
    }
}
