using System.Diagnostics;
using Alyx.Auth;

namespace Alyx.Http;

/// <summary>How the server logs (settings LOG_LEVEL, LOG_FORMAT, METRICS, SHUTDOWN_TIMEOUT_SECONDS).</summary>
public sealed class OperationsOptions
{
    public LogLevel LogLevel { get; set; } = LogLevel.Information;

    /// <summary>text or json (one JSON object per line).</summary>
    public string LogFormat { get; set; } = "text";

    /// <summary>Serve Prometheus metrics at /metrics.</summary>
    public bool Metrics { get; set; }

    /// <summary>How long a stopping server waits for the requests in flight.</summary>
    public int ShutdownTimeoutSeconds { get; set; } = 30;
}

/// <summary>
/// One log line per request (category <c>Alyx.Requests</c>): method, route, path, status, duration, user and client, in
/// place of the framework's several entries per request. In JSON format each is one object with those fields. The line is a
/// source-generated log method: no argument array, no boxing, the text formatted by the sink only.
/// </summary>
static partial class RequestLog
{
    public static IApplicationBuilder UseAlyxRequestLog(this IApplicationBuilder app)
    {
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("Alyx.Requests");
        if (!logger.IsEnabled(LogLevel.Information)) return app;
        return app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "-";
                Request(logger, context.Request.Method, context.Request.Path.Value, context.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds, route, context.CurrentUser()?.Username ?? "-",
                    context.Connection.RemoteIpAddress?.ToString() ?? "-");
            }
        });
    }

    [LoggerMessage(EventId = 0, Level = LogLevel.Information, Message = "{Method} {Path} {Status} {DurationMs:F1} ms route={Route} user={User} client={Client}")]
    static partial void Request(ILogger logger, string Method, string? Path, int Status, double DurationMs, string Route, string User, string Client);
}
