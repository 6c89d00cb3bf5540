using System.Net;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Operations;

/// <summary>The server with a tight budget: 2 requests a minute per address.</summary>
public sealed class OperationsApp : AlyxApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("THROTTLE_MODE", "anonymous");
        builder.UseSetting("THROTTLE_BURST_RATE", "2/minute");
    }
}

/// <summary>The server with metrics on.</summary>
public sealed class MetricsApp : AlyxApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("METRICS", "true");
    }
}

/// <summary>/healthz and /readyz for load balancers: no credentials, no throttle; /readyz checks the database and its migrations.</summary>
public sealed class HealthTests(OperationsApp app) : IClassFixture<OperationsApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HealthAndReadiness_AnswerWithoutCredentials_AndAreNeverThrottled()
    {
        var client = app.AnonymousClient();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal("""{"status":"ok"}""", await (await client.GetAsync("/healthz", Ct)).AssertStatusAsync(HttpStatusCode.OK));
            Assert.Equal("""{"status":"ready"}""", await (await client.GetAsync("/readyz", Ct)).AssertStatusAsync(HttpStatusCode.OK));
        }
        // The same address is throttled on the API after its two requests, and still told it is healthy.
        var user = await app.ClientForAsync("health_user");
        await (await user.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        await (await user.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        await (await user.GetAsync("/labs", Ct)).AssertStatusAsync(HttpStatusCode.TooManyRequests);
        await (await user.GetAsync("/healthz", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        await (await client.GetAsync("/readyz", Ct)).AssertStatusAsync(HttpStatusCode.OK);
    }
}

/// <summary>/metrics in Prometheus text format when METRICS is on.</summary>
public sealed class MetricsTests(MetricsApp app) : IClassFixture<MetricsApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Metrics_PrometheusText_WithRequestsDatabaseCachesThrottleAndRuntime()
    {
        var user = await app.ClientForAsync("metrics_user");
        // Two pages of one list: the second finds its count in the cache.
        await (await user.GetAsync("/subjects?limit=1", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        await (await user.GetAsync("/subjects?limit=1&offset=1", Ct)).AssertStatusAsync(HttpStatusCode.OK);

        var text = await (await app.AnonymousClient().GetAsync("/metrics", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        var samples = Prometheus(text);
        Assert.Contains(samples, s => s.Name == "http_server_request_duration_seconds_count" && s.Labels.Contains("http_route=\"/subjects\""));
        Assert.Contains(samples, s => s.Name == "alyx_db_command_duration_seconds_count" && s.Value > 0);
        Assert.Contains(samples, s => s.Name == "alyx_cache_lookups_total" && s.Labels.Contains("cache=\"count\"") && s.Labels.Contains("result=\"hit\"") && s.Value >= 1);
        Assert.Contains(samples, s => s.Name.StartsWith("dotnet_gc_", StringComparison.Ordinal));
        Assert.Contains(samples, s => s.Name.StartsWith("dotnet_process_memory", StringComparison.Ordinal) || s.Name.StartsWith("dotnet_gc_heap", StringComparison.Ordinal));
    }

    sealed record Sample(string Name, string Labels, double Value);

    /// <summary>The samples of a Prometheus text exposition (comments skipped); fails on a line that is not one.</summary>
    static List<Sample> Prometheus(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            // Label values may hold braces (route templates such as {id:guid}): the label set ends at the last one.
            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var close = brace >= 0 ? line.LastIndexOf('}') : -1;
            var name = brace >= 0 ? line[..brace] : line[..line.IndexOf(' ', StringComparison.Ordinal)];
            var labels = brace >= 0 ? line[(brace + 1)..close] : "";
            // An optional timestamp follows the value.
            var parts = line[(brace >= 0 ? close + 1 : name.Length)..].Trim().Split(' ');
            Assert.True(double.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out _) || parts[0] is "+Inf" or "-Inf" or "NaN", line);
            samples.Add(new Sample(name, labels, double.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : double.NaN));
        }
        return samples;
    }
}
