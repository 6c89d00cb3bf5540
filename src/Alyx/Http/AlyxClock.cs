namespace Alyx.Http;

/// <summary>Server-local naive time (Alyx runs with USE_TZ = False): "now" and "today" in the configured TIME_ZONE.</summary>
public sealed class AlyxClock(TimeProvider time, TimeZoneInfo zone)
{
    public TimeZoneInfo Zone { get; } = zone;

    public DateTime Now => DateTime.SpecifyKind(TimeZoneInfo.ConvertTime(time.GetUtcNow(), Zone).DateTime, DateTimeKind.Unspecified);

    public DateOnly Today => DateOnly.FromDateTime(Now);
}
