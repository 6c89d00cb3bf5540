using System.Globalization;
using System.Text.RegularExpressions;
using Alyx.Auth;
using Microsoft.AspNetCore.RateLimiting;

namespace Alyx.Http;

/// <summary>A request budget <c>N/period</c>: period's first letter s, m, h or d (DRF's rate syntax).</summary>
public sealed partial record ThrottleRate(int Requests, TimeSpan Period)
{
    [GeneratedRegex(@"^\s*(\d+)\s*/\s*([smhd])[a-z]*\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Syntax();

    /// <summary>Null for an unset or disabled budget (<c>""</c>, <c>none</c>, <c>off</c>); <see cref="FormatException"/> for anything else malformed.</summary>
    public static ThrottleRate? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Trim().ToUpperInvariant() is "NONE" or "OFF" or "NULL") return null;
        var match = Syntax().Match(text);
        if (!match.Success || !int.TryParse(match.Groups[1].Value, CultureInfo.InvariantCulture, out var n) || n <= 0)
            throw new FormatException($"A request rate looks like 550/minute (N/second|minute|hour|day) or 'none', not '{text}'.");
        var period = char.ToLowerInvariant(match.Groups[2].Value[0]) switch
        {
            's' => TimeSpan.FromSeconds(1),
            'm' => TimeSpan.FromMinutes(1),
            'h' => TimeSpan.FromHours(1),
            _ => TimeSpan.FromDays(1),
        };
        return new ThrottleRate(n, period);
    }
}

/// <summary>
/// Throttling settings (conventions §7; THROTTLE_MODE, THROTTLE_BURST_RATE, THROTTLE_SUSTAINED_RATE, THROTTLE_DOCS_RATE, see
/// <see cref="AlyxSettings"/>): key by user or by client address, a burst and a sustained budget, and /docs/'s own.
/// </summary>
public sealed class ThrottleOptions
{
    /// <summary>THROTTLE_MODE=anonymous: every request is counted against its client address, signed in or not.</summary>
    public bool ByAddress { get; set; }

    public ThrottleRate? Burst { get; set; }

    public ThrottleRate? Sustained { get; set; }

    public ThrottleRate? Docs { get; set; }
}

/// <summary>
/// DRF's SimpleRateThrottle: per key, the times of the accepted requests within the last period (a sliding window); a
/// request is refused while the window is full. Counters live in this process, as the original's in-memory cache (several
/// processes on PostgreSQL share theirs instead: <see cref="SharedThrottle"/>).
/// </summary>
public sealed class Throttle(TimeProvider time)
{
    /// <summary>Every this many requests, windows whose requests have all left their period are dropped (bounded memory).</summary>
    internal const int SweepEvery = 1024;

    sealed class Window(TimeSpan period)
    {
        public readonly Queue<DateTimeOffset> Accepted = new();
        public readonly TimeSpan Period = period;

        /// <summary>Dropped from the table by a sweep: a request that still holds it takes a new one.</summary>
        public bool Removed;
    }

    readonly System.Collections.Concurrent.ConcurrentDictionary<string, Window> windows = new(StringComparer.Ordinal);
    long requests;

    /// <summary>How many windows are held (scopes times keys seen within their periods, plus those since the last sweep).</summary>
    internal int Count => windows.Count;

    /// <summary>Records the request when every budget has room; otherwise returns the wait in seconds (the longest of the refusals).</summary>
    public double? TryAcquire(string key, IReadOnlyList<(string Scope, ThrottleRate Rate)> budgets)
    {
        var now = time.GetUtcNow();
        var wait = Acquire(key, budgets, now);
        if (Interlocked.Increment(ref requests) % SweepEvery == 0) Sweep(now);
        return wait;
    }

    double? Acquire(string key, IReadOnlyList<(string Scope, ThrottleRate Rate)> budgets, DateTimeOffset now)
    {
        while (true)
        {
            var held = budgets.Select(b => (b.Rate, Window: windows.GetOrAdd(b.Scope + "|" + key, _ => new Window(b.Rate.Period)))).ToList();
            // Lock the windows in a fixed order so concurrent requests of one key cannot deadlock.
            var ordered = held.OrderBy(h => h.Rate.Period).ToList();
            foreach (var h in ordered) Monitor.Enter(h.Window);
            try
            {
                if (held.Any(h => h.Window.Removed)) continue;
                return Spend(held, now);
            }
            finally
            {
                foreach (var h in ordered) Monitor.Exit(h.Window);
            }
        }
    }

