using System.Globalization;
using Alyx.Actions;
using Alyx.Data;
using Alyx.Database;
using Alyx.Http;
using Cronos;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Misc;

/// <summary>
/// The built-in schedule (settings SCHEDULER, SCHEDULE_*, BACKUP_FOLDER, BACKUP_KEEP, REPORT_NAMES, REPORT_USERS,
/// NOTIFICATION_DAYS): the jobs the original leaves to a crontab. Cron expressions are read in TIME_ZONE; null is off.
/// </summary>
public sealed class ScheduleOptions
{
    public bool Enabled { get; set; } = true;
    public CronSchedule? CheckWaterAdmin { get; set; }
    public CronSchedule? SendNotifications { get; set; }
    public CronSchedule? Report { get; set; }
    public CronSchedule? ExpireNotifications { get; set; }
    public CronSchedule? OneCache { get; set; }
    public CronSchedule? Backup { get; set; }

    /// <summary>Folder of the scheduled backups; the backup job runs only when it is set.</summary>
    public string? BackupFolder { get; set; }

    /// <summary>How many scheduled backups are kept (the oldest are deleted).</summary>
    public int BackupKeep { get; set; } = 7;

    public IReadOnlyList<string> ReportNames { get; set; } = [];

    /// <summary>Usernames that receive the daily report; empty: every user (each mail still needs an address and a bullet).</summary>
    public IReadOnlyList<string> ReportUsers { get; set; } = [];

    /// <summary>Age in days after which expire-notifications deletes a notification.</summary>
    public int NotificationDays { get; set; } = 30;
}

/// <summary>A cron expression as written (five fields, read in TIME_ZONE) and parsed.</summary>
public sealed record CronSchedule(string Text, CronExpression Expression)
{
    public override string ToString() => Text;
}

/// <summary>The last run of a scheduled job, shared by every server process on the database (table alyx_scheduledjob).</summary>
public sealed class ScheduledJob
{
    public string Name { get; set; } = "";

    /// <summary>The latest occurrence (UTC) a process claimed: each occurrence runs once, in the process whose claim matched.</summary>
    public DateTime? LastOccurrence { get; set; }

    /// <summary>Start and end of the last run, server-local times.</summary>
    public DateTime? LastStarted { get; set; }

    public DateTime? LastFinished { get; set; }

    public double? LastDurationSeconds { get; set; }

    /// <summary>ok, failed or skipped.</summary>
    public string LastOutcome { get; set; } = "";

    /// <summary>The summary of an ok run, the error of a failed one, the reason of a skipped one.</summary>
    public string LastMessage { get; set; } = "";

    /// <summary>The machine and process that ran it.</summary>
    public string LastHost { get; set; } = "";
}

sealed class ScheduledJobConfiguration : IEntityTypeConfiguration<ScheduledJob>
{
    public void Configure(EntityTypeBuilder<ScheduledJob> b)
    {
        b.ToTable("alyx_scheduledjob");
        b.HasKey(j => j.Name);
        b.Property(j => j.Name).HasMaxLength(64);
        b.Property(j => j.LastOutcome).HasMaxLength(16);
        b.Property(j => j.LastHost).HasMaxLength(255);
    }
}

/// <summary>One job of the schedule: its name (also its CLI verb), its cron expression (null: off) and its work.</summary>
public sealed record ScheduleJob(string Name, CronSchedule? Cron, string? Disabled, Func<IServiceProvider, CancellationToken, Task<string>> RunAsync)
{
    /// <summary>The jobs the options switch on, with why the others are off.</summary>
    public static IReadOnlyList<ScheduleJob> From(ScheduleOptions o, DatabaseProvider provider) =>
    [
        new("check-water-admin", o.CheckWaterAdmin, null, async (sp, ct) =>
        {
            var r = await WelfareChecks.CheckWaterAdminAsync(sp.GetRequiredService<AlyxDb>(), sp.GetRequiredService<AlyxClock>(), ct);
            return $"{r.Subjects} subjects under water restriction checked: {r.Water} water and {r.NotWeighed} weighing notifications.";
        }),
        new("send-notifications", o.SendNotifications, null, async (sp, ct) =>
        {
            var mail = sp.GetRequiredService<MailOptions>();
            if (!mail.Enabled) return "E-mail is off (SMTP_HOST is not set).";
            var r = await NotificationDelivery.SendPendingAsync(sp.GetRequiredService<AlyxDb>(), sp.GetRequiredService<Mailer>(), mail,
                sp.GetRequiredService<AlyxClock>(), ct);
            return $"{r.Sent} sent, {r.Failed} failed (to retry), {r.GivenUp} given up, {r.Waiting} waiting.";
        }),
        new("report", o.Report, o.ReportNames.Count == 0 ? "REPORT_NAMES is empty" : null, async (sp, ct) =>
        {
            var mails = await new DailyReport(sp.GetRequiredService<AlyxDb>(), sp.GetRequiredService<AlyxClock>())
                .BuildAsync(o.ReportNames, o.ReportUsers, null, ct);
            var sent = await DailyReport.SendAsync(mails, sp.GetRequiredService<Mailer>(), ct);
            return $"{sent} report mails sent.";
        }),
        new("expire-notifications", o.ExpireNotifications, null, async (sp, ct) =>
        {
            var n = await NotificationDelivery.ExpireAsync(sp.GetRequiredService<AlyxDb>(), sp.GetRequiredService<AlyxClock>(),
                o.NotificationDays, null, false, ct);
            return NotificationDelivery.ExpiryMessage(n, null, false) + ".";
        }),
        new("one-cache", o.OneCache, null, async (sp, ct) =>
        {
            // A build in progress elsewhere (alyx one-cache, another server's schedule) writes the same tables: skip.
            var (held, holder) = await OneCacheLock.AcquireAsync(sp.GetRequiredService<DatabaseUrl>(), OneCacheLock.Who("scheduled one-cache"), false,
                null, ct);
            if (held is null) return $"Skipped: the ONE cache tables are being built by {holder}.";
            await using var _ = held;
            var r = await OneCache.GenerateAsync(sp.GetRequiredService<AlyxDb>(), sp.GetRequiredService<AlyxClock>(),
                sp.GetRequiredService<OneCacheOptions>(), [], sp.GetRequiredService<DatabaseUrl>().Name, _ => { }, ct);
            return $"Wrote {r.Sessions} sessions and {r.Datasets} datasets to {Path.Combine(r.Folder, "cache.zip")}.";
        }),
        new("backup", o.Backup, o.BackupFolder is null ? "BACKUP_FOLDER is not set" : null, async (sp, ct) =>
        {
            var clock = sp.GetRequiredService<AlyxClock>();
            Directory.CreateDirectory(o.BackupFolder!);
            var extension = provider == DatabaseProvider.Sqlite ? ".db" : ".json.gz";
            var file = Path.Combine(o.BackupFolder!, "alyx-backup-" + clock.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + extension);
            var kind = await DatabaseBackup.BackupAsync(sp.GetRequiredService<AlyxDb>(), clock, file, ct);
            // File names sort by time: keep the newest BACKUP_KEEP.
            var old = Directory.GetFiles(o.BackupFolder!, "alyx-backup-*" + extension).Order(StringComparer.Ordinal).SkipLast(o.BackupKeep).ToList();
            foreach (var f in old) File.Delete(f);
            return $"Wrote {file} ({kind}); {old.Count} older backups removed.";
        }),
    ];
}
