using System.Diagnostics;
using System.Net.Http.Headers;

namespace Alyx.Cli;

/// <summary>
/// <c>alyx bench --processes --database postgres://...</c>: the same reads served by one process and by two processes on
/// the one database (the clients split between them, as a load balancer would), with SHARED_STATE off and on and with a
/// throttle budget, to measure what sharing costs per request and how the throughput scales with processes on this machine.
/// </summary>
static partial class BenchCommand
{
    sealed record ProcessSetup(string Name, int Processes, bool Shared, bool Throttled);

    static readonly ProcessSetup[] ProcessSetups =
    [
        new("1 process, SHARED_STATE=false", 1, false, false),
        new("1 process, SHARED_STATE=true", 1, true, false),
        new("1 process, shared, throttled", 1, true, true),
        new("2 processes, shared", 2, true, false),
        new("2 processes, shared, throttled", 2, true, true),
    ];

    /// <summary>A budget the bench never exhausts, so that every request pays for spending it.</summary>
    const string BenchThrottle = "1000000/hour";

    static async Task DriveProcessesAsync(string database, int port, Dictionary<string, string> env, Sample sample, int subjects, int clients,
        TimeSpan duration)
    {
        Target[] targets =
        [
            new("GET /subjects/{nickname}", HttpMethod.Get, i => $"/subjects/SYN_{i % subjects:00000}"),
            new("GET /sessions?subject=..", HttpMethod.Get, i => $"/sessions?limit=10&subject=SYN_{i % subjects:00000}"),
            new("GET /sessions/{id}", HttpMethod.Get, _ => "/sessions/" + sample.Session),
        ];
        var results = new List<Result>();
        foreach (var setup in ProcessSetups)
        {
            var settings = new Dictionary<string, string>(env)
            {
                ["SHARED_STATE"] = setup.Shared ? "true" : "false",
                ["THROTTLE_BURST_RATE"] = setup.Throttled ? BenchThrottle : "none",
                ["SCHEDULER"] = "false",
            };
            var servers = Enumerable.Range(0, setup.Processes).Select(p => StartServer(database, port + 1 + p, settings)).ToList();
            var https = new List<HttpClient>();
            try
            {
                foreach (var p in Enumerable.Range(0, setup.Processes))
                {
                    var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port + 1 + p}"), Timeout = TimeSpan.FromSeconds(60) };
                    https.Add(http);
                    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", await LoginAsync(http));
                }
                foreach (var target in targets)
                {
                    var result = await DriveSplitAsync(https, target, clients, duration);
                    results.Add(result with
                    {
                        Name = $"{setup.Name}: {target.Name}",
                        PeakMb = servers.Sum(s => PeakResident(s)) / (1024 * 1024),
                        RssMb = servers.Sum(s => CurrentResident(s)) / (1024 * 1024),
                    });
                }
            }
            finally
            {
                foreach (var http in https) http.Dispose();
                foreach (var server in servers)
                {
                    server.Kill(entireProcessTree: true);
                    await server.WaitForExitAsync();
                    server.Dispose();
                }
            }
        }
        Print(results);
    }

    /// <summary>Drives <paramref name="target"/> with <paramref name="clients"/> clients spread evenly over the servers.</summary>
    static async Task<Result> DriveSplitAsync(List<HttpClient> https, Target target, int clients, TimeSpan duration)
    {
        var share = Enumerable.Range(0, https.Count).Select(p => clients / https.Count + (p < clients % https.Count ? 1 : 0)).ToList();
        await Task.WhenAll(https.Select((http, p) => LoopAsync(http, target, share[p], TimeSpan.FromSeconds(2), [])));
        var latencies = share.Select(n => Enumerable.Range(0, n).Select(_ => new List<double>(4096)).ToArray()).ToList();
        var watch = Stopwatch.StartNew();
        var errors = await Task.WhenAll(https.Select((http, p) => LoopAsync(http, target, share[p], duration, latencies[p])));
        var elapsed = watch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).SelectMany(l => l).Order().ToArray();
        return new Result(target.Name, all.Length / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), 0, all.Length, errors.Sum());
    }
}
