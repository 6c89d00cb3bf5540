using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Alyx.Cli;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Infrastructure;

/// <summary>
/// The built alyx executable run as a child process (the apphost beside the tests, else <c>dotnet alyx.dll</c>), so that a
/// test can kill it with SIGKILL at any point, as a crash or <c>kill -9</c> would.
/// </summary>
public sealed class AlyxProcess : IDisposable
{
    readonly Process process;
    readonly StringBuilder output = new();

    AlyxProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    void Append(string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    /// <summary>What the process printed so far (stdout and stderr, interleaved).</summary>
    public string Output
    {
        get
        {
            lock (output) return output.ToString();
        }
    }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Settings every child gets: no throttling (tests drive it hard), quiet logs.</summary>
    static readonly Dictionary<string, string> Quiet = new()
    {
        ["THROTTLE_BURST_RATE"] = "none",
        ["THROTTLE_SUSTAINED_RATE"] = "none",
        ["THROTTLE_DOCS_RATE"] = "none",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    public static AlyxProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? env = null)
    {
        var dll = typeof(AlyxCli).Assembly.Location;
        var apphost = Path.Combine(Path.GetDirectoryName(dll)!, OperatingSystem.IsWindows() ? "alyx.exe" : "alyx");
        var info = File.Exists(apphost) ? new ProcessStartInfo(apphost) : new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet");
        if (!File.Exists(apphost)) info.ArgumentList.Add(dll);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        info.RedirectStandardOutput = info.RedirectStandardError = true;
        info.UseShellExecute = false;
        foreach (var (k, v) in Quiet) info.Environment[k] = v;
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) info.Environment[k] = v;
        return new AlyxProcess(Process.Start(info)!);
    }

    /// <summary>SIGKILL (on Linux; TerminateProcess elsewhere): no handler, no flush, no cleanup runs in the child.</summary>
    public void Kill()
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
        process.WaitForExit();
    }

    public Task WaitForExitAsync(CancellationToken ct) => process.WaitForExitAsync(ct);

    /// <summary>SIGTERM, as systemd, a container runtime or <c>kill</c> stop a service: the child shuts down gracefully.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    /// <summary>A TCP port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public const string AdminUser = "crashadmin";
    public const string AdminPassword = "crash-password-1";

    /// <summary>
    /// <c>alyx serve</c> on <paramref name="database"/> (migrated, with the superuser <see cref="AdminUser"/>), once it
    /// answers: the process and a client logged in as that user. A second server on the same database passes
    /// <paramref name="createUser"/> false (creating the user again would change its password and so revoke its token);
    /// <paramref name="env"/> adds settings.
    /// </summary>
    public static async Task<(AlyxProcess Server, HttpClient Http)> ServeAsync(string database, CancellationToken ct,
        IReadOnlyDictionary<string, string>? env = null, bool createUser = true)
    {
        if (createUser)
            Assert.Equal(0, await AlyxCli.RunAsync(["create-user", AdminUser, "--password", AdminPassword, "--superuser", "--database", database]));
        var port = FreePort();
        var settings = new Dictionary<string, string> { ["ALYX_ADMIN_USER"] = AdminUser, ["ALYX_ADMIN_PASSWORD"] = AdminPassword };
        foreach (var (k, v) in env ?? new Dictionary<string, string>()) settings[k] = v;
        var server = Start(["serve", "--database", database, "--urls", $"http://127.0.0.1:{port}"], settings);
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        try
        {
            return await LoginAsync(server, http, ct);
        }
        catch
        {
            // No server left behind when it cannot be reached or logged in to.
            http.Dispose();
            server.Dispose();
            throw;
        }
    }

    static async Task<(AlyxProcess Server, HttpClient Http)> LoginAsync(AlyxProcess server, HttpClient http, CancellationToken ct)
    {
        var until = Stopwatch.StartNew();
        while (true)
        {
            if (server.HasExited) throw new InvalidOperationException($"alyx serve exited ({server.ExitCode}):\n{server.Output}");
            try
            {
                using var form = new FormUrlEncodedContent([new("username", AdminUser), new("password", AdminPassword)]);
                using var response = await http.PostAsync("/auth-token", form, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                Assert.True(response.IsSuccessStatusCode, $"login: {(int)response.StatusCode} {text}");
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", JsonNode.Parse(text)!["token"]!.GetValue<string>());
                return (server, http);
            }
            catch (HttpRequestException) when (until.Elapsed < TimeSpan.FromSeconds(180))
            {
                await Task.Delay(100, ct);
            }
        }
    }

    /// <summary>
    /// Every table of the model as (row count, hash of its rows in a fixed order): two databases, or one database at two
    /// moments, hold the same rows exactly when their fingerprints are equal.
    /// </summary>
    public static async Task<SortedDictionary<string, string>> FingerprintAsync(string url, CancellationToken ct)
    {
        await using var db = TestDatabase.Open(url);
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().ToList();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<string>();
            while (await reader.ReadAsync(ct))
            {
                var values = new string[reader.FieldCount];
                for (var i = 0; i < values.Length; i++)
                    values[i] = reader.IsDBNull(i) ? "\u2400" : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture) ?? "";
                rows.Add(string.Join('\u001f', values));
            }
            rows.Sort(StringComparer.Ordinal);
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001e', rows))))[..16];
            result[table] = $"{rows.Count} rows, {hash}";
        }
        return result;
    }
}
