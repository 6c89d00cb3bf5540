using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Alyx.Database;

/// <summary>
/// SQLite statements kept prepared across commands, per native connection. Microsoft.Data.Sqlite prepares a command's SQL at
/// every execution and finalizes it with the command, and EF makes a command per query: preparing (parsing and planning) was a
/// fifth to a quarter of the CPU of a detail request, more than running its statements. Installed as SQLitePCL's provider (the
/// library's own, every call forwarded by <see cref="SqliteProviderProxy"/>), this cache hands out a statement of the same SQL
/// text on the same connection when one was finalized before (reset and its bindings cleared: it holds no lock and no value),
/// keeps at most <see cref="PerConnection"/> idle statements per connection (the least recently used is finalized) and
/// finalizes a connection's statements before the connection closes. What a statement does is unchanged: SQLite re-prepares
/// one itself when the schema changed (<c>sqlite3_prepare_v2</c>'s contract), and a statement whose plan used a bound value
/// (a <c>LIMIT</c>) is re-prepared when that value is bound again, as before.
/// </summary>
/// <remarks>
/// A connection's functions must be registered once per native connection (<see cref="SqliteConnectionSetup"/>), not by
/// Microsoft.Data.Sqlite at each open and removed at each close: SQLite expires every prepared statement of a connection when
/// a function of it is replaced or removed.
/// </remarks>
public static class SqliteStatementCache
{
    /// <summary>Idle statements kept per connection: the server's distinct statements, with room.</summary>
    public const int PerConnection = 256;

    static readonly ConcurrentDictionary<IntPtr, Connection> Connections = new();
    static readonly ConcurrentDictionary<IntPtr, Entry> Leased = new();
    static readonly Lock InstallGate = new();
    static bool installed;

    /// <summary>The idle statements kept for a native connection (for the tests).</summary>
    internal static int Idle(sqlite3 db) => Connections.TryGetValue(db.DangerousGetHandle(), out var connection) ? connection.Count : 0;

    /// <summary>
    /// The idle statements of a native connection whose SQL contains <paramref name="sql"/>, and how many times SQLite prepared
    /// them again (<c>SQLITE_STMTSTATUS_REPREPARE</c>, summed) — for the tests.
    /// </summary>
    internal static (int Statements, int Reprepared) Kept(sqlite3 db, string sql)
    {
        if (!Connections.TryGetValue(db.DangerousGetHandle(), out var connection)) return (0, 0);
        var statements = connection.Statements(System.Text.Encoding.UTF8.GetBytes(sql));
        return (statements.Count, statements.Sum(s => Native.sqlite3_stmt_status(s, StatusReprepare, 0)));
    }

    const int StatusReprepare = 5;

    /// <summary>Makes every SQLite connection of the process use the cache (idempotent).</summary>
    public static void Install()
    {
        lock (InstallGate)
        {
            if (installed) return;
            // Microsoft.Data.Sqlite sets the library's provider when its connection type is first used: that comes first, and
            // the provider is then frozen so that nothing sets another.
            RuntimeHelpers.RunClassConstructor(typeof(SqliteConnection).TypeHandle);
            raw.SetProvider(SqliteProviderProxy.Create(new SQLite3Provider_e_sqlite3(), typeof(Hooks)));
            raw.FreezeProvider();
            installed = true;
        }
    }

    /// <summary>The calls the cache takes over; every other call of the provider is forwarded as it is.</summary>
    public static class Hooks
    {
        public static int sqlite3_prepare_v2(ISQLite3Provider inner, sqlite3 db, ReadOnlySpan<byte> sql, out IntPtr stmt, out ReadOnlySpan<byte> remain)
        {
            var connection = Connections.GetOrAdd(db.DangerousGetHandle(), static _ => new Connection());
            if (connection.TryTake(sql) is { } idle)
            {
                Leased[idle.Statement] = idle;
                stmt = idle.Statement;
                remain = sql[idle.Consumed..];
                return raw.SQLITE_OK;
            }
            var rc = inner.sqlite3_prepare_v2(db, sql, out stmt, out remain);
            if (rc == raw.SQLITE_OK && stmt != IntPtr.Zero) Leased[stmt] = new Entry(connection, sql.ToArray(), sql.Length - remain.Length, stmt);
            return rc;
        }

