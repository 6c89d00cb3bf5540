using System.Globalization;
using Alyx.Actions;
using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;

namespace Alyx.Cli;

/// <summary>
/// The verbs of the welfare loop, for labs that run them from their own scheduler (the server's schedule runs the same
/// code): <c>check-water-admin</c>, <c>send-notifications</c>, <c>report</c>, <c>expire-notifications</c>.
/// </summary>
static class WelfareCommands
{
    public static Task<int> CheckWaterAdminAsync(string[] raw) => AlyxCli.WithDbAsync(raw, async (services, args) =>
    {
        args.EnsureNoExtra();
        var r = await WelfareChecks.CheckWaterAdminAsync(services.GetRequiredService<AlyxDb>(), services.GetRequiredService<AlyxClock>(),
            CancellationToken.None);
        Console.WriteLine($"{r.Subjects} subjects under water restriction checked: {r.Water} water and {r.NotWeighed} weighing notifications created.");
        return 0;
    });

    public static Task<int> SendNotificationsAsync(string[] raw) => AlyxCli.WithDbAsync(raw, async (services, args) =>
    {
        args.EnsureNoExtra();
        var mail = services.GetRequiredService<MailOptions>();
        if (!mail.Enabled) throw new CliException("e-mail is off: set SMTP_HOST (and SMTP_PORT, MAIL_FROM...) to send notifications.");
        var r = await NotificationDelivery.SendPendingAsync(services.GetRequiredService<AlyxDb>(), services.GetRequiredService<Mailer>(), mail,
            services.GetRequiredService<AlyxClock>(), CancellationToken.None);
        Console.WriteLine($"{r.Sent} sent, {r.Failed} failed (to retry), {r.GivenUp} given up, {r.Waiting} waiting.");
        return r.Failed + r.GivenUp > 0 ? 1 : 0;
    });

    /// <summary><c>report NAME... [--users U...] [--lab L] [--no-email] [--list]</c>, as the original's <c>report</c> command.</summary>
    public static Task<int> ReportAsync(string[] raw) => AlyxCli.WithDbAsync(raw, async (services, args) =>
    {
        if (args.Flag("--list"))
        {
            args.EnsureNoExtra();
            Console.WriteLine(string.Join(", ", DailyReport.Names));
            return 0;
        }
        var noEmail = args.Flag("--no-email");
        var lab = args.Option("--lab");
        var users = new List<string>();
        if (args.Option("--users") is { } list) users.AddRange(SettingParsers.List(list));
        var names = args.Positionals();
        args.EnsureNoExtra();
        if (names.Count == 0) throw new CliException("name the reports to make (alyx report --list shows them).");
        var unknown = names.Where(n => !DailyReport.Names.Contains(n)).ToList();
        if (unknown.Count > 0) throw new CliException($"no such report: {string.Join(", ", unknown)} (alyx report --list shows them).");
        var mailer = services.GetRequiredService<Mailer>();
        if (!noEmail && !mailer.Enabled) throw new CliException("e-mail is off: set SMTP_HOST, or pass --no-email to print the reports only.");
        var mails = await new DailyReport(services.GetRequiredService<AlyxDb>(), services.GetRequiredService<AlyxClock>())
            .BuildAsync(names, users, lab, CancellationToken.None);
        foreach (var m in mails) Console.Write($"\"{m.Subject}\" to be sent to <{m.Email}>.\n\n{m.Text}\n\n");
        if (!noEmail)
        {
            var sent = await DailyReport.SendAsync(mails, mailer, CancellationToken.None);
            Console.WriteLine($"{sent} mails sent.");
        }
        return 0;
    });

    /// <summary><c>expire-notifications [--n-days-old N] [--status S] [--dry-run]</c> (the original's delete_expired_notifications).</summary>
    public static Task<int> ExpireNotificationsAsync(string[] raw) => AlyxCli.WithDbAsync(raw, async (services, args) =>
    {
        var daysText = args.Option("--n-days-old");
        var status = args.Option("--status");
        var dryRun = args.Flag("--dry-run");
        args.EnsureNoExtra();
        var days = 30;
        if (daysText is not null && !int.TryParse(daysText, NumberStyles.None, CultureInfo.InvariantCulture, out days))
            throw new CliException("--n-days-old takes a whole number of days.");
        var n = await NotificationDelivery.ExpireAsync(services.GetRequiredService<AlyxDb>(), services.GetRequiredService<AlyxClock>(),
            days, status, dryRun, CancellationToken.None);
        Console.WriteLine(NotificationDelivery.ExpiryMessage(n, status, dryRun));
        return 0;
    });
}
