using System.Data.Common;
using System.Diagnostics.Metrics;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Alyx.Http;

/// <summary>
/// The server's own instruments (meter <c>Alyx</c>), exported at <c>/metrics</c> with ASP.NET Core's request metrics, the
/// runtime's GC and memory metrics and Npgsql's when METRICS is on: database command time, cache lookups by outcome,
/// throttle refusals.
/// </summary>
public static class AlyxMetrics
{
    public const string MeterName = "Alyx";

    static readonly Meter Meter = new(MeterName);

    static readonly Histogram<double> CommandDuration = Meter.CreateHistogram<double>("alyx.db.command.duration", "s",
        "Time of each database command, from sending it to its result.");

    static readonly Counter<long> CacheLookups = Meter.CreateCounter<long>("alyx.cache.lookups", "{lookup}",
        "Lookups in the list-count and token caches, by cache and result (hit or miss).");

    static readonly Counter<long> ThrottleRefusals = Meter.CreateCounter<long>("alyx.throttle.refusals", "{request}",
        "Requests refused with 429 by the throttle, by kind (api or docs).");

    static readonly Counter<long> PasswordIterations = Meter.CreateCounter<long>("alyx.auth.password.iterations", "{iteration}",
        "Hash iterations spent checking passwords, by what the password was checked against (user or dummy: an unknown user).");

    public static void PasswordChecked(int iterations, bool dummy) =>
        PasswordIterations.Add(iterations, new KeyValuePair<string, object?>("against", dummy ? "dummy" : "user"));

    public static void CacheLookup(string cache, bool hit) =>
        CacheLookups.Add(1, new KeyValuePair<string, object?>("cache", cache), new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));

    public static void Refused(string kind) => ThrottleRefusals.Add(1, new KeyValuePair<string, object?>("kind", kind));

    /// <summary>Records the duration of every command a context runs (a no-op unless something listens to the meter).</summary>
    public sealed class CommandTimer(string provider) : DbCommandInterceptor
    {
        readonly KeyValuePair<string, object?> tag = new("db.system", provider);

        void Record(CommandExecutedEventData e) => CommandDuration.Record(e.Duration.TotalSeconds, tag);

        public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
        {
            Record(eventData);
            return result;
        }

        public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
            CancellationToken cancellationToken = default)
        {
            Record(eventData);
            return ValueTask.FromResult(result);
        }

        public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
        {
            Record(eventData);
            return result;
        }

        public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
            CancellationToken cancellationToken = default)
        {
            Record(eventData);
            return ValueTask.FromResult(result);
        }

        public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
        {
            Record(eventData);
            return result;
        }

        public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
            CancellationToken cancellationToken = default)
        {
            Record(eventData);
            return ValueTask.FromResult(result);
        }
    }
}
