namespace Alyx.Database;

/// <summary>The database and how it is used (settings DATABASE_URL, QUERY_TIMEOUT_SECONDS, MIGRATE_ON_START, SHARED_STATE; see <see cref="AlyxSettings"/>).</summary>
public sealed class DatabaseOptions
{
    public DatabaseUrl Url { get; set; } = null!;

    /// <summary>The bound of every database command, in seconds: a request's query that runs longer is cut and answered with a 503.</summary>
    public int QueryTimeoutSeconds { get; set; }

    /// <summary>Whether <c>serve</c> applies pending migrations before it starts.</summary>
    public bool MigrateOnStart { get; set; }

    /// <summary>On PostgreSQL, whether cache versions and throttle budgets are shared through the database (<see cref="Database.SharedState"/>).</summary>
    public bool SharedState { get; set; }
}

/// <summary>The lifetimes of the caches of derived answers (settings COUNT_CACHE_SECONDS, TOKEN_CACHE_SECONDS); 0 turns a cache off.</summary>
public sealed class CacheOptions
{
    public int CountCacheSeconds { get; set; }

    public int TokenCacheSeconds { get; set; }
}
