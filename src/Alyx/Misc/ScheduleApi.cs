using System.Globalization;
using Alyx.Auth;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Misc;

/// <summary>
/// GET <c>/admin-tasks/schedule</c> (superusers; token or session): each scheduled job with its cron expression, whether it
/// is on, its next run and its last run (start, duration, outcome, message, process), and whether e-mail is on. Times are
/// server-local, as Alyx's are.
/// </summary>
static class ScheduleApi
{
    public static void MapScheduleApi(this IEndpointRouteBuilder routes) => routes.MapGet("/admin-tasks/schedule", GetAsync);

    static async Task<IResult> GetAsync(HttpContext http, Scheduler scheduler, ScheduleOptions options, MailOptions mail, AlyxClock clock,
        TimeProvider time, Database.AlyxDb db, CancellationToken ct)
    {
        if (http.CurrentUser() is not { IsSuperuser: true }) return AlyxResults.Forbidden();
        var runs = await db.Set<ScheduledJob>().AsNoTracking().ToDictionaryAsync(j => j.Name, ct);
        var now = time.GetUtcNow();
        static string? Iso(DateTime? t) => t?.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var jobs = scheduler.Jobs.Select(j =>
        {
            var run = runs.GetValueOrDefault(j.Name);
            var next = options.Enabled ? scheduler.Next(j, now) : null;
            return new Dictionary<string, object?>
            {
                ["name"] = j.Name,
                ["schedule"] = j.Cron?.ToString() ?? "off",
                ["enabled"] = options.Enabled && j.Cron is not null && j.Disabled is null,
                ["disabled_reason"] = !options.Enabled ? "SCHEDULER is false" : j.Cron is null ? "switched off" : j.Disabled,
                ["next_run"] = next is { } n ? Iso(TimeZoneInfo.ConvertTime(n, clock.Zone).DateTime) : null,
                ["last_started"] = Iso(run?.LastStarted),
                ["last_finished"] = Iso(run?.LastFinished),
                ["last_duration_seconds"] = run?.LastDurationSeconds,
                ["last_outcome"] = string.IsNullOrEmpty(run?.LastOutcome) ? null : run.LastOutcome,
                ["last_message"] = string.IsNullOrEmpty(run?.LastMessage) ? null : run.LastMessage,
                ["last_host"] = string.IsNullOrEmpty(run?.LastHost) ? null : run.LastHost,
            };
        }).ToList();
        return Results.Json(new Dictionary<string, object?>
        {
            ["time_zone"] = clock.Zone.Id,
            ["email"] = mail.Enabled ? "on" : "off (SMTP_HOST is not set)",
            ["jobs"] = jobs,
        });
    }
}
