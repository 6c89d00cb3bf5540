using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Alyx.Http;

/// <summary>
/// The console log of <c>serve</c>: each entry formatted by the console formatter the options name (simple or json, the same
/// text as the framework's console logger prints), then written to standard output (standard error from
/// <c>LogToStandardErrorThreshold</c>) by one writer thread in bursts: the first line of a burst wakes it, it lets the burst
/// gather for <see cref="BurstDelay"/>, then writes every waiting line in one write. The framework's logger wakes its writer for
/// each line and writes each alone (the request log's line: one wake-up and one system call per request). A request never
/// waits for the console: lines past <see cref="MaxWaiting"/> (a console that does not drain) are dropped and counted in one
/// line; a normal stop writes every waiting line before the process ends.
/// </summary>
public sealed class BatchedConsoleLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    public static readonly TimeSpan BurstDelay = TimeSpan.FromMilliseconds(20);

    public const int MaxWaiting = 100_000;

    readonly IOptionsMonitor<ConsoleLoggerOptions> options;
    readonly Dictionary<string, ConsoleFormatter> formatters;
    readonly ConcurrentDictionary<string, Logger> loggers = new();
    readonly ConcurrentQueue<(string Text, bool Error)> waiting = new();
    readonly SemaphoreSlim wake = new(0);
    readonly Thread writer;
    readonly TextWriter output;
    readonly TextWriter error;
    IExternalScopeProvider scopes = new LoggerExternalScopeProvider();
    int signalled;
    int count;
    long dropped;
    volatile bool stopping;

    public BatchedConsoleLoggerProvider(IOptionsMonitor<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters)
        : this(options, formatters, Open(Console.OpenStandardOutput()), Open(Console.OpenStandardError()))
    {
    }

    internal BatchedConsoleLoggerProvider(IOptionsMonitor<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters, TextWriter output, TextWriter error)
    {
        this.options = options;
        this.formatters = formatters.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Last(), StringComparer.OrdinalIgnoreCase);
        (this.output, this.error) = (output, error);
        writer = new Thread(Write) { IsBackground = true, Name = "Console log writer" };
        writer.Start();
    }

    static StreamWriter Open(Stream stream) => new(stream, new UTF8Encoding(false), 16 * 1024, leaveOpen: true);

    /// <summary>Puts the batched sink in place of the framework's console logger, with the console formatters and options it had.</summary>
    public static void Replace(IServiceCollection services)
    {
        var console = services.FirstOrDefault(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider));
        if (console is null) return;
        services.Remove(console);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, BatchedConsoleLoggerProvider>());
    }

    public ILogger CreateLogger(string categoryName) => loggers.GetOrAdd(categoryName, name => new Logger(name, this));

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    ConsoleFormatter Formatter => formatters.GetValueOrDefault(options.CurrentValue.FormatterName ?? ConsoleFormatterNames.Simple)
        ?? formatters.GetValueOrDefault(ConsoleFormatterNames.Simple) ?? formatters.Values.First();

    [ThreadStatic]
    static StringWriter? format;

    void Log<TState>(string category, LogLevel level, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var text = format ??= new StringWriter();
        Formatter.Write(new LogEntry<TState>(level, category, eventId, state, exception, formatter), scopes, text);
        var built = text.GetStringBuilder();
        if (built.Length == 0) return;
        var line = built.ToString();
        built.Clear();
        if (built.Capacity > 1024) built.Capacity = 1024;
        Enqueue(line, level >= options.CurrentValue.LogToStandardErrorThreshold);
    }

    void Enqueue(string text, bool toError)
    {
        if (Interlocked.Increment(ref count) > MaxWaiting)
        {
            Interlocked.Decrement(ref count);
            Interlocked.Increment(ref dropped);
            return;
        }
        waiting.Enqueue((text, toError));
        if (Interlocked.Exchange(ref signalled, 1) == 0) wake.Release();
    }

    void Write()
    {
        var batch = new StringBuilder();
        while (true)
        {
            wake.Wait();
            if (!stopping) Thread.Sleep(BurstDelay);
            Volatile.Write(ref signalled, 0);
            Drain(batch);
            if (stopping && waiting.IsEmpty) return;
        }
    }

    /// <summary>Every waiting line in order, one write per run of lines to the same stream.</summary>
    void Drain(StringBuilder batch)
    {
        var toError = false;
        try
        {
            while (waiting.TryDequeue(out var line))
            {
                Interlocked.Decrement(ref count);
                if (line.Error != toError && batch.Length > 0) Flush(batch, toError);
                toError = line.Error;
                batch.Append(line.Text);
            }
            if (Interlocked.Exchange(ref dropped, 0) is var lost and > 0)
                batch.Append("warn: Alyx.Logging[0]").Append(Environment.NewLine).Append("      ").Append(lost).Append(" log lines dropped: the console did not drain").Append(Environment.NewLine);
            if (batch.Length > 0) Flush(batch, toError);
        }
        catch (IOException)
        {
            // A closed console: nothing can be written any more.
            batch.Clear();
        }
    }

    void Flush(StringBuilder batch, bool toError)
    {
        var target = toError ? error : output;
        foreach (var chunk in batch.GetChunks()) target.Write(chunk.Span);
        target.Flush();
        batch.Clear();
        if (batch.Capacity > 64 * 1024) batch.Capacity = 64 * 1024;
    }

    /// <summary>Writes every waiting line, then stops the writer (a console that does not drain gets a few seconds).</summary>
    public void Dispose()
    {
        if (stopping) return;
        stopping = true;
        wake.Release();
        writer.Join(TimeSpan.FromSeconds(5));
    }

    sealed class Logger(string category, BatchedConsoleLoggerProvider sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => sink.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) sink.Log(category, logLevel, eventId, state, exception, formatter);
        }
    }
}
