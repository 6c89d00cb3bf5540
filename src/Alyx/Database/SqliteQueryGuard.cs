using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Alyx.Database;

/// <summary>
/// Bounds what one SQLite command can cost, as PostgreSQL's statement timeout does there. SQLite has no timeout for a
/// running statement (its busy timeout only bounds lock waits), so every command's connection is interrupted
/// (<c>sqlite3_interrupt</c>) once it has run for <c>QUERY_TIMEOUT_SECONDS</c>; the command then fails with
/// SQLITE_INTERRUPT, answered 503. SQLite cannot interrupt a function while it runs, so the <c>REGEXP</c> function behind
/// <c>__regex</c>/<c>__iregex</c> is replaced by one whose matches are bounded too: a linear-time engine
/// (<see cref="RegexOptions.NonBacktracking"/>) when the pattern allows it, else a backtracking match with a timeout that
/// fails the command the same way.
/// </summary>
public sealed class SqliteQueryGuard(int timeoutSeconds) : DbCommandInterceptor, IDbConnectionInterceptor
{
    /// <summary>The longest one backtracking match of a REGEXP may run.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(250);

    const int SqliteInterrupt = 9;
    const int MaxCachedPatterns = 256;

    static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    readonly TimeSpan timeout = TimeSpan.FromSeconds(timeoutSeconds);
    readonly ConditionalWeakTable<DbCommand, Watch> running = [];

    /// <summary>The running command's timer: fires once, interrupting the connection unless the command has ended.</summary>
    sealed class Watch : IDisposable
    {
        readonly Lock gate = new();
        readonly SqliteConnection connection;
        readonly Timer timer;
        bool ended;

        public Watch(SqliteConnection connection, TimeSpan after)
        {
            this.connection = connection;
            timer = new Timer(_ => Fire(), null, after, Timeout.InfiniteTimeSpan);
        }

        void Fire()
        {
            lock (gate)
            {
                // Under the lock: once Dispose has returned, the connection may run another command that must not be hit.
                if (ended || connection.Handle is not { } handle) return;
                SQLitePCL.raw.sqlite3_interrupt(handle);
            }
        }

        public void Dispose()
        {
            lock (gate) ended = true;
            timer.Dispose();
        }
    }

    /// <summary>REGEXP as EF registers it (NULL when either side is NULL), with every match bounded.</summary>
    public static bool? RegexpMatch(string? pattern, string? input)
    {
        if (pattern is null || input is null) return null;
        if (Patterns.Count > MaxCachedPatterns) Patterns.Clear();
        var regex = Patterns.GetOrAdd(pattern, Compile);
        try
        {
            return regex.IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            // SQLite reports the error code of a SqliteException thrown by a function: the command fails as interrupted.
            throw new SqliteException("The regular expression took too long to match.", SqliteInterrupt);
        }
    }

    static Regex Compile(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.NonBacktracking);
        }
        catch (NotSupportedException)
        {
            // Backreferences, lookarounds, atomic groups and conditionals need backtracking.
            return new Regex(pattern, RegexOptions.None, MatchTimeout);
        }
    }

    /// <summary>
    /// The connection EF made, without the functions it registered on it (REGEXP and the decimal helpers, which this model
    /// does not use): Microsoft.Data.Sqlite registers a connection's functions at every open and removes them at every close,
    /// and SQLite expires every prepared statement of a native connection when a function is replaced or removed, which would
    /// leave <see cref="SqliteStatementCache"/> nothing to reuse. The bounded REGEXP is registered on each native connection
    /// once instead (<see cref="ConnectionOpened"/>).
    /// </summary>
    public DbConnection ConnectionCreated(ConnectionCreatedEventData eventData, DbConnection result)
    {
        if (result is not SqliteConnection sqlite) return result;
        var bare = new SqliteConnection(sqlite.ConnectionString);
        sqlite.Dispose();
        return bare;
    }

    public void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => RegisterRegexp(connection);

    public Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        RegisterRegexp(connection);
        return Task.CompletedTask;
    }

    static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Registered = [];

    /// <summary>REGEXP (<see cref="RegexpMatch"/>) on the native connection, once: pooled connections keep it.</summary>
    static void RegisterRegexp(DbConnection connection)
    {
        if (connection is not SqliteConnection { Handle: { } handle } || Registered.TryGetValue(handle, out _)) return;
        var rc = SQLitePCL.raw.sqlite3_create_function(handle, "regexp", 2, SQLitePCL.raw.SQLITE_UTF8 | SQLitePCL.raw.SQLITE_DETERMINISTIC, null, Regexp);
        SqliteException.ThrowExceptionForRC(rc, handle);
        Registered.AddOrUpdate(handle, handle);
    }

    /// <summary>The SQL function: NULL when either side is NULL; an error (the code of a <see cref="SqliteException"/>) fails the statement.</summary>
    static void Regexp(SQLitePCL.sqlite3_context context, object userData, SQLitePCL.sqlite3_value[] args)
    {
        static string? Text(SQLitePCL.sqlite3_value value) =>
            SQLitePCL.raw.sqlite3_value_type(value) == SQLitePCL.raw.SQLITE_NULL ? null : SQLitePCL.raw.sqlite3_value_text(value).utf8_to_string();
        try
        {
            if (RegexpMatch(Text(args[0]), Text(args[1])) is { } match) SQLitePCL.raw.sqlite3_result_int(context, match ? 1 : 0);
            else SQLitePCL.raw.sqlite3_result_null(context);
        }
        catch (Exception e)
        {
            SQLitePCL.raw.sqlite3_result_error(context, e.Message);
            SQLitePCL.raw.sqlite3_result_error_code(context, e is SqliteException sqlite ? sqlite.SqliteErrorCode : SQLitePCL.raw.SQLITE_ERROR);
        }
    }

    void Start(DbCommand command)
    {
        if (command.Connection is not SqliteConnection connection) return;
        Stop(command);
        running.Add(command, new Watch(connection, timeout));
    }

    void Stop(DbCommand command)
    {
        if (running.TryGetValue(command, out var watch))
        {
            running.Remove(command);
            watch.Dispose();
        }
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Start(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Start(command);
        return ValueTask.FromResult(result);
    }

    // A reader's statement keeps running while its rows are read: the watch ends when the reader closes.
    public override InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        Stop(command);
        return result;
    }

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        Stop(command);
        return result;
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Start(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Start(command);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Stop(command);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default)
    {
        Stop(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Start(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
        InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Start(command);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Stop(command);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        Stop(command);
        return ValueTask.FromResult(result);
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Stop(command);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Stop(command);
        return Task.CompletedTask;
    }

    public override void CommandCanceled(DbCommand command, CommandEndEventData eventData) => Stop(command);

    public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Stop(command);
        return Task.CompletedTask;
    }
}
