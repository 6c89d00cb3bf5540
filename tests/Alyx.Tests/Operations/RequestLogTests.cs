using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Operations;

/// <summary>The server with its request log on (category <c>Alyx.Requests</c> at Information), each entry captured.</summary>
public sealed class RequestLogApp : AlyxApp
{
    public sealed record Entry(string Category, LogLevel Level, int EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> Fields);

    public ConcurrentQueue<Entry> Entries { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureLogging(l => l.AddFilter("Alyx.Requests", LogLevel.Information).AddProvider(new Capture(Entries)));
    }

    sealed class Capture(ConcurrentQueue<Entry> entries) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, entries);

        public void Dispose()
        {
        }
    }

    sealed class Logger(string category, ConcurrentQueue<Entry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (category != "Alyx.Requests") return;
            var fields = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            entries.Enqueue(new Entry(category, logLevel, eventId.Id, formatter(state, exception), [.. fields]));
        }
    }
}

/// <summary>The request log's line: its text (what the console prints) and its fields (what the JSON format prints).</summary>
public sealed class RequestLogTests(RequestLogApp app) : IClassFixture<RequestLogApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    RequestLogApp.Entry Find(string path, string user) =>
        Assert.Single(app.Entries, e => e.Fields.Any(f => f.Key == "Path" && (string?)f.Value == path) && e.Fields.Any(f => f.Key == "User" && (string?)f.Value == user));

    [Fact]
    public async Task OneLinePerRequest_MethodPathStatusDurationRouteUserClient()
    {
        var user = AlyxApp.Unique("logged");
        var client = await app.ClientForAsync(user);
        await (await client.GetAsync("/labs?limit=1", Ct)).AssertStatusAsync(HttpStatusCode.OK);

        var entry = Find("/labs", user);
        Assert.Equal("Alyx.Requests", entry.Category);
        Assert.Equal(LogLevel.Information, entry.Level);
        Assert.Equal(0, entry.EventId);
        Assert.Matches(new Regex($@"^GET /labs 200 [0-9]+\.[0-9] ms route=/labs user={user} client=\S+$"), entry.Message);
        var fields = entry.Fields.ToDictionary(f => f.Key, f => f.Value);
        Assert.Equal("GET", fields["Method"]);
        Assert.Equal("/labs", fields["Path"]);
        Assert.Equal(200, fields["Status"]);
        Assert.IsType<double>(fields["DurationMs"]);
        Assert.True((double)fields["DurationMs"]! >= 0);
        Assert.Equal("/labs", fields["Route"]);
        Assert.Equal(user, fields["User"]);
        Assert.Equal("{Method} {Path} {Status} {DurationMs:F1} ms route={Route} user={User} client={Client}", fields["{OriginalFormat}"]);
        Assert.Equal(["Method", "Path", "Status", "DurationMs", "Route", "User", "Client", "{OriginalFormat}"], entry.Fields.Select(f => f.Key));
    }

    [Fact]
    public async Task UnknownPath_RouteDash_StatusOfTheAnswer()
    {
        var user = AlyxApp.Unique("logged");
        var client = await app.ClientForAsync(user);
        var path = "/" + AlyxApp.Unique("nowhere");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path, Ct)).StatusCode);

        var entry = Find(path, user);
        Assert.Matches(new Regex($@"^GET {path} 404 [0-9]+\.[0-9] ms route=- user={user} client=\S+$"), entry.Message);
        Assert.Equal(404, entry.Fields.Single(f => f.Key == "Status").Value);
        Assert.Equal("-", entry.Fields.Single(f => f.Key == "Route").Value);
    }
}
