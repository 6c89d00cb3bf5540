using Alyx.Database;

namespace Alyx.Auth;

/// <summary>
/// Token → user, remembered so that a request does not look its token up again: an entry is used while no write to
/// the users or token tables has been committed through the host's contexts (<paramref name="tracker"/>'s
/// <see cref="WriteTracker.Auth"/>: a deleted token or a deactivated user takes effect at once) and for at most
/// <paramref name="lifetime"/> (<c>TOKEN_CACHE_SECONDS</c>, default 30; 0 turns it off), which bounds how long such a change
/// made elsewhere (another server process, SQL) goes unseen. Only tokens of active users are remembered.
/// </summary>
public sealed class TokenCache(TimeSpan lifetime, WriteTracker tracker)
{
    readonly VersionedCache<CachedToken> cache = new("token", lifetime, () => tracker.Auth);

    /// <summary>The auth version to stamp a lookup with; read it before looking the token up.</summary>
    public long Version => cache.Version;

    public bool TryGet(string token, out CachedToken entry) => cache.TryGet(token, out entry);

    public void Add(string token, long version, CachedToken entry) => cache.Add(token, version, entry);
}

/// <summary>A remembered token: its user and its creation time (its age is checked on every use, <c>TOKEN_TTL_DAYS</c>).</summary>
public sealed record CachedToken(CurrentUser User, DateTime Created);