    /// <summary>Drops the windows with no request left in their period (one lock at a time: never waits on a request holding several).</summary>
    void Sweep(DateTimeOffset now)
    {
        foreach (var (key, window) in windows)
        {
            lock (window)
            {
                while (window.Accepted.Count > 0 && window.Accepted.Peek() <= now - window.Period) window.Accepted.Dequeue();
                if (window.Accepted.Count > 0) continue;
                window.Removed = true;
                windows.TryRemove(new KeyValuePair<string, Window>(key, window));
            }
        }
    }

    static double? Spend(List<(ThrottleRate Rate, Window Window)> held, DateTimeOffset now)
    {
        double? wait = null;
        foreach (var (rate, window) in held)
        {
            while (window.Accepted.Count > 0 && window.Accepted.Peek() <= now - rate.Period) window.Accepted.Dequeue();
            if (window.Accepted.Count < rate.Requests) continue;
            var remaining = (rate.Period - (now - window.Accepted.Peek())).TotalSeconds;
            var available = rate.Requests - window.Accepted.Count + 1;
            var w = available > 0 ? remaining / available : remaining;
            wait = Math.Max(wait ?? 0, w);
        }
        if (wait is not null) return wait;
        foreach (var (_, window) in held) window.Accepted.Enqueue(now);
        return null;
    }
}

public static class ThrottlingPipeline
{
    /// <summary>
    /// After authentication and permissions: every routed request but those marked <c>DisableRateLimiting()</c>
    /// (<c>/auth-token</c>, the file server) spends the burst and sustained budgets of its key, <c>/docs/</c> its own; a
    /// refusal is DRF's 429 with Retry-After.
    /// </summary>
    public static IApplicationBuilder UseAlyxThrottle(this IApplicationBuilder app, ThrottleOptions options)
    {
        var time = app.ApplicationServices.GetRequiredService<TimeProvider>();
        var throttle = new Throttle(time);
        // Several processes on one PostgreSQL database (SHARED_STATE): the budgets are kept in it, one per user for all.
        var shared = app.ApplicationServices.GetRequiredService<Database.SharedState>() is { Enabled: true } state ? new SharedThrottle(state, time) : null;
        return app.Use(async (context, next) =>
        {
            var endpoint = context.GetEndpoint();
            if (endpoint is null || endpoint.Metadata.GetMetadata<DisableRateLimitingAttribute>() is not null)
            {
                await next(context);
                return;
            }
            var budgets = new List<(string, ThrottleRate)>(2);
            if (context.Request.Path.StartsWithSegments("/docs"))
            {
                if (options.Docs is not null) budgets.Add(("docs", options.Docs));
            }
            else
            {
                if (options.Burst is not null) budgets.Add(("burst", options.Burst));
                if (options.Sustained is not null) budgets.Add(("sustained", options.Sustained));
            }
            if (budgets.Count > 0 && (shared is null
                    ? throttle.TryAcquire(Key(context, options), budgets)
                    : await shared.TryAcquireAsync(Key(context, options), budgets, context.RequestAborted)) is { } wait)
            {
                AlyxMetrics.Refused(budgets[0].Item1 == "docs" ? "docs" : "api");
                var seconds = (int)Math.Ceiling(wait);
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                var unit = seconds == 1 ? "second" : "seconds";
                await AlyxResults.Detail(StatusCodes.Status429TooManyRequests, $"Request was throttled. Expected available in {seconds} {unit}.")
                    .ExecuteAsync(context);
                return;
            }
            await next(context);
        });
    }

    /// <summary>
    /// The user's id, or the client address: the peer's, which the forwarded-headers middleware has already replaced by the
    /// X-Forwarded-For address when FORWARDED_HEADERS is on and the peer is one of FORWARDED_PROXIES. The header itself is never read here.
    /// </summary>
    static string Key(HttpContext context, ThrottleOptions options)
    {
        if (!options.ByAddress && context.CurrentUser() is { } user) return "user:" + user.Id.ToString("N");
        var address = context.Connection.RemoteIpAddress;
        if (address is { IsIPv4MappedToIPv6: true }) address = address.MapToIPv4();
        return "ip:" + address;
    }
}
