using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Alyx.Database;

/// <summary>
/// Version numbers of the stored data, moved on by every write that a context watched by this tracker makes (a singleton
/// of the host, added as an interceptor to its <see cref="AlyxDb"/>s): when a write command runs outside a transaction and
/// when a transaction that wrote commits. Caches of derived answers (list counts, token lookups) remember the version they
/// were computed at and are only used while it is current. <see cref="Auth"/> moves only on writes to the users and token
/// tables. With <see cref="SharedState"/> on (PostgreSQL), each committed write also moves the shared versions on before
/// the write returns, and the shared versions read per request (<see cref="Observe"/>) count in: writes of other processes
/// then invalidate this process's caches as its own do.
/// </summary>
public sealed class WriteTracker(SharedState shared) : DbCommandInterceptor, IDbTransactionInterceptor
{
    long data;
    long auth;
    long sharedData;
    long sharedAuth;

    /// <summary>A tracker of this process's writes only.</summary>
    public WriteTracker() : this(SharedState.Off)
    {
    }

    /// <summary>Moves on with every committed write (of this process, or of any process with shared state on).</summary>
    public long Data => Interlocked.Read(ref data) + Interlocked.Read(ref sharedData);

    /// <summary>Moves on with every committed write to <c>misc_labmember</c> or <c>authtoken_token</c>.</summary>
    public long Auth => Interlocked.Read(ref auth) + Interlocked.Read(ref sharedAuth);

    /// <summary>Takes in the shared versions read from the database (they only grow; an older read changes nothing).</summary>
    public void Observe(long sharedDataVersion, long sharedAuthVersion)
    {
        RaiseTo(ref sharedData, sharedDataVersion);
        RaiseTo(ref sharedAuth, sharedAuthVersion);
    }

    static void RaiseTo(ref long field, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref field)) < value && Interlocked.CompareExchange(ref field, value, current) != current)
        {
        }
    }

    /// <summary>The writes a context has made in its open transaction, published when it commits.</summary>
    sealed class Pending
    {
        public bool Data;
        public bool Auth;
    }

    readonly ConditionalWeakTable<DbContext, Pending> pending = [];

    /// <summary>Moves both versions on: after writes made with commands EF does not run (the bulk loaders of import-dump and seed-synthetic).</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref data);
        Interlocked.Increment(ref auth);
        Publish(true, true);
    }

    /// <summary>With shared state on, moves the shared versions on (a committed write of this process) and takes them in.</summary>
    void Publish(bool written, bool touchesAuth)
    {
        if (!written || !shared.Enabled) return;
        var (d, a) = shared.Bump(touchesAuth);
        Observe(d, a);
    }

    /// <summary>
    /// <see cref="Publish"/>, not cancelled with the request: the write is committed, and other processes must learn of it
    /// before the request that made it answers.
    /// </summary>
    async ValueTask PublishAsync(bool written, bool touchesAuth)
    {
        if (!written || !shared.Enabled) return;
        var (d, a) = await shared.BumpAsync(touchesAuth, CancellationToken.None);
        Observe(d, a);
    }

    /// <summary>The tracker that watches <paramref name="db"/> (among the interceptors it was configured with), or null.</summary>
    public static WriteTracker? Of(DbContext db) =>
        db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<WriteTracker>().FirstOrDefault();

    static bool IsWrite(string sql)
    {
        var text = sql.AsSpan().TrimStart();
        // Comments EF puts first (query tags) do not occur here; a read starts with SELECT (or a WITH of a SELECT, which
        // counts as a write: moving the version once too often only costs a cache miss).
        return !text.StartsWith("SELECT", StringComparison.OrdinalIgnoreCase)
            && !text.StartsWith("PRAGMA", StringComparison.OrdinalIgnoreCase);
    }

    static bool TouchesAuth(string sql) =>
        sql.Contains("misc_labmember", StringComparison.Ordinal) || sql.Contains("authtoken_token", StringComparison.Ordinal);

    /// <summary>Counts a write command; returns what to publish now (a write outside a transaction), nothing otherwise.</summary>
    (bool Data, bool Auth) Written(DbCommand command, DbContext? context)
    {
        if (!IsWrite(command.CommandText)) return default;
        var touchesAuth = TouchesAuth(command.CommandText);
        if (command.Transaction is not null && context is not null)
        {
            // Published at commit; until then no other connection sees the change, and a cache filled meanwhile is
            // stamped with the version before the commit.
            var p = pending.GetOrCreateValue(context);
            p.Data = true;
            p.Auth |= touchesAuth;
            Interlocked.Increment(ref data);
            if (touchesAuth) Interlocked.Increment(ref auth);
            return default;
        }
        Interlocked.Increment(ref data);
        if (touchesAuth) Interlocked.Increment(ref auth);
        return (true, touchesAuth);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        var (d, a) = Written(command, eventData.Context);
        Publish(d, a);
        return result;
    }

    public override async ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        var (d, a) = Written(command, eventData.Context);
        await PublishAsync(d, a);
        return result;
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        var (d, a) = Written(command, eventData.Context);
        Publish(d, a);
        return result;
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    {
        var (d, a) = Written(command, eventData.Context);
        await PublishAsync(d, a);
        return result;
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        var (d, a) = Written(command, eventData.Context);
        Publish(d, a);
        return result;
    }

    public override async ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default)
    {
        var (d, a) = Written(command, eventData.Context);
        await PublishAsync(d, a);
        return result;
    }

    /// <summary>Publishes the writes of a committed transaction; returns what to publish to other processes.</summary>
    (bool Data, bool Auth) Ended(DbContext? context, bool committed)
    {
        if (context is null || !pending.TryGetValue(context, out var p)) return default;
        pending.Remove(context);
        if (!committed) return default;
        if (p.Data) Interlocked.Increment(ref data);
        if (p.Auth) Interlocked.Increment(ref auth);
        return (p.Data, p.Auth);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData)
    {
        var (d, a) = Ended(eventData.Context, true);
        Publish(d, a);
    }

    public async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        var (d, a) = Ended(eventData.Context, true);
        await PublishAsync(d, a);
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context, false);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context, false);
        return Task.CompletedTask;
    }
}
