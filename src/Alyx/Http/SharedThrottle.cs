using Alyx.Database;
using Npgsql;
using NpgsqlTypes;

namespace Alyx.Http;

/// <summary>
/// The throttle windows kept in PostgreSQL (<see cref="SharedState"/> on), so that a user's budget is one across every
/// process on the database: one row of <c>alyx_throttle</c> (an unlogged table) per scope and key, holding the times (.NET
/// ticks) of the requests accepted within the period, oldest first: the same sliding window as <see cref="Throttle"/>.
/// Spending budgets is one call of the function <c>alyx_throttle_take</c> (migration SharedState), which locks the rows
/// in key order and records the request only when every budget has room. Times come from this process's clock (the
/// processes' clocks are assumed in step, as NTP keeps them). Rows idle past their period are deleted now and then.
/// </summary>
public sealed class SharedThrottle(SharedState shared, TimeProvider time)
{
    long calls;

    /// <summary><see cref="Throttle.TryAcquire"/> across processes: null when accepted, else the wait in seconds.</summary>
    public async Task<double?> TryAcquireAsync(string key, IReadOnlyList<(string Scope, ThrottleRate Rate)> budgets, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcTicks;
        await using var connection = await shared.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT alyx_throttle_take($1, $2, $3, $4)", connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. budgets.Select(b => b.Scope + "|" + key)] });
        command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. budgets.Select(b => b.Rate.Requests)] });
        command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. budgets.Select(b => b.Rate.Period.Ticks)] });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = now });
        var wait = await command.ExecuteScalarAsync(ct);
        if (Interlocked.Increment(ref calls) % Throttle.SweepEvery == 0) await SweepAsync(connection, now, ct);
        return wait is double seconds ? seconds : null;
    }

    /// <summary>The recorded times of <paramref name="keys"/> within <paramref name="period"/> before now, oldest first.</summary>
    public async Task<List<List<long>>> WindowsAsync(IReadOnlyList<string> keys, TimeSpan period, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcTicks;
        await using var connection = await shared.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT hits FROM alyx_throttle WHERE key = ANY($1)", connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. keys] });
        var result = new List<List<long>>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            result.Add([.. reader.GetFieldValue<long[]>(0).Where(t => t > now - period.Ticks)]);
        return result;
    }

    /// <summary>Records a time now in each of <paramref name="keys"/>' windows (dropping the times older than <paramref name="period"/>).</summary>
    public async Task RecordAsync(IReadOnlyList<string> keys, TimeSpan period, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcTicks;
        await using var connection = await shared.OpenAsync(ct);
        await using var command = new NpgsqlCommand("""
            INSERT INTO alyx_throttle AS t (key, hits, expires)
            SELECT k, ARRAY[$2::bigint], $2 + $3 FROM unnest($1::text[]) AS k ORDER BY k
            ON CONFLICT (key) DO UPDATE SET
                hits = array_append(ARRAY(SELECT h FROM unnest(t.hits) WITH ORDINALITY AS u(h, o) WHERE h > $2 - $3 ORDER BY o), $2),
                expires = $2 + $3
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. keys] });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = now });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = period.Ticks });
        await command.ExecuteNonQueryAsync(ct);
        if (Interlocked.Increment(ref calls) % Throttle.SweepEvery == 0) await SweepAsync(connection, now, ct);
    }

    /// <summary>Forgets <paramref name="key"/>'s window.</summary>
    public async Task ForgetAsync(string key, CancellationToken ct)
    {
        await using var connection = await shared.OpenAsync(ct);
        await using var command = new NpgsqlCommand("DELETE FROM alyx_throttle WHERE key = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(ct);
    }

    static async Task SweepAsync(NpgsqlConnection connection, long now, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("DELETE FROM alyx_throttle WHERE expires <= $1", connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = now });
        await command.ExecuteNonQueryAsync(ct);
    }
}
