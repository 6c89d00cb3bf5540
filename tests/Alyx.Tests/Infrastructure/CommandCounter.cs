using System.Data.Common;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Alyx.Tests.Infrastructure;

/// <summary>
/// Counts the database commands EF Core sends for an app (every <see cref="AlyxApp"/> has one), so that a test can assert that a
/// list or detail runs a number of commands independent of the page size (no N+1). Tests of one class run one at a time, so the
/// commands counted around a request are that request's.
/// </summary>
public sealed class CommandCounter : DbCommandInterceptor
{
    int count;
    List<string>? texts;

    public int Count => Volatile.Read(ref count);

    /// <summary>The text of each command sent while <paramref name="action"/> ran, in order.</summary>
    public async Task<List<string>> TextsAsync(Func<Task> action)
    {
        var seen = new List<string>();
        Volatile.Write(ref texts, seen);
        try
        {
            await action();
        }
        finally
        {
            Volatile.Write(ref texts, null);
        }
        lock (seen) return [.. seen];
    }

    /// <summary>The commands sent while <paramref name="action"/> ran.</summary>
    public async Task<int> CountAsync(Func<Task> action)
    {
        var before = Count;
        await action();
        return Count - before;
    }

    /// <summary>GET <paramref name="path"/> (answered 200): its JSON body and the commands the request sent.</summary>
    public async Task<(int Commands, JsonNode Body)> GetJsonAsync(HttpClient client, string path, CancellationToken ct)
    {
        JsonNode? body = null;
        var commands = await CountAsync(async () => body = await (await client.GetAsync(path, ct)).ReadJsonAsync(HttpStatusCode.OK));
        return (commands, body!);
    }

    void Seen(DbCommand command)
    {
        Interlocked.Increment(ref count);
        if (Volatile.Read(ref texts) is { } seen)
        {
            lock (seen) seen.Add(command.CommandText);
        }
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Seen(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Seen(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Seen(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Seen(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Seen(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Seen(command);
        return ValueTask.FromResult(result);
    }
}
