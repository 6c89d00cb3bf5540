using System.Net;
using System.Net.Sockets;
using Alyx.Database;
using Alyx.Tests.Cli;
using Alyx.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using static Alyx.Tests.Infrastructure.Cli;

namespace Alyx.Tests.Operations;

/// <summary>Start-up as a new user meets it: one line and a documented exit code for each failure, files where they were asked for.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class FirstRunTests
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_RefusesAnUnknownOption_ButTakesSettingsByAnyOfTheirNames()
    {
        var (code, _, error) = await RunAsync("serve", "--databse", "sqlite:///x.db");
        Assert.Equal(2, code);
        Assert.Equal("alyx serve: unknown option '--databse' ('alyx serve --help' lists the settings, each also --NAME value).", error.Trim());
        var (code2, _, error2) = await RunAsync("serve", "--THROTTLE_MODE=anonymous", "--time_zone", "UTC", "--nonsense=1");
        Assert.Equal(2, code2);
        Assert.Contains("unknown option '--nonsense'", error2, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_OnATakenPort_SaysSoInOneLine_ExitCode4_AndCreatesNoAdmin()
    {
        var (url, owner) = await TestDatabase.CreateEmptyAsync();
        await using var _ = owner;
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var (code, output, error) = await RunAsync("serve", "--database", url, "--urls", $"http://127.0.0.1:{port}", "--SCHEDULER", "false");
        Assert.Equal(4, code);
        Assert.StartsWith($"alyx serve: cannot listen on http://127.0.0.1:{port} (setting urls, --urls): ", error.Trim(), StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
        // The one-time password is not spent on a server that never served.
        Assert.DoesNotContain("Created the admin", output, StringComparison.Ordinal);
        await using var db = TestDatabase.Open(url);
        Assert.Equal(0, await db.Users.CountAsync(Ct));
    }

    [Fact]
    public async Task UnreachableDatabase_OneLineNamingTheSetting_ExitCode3()
    {
        var (code, _, error) = await RunAsync("migrate", "--database", "postgres://alyx@127.0.0.1:1/alyx?Timeout=3");
        Assert.Equal(3, code);
        Assert.StartsWith("alyx migrate: cannot reach the database (DATABASE_URL, --database): ", error.Trim(), StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    [Fact]
    public async Task SqliteFolderMissing_IsCreated_AndRelativePathsAreTheStartingFolders()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"alyx-firstrun-{Guid.NewGuid():N}", "new", "folder");
        try
        {
            var (code, output, _) = await RunAsync("migrate", "--database", $"sqlite:///{folder}/lab.db");
            Assert.Equal((0, "Database schema is up to date."), (code, output.Trim()));
            Assert.True(File.Exists(Path.Combine(folder, "lab.db")));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(folder))!, recursive: true);
        }
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "data", "lab.db"), DatabaseUrl.Parse("sqlite:///data/lab.db").SqliteFile);
    }

    [Fact]
    public async Task Help_ShowsEachVerbInAWholeSentence()
    {
        var (code, output, _) = await RunAsync("--help");
        Assert.Equal(0, code);
        var verbs = output.Split('\n').Where(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        Assert.True(verbs.Count >= 15, output);
        Assert.All(verbs, line => Assert.EndsWith(".", line.TrimEnd(), StringComparison.Ordinal));
        Assert.Contains("  import-dump          Load Django dumpdata files (.json or .json.gz) in one transaction: rows are inserted or replaced by " +
            "primary key, no business logic runs, unsupported models are skipped and counted.", verbs);
    }
}

/// <summary>/readyz on a database whose schema is not current (MIGRATE_ON_START=false on an empty database).</summary>
public sealed class NotReadyTests
{
    sealed class EmptyApp(string url) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("database", url);
            builder.UseSetting("MIGRATE_ON_START", "false");
            builder.UseSetting("SCHEDULER", "false");
            builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        }
    }

    [Fact]
    public async Task PendingMigrations_NotReady503_ButHealthy()
    {
        var ct = TestContext.Current.CancellationToken;
        var (url, owner) = await TestDatabase.CreateEmptyAsync();
        await using var _ = owner;
        await using var app = new EmptyApp(url);
        var client = app.CreateClient();
        Assert.Equal("""{"status":"ok"}""", await (await client.GetAsync("/healthz", ct)).AssertStatusAsync(HttpStatusCode.OK));
        var body = await (await client.GetAsync("/readyz", ct)).ReadJsonAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("not ready", body["status"]!.GetValue<string>());
        Assert.StartsWith("migrations pending: 20261206000000_Initial", body["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
