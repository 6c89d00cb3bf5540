using System.Collections.Concurrent;

namespace Alyx.Database;

/// <summary>
/// Values remembered under a key while the data version they were computed at (read before computing, from
/// <see cref="WriteTracker"/>) is still current, and for at most <paramref name="lifetime"/> (zero: nothing is kept).
/// Bounded: past <c>MaxEntries</c> it starts afresh. Lookups are counted under <paramref name="name"/> (<see cref="Http.AlyxMetrics"/>).
/// <see cref="GetOrComputeAsync"/> computes a missing value once for all the callers that ask for it meanwhile, and renews a
/// value before its lifetime ends, so that a slow computation (the count of a large filtered list) is neither repeated by
/// every concurrent request nor waited for by all of them when the value expires.
/// </summary>
public sealed class VersionedCache<T>(string name, TimeSpan lifetime, Func<long> version, TimeProvider? time = null)
{
    const int MaxEntries = 10_000;

    /// <summary>The share of the lifetime after which the first caller recomputes a value while the others keep it.</summary>
    const double RenewAfter = 0.75;

    sealed class Entry(long version, long renews, long expires, T value)
    {
        public long Version { get; } = version;
        public long Renews { get; } = renews;
        public long Expires { get; } = expires;
        public T Value { get; } = value;
        /// <summary>1 once a caller has taken on renewing the entry.</summary>
        public int Renewing;
    }

    /// <summary>A computation under way, with the version it was started at.</summary>
    sealed record Flight(long Version, Task<T> Value);

    readonly TimeProvider clock = time ?? TimeProvider.System;
    readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, Flight> flights = new(StringComparer.Ordinal);

    public bool Enabled => lifetime > TimeSpan.Zero;

    /// <summary>The version to stamp a value with: read it before computing the value.</summary>
    public long Version => version();

    public bool TryGet(string key, out T value)
    {
        value = default!;
        if (Current(key) is not { } entry) return false;
        value = entry.Value;
        return true;
    }

    public void Add(string key, long stamp, T value)
    {
        if (!Enabled) return;
        if (entries.Count >= MaxEntries) entries.Clear();
        var now = clock.GetTimestamp();
        var ticks = lifetime.TotalSeconds * clock.TimestampFrequency;
        entries[key] = new Entry(stamp, now + (long)(ticks * RenewAfter), now + (long)ticks, value);
    }

    /// <summary>
    /// The remembered value, or the one <paramref name="compute"/> gives. Callers that miss while a computation started at
    /// the current version is under way wait for it instead of starting their own (one that fails or is cancelled leaves
    /// each of them to compute its own). Once <see cref="RenewAfter"/> of its lifetime has passed, one caller recomputes the
    /// value while the others are still answered from the entry, which is as valid as before until it expires.
    /// </summary>
    public async Task<T> GetOrComputeAsync(string key, Func<Task<T>> compute)
    {
        if (!Enabled) return await compute();
        if (Current(key) is { } entry)
        {
            if (clock.GetTimestamp() < entry.Renews || Interlocked.Exchange(ref entry.Renewing, 1) != 0) return entry.Value;
            return await ComputeAsync(key, Version, compute);
        }
        var stamp = Version;
        if (flights.TryGetValue(key, out var flight) && flight.Version == stamp)
        {
            try
            {
                return await flight.Value;
            }
            catch (OperationCanceledException)
            {
                // The computation's own caller went away or failed: compute this caller's value itself.
                return await compute();
            }
        }
        return await ComputeAsync(key, stamp, compute);
    }

    /// <summary>Computes and remembers the value, letting callers that miss meanwhile at the same version wait for it.</summary>
    async Task<T> ComputeAsync(string key, long stamp, Func<Task<T>> compute)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var flight = new Flight(stamp, done.Task);
        flights[key] = flight;
        try
        {
            var value = await compute();
            Add(key, stamp, value);
            done.SetResult(value);
            return value;
        }
        catch
        {
            // Cancelled rather than faulted: waiting callers compute their own value, and nothing is left unobserved.
            done.TrySetCanceled();
            throw;
        }
        finally
        {
            flights.TryRemove(KeyValuePair.Create(key, flight));
        }
    }

    /// <summary>The entry under the key while its version is current and its lifetime has not ended, counted as a hit or a miss.</summary>
    Entry? Current(string key)
    {
        if (!Enabled) return null;
        if (!entries.TryGetValue(key, out var entry))
        {
            Http.AlyxMetrics.CacheLookup(name, false);
            return null;
        }
        if (entry.Version != version() || entry.Expires <= clock.GetTimestamp())
        {
            entries.TryRemove(KeyValuePair.Create(key, entry));
            Http.AlyxMetrics.CacheLookup(name, false);
            return null;
        }
        Http.AlyxMetrics.CacheLookup(name, true);
        return entry;
    }
}