        public static int sqlite3_finalize(ISQLite3Provider inner, IntPtr stmt)
        {
            if (stmt == IntPtr.Zero || !Leased.TryRemove(stmt, out var entry)) return inner.sqlite3_finalize(stmt);
            // Its last error (a failed step's) was reported by the step; what is kept is a statement ready to run.
            _ = Native.sqlite3_reset(stmt);
            _ = Native.sqlite3_clear_bindings(stmt);
            if (!entry.Owner.TryReturn(entry, out var evicted)) return inner.sqlite3_finalize(stmt);
            if (evicted != IntPtr.Zero) inner.sqlite3_finalize(evicted);
            return raw.SQLITE_OK;
        }

        public static int sqlite3_close_v2(ISQLite3Provider inner, IntPtr db)
        {
            Release(inner, db);
            return inner.sqlite3_close_v2(db);
        }

        public static int sqlite3_close(ISQLite3Provider inner, IntPtr db)
        {
            Release(inner, db);
            return inner.sqlite3_close(db);
        }

        /// <summary>A closing connection's idle statements are finalized; its statements in use are when their commands end.</summary>
        static void Release(ISQLite3Provider inner, IntPtr db)
        {
            if (!Connections.TryRemove(db, out var connection)) return;
            foreach (var statement in connection.Close()) inner.sqlite3_finalize(statement);
        }
    }

    /// <summary>A prepared statement: its connection, the SQL it was prepared from, how much of it the statement took.</summary>
    sealed class Entry(Connection owner, byte[] sql, int consumed, IntPtr statement)
    {
        public Connection Owner { get; } = owner;
        public byte[] Sql { get; } = sql;
        public int Consumed { get; } = consumed;
        public IntPtr Statement { get; } = statement;
        public LinkedListNode<Entry>? Node { get; set; }
    }

    /// <summary>One connection's idle statements by SQL text, and in the order they became idle.</summary>
    sealed class Connection
    {
        readonly Lock gate = new();
        readonly Dictionary<byte[], List<Entry>> idle = new(SqlText.Comparer);
        readonly LinkedList<Entry> order = new();
        bool closed;

        public int Count
        {
            get
            {
                lock (gate) return order.Count;
            }
        }

        public Entry? TryTake(ReadOnlySpan<byte> sql)
        {
            lock (gate)
            {
                if (closed || !idle.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(sql, out var entries)) return null;
                var entry = entries[^1];
                Remove(entry, entries);
                return entry;
            }
        }

        /// <summary>Keeps an idle statement (false when the connection is closing); <paramref name="evicted"/> is one to finalize.</summary>
        public bool TryReturn(Entry entry, out IntPtr evicted)
        {
            evicted = IntPtr.Zero;
            lock (gate)
            {
                if (closed) return false;
                if (!idle.TryGetValue(entry.Sql, out var entries)) idle[entry.Sql] = entries = [];
                entries.Add(entry);
                entry.Node = order.AddLast(entry);
                if (order.Count <= PerConnection) return true;
                var oldest = order.First!.Value;
                Remove(oldest, idle[oldest.Sql]);
                evicted = oldest.Statement;
                return true;
            }
        }

        public List<IntPtr> Statements(byte[] containing)
        {
            lock (gate) return order.Where(e => e.Sql.AsSpan().IndexOf(containing) >= 0).Select(e => e.Statement).ToList();
        }

        public List<IntPtr> Close()
        {
            lock (gate)
            {
                closed = true;
                var statements = order.Select(e => e.Statement).ToList();
                order.Clear();
                idle.Clear();
                return statements;
            }
        }

        void Remove(Entry entry, List<Entry> entries)
        {
            entries.Remove(entry);
            if (entries.Count == 0) idle.Remove(entry.Sql);
            order.Remove(entry.Node!);
            entry.Node = null;
        }
    }

    /// <summary>SQL texts (UTF-8 bytes) compared by content; looked up by a span without copying it.</summary>
    sealed class SqlText : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly SqlText Comparer = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] sql) => GetHashCode(sql.AsSpan());

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }

    /// <summary>The calls made on a bare statement pointer (the provider's take SQLitePCL's handles).</summary>
    static class Native
    {
        [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern int sqlite3_reset(IntPtr stmt);

        [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern int sqlite3_clear_bindings(IntPtr stmt);

        [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]
        internal static extern int sqlite3_stmt_status(IntPtr stmt, int op, int reset);
    }
}
