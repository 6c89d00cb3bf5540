using System.Collections.Concurrent;
using System.Diagnostics;
using Alyx.Database;

namespace Alyx.Auth;

/// <summary>
/// Token → user, remembered so that a request does not look its token up again: an entry is used while no write to
/// the users or token tables has been committed through this process (<see cref="WriteTracker.Auth"/>: a deleted token
/// or a deactivated user takes effect at once) and for at most <c>TOKEN_CACHE_SECONDS</c> (default 30; 0 turns it off),
/// which bounds how long such a change made elsewhere (another server process, SQL) goes unseen. Only tokens of active
/// users are remembered.
/// </summary>
public sealed class TokenCache(TimeSpan lifetime)
{
    const int MaxEntries = 10_000;

    readonly record struct Entry(long Version, long Expires, CurrentUser User);

    readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public static TokenCache From(IConfiguration config) =>
        new(TimeSpan.FromSeconds(int.TryParse(config["TOKEN_CACHE_SECONDS"], out var s) && s >= 0 ? s : 30));

    /// <summary>The auth version to stamp a lookup with; read it before looking the token up.</summary>
    public static long Version => WriteTracker.Auth;

    public bool TryGet(string token, out CurrentUser user)
    {
        user = null!;
        if (lifetime <= TimeSpan.Zero || !entries.TryGetValue(token, out var entry)) return false;
        if (entry.Version != WriteTracker.Auth || entry.Expires <= Stopwatch.GetTimestamp())
        {
            entries.TryRemove(token, out _);
            return false;
        }
        user = entry.User;
        return true;
    }

    public void Add(string token, long version, CurrentUser user)
    {
        if (lifetime <= TimeSpan.Zero) return;
        if (entries.Count >= MaxEntries) entries.Clear();
        entries[token] = new Entry(version, Stopwatch.GetTimestamp() + (long)(lifetime.TotalSeconds * Stopwatch.Frequency), user);
    }
}
