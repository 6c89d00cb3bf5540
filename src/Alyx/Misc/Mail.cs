using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Alyx.Misc;

/// <summary>E-mail delivery (settings SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_TLS, MAIL_FROM, MAIL_MAX_ATTEMPTS).</summary>
public sealed class MailOptions
{
    /// <summary>The SMTP server; null switches e-mail off (notifications then stay "to send").</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 25;

    public string? User { get; set; }

    public string? Password { get; set; }

    /// <summary>auto (STARTTLS when the server offers it), none, starttls or ssl.</summary>
    public string Tls { get; set; } = "auto";

    public string From { get; set; } = "alyx@localhost";

    /// <summary>Failed deliveries of a notification after which it is given up (status "no-send").</summary>
    public int MaxAttempts { get; set; } = 6;

    public bool Enabled => !string.IsNullOrEmpty(Host);
}

/// <summary>
/// Sends Alyx's mails (<c>alyx.base.alyx_mail</c>): subject <c>[alyx] ...</c>, the text followed by the automatic-message
/// footer, to every non-empty address in one message. Unlike the original, an SMTP failure is reported to the caller (as
/// an exception) so that the notification is retried rather than marked sent.
/// </summary>
public sealed class Mailer(MailOptions options, ILogger<Mailer> logger)
{
    public const string Footer = "\n\n--\nMessage sent automatically - please do not reply.";

    public bool Enabled => options.Enabled;

    /// <summary>Sends one mail; false when mail is off or no address is left (nothing was sent).</summary>
    public async Task<bool> SendAsync(IEnumerable<string> to, string subject, string text, CancellationToken ct)
    {
        var addresses = to.Where(a => !string.IsNullOrWhiteSpace(a)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (!options.Enabled || addresses.Count == 0) return false;
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(options.From));
        foreach (var address in addresses) message.To.Add(MailboxAddress.Parse(address));
        message.Subject = "[alyx] " + subject;
        message.Body = new TextPart("plain") { Text = text + Footer };
        using var client = new SmtpClient { Timeout = 30_000 };
        await client.ConnectAsync(options.Host!, options.Port, options.Tls switch
        {
            "none" => SecureSocketOptions.None,
            "starttls" => SecureSocketOptions.StartTls,
            "ssl" => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTlsWhenAvailable,
        }, ct);
        if (!string.IsNullOrEmpty(options.User)) await client.AuthenticateAsync(options.User, options.Password ?? "", ct);
        await client.SendAsync(message, ct);
        await client.DisconnectAsync(true, ct);
        logger.LogInformation("Mail \"{Subject}\" sent to {To}.", message.Subject, string.Join(", ", addresses));
        return true;
    }
}
