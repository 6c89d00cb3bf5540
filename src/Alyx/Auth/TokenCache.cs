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
    readonly VersionedCache<CurrentUser> cache = new(lifetime, () => tracker.Auth);

    /// <summary>The auth version to stamp a lookup with; read it before looking the token up.</summary>
    public long Version => cache.Version;

    public bool TryGet(string token, out CurrentUser user) => cache.TryGet(token, out user);

    public void Add(string token, long version, CurrentUser user) => cache.Add(token, version, user);
}
