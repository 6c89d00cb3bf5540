using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Alyx.Tests.Infrastructure;

/// <summary>
/// A throw-away PostgreSQL primary (<c>.ci/postgres.sh</c> on a free loopback port) and one streaming replica of it made with
/// <c>pg_basebackup -R</c> (on another free port), for the read-replica tests. <see cref="StartAsync"/>'s delay holds the
/// replica's replay back (<c>recovery_min_apply_delay</c>), so that what it serves is visibly older than the primary.
/// </summary>
public sealed class PostgresReplica : IAsyncDisposable
{
    readonly Dictionary<string, string> primaryEnv;
    readonly string replicaData;
    readonly string bin;

    PostgresReplica(Dictionary<string, string> primaryEnv, string replicaData, string bin, int primaryPort, int replicaPort)
    {
        this.primaryEnv = primaryEnv;
        this.replicaData = replicaData;
        this.bin = bin;
        PrimaryPort = primaryPort;
        ReplicaPort = replicaPort;
    }

    public int PrimaryPort { get; }

    public int ReplicaPort { get; }

    /// <summary>The database <paramref name="name"/> on the primary.</summary>
    public string PrimaryUrl(string name) => $"postgres://postgres@127.0.0.1:{PrimaryPort}/{name}";

    /// <summary>The database <paramref name="name"/> on the replica.</summary>
    public string ReplicaUrl(string name) => $"postgres://postgres@127.0.0.1:{ReplicaPort}/{name}";

    static string Script()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = Path.Combine(dir.FullName, ".ci", "postgres.sh");
            if (File.Exists(script)) return script;
        }
        throw new FileNotFoundException(".ci/postgres.sh not found above " + AppContext.BaseDirectory);
    }

    static async Task<string> RunAsync(string file, IReadOnlyDictionary<string, string> env, CancellationToken ct, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await error}{await output}");
        return (await output).Trim();
    }

    /// <summary>A command run as the postgres user (the owner of both data folders).</summary>
    Task<string> AsPostgresAsync(string command, CancellationToken ct) =>
        RunAsync("su", new Dictionary<string, string>(), ct, "postgres", "-c", command);

    public static async Task<PostgresReplica> StartAsync(TimeSpan applyDelay, CancellationToken ct)
    {
        var primaryPort = AlyxProcess.FreePort();
        var env = new Dictionary<string, string>
        {
            ["ALYX_PG_PORT"] = primaryPort.ToString(CultureInfo.InvariantCulture),
            ["ALYX_PG_DATA"] = Path.Combine(Path.GetTempPath(), $"alyx-primary-{Guid.NewGuid():N}"),
        };
        await RunAsync("bash", env, ct, Script(), "start");
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).First(d => File.Exists(Path.Combine(d, "pg_basebackup")));
        var replicaPort = AlyxProcess.FreePort();
        var data = Path.Combine(Path.GetTempPath(), $"alyx-replica-{Guid.NewGuid():N}");
        var pair = new PostgresReplica(env, data, bin, primaryPort, replicaPort);
        try
        {
            // A hot standby needs max_connections at least the primary's (.ci/postgres.sh: 300).
            // -R writes standby.signal and primary_conninfo: the copy starts as a streaming replica of the primary.
            await pair.AsPostgresAsync($"{bin}/pg_basebackup -h 127.0.0.1 -p {primaryPort} -U postgres -D '{data}' -R -X stream -c fast", ct);
            var delay = (int)applyDelay.TotalMilliseconds;
            await pair.AsPostgresAsync(
                $"{bin}/pg_ctl -D '{data}' -l '{data}/server.log' -o \"-c listen_addresses=127.0.0.1 -p {replicaPort} -k /tmp " +
                $"-c fsync=off -c max_connections=300 -c recovery_min_apply_delay={delay}ms -c hot_standby_feedback=on\" -w start", ct);
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }
        return pair;
    }

    /// <summary>Stops the replica at once (<c>pg_ctl -m immediate</c>): its connections break, new ones are refused.</summary>
    public Task StopReplicaAsync(CancellationToken ct) => AsPostgresAsync($"{bin}/pg_ctl -D '{replicaData}' -m immediate stop", ct);

    /// <summary>
    /// The transactions committed in database <paramref name="name"/> of the server on <paramref name="port"/> (its own
    /// statistics: on a replica, those of the sessions it served; PostgreSQL publishes them within about ten seconds).
    /// </summary>
    public static async Task<long> CommittedAsync(int port, string name, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false");
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT xact_commit FROM pg_stat_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", name);
        return await command.ExecuteScalarAsync(ct) is long n ? n : 0;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (Directory.Exists(replicaData))
            {
                await AsPostgresAsync($"{bin}/pg_ctl -D '{replicaData}' -m immediate stop || true", CancellationToken.None);
                Directory.Delete(replicaData, recursive: true);
            }
        }
        finally
        {
            await RunAsync("bash", primaryEnv, CancellationToken.None, Script(), "stop");
        }
    }
}
