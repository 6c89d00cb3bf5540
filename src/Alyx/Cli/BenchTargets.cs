using System.Globalization;

namespace Alyx.Cli;

/// <summary>
/// The absolute targets of issue 16 beside each line of <c>alyx bench</c> (8 clients, loopback, throttling off): every GET
/// ≥ 1,000 req/s with p99 ≤ 20 ms, POSTs ≥ 1,000 req/s, register-file of 1,000 files ≤ 0.5 s, cache tables for 10⁶
/// datasets ≤ 5 s and &lt; 300 MB. Each factor is oriented so that ≥ 1× meets its target.
/// </summary>
static partial class BenchCommand
{
    internal enum TargetKind { None, Get, Post, RegisterFiles, CacheTables }

    internal const string TargetsLegend =
        "# vs target: factors of issue 16's absolute targets, each ≥ 1× when met (req/s / target; limit / measured for p99, time and " +
        "memory); the cache-tables target is for 10⁶ datasets (scale 10). Server memory: resident now (VmRSS) and peak (VmHWM).";

    /// <summary>Which target a line of the table is held to, from its name.</summary>
    internal static TargetKind KindOf(string name) =>
        name.StartsWith("cache tables", StringComparison.Ordinal) ? TargetKind.CacheTables
        : name.StartsWith("POST /register-file", StringComparison.Ordinal) ? TargetKind.RegisterFiles
        : name.StartsWith("ceiling", StringComparison.Ordinal) || name.StartsWith("all ", StringComparison.Ordinal) ? TargetKind.None
        : name.Contains("GET /", StringComparison.Ordinal) ? TargetKind.Get
        : name.Contains("POST /", StringComparison.Ordinal) ? TargetKind.Post
        : TargetKind.None;

    internal static string TargetText(TargetKind kind) => kind switch
    {
        TargetKind.Get => "≥ 1,000 req/s, p99 ≤ 20 ms",
        TargetKind.Post => "≥ 1,000 req/s",
        TargetKind.RegisterFiles => "≤ 0.5 s",
        TargetKind.CacheTables => "≤ 5 s, < 300 MB (10⁶ datasets)",
        _ => "-",
    };

    /// <summary>
    /// The line's factors of its target and whether it is met: <c>1.3× · p99 2.0× · met</c>. Uses the throughput and p99 of
    /// request lines, the median time (P50, ms) of register-file, the time (P50, ms) and peak memory of the cache tables.
    /// </summary>
    internal static string VersusTarget(TargetKind kind, Result r)
    {
        static string Met(bool met) => met ? "met" : "not met";
        return kind switch
        {
            TargetKind.Get => $"{FormatRatio(r.Rps / 1000)} · p99 {FormatRatio(20 / r.P99)} · {Met(r.Rps >= 1000 && r.P99 <= 20)}",
            TargetKind.Post => $"{FormatRatio(r.Rps / 1000)} · {Met(r.Rps >= 1000)}",
            TargetKind.RegisterFiles => $"{FormatRatio(500 / r.P50)} · {Met(r.P50 <= 500)}",
            TargetKind.CacheTables => r.PeakMb > 0
                ? $"time {FormatRatio(5000 / r.P50)} · memory {FormatRatio(300.0 / r.PeakMb)} · {Met(r.P50 <= 5000 && r.PeakMb < 300)}"
                : $"time {FormatRatio(5000 / r.P50)} · memory - · {Met(false)}",
            _ => "-",
        };
    }

    /// <summary>The server's resident memory now and at its peak, in MB, for the end of a block.</summary>
    static string MemoryLine(System.Diagnostics.Process server) => string.Create(CultureInfo.InvariantCulture,
        $"server memory: RSS {CurrentResident(server) / (1024 * 1024)} MB, peak {PeakResident(server) / (1024 * 1024)} MB");
}
