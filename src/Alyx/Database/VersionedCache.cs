using System.Collections.Concurrent;
using System.Diagnostics;

namespace Alyx.Database;

/// <summary>
/// Values remembered under a key while the data version they were computed at (read before computing, from
/// <see cref="WriteTracker"/>) is still current, and for at most <paramref name="lifetime"/> (zero: nothing is kept).
/// Bounded: past <c>MaxEntries</c> it starts afresh. Lookups are counted under <paramref name="name"/> (<see cref="Http.AlyxMetrics"/>).
/// </summary>
public sealed class VersionedCache<T>(string name, TimeSpan lifetime, Func<long> version)
{
    const int MaxEntries = 10_000;

    readonly record struct Entry(long Version, long Expires, T Value);

    readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public bool Enabled => lifetime > TimeSpan.Zero;

    /// <summary>The version to stamp a value with: read it before computing the value.</summary>
    public long Version => version();

    public bool TryGet(string key, out T value)
    {
        value = default!;
        if (!Enabled) return false;
        if (!entries.TryGetValue(key, out var entry))
        {
            Http.AlyxMetrics.CacheLookup(name, false);
            return false;
        }
        if (entry.Version != version() || entry.Expires <= Stopwatch.GetTimestamp())
        {
            entries.TryRemove(key, out _);
            Http.AlyxMetrics.CacheLookup(name, false);
            return false;
        }
        value = entry.Value;
        Http.AlyxMetrics.CacheLookup(name, true);
        return true;
    }

    public void Add(string key, long stamp, T value)
    {
        if (!Enabled) return;
        if (entries.Count >= MaxEntries) entries.Clear();
        entries[key] = new Entry(stamp, Stopwatch.GetTimestamp() + (long)(lifetime.TotalSeconds * Stopwatch.Frequency), value);
    }
}
