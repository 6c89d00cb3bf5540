using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Alyx.Database;
using Alyx.Http;

namespace Alyx.Auth;

/// <summary>
/// Failed password checks (<c>/auth-token</c>, the data server's Basic authentication), counted per username and per client
/// address over a sliding <see cref="Period"/>: at <see cref="MaxFailures"/> within it, further attempts are refused with
/// 429 and Retry-After (the throttle's body) until the oldest failure leaves the period, whatever the password. A success
/// clears the username's failures. Counters live in this process, idle ones swept so the table stays bounded; with
/// <see cref="SharedState"/> on (several processes on PostgreSQL) they are kept in the database instead
/// (<see cref="SharedThrottle"/>, scope <c>login</c>), through the <c>...Async</c> methods.
/// </summary>
public sealed class LoginThrottle(TimeProvider time, SharedState shared)
{
    /// <summary>Counters in this process only.</summary>
    public LoginThrottle(TimeProvider time) : this(time, SharedState.Off)
    {
    }

    readonly SharedThrottle? store = shared.Enabled ? new SharedThrottle(shared, time) : null;

    /// <summary><see cref="RetryAfter"/>, across processes when they share state.</summary>
    public async Task<double?> RetryAfterAsync(string username, IPAddress? address, CancellationToken ct)
    {
        if (store is null) return RetryAfter(username, address);
        var now = time.GetUtcNow().UtcTicks;
        double? wait = null;
        foreach (var window in await store.WindowsAsync([.. Keys(username, address).Select(k => "login|" + k)], Period, ct))
            if (window.Count >= MaxFailures) wait = Math.Max(wait ?? 0, (Period - TimeSpan.FromTicks(now - window[0])).TotalSeconds);
        return wait;
    }

    /// <summary><see cref="Failed"/>, across processes when they share state.</summary>
    public async Task FailedAsync(string username, IPAddress? address, CancellationToken ct)
    {
        if (store is null) Failed(username, address);
        else await store.RecordAsync([.. Keys(username, address).Select(k => "login|" + k)], Period, ct);
    }

    /// <summary><see cref="Succeeded"/>, across processes when they share state.</summary>
    public async Task SucceededAsync(string username, CancellationToken ct)
    {
        if (store is null) Succeeded(username);
        else await store.ForgetAsync("login|user:" + username.ToUpperInvariant(), ct);
    }

    public const int MaxFailures = 10;

    public static readonly TimeSpan Period = TimeSpan.FromMinutes(5);

    const int SweepEvery = 1024;

    readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> failures = new(StringComparer.Ordinal);
    long recorded;

    static IEnumerable<string> Keys(string username, IPAddress? address)
    {
        yield return "user:" + username.ToUpperInvariant();
        if (address is { IsIPv4MappedToIPv6: true }) address = address.MapToIPv4();
        yield return "ip:" + address;
    }

    /// <summary>Seconds until an attempt for this username from this address is allowed again; null when it is allowed now.</summary>
    public double? RetryAfter(string username, IPAddress? address)
    {
        var now = time.GetUtcNow();
        double? wait = null;
        foreach (var key in Keys(username, address))
        {
            if (!failures.TryGetValue(key, out var queue)) continue;
            lock (queue)
            {
                Expire(queue, now);
                if (queue.Count >= MaxFailures) wait = Math.Max(wait ?? 0, (Period - (now - queue.Peek())).TotalSeconds);
            }
        }
        return wait;
    }

    public void Failed(string username, IPAddress? address)
    {
        var now = time.GetUtcNow();
        foreach (var key in Keys(username, address))
        {
            while (true)
            {
                var queue = failures.GetOrAdd(key, _ => new Queue<DateTimeOffset>());
                lock (queue)
                {
                    // A sweep may have dropped this queue meanwhile: record in the one the table holds.
                    if (!failures.TryGetValue(key, out var current) || current != queue) continue;
                    Expire(queue, now);
                    queue.Enqueue(now);
                    break;
                }
            }
        }
        if (Interlocked.Increment(ref recorded) % SweepEvery == 0) Sweep(now);
    }

    public void Succeeded(string username) => failures.TryRemove("user:" + username.ToUpperInvariant(), out _);

    internal int Count => failures.Count;

    void Sweep(DateTimeOffset now)
    {
        foreach (var (key, queue) in failures)
        {
            lock (queue)
            {
                Expire(queue, now);
                if (queue.Count == 0) failures.TryRemove(new KeyValuePair<string, Queue<DateTimeOffset>>(key, queue));
            }
        }
    }

    static void Expire(Queue<DateTimeOffset> queue, DateTimeOffset now)
    {
        while (queue.Count > 0 && queue.Peek() <= now - Period) queue.Dequeue();
    }

    /// <summary>The refusal: the throttle's 429 <c>{"detail": "Request was throttled. Expected available in N seconds."}</c> with Retry-After.</summary>
    public static IResult Refusal(double wait) => new Refused((int)Math.Ceiling(wait));

    sealed class Refused(int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            var unit = seconds == 1 ? "second" : "seconds";
            return AlyxResults.Detail(StatusCodes.Status429TooManyRequests, $"Request was throttled. Expected available in {seconds} {unit}.")
                .ExecuteAsync(httpContext);
        }
    }
}
