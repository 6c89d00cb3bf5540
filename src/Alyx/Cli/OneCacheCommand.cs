using Alyx.Data;
using Alyx.Database;
using Alyx.Http;

namespace Alyx.Cli;

/// <summary>
/// <c>alyx one-cache [--tag T]... [--database URL]</c>: writes the ONE cache tables and cache.zip into TABLES_ROOT; on PostgreSQL
/// after any build in progress in another process (<see cref="OneCacheLock"/>).
/// </summary>
static class OneCacheCommand
{
    public static Task<int> RunAsync(string[] raw) => AlyxCli.WithDbAsync(raw, async (services, args) =>
    {
        var tags = new List<string>();
        while (args.Option("--tag") is { } tag) tags.Add(tag);
        args.EnsureNoExtra();
        var db = services.GetRequiredService<AlyxDb>();
        var options = services.GetRequiredService<OneCacheOptions>();
        var known = db.Set<Tag>().Where(x => tags.Contains(x.Name)).Select(x => x.Name).ToHashSet(StringComparer.Ordinal);
        var missing = tags.Where(t => !known.Contains(t)).ToList();
        if (missing.Count > 0) throw new CliException($"no such tag: {string.Join(", ", missing)}.");
        // One build at a time across processes (PostgreSQL): wait for one in progress, saying whose it is.
        var (held, _) = await OneCacheLock.AcquireAsync(services.GetRequiredService<DatabaseUrl>(), OneCacheLock.Who("one-cache"), true,
            Console.WriteLine, CancellationToken.None);
        await using var _ = held;
        var started = System.Diagnostics.Stopwatch.StartNew();
        var result = await OneCache.GenerateAsync(db, services.GetRequiredService<AlyxClock>(), options, tags,
            services.GetRequiredService<DatabaseUrl>().Name, Console.WriteLine, CancellationToken.None);
        Console.WriteLine($"Wrote {result.Sessions} sessions and {result.Datasets} datasets to {Path.Combine(result.Folder, "cache.zip")} " +
            $"in {started.Elapsed.TotalSeconds:F1} s.");
        return 0;
    });
}
