using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Alyx.Database;

/// <summary>
/// The server's write transactions on SQLite, one at a time, queued without holding a thread. SQLite has one writer per
/// database and Microsoft.Data.Sqlite begins a transaction with <c>BEGIN IMMEDIATE</c>, which takes the write lock at
/// once: concurrent writers used to meet the lock and spin (Microsoft.Data.Sqlite retries a busy statement after a
/// blocking 150 ms sleep, or SQLite's busy handler sleeps the thread), holding thread-pool threads that readers needed.
/// Here a transaction waits for its turn asynchronously before <c>BEGIN</c>, so the lock is free when it asks. The turn
/// ends when the transaction commits, rolls back or fails, or its connection closes (a transaction disposed unfinished).
/// A context of another process, or one that does not use this gate, still meets SQLite's busy timeout as before; a
/// transaction that waited longer than <paramref name="timeoutSeconds"/> goes ahead without its turn and meets it too.
/// </summary>
public sealed class SqliteWriteGate(int timeoutSeconds) : DbTransactionInterceptor, IDbConnectionInterceptor, IDisposable
{
    readonly SemaphoreSlim turn = new(1, 1);
    readonly TimeSpan timeout = TimeSpan.FromSeconds(timeoutSeconds);

    /// <summary>The connections holding the turn (a connection that begins again while holding it keeps it).</summary>
    readonly ConditionalWeakTable<DbConnection, object> holders = [];
    readonly Lock gate = new();

    /// <summary>The connection of each transaction begun here (a finished SqliteTransaction no longer names it).</summary>
    readonly ConditionalWeakTable<DbTransaction, DbConnection> connections = [];

    bool Holds(DbConnection connection)
    {
        lock (gate) return holders.TryGetValue(connection, out _);
    }

    void Hold(DbConnection connection)
    {
        lock (gate) holders.AddOrUpdate(connection, this);
    }

    void Release(DbConnection? connection)
    {
        if (connection is null) return;
        lock (gate)
        {
            if (!holders.Remove(connection)) return;
        }
        turn.Release();
    }

    public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData,
        InterceptionResult<DbTransaction> result)
    {
        if (connection is SqliteConnection && !Holds(connection) && turn.Wait(timeout)) Hold(connection);
        return result;
    }

    public override async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection,
        TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        if (connection is SqliteConnection && !Holds(connection) && await turn.WaitAsync(timeout, cancellationToken)) Hold(connection);
        return result;
    }

    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        connections.AddOrUpdate(result, connection);
        return result;
    }

    public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result,
        CancellationToken cancellationToken = default)
    {
        connections.AddOrUpdate(result, connection);
        return ValueTask.FromResult(result);
    }

    void Ended(DbTransaction transaction)
    {
        if (connections.TryGetValue(transaction, out var connection))
        {
            connections.Remove(transaction);
            Release(connection);
        }
        else Release(transaction.Connection);
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Ended(transaction);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(transaction);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Ended(transaction);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(transaction);
        return Task.CompletedTask;
    }

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Ended(transaction);

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(transaction);
        return Task.CompletedTask;
    }

    public void ConnectionClosed(DbConnection connection, ConnectionEndEventData eventData) => Release(connection);

    public Task ConnectionClosedAsync(DbConnection connection, ConnectionEndEventData eventData)
    {
        Release(connection);
        return Task.CompletedTask;
    }

    public void Dispose() => turn.Dispose();
}
