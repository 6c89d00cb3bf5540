using System.Diagnostics;
using System.Globalization;

namespace Alyx.Cli;

/// <summary>
/// The CPU a measured window cost, per request: the server's own (its process's user and system time) and the whole
/// machine's (every core's busy time from <c>/proc/stat</c>: the server, the load driver, PostgreSQL's backends and anything
/// else running). On a quiet machine the machine's figure bounds the rate the cores can give at that cost:
/// cores × 1,000 / (ms per request). Rates move with the machine's state; CPU per request moves much less.
/// </summary>
static class BenchCpu
{
    /// <summary>What is read at the start and end of a window.</summary>
    internal readonly record struct Reading(TimeSpan Server, long MachineBusyTicks);

    /// <summary>Clock ticks per second of <c>/proc/stat</c> (USER_HZ, 100 on Linux).</summary>
    const double TicksPerSecond = 100;

    public static Reading Read(Process? server)
    {
        TimeSpan serverTime = TimeSpan.Zero;
        if (server is not null)
        {
            try
            {
                server.Refresh();
                serverTime = server.TotalProcessorTime;
            }
            catch (InvalidOperationException)
            {
                // The server has exited: its line shows no CPU figure.
            }
        }
        return new Reading(serverTime, MachineBusyTicks());
    }

    /// <summary>Milliseconds of the server's CPU and of the machine's, per request, between two readings (0 where unknown).</summary>
    public static (double ServerMs, double MachineMs) PerRequest(Reading start, Reading end, long requests)
    {
        if (requests <= 0) return (0, 0);
        var server = (end.Server - start.Server).TotalMilliseconds / requests;
        var machine = start.MachineBusyTicks < 0 || end.MachineBusyTicks < 0
            ? 0
            : (end.MachineBusyTicks - start.MachineBusyTicks) * 1000 / TicksPerSecond / requests;
        return (Math.Max(0, server), Math.Max(0, machine));
    }

    /// <summary>The rate the machine's cores give at <paramref name="machineMs"/> of CPU per request, when nothing else runs.</summary>
    public static double Bound(double machineMs) => machineMs > 0 ? Environment.ProcessorCount * 1000 / machineMs : 0;

    public static string Format(double ms) => ms > 0 ? ms.ToString("F2", CultureInfo.InvariantCulture) : "-";

    /// <summary>
    /// Busy ticks of all cores since boot: the first line of <c>/proc/stat</c> ("cpu user nice system idle iowait irq softirq
    /// steal ...") without idle, iowait and steal (time the hypervisor gave elsewhere); -1 where there is no such file.
    /// </summary>
    internal static long MachineBusyTicks()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            return BusyTicks(reader.ReadLine());
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
    }

    /// <summary>The busy ticks of a <c>/proc/stat</c> "cpu" line; -1 when it is not one.</summary>
    internal static long BusyTicks(string? line)
    {
        var fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields is null || fields.Length < 5 || fields[0] != "cpu") return -1;
        long busy = 0;
        for (var i = 1; i < fields.Length && i <= 7; i++)
        {
            if (i is 4 or 5) continue; // idle, iowait
            if (!long.TryParse(fields[i], NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return -1;
            busy += value;
        }
        return busy;
    }
}
