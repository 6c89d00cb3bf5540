using Alyx.Cli;

namespace Alyx.Tests.Cli;

/// <summary>The CPU columns of the benchmark's table: busy time read from /proc/stat, per request, and the cores' bound.</summary>
public sealed class BenchCpuTests
{
    [Fact]
    public void BusyTicks_AreUserNiceSystemIrqAndSoftirq_WithoutIdleIowaitAndSteal()
    {
        // user 100, nice 2, system 30, idle 5000, iowait 40, irq 3, softirq 5, steal 7, guest 0, guest_nice 0
        Assert.Equal(100 + 2 + 30 + 3 + 5, BenchCpu.BusyTicks("cpu  100 2 30 5000 40 3 5 7 0 0"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("cpu0 1 2 3 4 5 6 7 8")]
    [InlineData("cpu 1 2 x 4 5")]
    [InlineData("cpu 1 2 3")]
    public void BusyTicks_OfAnythingButTheMachineLine_AreUnknown(string? line) => Assert.Equal(-1, BenchCpu.BusyTicks(line));

    [Fact]
    public void PerRequest_DividesTheServersAndTheMachinesTimeByTheRequests()
    {
        var start = new BenchCpu.Reading(TimeSpan.FromSeconds(10), 5_000);
        // 2 s of server CPU and 300 ticks (3 s) of the machine's over 1,000 requests.
        var end = new BenchCpu.Reading(TimeSpan.FromSeconds(12), 5_300);
        Assert.Equal((2.0, 3.0), BenchCpu.PerRequest(start, end, 1000));
        Assert.Equal((0.0, 0.0), BenchCpu.PerRequest(start, end, 0));
        // The machine's time unknown (no /proc/stat): only the server's.
        Assert.Equal((2.0, 0.0), BenchCpu.PerRequest(start with { MachineBusyTicks = -1 }, end, 1000));
    }

    [Fact]
    public void Bound_IsTheCoresTimesAThousandOverTheMillisecondsPerRequest()
    {
        Assert.Equal(Environment.ProcessorCount * 250.0, BenchCpu.Bound(4.0));
        Assert.Equal(0, BenchCpu.Bound(0));
    }

    [Fact]
    public void MachineBusyTicks_GrowWithWorkDone()
    {
        Assert.SkipUnless(File.Exists("/proc/stat"), "no /proc/stat on this system");
        var before = BenchCpu.MachineBusyTicks();
        var until = DateTime.UtcNow.AddMilliseconds(300);
        var spin = 0L;
        while (DateTime.UtcNow < until) spin++;
        GC.KeepAlive(spin);
        Assert.True(BenchCpu.MachineBusyTicks() > before);
    }
}
