using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Alyx.Tests.Infrastructure;

/// <summary>
/// A real SMTP server on a loopback port in the test process: it keeps every message it accepts, and refuses every
/// message (SMTP 554, transaction failed) while <see cref="Failing"/> is set.
/// </summary>
public sealed class TestSmtp : IAsyncDisposable
{
    readonly CancellationTokenSource stop = new();
    readonly Task running;

    public TestSmtp()
    {
        Port = AlyxProcess.FreePort();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)))
            .Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        running = new SmtpServer.SmtpServer(options, services).StartAsync(stop.Token);
    }

    public int Port { get; }

    volatile bool failing;

    /// <summary>While set, every message is refused.</summary>
    public bool Failing
    {
        get => failing;
        set => failing = value;
    }

    public ConcurrentQueue<MimeMessage> Messages { get; } = new();

    /// <summary>The messages one address received.</summary>
    public List<MimeMessage> To(string address) =>
        [.. Messages.Where(m => m.To.Mailboxes.Any(b => string.Equals(b.Address, address, StringComparison.OrdinalIgnoreCase)))];

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }
        stop.Dispose();
    }

    sealed class Store(TestSmtp server) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction,
            ReadOnlySequence<byte> buffer, CancellationToken cancellationToken)
        {
            if (server.Failing) return SmtpResponse.TransactionFailed;
            using var stream = new MemoryStream(buffer.ToArray());
            server.Messages.Enqueue(await MimeMessage.LoadAsync(stream, cancellationToken));
            return SmtpResponse.Ok;
        }
    }
}
