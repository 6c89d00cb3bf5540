using System.Globalization;
using System.Text.Json.Nodes;
using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>
/// Sending and expiring notifications (Alyx's <c>send_pending_notifications</c> and <c>delete_expired_notifications</c>,
/// spec 20-actions §9.3).
/// </summary>
public static class NotificationDelivery
{
    /// <summary>How long a sender holds a notification it is mailing before another process may take it over.</summary>
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    /// <summary>The wait before the n-th retry: 5 minutes, doubled after each failure.</summary>
    public static TimeSpan Backoff(int failures) => TimeSpan.FromMinutes(5 * Math.Pow(2, Math.Max(0, failures - 1)));

    public sealed record Outcome(int Sent, int Failed, int GivenUp, int Waiting);

    /// <summary>
    /// Mails every notification that is "to send" and due, to its recipients' addresses: success marks it sent with the
    /// time; an SMTP failure appends the time to <c>json.failed_attempts</c> and the notification is retried after
    /// <see cref="Backoff"/>, and given up ("no-send") after <see cref="MailOptions.MaxAttempts"/> failures. A notification
    /// whose recipients have no address stays "to send". With mail off nothing changes.
    /// <para>Several senders (server processes, the CLI verb) never mail a notification twice: each one is first claimed by a
    /// conditional update committed before the mail goes out (its <c>send_at</c> moved past a lease, restored afterwards),
    /// so only the sender whose update matched the row mails it.</para>
    /// </summary>
    public static async Task<Outcome> SendPendingAsync(AlyxDb db, Mailer mailer, MailOptions options, AlyxClock clock, CancellationToken ct)
    {
        if (!mailer.Enabled) return new(0, 0, 0, 0);
        var now = clock.Now;
        var due = await db.Set<Notification>().AsNoTracking()
            .Where(n => n.Status == "to-send" && n.SendAt <= now)
            .OrderBy(n => n.SendAt).ThenBy(n => n.Id)
            .Select(n => new { n.Id, n.SendAt, n.Title, n.Message, n.Json, Emails = n.Users.Select(u => u.Email).ToList() })
            .ToListAsync(ct);
        int sent = 0, failed = 0, givenUp = 0, waiting = 0;
        foreach (var n in due)
        {
            var attempts = FailedAttempts(n.Json);
            if (attempts.Count > 0 && attempts[^1] + Backoff(attempts.Count) > now || n.Emails.All(string.IsNullOrWhiteSpace))
            {
                waiting++;
                continue;
            }
            var claimed = await db.Set<Notification>()
                .Where(x => x.Id == n.Id && x.Status == "to-send" && x.SendAt == n.SendAt)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.SendAt, now + Lease), ct);
            if (claimed == 0) continue;
            try
            {
                await mailer.SendAsync(n.Emails, n.Title, n.Message, ct);
                await db.Set<Notification>().Where(x => x.Id == n.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, "sent").SetProperty(x => x.SentAt, clock.Now)
                        .SetProperty(x => x.SendAt, n.SendAt), ct);
                sent++;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                attempts.Add(clock.Now);
                var json = JsonNode.Parse(string.IsNullOrEmpty(n.Json) ? "{}" : n.Json) as JsonObject ?? [];
                json["failed_attempts"] = new JsonArray([.. attempts.Select(a => (JsonNode)IsoFormat(a))]);
                var giveUp = attempts.Count >= options.MaxAttempts;
                await db.Set<Notification>().Where(x => x.Id == n.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.Json, json.ToJsonString())
                        .SetProperty(x => x.Status, giveUp ? "no-send" : "to-send").SetProperty(x => x.SendAt, n.SendAt), ct);
                if (giveUp) givenUp++;
                else failed++;
            }
        }
        return new(sent, failed, givenUp, waiting);
    }

    /// <summary>The times of the failed deliveries recorded in a notification's json (Python isoformat strings).</summary>
    static List<DateTime> FailedAttempts(string? json)
    {
        if (string.IsNullOrEmpty(json) || JsonNode.Parse(json) is not JsonObject o || o["failed_attempts"] is not JsonArray a) return [];
        return [.. a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s)
                && DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : DateTime.MinValue)
            .Where(t => t != DateTime.MinValue).Order()];
    }

    /// <summary>Python's <c>datetime.isoformat()</c> of a naive datetime.</summary>
    static string IsoFormat(DateTime t)
    {
        var text = t.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var micro = (int)(t.Ticks % TimeSpan.TicksPerSecond / 10);
        return micro == 0 ? text : text + "." + micro.ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// <c>delete_expired_notifications</c>: the notifications whose <c>send_at</c> is more than <paramref name="days"/> days
    /// old (and of <paramref name="status"/> when given), deleted unless <paramref name="dryRun"/>; returns how many.
    /// </summary>
    public static async Task<int> ExpireAsync(AlyxDb db, AlyxClock clock, int days, string? status, bool dryRun, CancellationToken ct)
    {
        var cutoff = clock.Now.AddDays(-days);
        var old = db.Set<Notification>().Where(n => n.SendAt < cutoff);
        if (status is not null) old = old.Where(n => n.Status == status);
        return dryRun ? await old.CountAsync(ct) : await old.ExecuteDeleteAsync(ct);
    }

    /// <summary>The original's messages: <c>Dry run: N notifications found[ with status "S"]</c> or <c>Deleted N notifications[...]</c>.</summary>
    public static string ExpiryMessage(int count, string? status, bool dryRun) =>
        (dryRun ? $"Dry run: {count} notifications found" : $"Deleted {count} notifications") + (status is null ? "" : $" with status \"{status}\"");
}
