namespace Alyx.Tests.Cli;

[Collection(nameof(ConsoleCollection))]
public sealed class AlyxCliTests
{
    static Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => Infrastructure.Cli.RunAsync(args);

    [Fact]
    public async Task Help_ListsEveryVerb()
    {
        var (code, output, _) = await RunAsync("--help");
        Assert.Equal(0, code);
        foreach (var verb in new[] { "serve", "migrate", "reset", "create-user" }) Assert.Contains(verb, output);
    }

    [Fact]
    public async Task VerbHelp_ShowsUsage()
    {
        var (code, output, _) = await RunAsync("create-user", "--help");
        Assert.Equal(0, code);
        Assert.Contains("usage: alyx create-user USERNAME --password P", output);
    }

    [Fact]
    public async Task ServeHelp_ListsEverySettingWithItsDefault()
    {
        var (code, output, _) = await RunAsync("serve", "--help");
        Assert.Equal(0, code);
        (string Name, string Default)[] settings =
        [
            ("DATABASE_URL (or database)", "sqlite:///alyx.db"), ("QUERY_TIMEOUT_SECONDS", "30"), ("MIGRATE_ON_START", "true"),
            ("SHARED_STATE", "true"), ("DATABASE_REPLICA_URLS", "unset (every request on DATABASE_URL)"), ("REPLICA_STICKY_SECONDS", "10"),
            ("REPLICA_MAX_LAG_SECONDS", "5"),
            ("urls (or ASPNETCORE_URLS)", "http://127.0.0.1:8000"), ("TIME_ZONE (or TZ)", "UTC"), ("MAX_REQUEST_BODY_BYTES", "20971520 (20 MB)"),
            ("FORWARDED_HEADERS", "false"), ("FORWARDED_PROXIES", "127.0.0.0/8,::1"), ("MEDIA_ROOT (or DJANGO_MEDIA_ROOT)", "./uploaded"),
            ("UPLOADED_IMAGE_WIDTH", "800"),
            ("COUNT_CACHE_SECONDS", "10"), ("TOKEN_CACHE_SECONDS", "30"), ("TOKEN_TTL_DAYS", "unset (tokens never expire)"),
            ("THROTTLE_MODE", "user-based"), ("THROTTLE_BURST_RATE", "550/minute"),
            ("THROTTLE_SUSTAINED_RATE", "none"), ("THROTTLE_DOCS_RATE", "20/minute"), ("TABLES_ROOT (or DJANGO_TABLES_ROOT)", "./tables"),
            ("ONE_CACHE_REPOSITORIES", "flatiron,aws,local"), ("LOCAL_DATA_ROOT", "./data"), ("LOCAL_DATA_URL_PATH", "/data"),
            ("LOCAL_DATA_PUBLIC", "false"), ("ALYX_ADMIN_USER", "admin"), ("ALYX_ADMIN_PASSWORD", "generated, printed once"),
            ("SMTP_HOST (or EMAIL_HOST)", "unset (e-mail off)"), ("SMTP_PORT (or EMAIL_PORT)", "25"), ("SMTP_USER (or EMAIL_HOST_USER)", "unset"),
            ("SMTP_PASSWORD (or EMAIL_HOST_PASSWORD)", "unset"), ("SMTP_TLS", "auto"), ("MAIL_FROM (or SUBJECT_REQUEST_EMAIL_FROM)", "alyx@localhost"),
            ("MAIL_MAX_ATTEMPTS", "6"), ("SCHEDULER", "true"), ("SCHEDULE_CHECK_WATER_ADMIN", "0 14 * * *"),
            ("SCHEDULE_SEND_NOTIFICATIONS", "*/5 * * * *"), ("SCHEDULE_REPORT", "0 8 * * *"), ("SCHEDULE_EXPIRE_NOTIFICATIONS", "30 2 * * *"),
            ("SCHEDULE_ONE_CACHE", "0 3 * * *"), ("SCHEDULE_BACKUP", "0 1 * * *"), ("BACKUP_FOLDER", "unset (no scheduled backup)"),
            ("BACKUP_KEEP", "7"), ("REPORT_NAMES", "water_restriction,mouse_weight,training,todo"), ("REPORT_USERS", "every user"),
            ("NOTIFICATION_DAYS", "30"), ("LOG_LEVEL", "Information"), ("LOG_FORMAT", "text"), ("METRICS", "false"),
            ("SHUTDOWN_TIMEOUT_SECONDS", "30"),
        ];
        var lines = output.Split('\n');
        var listed = lines.Where(l => l.Contains("   default: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(settings.Select(s => $"  {s.Name}   default: {s.Default}"), listed);
        // Each setting's line is followed by its description.
        foreach (var line in listed)
        {
            var description = lines[Array.IndexOf(lines, line) + 1];
            Assert.StartsWith("      ", description);
            Assert.True(description.Trim().Length > 10, description);
        }
        Assert.Contains("      Server-local zone of Alyx's naive datetimes.", lines);
    }

    [Fact]
    public async Task OtherVerbHelp_PointsToTheSettingsList()
    {
        var (code, output, _) = await RunAsync("migrate", "--help");
        Assert.Equal(0, code);
        Assert.Contains("'alyx serve --help' lists them.", output);
        Assert.DoesNotContain("QUERY_TIMEOUT_SECONDS", output);
    }

    [Theory]
    [InlineData("--QUERY_TIMEOUT_SECONDS", "abc", "Invalid setting QUERY_TIMEOUT_SECONDS='abc': expected a whole number of seconds greater than 0.")]
    [InlineData("--FORWARDED_HEADERS", "yes", "Invalid setting FORWARDED_HEADERS='yes': expected true, false, 1 or 0.")]
    [InlineData("--THROTTLE_BURST_RATE", "100/fortnight",
        "Invalid setting THROTTLE_BURST_RATE='100/fortnight': expected a rate N/second, N/minute, N/hour or N/day with N greater than 0, or none.")]
    [InlineData("--database", "mysql://db/alyx",
        "Invalid setting database='mysql://db/alyx': expected sqlite:///path.db, sqlite:////absolute/path.db or postgres://user:password@host:port/dbname.")]
    public async Task Serve_WithABadSetting_ExitsNonZeroWithTheOneErrorAndNoStackTrace(string option, string value, string message)
    {
        var file = Path.Combine(Path.GetTempPath(), $"alyx-cli-{Guid.NewGuid():N}.db");
        string[] args = option == "--database" ? ["serve", option, value] : ["serve", option, value, "--database", $"sqlite:///{file}"];
        var (code, output, error) = await RunAsync(args);
        Assert.Equal(2, code);
        Assert.Equal($"alyx serve: {message}\n", error.Replace("\r\n", "\n"));
        Assert.Equal("", output);
        Assert.False(File.Exists(file), "nothing may touch the database before the settings are valid");
    }

    [Fact]
    public async Task MaintenanceVerb_WithABadDatabaseUrl_ExitsNonZeroWithTheOneError()
    {
        var (code, output, error) = await RunAsync("migrate", "--database", "sqlite:///");
        Assert.Equal(2, code);
        Assert.Equal("alyx migrate: Invalid setting database='sqlite:///': expected sqlite:///path.db, sqlite:////absolute/path.db or " +
            "postgres://user:password@host:port/dbname.\n", error.Replace("\r\n", "\n"));
        Assert.Equal("", output);
    }

    [Fact]
    public async Task UnknownVerb_ExitsNonZeroWithMessage()
    {
        var (code, _, error) = await RunAsync("frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("unknown verb 'frobnicate'", error);
    }

    [Fact]
    public async Task UnknownOption_ExitsNonZeroWithMessage()
    {
        var file = Path.Combine(Path.GetTempPath(), $"alyx-cli-{Guid.NewGuid():N}.db");
        var (code, _, error) = await RunAsync("migrate", "--database", $"sqlite:///{file}", "--bogus");
        Assert.Equal(2, code);
        Assert.Contains("unknown option '--bogus'", error);
    }

    [Fact]
    public async Task CreateUser_ThenAgain_CreatesThenUpdatesAndPasswordWorks()
    {
        var file = Path.Combine(Path.GetTempPath(), $"alyx-cli-{Guid.NewGuid():N}.db");
        var url = $"sqlite:///{file}";
        var first = await RunAsync("create-user", "alice", "--password", "pw1", "--superuser", "--database", url);
        Assert.Equal((0, "Created user 'alice'."), (first.Code, first.Out.Trim()));
        var second = await RunAsync("create-user", "alice", "--password", "pw2", "--database", url);
        Assert.Equal((0, "Updated user 'alice'."), (second.Code, second.Out.Trim()));
        var reset = await RunAsync("reset", "--database", url);
        Assert.Equal(2, reset.Code);
        Assert.Contains("--yes", reset.Err);
        File.Delete(file);
    }
}

[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;
