using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Alyx.Auth;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace Alyx.Database;

/// <summary>PostgreSQL streaming replicas that may serve reads (settings DATABASE_REPLICA_URLS, REPLICA_STICKY_SECONDS, REPLICA_MAX_LAG_SECONDS).</summary>
public sealed class ReplicaOptions
{
    /// <summary>The replicas; none: every command goes to DATABASE_URL.</summary>
    public IReadOnlyList<DatabaseUrl> Urls { get; set; } = [];

    /// <summary>After a user's write, how long that user's reads stay on the primary (read-your-writes).</summary>
    public int StickySeconds { get; set; }

    /// <summary>A replica further behind the primary than this is not used.</summary>
    public int MaxLagSeconds { get; set; }
}

/// <summary>
/// Routes the reads of HTTP requests to streaming replicas, at the root: the connection each <see cref="AlyxDb"/> opens is
/// pointed at a replica or at the primary when it opens (<see cref="Router"/>), so no endpoint knows about replicas.
/// <list type="bullet">
/// <item>Only <c>GET</c> and <c>HEAD</c> requests of a signed-in user are candidates; everything else (writes, the lookup of
/// the caller's token or session before the user is known, anonymous requests, CLI verbs, background jobs) uses the primary.</item>
/// <item>Read-your-writes: once a user's unsafe request (POST, PUT, PATCH, DELETE) answers, that user's requests to this
/// process read from the primary for <see cref="ReplicaOptions.StickySeconds"/>. The time is kept in this process only.</item>
/// <item>A replica is used only while <see cref="Monitor"/> sees it in recovery and at most
/// <see cref="ReplicaOptions.MaxLagSeconds"/> behind the primary (measured every second). A request whose read fails on a
/// replica (stopped, lost, a recovery conflict, a write it attempted) is run again on the primary before anything is answered
/// (<see cref="Use"/>), and that replica is left out until the monitor sees it healthy again.</item>
/// </list>
/// </summary>
public sealed class ReadReplicas
{
    /// <summary>How often the monitor measures the replicas' lag.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    static readonly Meter Meter = new(Http.AlyxMetrics.MeterName);

    static readonly Counter<long> Reads = Meter.CreateCounter<long>("alyx.db.read_route", "{connection}",
        "Connections opened for GET and HEAD requests of signed-in users, by target (primary or replica).");

    static readonly Counter<long> Fallbacks = Meter.CreateCounter<long>("alyx.db.replica_fallbacks", "{request}",
        "Requests run again on the primary after their read failed on a replica.");

    static readonly AsyncLocal<Route?> Current = new();

    readonly Replica[] replicas;
    readonly long stickyTicks;
    readonly ConcurrentDictionary<Guid, long> lastWrite = new();
    int next;

    public ReadReplicas(DatabaseUrl primary, ReplicaOptions options)
    {
        Primary = primary.ConnectionString;
        // A replica URL without a database name reads the primary's database.
        var database = options.Urls.Count == 0 ? null : new NpgsqlConnectionStringBuilder(primary.ConnectionString).Database;
        replicas = [.. options.Urls.Select(u => new NpgsqlConnectionStringBuilder(u.ConnectionString))
            .Select(b => new Replica((string.IsNullOrEmpty(b.Database) ? new NpgsqlConnectionStringBuilder(b.ConnectionString) { Database = database } : b).ConnectionString))];
        MaxLag = TimeSpan.FromSeconds(options.MaxLagSeconds);
        stickyTicks = (long)(options.StickySeconds * (double)Stopwatch.Frequency);
    }

    /// <summary>Whether any replica is configured.</summary>
    public bool Enabled => replicas.Length > 0;

    public string Primary { get; }

    public TimeSpan MaxLag { get; }

    /// <summary>A configured replica and what the monitor last saw of it.</summary>
    public sealed class Replica(string connectionString)
    {
        public string ConnectionString { get; } = connectionString;

        volatile bool usable;

        /// <summary>Reachable, in recovery, and not too far behind (set by the monitor; cleared when a read fails on it).</summary>
        public bool Usable
        {
            get => usable;
            set => usable = value;
        }

        /// <summary>The last measured lag.</summary>
        public TimeSpan Lag { get; set; }

        /// <summary>What the monitor last found (and logged): whether the replica can serve.</summary>
        public bool Measured { get; set; }
    }

    public IReadOnlyList<Replica> Replicas => replicas;

