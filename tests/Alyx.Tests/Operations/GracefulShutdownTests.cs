using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Operations;

/// <summary>
/// <c>alyx serve</c> stopped with SIGTERM (systemd, a container runtime, a rolling restart): it stops accepting connections,
/// finishes the requests in flight within SHUTDOWN_TIMEOUT_SECONDS, and exits.
/// </summary>
[Trait("Category", "Crash")]
public sealed class GracefulShutdownTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A request refused before the server accepted it: nothing was sent to a handler, a client may send it elsewhere.</summary>
    static bool ResetUnread(HttpRequestException e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is SocketException { SocketErrorCode: SocketError.ConnectionReset }) return true;
        return false;
    }

    /// <summary>The connection was reset or closed before any byte of the answer came back.</summary>
    static bool ClosedUnanswered(HttpRequestException e) => ResetUnread(e) || e.HttpRequestError == HttpRequestError.ResponseEnded;

    static bool NotAccepted(HttpRequestException e) =>
        e.HttpRequestError == HttpRequestError.ConnectionError && e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused };

    /// <summary>A JSON body sent in two parts, a pause apart: the request is in flight all that time.</summary>
    sealed class SlowBody : HttpContent
    {
        readonly string json;
        readonly TimeSpan pause;
        readonly TaskCompletionSource started;

        public SlowBody(string json, TimeSpan pause, TaskCompletionSource started)
        {
            (this.json, this.pause, this.started) = (json, pause, started);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            await stream.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
            await stream.FlushAsync();
            started.TrySetResult();
            await Task.Delay(pause);
            await stream.WriteAsync(bytes.AsMemory(bytes.Length / 2));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = Encoding.UTF8.GetByteCount(json);
            return true;
        }
    }

    [Fact]
    public async Task Sigterm_UnderLoad_StopsAccepting_FinishesInFlightRequests_WithinTheBound()
    {
        var (url, owner) = await TestDatabase.CreateEmptyAsync();
        await using var _ = owner;
        var (server, http) = await AlyxProcess.ServeAsync(url, Ct, new Dictionary<string, string> { ["SHUTDOWN_TIMEOUT_SECONDS"] = "6" });
        using (server)
        using (http)
        {
            // Load: reads and writes from 6 clients until each is refused a connection.
            var answers = new ConcurrentBag<(long At, string Request, string Outcome)>();
            var clock = Stopwatch.StartNew();
            var n = 0;
            async Task ClientAsync(int c)
            {
                using var client = new HttpClient { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
                client.DefaultRequestHeaders.Authorization = http.DefaultRequestHeaders.Authorization;
                while (clock.Elapsed < TimeSpan.FromSeconds(60))
                {
                    var i = Interlocked.Increment(ref n);
                    var write = c % 2 == 0;
                    var label = write ? $"POST /labs loadlab_{i}" : "GET /labs";
                    try
                    {
                        using var response = write
                            ? await client.PostAsync("/labs", new StringContent($$"""{"name": "loadlab_{{i}}"}""", Encoding.UTF8, "application/json"), Ct)
                            : await client.GetAsync("/labs?limit=5", Ct);
                        answers.Add((clock.ElapsedMilliseconds, label, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)));
                    }
                    catch (HttpRequestException e) when (NotAccepted(e))
                    {
                        answers.Add((clock.ElapsedMilliseconds, label, "refused"));
                        return;
                    }
                    catch (HttpRequestException e) when (ClosedUnanswered(e))
                    {
                        // Sent on a kept-alive connection just as the server closed it: checked below to have reached no handler.
                        answers.Add((clock.ElapsedMilliseconds, label, "reset"));
                    }
                    catch (HttpRequestException e)
                    {
                        answers.Add((clock.ElapsedMilliseconds, label, $"failed: {e.Message} ({e.HttpRequestError}; {e.InnerException?.GetType().Name}: {e.InnerException?.Message})"));
                    }
                }
            }
            var clients = Enumerable.Range(0, 6).Select(ClientAsync).ToList();
            while (answers.Count < 10)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"only {answers.Count} answers");
                await Task.Delay(100, Ct);
            }
            // A create whose body is still arriving when SIGTERM comes (it ends 2 s later, within the bound), and one whose
            // body would end 30 s later, beyond it.
            var inFlight = new TaskCompletionSource();
            var beyond = new TaskCompletionSource();
            using var slowClient = new HttpClient { BaseAddress = http.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            slowClient.DefaultRequestHeaders.Authorization = http.DefaultRequestHeaders.Authorization;
            var slow = slowClient.PostAsync("/labs", new SlowBody("""{"name": "inflightlab"}""", TimeSpan.FromSeconds(4), inFlight), Ct);
            var tooSlow = slowClient.PostAsync("/labs", new SlowBody("""{"name": "toolatelab"}""", TimeSpan.FromSeconds(30), beyond), Ct);

            await Task.WhenAll(inFlight.Task, beyond.Task).WaitAsync(TimeSpan.FromSeconds(10), Ct);
            await Task.Delay(2000, Ct);
            var signalled = clock.ElapsedMilliseconds;
            server.Terminate();
            await Task.WhenAll(clients).WaitAsync(TimeSpan.FromSeconds(40), Ct);
            await server.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
            var exited = clock.ElapsedMilliseconds;

            // Every request the server accepted was answered, before and after SIGTERM; then connections were refused.
            var failed = answers.Where(a => a.Outcome is not ("200" or "201" or "refused" or "reset")).ToList();
            Assert.True(failed.Count == 0, $"{failed.Count} failed: {string.Join("; ", failed.Take(5).Select(f => $"{f.Request} at {f.At} ms: {f.Outcome}"))}");
            // A request whose connection was reset was not processed: none of those creates was stored.
            var resetCreates = answers.Where(a => a.Outcome == "reset" && a.Request.StartsWith("POST", StringComparison.Ordinal))
                .Select(a => a.Request["POST /labs ".Length..]).ToList();
            await using (var check = TestDatabase.Open(url))
                Assert.False(await check.Labs.AnyAsync(l => resetCreates.Contains(l.Name), Ct), "a create whose connection was reset was stored");
            Assert.Equal(6, answers.Count(a => a.Outcome == "refused"));
            var before = answers.Count(a => a.At < signalled && a.Outcome is "200" or "201");
            Assert.True(before >= 10, $"{before} requests answered in the {signalled} ms before SIGTERM, {answers.Count} in all");
            // The request in flight was finished (its lab stored), the one beyond the bound was cut, and the process
            // left as soon as the bound was reached.
            using (var done = await slow)
                Assert.Equal(HttpStatusCode.Created, done.StatusCode);
            await Assert.ThrowsAnyAsync<HttpRequestException>(() => tooSlow);
            Assert.InRange(exited - signalled, 4_500, 6_000 + 5_000);
            Assert.Equal(0, server.ExitCode);
            await using var db = TestDatabase.Open(url);
            Assert.True(await db.Labs.AnyAsync(l => l.Name == "inflightlab", Ct));
            Assert.False(await db.Labs.AnyAsync(l => l.Name == "toolatelab", Ct));
        }
    }

    [Fact]
    public async Task RollingRestartOfTwoProcesses_BehindAClientSideAlternation_LosesNoRequest()
    {
        Assert.SkipUnless(TestDatabase.IsPostgres, "needs PostgreSQL (ALYX_TEST_DATABASE_URL): several server processes share one PostgreSQL database.");
        var (url, owner) = await TestDatabase.CreateEmptyAsync();
        await using var _ = owner;
        var (first, http) = await AlyxProcess.ServeAsync(url, Ct);
        var ports = new[] { http.BaseAddress!.Port, AlyxProcess.FreePort() };
        var servers = new[] { first, await StartAsync(url, ports[1]) };
        var token = http.DefaultRequestHeaders.Authorization!;
        http.Dispose();
        try
        {
            var answers = new ConcurrentBag<(long At, string Request, string Outcome)>();
            var clock = Stopwatch.StartNew();
            using var stop = new CancellationTokenSource();
            var n = 0;
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Authorization = token;
            // The load balancer: requests alternate between the two; one refused a connection goes to the other.
            async Task<string> SendAsync(int i, bool write)
            {
                for (var attempt = 0; attempt < 2; attempt++)
                {
                    var port = ports[(i + attempt) % 2];
                    try
                    {
                        using var response = write
                            ? await client.PostAsync($"http://127.0.0.1:{port}/labs", new StringContent($$"""{"name": "rollinglab_{{i}}"}""", Encoding.UTF8, "application/json"), Ct)
                            : await client.GetAsync($"http://127.0.0.1:{port}/labs?limit=5", Ct);
                        return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                    }
                    catch (HttpRequestException e) when ((NotAccepted(e) || ClosedUnanswered(e)) && attempt == 0)
                    {
                        // Not accepted by this one, or sent on a kept-alive connection it was closing (as a proxy retries
                        // a request lost on a cached connection): the other gets it. A create that had in fact been
                        // processed would come back 400 (the name is taken) and fail the test.
                    }
                    catch (HttpRequestException e)
                    {
                        return $"failed: {e.Message} ({e.HttpRequestError}; {e.InnerException?.GetType().Name}: {e.InnerException?.Message})";
                    }
                }
                return "refused by both";
            }
            async Task LoadAsync(int c)
            {
                while (!stop.IsCancellationRequested)
                {
                    var i = Interlocked.Increment(ref n);
                    var write = c % 3 == 0;
                    answers.Add((clock.ElapsedMilliseconds, write ? "POST /labs" : "GET /labs", await SendAsync(i, write)));
                }
            }
            var load = Enumerable.Range(0, 6).Select(LoadAsync).ToList();
            await Task.Delay(1000, Ct);
            for (var s = 0; s < 2; s++)
            {
                servers[s].Terminate();
                await servers[s].WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);
                Assert.Equal(0, servers[s].ExitCode);
                servers[s].Dispose();
                servers[s] = await StartAsync(url, ports[s]);
                await Task.Delay(1000, Ct);
            }
            await stop.CancelAsync();
            await Task.WhenAll(load);

            var failed = answers.Where(a => a.Outcome is not ("200" or "201")).ToList();
            Assert.True(failed.Count == 0, $"{failed.Count} of {answers.Count} lost: {string.Join("; ", failed.Take(5).Select(f => $"{f.Request} at {f.At} ms: {f.Outcome}"))}");
            Assert.True(answers.Count > 100, $"only {answers.Count} requests");
            // Every create answered 201 is stored, once.
            await using var db = TestDatabase.Open(url);
            Assert.Equal(answers.Count(a => a.Request == "POST /labs"), await db.Labs.CountAsync(l => l.Name.StartsWith("rollinglab_"), Ct));
        }
        finally
        {
            foreach (var s in servers) s.Dispose();
        }
    }

    /// <summary>Another <c>alyx serve</c> on <paramref name="url"/> and <paramref name="port"/>, once /healthz answers.</summary>
    static async Task<AlyxProcess> StartAsync(string url, int port)
    {
        var server = AlyxProcess.Start(["serve", "--database", url, "--urls", $"http://127.0.0.1:{port}"]);
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var until = Stopwatch.StartNew();
        while (true)
        {
            if (server.HasExited) throw new InvalidOperationException($"alyx serve exited ({server.ExitCode}):\n{server.Output}");
            try
            {
                using var response = await probe.GetAsync($"http://127.0.0.1:{port}/healthz", Ct);
                if (response.IsSuccessStatusCode) return server;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && until.Elapsed < TimeSpan.FromSeconds(120))
            {
            }
            await Task.Delay(100, Ct);
        }
    }
}
