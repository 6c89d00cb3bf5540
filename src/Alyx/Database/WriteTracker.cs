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
/// tables.
/// </summary>
public sealed class WriteTracker : DbCommandInterceptor, IDbTransactionInterceptor
{
    long data;
    long auth;

    /// <summary>Moves on with every committed write.</summary>
    public long Data => Interlocked.Read(ref data);

    /// <summary>Moves on with every committed write to <c>misc_labmember</c> or <c>authtoken_token</c>.</summary>
    public long Auth => Interlocked.Read(ref auth);

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

    void Written(DbCommand command, DbContext? context)
    {
        if (!IsWrite(command.CommandText)) return;
        var touchesAuth = TouchesAuth(command.CommandText);
        if (command.Transaction is not null && context is not null)
        {
            // Published at commit; until then no other connection sees the change, and a cache filled meanwhile is
            // stamped with the version before the commit.
            var p = pending.GetOrCreateValue(context);
            p.Data = true;
            p.Auth |= touchesAuth;
        }
        Interlocked.Increment(ref data);
        if (touchesAuth) Interlocked.Increment(ref auth);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Written(command, eventData.Context);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        Written(command, eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Written(command, eventData.Context);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    {
        Written(command, eventData.Context);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Written(command, eventData.Context);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default)
    {
        Written(command, eventData.Context);
        return ValueTask.FromResult(result);
    }

    void Ended(DbContext? context, bool committed)
    {
        if (context is null || !pending.TryGetValue(context, out var p)) return;
        pending.Remove(context);
        if (!committed) return;
        if (p.Data) Interlocked.Increment(ref data);
        if (p.Auth) Interlocked.Increment(ref auth);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context, true);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context, true);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData.Context, false);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData.Context, false);
        return Task.CompletedTask;
    }
}