    /// <summary>The routing state of one request (a GET or HEAD while replicas are configured).</summary>
    sealed class Route(ReadReplicas owner, HttpContext http)
    {
        bool decided;
        bool primaryOnly;

        public Replica? Replica { get; private set; }

        /// <summary>Whether a connection of this request was opened on <see cref="Replica"/>.</summary>
        public bool UsedReplica { get; set; }

        /// <summary>The replica this request reads from, or null for the primary; decided once the user is known.</summary>
        public Replica? Target()
        {
            if (primaryOnly) return null;
            if (decided) return Replica is { Usable: true } r ? r : null;
            if (http.CurrentUser() is not { } user) return null;
            decided = true;
            Replica = owner.RecentlyWrote(user.Id) ? null : owner.Pick();
            return Replica;
        }

        public void PrimaryOnly() => primaryOnly = true;
    }

    bool RecentlyWrote(Guid user) =>
        lastWrite.TryGetValue(user, out var at) && Stopwatch.GetTimestamp() - at < stickyTicks;

    /// <summary>Remembers that <paramref name="user"/> has just written (read-your-writes).</summary>
    public void Wrote(Guid user)
    {
        var now = Stopwatch.GetTimestamp();
        if (lastWrite.Count > 100_000)
        {
            foreach (var (id, at) in lastWrite)
            {
                if (now - at >= stickyTicks) lastWrite.TryRemove(id, out _);
            }
        }
        lastWrite[user] = now;
    }

    /// <summary>A usable replica, taken in turn, or null.</summary>
    Replica? Pick()
    {
        for (var i = 0; i < replicas.Length; i++)
        {
            var r = replicas[(int)((uint)Interlocked.Increment(ref next) % (uint)replicas.Length)];
            if (r.Usable) return r;
        }
        return null;
    }

    /// <summary>
    /// Whether the current request reads from a replica (decided now if the user is known): list counts computed there are
    /// kept apart from the primary's, so that a user reading their own writes is not answered a replica's older count.
    /// </summary>
    public static bool ReadingFromReplica => Current.Value?.Target() is not null;

    /// <summary>
    /// Serves GET and HEAD requests of signed-in users from a usable replica; runs a request again on the primary when its
    /// read fails on the replica (before anything was answered); marks the users of unsafe requests as having written.
    /// Goes after the error handler (which must not see a failure that is retried) and before routing.
    /// </summary>
    public static IApplicationBuilder Use(IApplicationBuilder app)
    {
        var router = app.ApplicationServices.GetRequiredService<ReadReplicas>();
        if (!router.Enabled) return app;
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Alyx.Replicas");
        return app.Use(async (context, next) =>
        {
            var method = context.Request.Method;
            if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
            {
                if (!HttpMethods.IsOptions(method) && !HttpMethods.IsTrace(method))
                {
                    // Before the answer leaves (so before the client can send its next request), after the handler committed.
                    context.Response.OnStarting(() =>
                    {
                        if (context.CurrentUser() is { } user) router.Wrote(user.Id);
                        return Task.CompletedTask;
                    });
                }
                await next(context);
                return;
            }
            var route = new Route(router, context);
            Current.Value = route;
            try
            {
                await next(context);
            }
            catch (Exception e) when (!context.Response.HasStarted && route.UsedReplica && route.Replica is { } replica && IsNpgsqlFailure(e))
            {
                if (IsConnectionFailure(e))
                {
                    replica.Usable = false;
                    NpgsqlConnection.ClearPool(new NpgsqlConnection(replica.ConnectionString));
                }
                Fallbacks.Add(1);
                logger.LogWarning("Read on a replica failed ({Error}); {Method} {Path} answered from the primary",
                    e.GetBaseException().Message, context.Request.Method, context.Request.Path);
                route.PrimaryOnly();
                context.Response.Clear();
                await next(context);
            }
            finally
            {
                Current.Value = null;
            }
        });
    }

