using System.Diagnostics;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Misc;

/// <summary>
/// Runs the <see cref="ScheduleJob"/>s in the server process, one at a time, at their cron occurrences in TIME_ZONE. With
/// several processes on one database each occurrence runs once: a process runs it only when its conditional update of the
/// job's row (last occurrence older than this one) matched; on PostgreSQL a session advisory lock also keeps a long run from
/// overlapping the next occurrence taken by another process. Each run is recorded (start, duration, outcome, message) in
/// alyx_scheduledjob and logged.
/// </summary>
public sealed class Scheduler(IServiceProvider services, ScheduleOptions options, MailOptions mail, DatabaseUrl database,
    AlyxClock clock, TimeProvider time, ILogger<Scheduler> logger) : BackgroundService
{
    static readonly string Host = $"{Environment.MachineName} (pid {Environment.ProcessId})";

    public IReadOnlyList<ScheduleJob> Jobs { get; } = ScheduleJob.From(options, database.Provider);

    /// <summary>The jobs that will run: switched on, with nothing missing.</summary>
    IEnumerable<ScheduleJob> Active => Jobs.Where(j => j.Cron is not null && j.Disabled is null);

    /// <summary>The next occurrence of a job after <paramref name="after"/>, or null when it is off.</summary>
    public DateTimeOffset? Next(ScheduleJob job, DateTimeOffset after) =>
        job.Cron is null || job.Disabled is not null ? null : job.Cron.Expression.GetNextOccurrence(after, clock.Zone);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!mail.Enabled) logger.LogWarning("E-mail is off (SMTP_HOST is not set): notifications are kept with status 'to send'.");
        if (!options.Enabled)
        {
            logger.LogInformation("The schedule is off (SCHEDULER=false).");
            return;
        }
        var now = time.GetUtcNow();
        logger.LogInformation("Schedule ({Zone}): {Jobs}.", clock.Zone.Id, string.Join("; ", Jobs.Select(job => job.Name + " " +
            (job.Cron is null ? "off" : job.Disabled is { } why ? $"off ({why})" : $"'{job.Cron}' next {Local(Next(job, now)!.Value):yyyy-MM-dd HH:mm}"))));
        try
        {
            await EnsureRowsAsync(stoppingToken);
            var last = now;
            while (!stoppingToken.IsCancellationRequested)
            {
                var due = Active.Select(j => (Job: j, At: Next(j, last)!.Value)).ToList();
                if (due.Count == 0) return;
                var at = due.Min(d => d.At);
                var wait = at - time.GetUtcNow();
                if (wait > TimeSpan.Zero) await Task.Delay(wait, time, stoppingToken);
                foreach (var (job, _) in due.Where(d => d.At == at)) await RunAsync(job, at, stoppingToken);
                last = at;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    DateTime Local(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, clock.Zone).DateTime;

    async Task EnsureRowsAsync(CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlyxDb>();
        var names = Jobs.Select(j => j.Name).ToList();
        var known = await db.Set<ScheduledJob>().Where(j => names.Contains(j.Name)).Select(j => j.Name).ToListAsync(ct);
        foreach (var name in names.Except(known))
        {
            db.Add(new ScheduledJob { Name = name });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another process added it first.
                db.ChangeTracker.Clear();
            }
        }
    }

    /// <summary>Runs one occurrence of a job unless another process has claimed it; never throws but for cancellation.</summary>
    public async Task RunAsync(ScheduleJob job, DateTimeOffset occurrence, CancellationToken ct)
    {
        var at = DateTime.SpecifyKind(occurrence.UtcDateTime, DateTimeKind.Unspecified);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AlyxDb>();
        var started = clock.Now;
        var claimed = await db.Set<ScheduledJob>()
            .Where(j => j.Name == job.Name && (j.LastOccurrence == null || j.LastOccurrence < at))
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LastOccurrence, at).SetProperty(j => j.LastStarted, started)
                .SetProperty(j => j.LastHost, Host), ct);
        if (claimed == 0)
        {
            logger.LogInformation("Schedule: {Job} at {At:yyyy-MM-dd HH:mm} runs in another process.", job.Name, Local(occurrence));
            return;
        }
        var watch = Stopwatch.StartNew();
        string outcome, message;
        var locked = await TryLockAsync(db, job, ct);
        try
        {
            if (!locked)
            {
                (outcome, message) = ("skipped", "The previous run is still going on in another process.");
            }
            else
            {
                await using var work = services.CreateAsyncScope();
                message = await job.RunAsync(work.ServiceProvider, ct);
                outcome = "ok";
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            (outcome, message) = ("failed", e.GetType().Name + ": " + e.Message);
        }
        finally
        {
            if (locked) await UnlockAsync(db, job);
        }
        var seconds = watch.Elapsed.TotalSeconds;
        var finished = clock.Now;
        await db.Set<ScheduledJob>().Where(j => j.Name == job.Name)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LastFinished, finished).SetProperty(j => j.LastDurationSeconds, seconds)
                .SetProperty(j => j.LastOutcome, outcome).SetProperty(j => j.LastMessage, message), CancellationToken.None);
        if (outcome == "failed") logger.LogError("Schedule: {Job} failed after {Seconds:F1} s: {Message}", job.Name, seconds, message);
        else logger.LogInformation("Schedule: {Job} {Outcome} in {Seconds:F1} s: {Message}", job.Name, outcome, seconds, message);
    }

    /// <summary>On PostgreSQL, a session advisory lock per job held for the run (on this context's connection); elsewhere true.</summary>
    static async Task<bool> TryLockAsync(AlyxDb db, ScheduleJob job, CancellationToken ct)
    {
        if (db.Provider != DatabaseProvider.Postgres) return true;
        await db.Database.OpenConnectionAsync(ct);
        return await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({LockKey(job)}) AS \"Value\"").SingleAsync(ct);
    }

    static async Task UnlockAsync(AlyxDb db, ScheduleJob job)
    {
        if (db.Provider != DatabaseProvider.Postgres) return;
        await db.Database.SqlQuery<bool>($"SELECT pg_advisory_unlock({LockKey(job)}) AS \"Value\"").SingleAsync();
        await db.Database.CloseConnectionAsync();
    }

    /// <summary>A stable 64-bit key per job name (FNV-1a), in a range of its own.</summary>
    static long LockKey(ScheduleJob job)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in "alyx.schedule." + job.Name) hash = (hash ^ c) * 1099511628211UL;
        return unchecked((long)hash);
    }
}
