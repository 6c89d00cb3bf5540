using System.Text;
using Alyx.Database;

namespace Alyx.Http;

/// <summary>
/// The <c>count</c> of list queries, remembered so that paging through a large list (ONE fetches page after page of the
/// same query) does not count the whole selection again for every page. An entry is used only while no write has been
/// committed through the host's contexts since it was counted (<paramref name="tracker"/>'s <see cref="WriteTracker.Data"/>)
/// and for at most <paramref name="lifetime"/> (<c>COUNT_CACHE_SECONDS</c>, default 10; 0 turns the cache off), which bounds
/// how long writes made elsewhere (another server process on the same database) can go unseen. Concurrent requests for a
/// count being computed wait for that one count, and one request renews a count before it expires while the others are
/// answered from it (<see cref="VersionedCache{T}.GetOrComputeAsync"/>): counting a large filtered list is neither
/// repeated by every client nor waited for by all of them every <paramref name="lifetime"/>.
/// </summary>
public sealed class ListCounts(TimeSpan lifetime, WriteTracker tracker, TimeProvider? time = null)
{
    readonly VersionedCache<int> cache = new("count", lifetime, () => tracker.Data, time);

    /// <summary>
    /// The key of a list request: its route and every query parameter but <c>limit</c> and <c>offset</c>, sorted (list
    /// sources and filters do not depend on the caller). Names and values are escaped, so a value holding <c>&amp;</c> or
    /// <c>=</c> cannot spell another query's key.
    /// </summary>
    public static string Key(string route, IReadOnlyDictionary<string, Microsoft.Extensions.Primitives.StringValues> query)
    {
        var sb = new StringBuilder(route).Append('?');
        foreach (var (k, values) in query.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (k is "limit" or "offset") continue;
            foreach (var v in values) sb.Append('&').Append(Uri.EscapeDataString(k)).Append('=').Append(Uri.EscapeDataString(v ?? ""));
        }
        return sb.ToString();
    }

    /// <summary>The remembered count, or the one <paramref name="count"/> computes (then remembered).</summary>
    public async Task<int> GetAsync(string key, Func<Task<int>> count)
    {
        // Counts read from a replica may be older than the primary's: kept apart, for requests that read from a replica.
        if (ReadReplicas.ReadingFromReplica) key = "replica:" + key;
        return await cache.GetOrComputeAsync(key, count);
    }
}
