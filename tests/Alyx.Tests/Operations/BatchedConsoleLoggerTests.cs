using Alyx.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Alyx.Tests.Operations;

/// <summary>The console sink of serve: the console formatter's text, every line written in order by a normal stop, standard error from the threshold.</summary>
public sealed class BatchedConsoleLoggerTests
{
    static BatchedConsoleLoggerProvider Sink(TextWriter output, TextWriter error, LogLevel errorThreshold = LogLevel.None)
    {
        var services = new ServiceCollection().AddLogging(l => l.AddSimpleConsole(o => o.ColorBehavior = LoggerColorBehavior.Disabled)
            .Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = errorThreshold)).BuildServiceProvider();
        return new BatchedConsoleLoggerProvider(services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>(),
            services.GetRequiredService<IEnumerable<ConsoleFormatter>>(), output, error);
    }

    [Fact]
    public void TheSimpleFormattersText()
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        using (var sink = Sink(output, error))
        {
            var logger = sink.CreateLogger("Alyx.Requests");
            logger.LogInformation("GET {Path} {Status}", "/labs", 200);
            logger.LogWarning(new EventId(7), "slow");
        }
        var nl = Environment.NewLine;
        Assert.Equal($"info: Alyx.Requests[0]{nl}      GET /labs 200{nl}warn: Alyx.Requests[7]{nl}      slow{nl}", output.ToString());
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public async Task ManyThreads_EveryLineOnce_EachThreadsInOrder()
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        using (var sink = Sink(output, error))
        {
            var logger = sink.CreateLogger("Alyx.Requests");
            await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
            {
                for (var i = 0; i < 2_000; i++) logger.LogInformation("line {Thread} {Number}", t, i);
            })));
        }
        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("      line ", StringComparison.Ordinal)).ToList();
        Assert.Equal(8_000, lines.Count);
        for (var t = 0; t < 4; t++)
        {
            var prefix = $"      line {t} ";
            Assert.Equal(Enumerable.Range(0, 2_000).Select(i => prefix + i), lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void FromTheThreshold_StandardError_OrderKeptOnEach()
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        using (var sink = Sink(output, error, LogLevel.Warning))
        {
            var logger = sink.CreateLogger("Alyx.Test");
            logger.LogInformation("one");
            logger.LogError("two");
            logger.LogInformation("three");
            logger.LogCritical("four");
        }
        var nl = Environment.NewLine;
        Assert.Equal($"info: Alyx.Test[0]{nl}      one{nl}info: Alyx.Test[0]{nl}      three{nl}", output.ToString());
        Assert.Equal($"fail: Alyx.Test[0]{nl}      two{nl}crit: Alyx.Test[0]{nl}      four{nl}", error.ToString());
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public void Serve_LogsThroughTheSink_InPlaceOfTheConsoleLogger(string format)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Configuration["LOG_FORMAT"] = format;
        builder.ConfigureServeLogging();
        var providers = builder.Services.Where(d => d.ServiceType == typeof(ILoggerProvider)).Select(d => d.ImplementationType).ToList();
        Assert.Contains(typeof(BatchedConsoleLoggerProvider), providers);
        Assert.DoesNotContain(typeof(ConsoleLoggerProvider), providers);
    }
}