    static IEnumerable<Exception> Causes(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException) yield return x;
    }

    static bool IsNpgsqlFailure(Exception e) => Causes(e).Any(x => x is NpgsqlException);

    /// <summary>The replica itself is unavailable (not merely this query refused, e.g. by a recovery conflict).</summary>
    static bool IsConnectionFailure(Exception e) => Causes(e).Any(x => x switch
    {
        PostgresException p => p.SqlState.StartsWith("08", StringComparison.Ordinal) || p.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || p.SqlState.StartsWith("53", StringComparison.Ordinal),
        NpgsqlException n => n.InnerException is not PostgresException,
        _ => false,
    });

    /// <summary>Points every connection a context opens at the current request's target (added to the contexts only when replicas are configured).</summary>
    public sealed class Router(ReadReplicas owner) : DbConnectionInterceptor
    {
        void Point(DbConnection connection)
        {
            var route = Current.Value;
            var replica = route?.Target();
            if (route is not null && replica is not null && route.Replica == replica) route.UsedReplica = true;
            var target = replica?.ConnectionString ?? owner.Primary;
            if (route is not null) Reads.Add(1, new KeyValuePair<string, object?>("target", replica is null ? "primary" : "replica"));
            if (!string.Equals(connection.ConnectionString, target, StringComparison.Ordinal)) connection.ConnectionString = target;
        }

        public override InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
        {
            Point(connection);
            return result;
        }

        public override ValueTask<InterceptionResult> ConnectionOpeningAsync(DbConnection connection, ConnectionEventData eventData,
            InterceptionResult result, CancellationToken cancellationToken = default)
        {
            Point(connection);
            return ValueTask.FromResult(result);
        }
    }

    /// <summary>
    /// Measures each replica every <see cref="PollInterval"/>: the primary's WAL position is sampled, then each replica's
    /// replayed position; a replica's lag is the time since the primary was at the position the replica has replayed (zero
    /// when it has replayed the latest sample). Unreachable, promoted or lagging replicas are not used; while the primary
    /// cannot be measured, no replica is.
    /// </summary>
    public sealed class Monitor(ReadReplicas owner, ILogger<Monitor> logger) : BackgroundService
    {
        readonly List<(long At, NpgsqlLogSequenceNumber Lsn)> history = [];

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await PollAsync(stoppingToken);
                try
                {
                    await Task.Delay(PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }

        static async Task<T> ScalarAsync<T>(string connectionString, string sql, CancellationToken ct)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 5 };
            return (T)(await command.ExecuteScalarAsync(ct))!;
        }

        internal async Task PollAsync(CancellationToken ct)
        {
            var now = Stopwatch.GetTimestamp();
            NpgsqlLogSequenceNumber primary;
            try
            {
                primary = await ScalarAsync<NpgsqlLogSequenceNumber>(owner.Primary, "SELECT pg_current_wal_lsn()", ct);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                foreach (var r in owner.replicas) Set(r, false, TimeSpan.Zero, "the primary cannot be measured: " + e.Message);
                return;
            }
            history.Add((now, primary));
            var keep = now - (long)((owner.MaxLag + PollInterval + PollInterval).TotalSeconds * Stopwatch.Frequency);
            history.RemoveAll(h => h.At < keep);
            foreach (var r in owner.replicas)
            {
                try
                {
                    var replayed = await ScalarAsync<object>(r.ConnectionString, "SELECT pg_last_wal_replay_lsn()", ct);
                    if (replayed is not NpgsqlLogSequenceNumber lsn)
                    {
                        Set(r, false, TimeSpan.Zero, "not a streaming replica (not in recovery)");
                        continue;
                    }
                    // The latest sample the replica has reached; none within the history: further behind than it reaches.
                    var reached = history.Where(h => h.Lsn <= lsn).Select(h => (long?)h.At).LastOrDefault();
                    var lag = reached is { } at ? TimeSpan.FromSeconds((now - at) / (double)Stopwatch.Frequency) : TimeSpan.MaxValue;
                    Set(r, lag <= owner.MaxLag, lag, lag == TimeSpan.MaxValue ? "more than " + owner.MaxLag.TotalSeconds + " s behind" : $"{lag.TotalSeconds:F1} s behind");
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidCastException)
                {
                    Set(r, false, TimeSpan.Zero, "unreachable: " + e.Message);
                }
            }
        }

        void Set(Replica r, bool usable, TimeSpan lag, string why)
        {
            r.Lag = lag;
            r.Usable = usable;
            if (r.Measured == usable) return;
            r.Measured = usable;
            var host = new NpgsqlConnectionStringBuilder(r.ConnectionString);
            if (usable) logger.LogInformation("Replica {Host}:{Port} serves reads ({Why})", host.Host, host.Port, why);
            else
            {
                logger.LogWarning("Replica {Host}:{Port} left out, reads go to the primary: {Why}", host.Host, host.Port, why);
                NpgsqlConnection.ClearPool(new NpgsqlConnection(r.ConnectionString));
            }
        }
    }
}
