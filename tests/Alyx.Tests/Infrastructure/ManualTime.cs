namespace Alyx.Tests.Infrastructure;

/// <summary>A clock the test sets (forwards or back); no timers (use FakeTimeProvider where a delay must fire).</summary>
public sealed class ManualTime(DateTimeOffset now) : TimeProvider
{
    public ManualTime()
        : this(DateTimeOffset.UtcNow)
    {
    }

    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
