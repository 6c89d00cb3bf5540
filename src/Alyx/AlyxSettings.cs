using Alyx.Cli;
using Alyx.Data;
using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Microsoft.Extensions.Options;
using P = Alyx.SettingParsers;

namespace Alyx;

/// <summary>
/// Every setting of the server, in one table that drives the binding of the options classes, the validation at start-up
/// and the help of <c>alyx serve --help</c>. Names, aliases and defaults are the ones README.md documents.
/// </summary>
public static class AlyxSettings
{
    const string Boolean = "true, false, 1 or 0";
    const string Rate = "a rate N/second, N/minute, N/hour or N/day with N greater than 0, or none";

    public static readonly Setting<DatabaseOptions, DatabaseUrl> DatabaseUrl = new("DATABASE_URL", ["database", "DATABASE_URL"],
        Database.DatabaseUrl.Default,
        "The database: sqlite:///relative/path.db, sqlite:////absolute/path.db or postgres://user:password@host:port/dbname (--database on every verb).",
        "sqlite:///path.db, sqlite:////absolute/path.db or postgres://user:password@host:port/dbname",
        P.Database, (o, v) => o.Url = v);

    public static readonly Setting<DatabaseOptions, int> QueryTimeoutSeconds = new("QUERY_TIMEOUT_SECONDS", ["QUERY_TIMEOUT_SECONDS"], "30",
        "Bound of every database command of a request; a query cut short is answered 503 (maintenance verbs: 86400 unless set).",
        "a whole number of seconds greater than 0", P.Int(1), (o, v) => o.QueryTimeoutSeconds = v);

    public static readonly Setting<DatabaseOptions, bool> MigrateOnStart = new("MIGRATE_ON_START", ["MIGRATE_ON_START"], "true",
        "Apply pending migrations when serve starts.", Boolean, P.Boolean, (o, v) => o.MigrateOnStart = v);

    public static readonly Setting<DatabaseOptions, bool> SharedStateSetting = new("SHARED_STATE", ["SHARED_STATE"], "true",
        "On PostgreSQL: cache versions and throttle budgets kept in the database, so several server processes on it answer as one; false when one process serves it alone (SQLite: always in the process).",
        Boolean, P.Boolean, (o, v) => o.SharedState = v);

    public static readonly Setting<ReplicaOptions, IReadOnlyList<DatabaseUrl>> ReplicaUrls = new("DATABASE_REPLICA_URLS", ["DATABASE_REPLICA_URLS"], null,
        "PostgreSQL streaming replicas that may serve the GET requests of signed-in users (comma-separated URLs; without a database name, the primary's).",
        "comma-separated postgres://user:password@host:port/dbname URLs (with a postgres DATABASE_URL)", P.Replicas, (o, v) => o.Urls = v ?? [])
    { DefaultShown = "unset (every request on DATABASE_URL)" };

    public static readonly Setting<ReplicaOptions, int> ReplicaStickySeconds = new("REPLICA_STICKY_SECONDS", ["REPLICA_STICKY_SECONDS"], "10",
        "After a user's write, how long that user's requests to this process read from the primary (read-your-writes).",
        "a whole number of seconds, 0 or more", P.Int(0), (o, v) => o.StickySeconds = v);

    public static readonly Setting<ReplicaOptions, int> ReplicaMaxLagSeconds = new("REPLICA_MAX_LAG_SECONDS", ["REPLICA_MAX_LAG_SECONDS"], "5",
        "A replica further behind the primary than this serves no reads until it catches up.", "a whole number of seconds, 0 or more",
        P.Int(0), (o, v) => o.MaxLagSeconds = v);

    public static readonly Setting<ServerOptions, string> Urls = new("urls", ["urls", "ASPNETCORE_URLS"], "http://127.0.0.1:8000",
        "Addresses serve listens on, separated by ';' (--urls).",
        "addresses such as http://127.0.0.1:8000 (http:// or https://, separated by ';')", P.Urls, (o, v) => o.Urls = v);

    public static readonly Setting<ServerOptions, TimeZoneInfo> TimeZone = new("TIME_ZONE", ["TIME_ZONE", "TZ"], "UTC",
        "Server-local zone of Alyx's naive datetimes.", "a time zone name such as UTC or Europe/London", P.TimeZone, (o, v) => o.TimeZone = v);

    public static readonly Setting<ServerOptions, long> MaxRequestBodyBytes = new("MAX_REQUEST_BODY_BYTES", ["MAX_REQUEST_BODY_BYTES"],
        (20L * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        "Largest request body accepted; a larger one is answered 413.", "a whole number of bytes greater than 0",
        P.WholeNumber(1), (o, v) => o.MaxRequestBodyBytes = v)
    { DefaultShown = "20971520 (20 MB)" };

    public static readonly Setting<ServerOptions, bool> ForwardedHeaders = new("FORWARDED_HEADERS", ["FORWARDED_HEADERS"], "false",
        "Behind a reverse proxy: absolute URLs use X-Forwarded-Proto and X-Forwarded-Host, the client address X-Forwarded-For (from FORWARDED_PROXIES only).",
        Boolean, P.Boolean, (o, v) => o.ForwardedHeaders = v);

    public static readonly Setting<ServerOptions, IReadOnlyList<System.Net.IPNetwork>> ForwardedProxies = new("FORWARDED_PROXIES",
        ["FORWARDED_PROXIES"], "127.0.0.0/8,::1",
        "With FORWARDED_HEADERS: the reverse proxies whose X-Forwarded-* headers are believed; headers from any other peer are ignored.",
        "comma-separated IP addresses or CIDR networks such as 10.0.0.5,192.168.0.0/16", P.Networks, (o, v) => o.ForwardedProxies = v);

    public static readonly Setting<ServerOptions, string> MediaRoot = new("MEDIA_ROOT", ["MEDIA_ROOT", "DJANGO_MEDIA_ROOT"], "./uploaded",
        "Folder of the uploaded note images (served at /uploaded).", "a folder path", P.FullPath, (o, v) => o.MediaRoot = v);

    public static readonly Setting<ServerOptions, int> UploadedImageWidth = new("UPLOADED_IMAGE_WIDTH", ["UPLOADED_IMAGE_WIDTH"], "800",
        "Width in pixels that uploaded note images are shrunk to.", "a whole number of pixels greater than 0",
        P.Int(1), (o, v) => o.UploadedImageWidth = v);

    public static readonly Setting<CacheOptions, int> CountCacheSeconds = new("COUNT_CACHE_SECONDS", ["COUNT_CACHE_SECONDS"], "10",
        "How long the count of a list query is kept between pages; 0 turns the cache off.", "a whole number of seconds, 0 or more",
        P.Int(0), (o, v) => o.CountCacheSeconds = v);

    public static readonly Setting<CacheOptions, int> TokenCacheSeconds = new("TOKEN_CACHE_SECONDS", ["TOKEN_CACHE_SECONDS"], "30",
        "How long token -> user lookups are kept; 0 turns the cache off.", "a whole number of seconds, 0 or more",
        P.Int(0), (o, v) => o.TokenCacheSeconds = v);

    public static readonly Setting<Auth.TokenOptions, int?> TokenTtlDays = new("TOKEN_TTL_DAYS", ["TOKEN_TTL_DAYS"], null,
        "Age in days after which a token is refused (403 \"Invalid token.\"; /auth-token then gives a new one).",
        "a whole number of days greater than 0", text => P.Int(1)(text), (o, v) => o.TtlDays = v)
    { DefaultShown = "unset (tokens never expire)" };

    public static readonly Setting<ThrottleOptions, string> ThrottleMode = new("THROTTLE_MODE", ["THROTTLE_MODE"], "user-based",
        "Whom the budgets count: user-based (signed-in users by user, others by address) or anonymous (every request by address).",
        "user-based or anonymous", P.OneOf("user-based", "anonymous"), (o, v) => o.ByAddress = v == "anonymous");

    public static readonly Setting<ThrottleOptions, ThrottleRate?> ThrottleBurstRate = new("THROTTLE_BURST_RATE", ["THROTTLE_BURST_RATE"],
        "550/minute", "Request budget of a user or address, 'none' to switch off; a refusal is 429 with Retry-After.", Rate,
        P.Rate, (o, v) => o.Burst = v);

    public static readonly Setting<ThrottleOptions, ThrottleRate?> ThrottleSustainedRate = new("THROTTLE_SUSTAINED_RATE",
        ["THROTTLE_SUSTAINED_RATE"], null, "A second, longer budget spent with the burst one (e.g. 10000/day).", Rate,
        P.Rate, (o, v) => o.Sustained = v)
    { DefaultShown = "none" };

    public static readonly Setting<ThrottleOptions, ThrottleRate?> ThrottleDocsRate = new("THROTTLE_DOCS_RATE", ["THROTTLE_DOCS_RATE"],
        "20/minute", "Request budget of the /docs/ pages.", Rate, P.Rate, (o, v) => o.Docs = v);

    public static readonly Setting<OneCacheOptions, string> TablesRoot = new("TABLES_ROOT", ["TABLES_ROOT", "DJANGO_TABLES_ROOT"], "./tables",
        "Folder of the ONE cache tables (written by alyx one-cache, served at /cache.zip).", "a folder path",
        P.FullPath, (o, v) => o.TablesRoot = v);

    public static readonly Setting<OneCacheOptions, IReadOnlyList<string>> OneCacheRepositories = new("ONE_CACHE_REPOSITORIES",
        ["ONE_CACHE_REPOSITORIES"], "flatiron,aws," + LocalDataOptions.RepositoryPrefix,
        "Name prefixes of the repositories whose files the ONE cache tables list as online.", "comma-separated name prefixes",
        P.List, (o, v) => o.OnlineRepositoryPrefixes = v);

    public static readonly Setting<LocalDataOptions, string> LocalDataRoot = new("LOCAL_DATA_ROOT", ["LOCAL_DATA_ROOT"], "./data",
        "Folder of the local data repository.", "a folder path", P.FullPath, (o, v) => o.Root = v);

    public static readonly Setting<LocalDataOptions, string> LocalDataUrlPath = new("LOCAL_DATA_URL_PATH", ["LOCAL_DATA_URL_PATH"], "/data",
        "URL path the local data repository is served under.",
        "a URL path below the site root such as /data (letters, digits, '.', '_', '~', '-' between slashes)",
        P.UrlPath, (o, v) => o.UrlPath = v);

    public static readonly Setting<LocalDataOptions, bool> LocalDataPublic = new("LOCAL_DATA_PUBLIC", ["LOCAL_DATA_PUBLIC"], "false",
        "Serve the local data repository without authentication.", Boolean, P.Boolean, (o, v) => o.Public = v);

    public static readonly Setting<AdminAccountOptions, string> AdminUser = new("ALYX_ADMIN_USER", ["ALYX_ADMIN_USER"], "admin",
        "Username of the superuser that serve creates on a database without users.",
        "a username of letters, digits and @/./+/-/_ (at most 150 characters)", P.Username, (o, v) => o.Username = v);

    public static readonly Setting<AdminAccountOptions, string?> AdminPassword = new("ALYX_ADMIN_PASSWORD", ["ALYX_ADMIN_PASSWORD"], null,
        "Password of that superuser.", "a password", P.Text, (o, v) => o.Password = v)
    { DefaultShown = "generated, printed once" };

    const string Cron = "a cron expression of five fields (minute hour day-of-month month day-of-week) such as 0 14 * * *, or off";

    public static readonly Setting<MailOptions, string?> SmtpHost = new("SMTP_HOST", ["SMTP_HOST", "EMAIL_HOST"], null,
        "SMTP server that notification and report mails go through; unset, no mail is sent and notifications stay 'to send'.",
        "a host name or address", P.Text, (o, v) => o.Host = string.IsNullOrWhiteSpace(v) ? null : v.Trim())
    { DefaultShown = "unset (e-mail off)" };

    public static readonly Setting<MailOptions, int> SmtpPort = new("SMTP_PORT", ["SMTP_PORT", "EMAIL_PORT"], "25",
        "Port of the SMTP server.", "a port number from 1 to 65535", P.Port, (o, v) => o.Port = v);

    public static readonly Setting<MailOptions, string?> SmtpUser = new("SMTP_USER", ["SMTP_USER", "EMAIL_HOST_USER"], null,
        "User name for the SMTP server (no authentication when unset).", "a user name", P.Text, (o, v) => o.User = v)
    { DefaultShown = "unset" };

    public static readonly Setting<MailOptions, string?> SmtpPassword = new("SMTP_PASSWORD", ["SMTP_PASSWORD", "EMAIL_HOST_PASSWORD"], null,
        "Password for the SMTP server.", "a password", P.Text, (o, v) => o.Password = v)
    { DefaultShown = "unset" };

    public static readonly Setting<MailOptions, string> SmtpTls = new("SMTP_TLS", ["SMTP_TLS"], "auto",
        "Encryption: auto (STARTTLS when the server offers it), starttls (required), ssl (TLS from the start, usually port 465) or none.",
        "auto, starttls, ssl or none", P.OneOf("auto", "starttls", "ssl", "none"), (o, v) => o.Tls = v);

    public static readonly Setting<MailOptions, string> MailFrom = new("MAIL_FROM", ["MAIL_FROM", "SUBJECT_REQUEST_EMAIL_FROM"],
        "alyx@localhost", "Sender address of the mails.", "an e-mail address", P.MailAddress, (o, v) => o.From = v);

    public static readonly Setting<MailOptions, int> MailMaxAttempts = new("MAIL_MAX_ATTEMPTS", ["MAIL_MAX_ATTEMPTS"], "6",
        "Failed deliveries after which a notification is given up (status 'no-send'); retries wait 5, 10, 20... minutes.",
        "a whole number greater than 0", P.Int(1), (o, v) => o.MaxAttempts = v);

    public static readonly Setting<ScheduleOptions, bool> SchedulerOn = new("SCHEDULER", ["SCHEDULER"], "true",
        "Run the scheduled jobs (SCHEDULE_*) in the server process; false leaves them to the CLI verbs and an outside scheduler.",
        Boolean, P.Boolean, (o, v) => o.Enabled = v);

    public static readonly Setting<ScheduleOptions, CronSchedule?> ScheduleCheckWaterAdmin = new("SCHEDULE_CHECK_WATER_ADMIN",
        ["SCHEDULE_CHECK_WATER_ADMIN"], "0 14 * * *",
        "When water-restricted subjects are checked for missing weighings and water (check-water-admin), in TIME_ZONE.", Cron,
        P.Cron, (o, v) => o.CheckWaterAdmin = v);

    public static readonly Setting<ScheduleOptions, CronSchedule?> ScheduleSendNotifications = new("SCHEDULE_SEND_NOTIFICATIONS",
        ["SCHEDULE_SEND_NOTIFICATIONS"], "*/5 * * * *", "When pending notifications are mailed (send-notifications).", Cron,
        P.Cron, (o, v) => o.SendNotifications = v);

    public static readonly Setting<ScheduleOptions, CronSchedule?> ScheduleReport = new("SCHEDULE_REPORT", ["SCHEDULE_REPORT"],
        "0 8 * * *", "When the daily report is mailed (report REPORT_NAMES to REPORT_USERS).", Cron, P.Cron, (o, v) => o.Report = v);

    public static readonly Setting<ScheduleOptions, CronSchedule?> ScheduleExpireNotifications = new("SCHEDULE_EXPIRE_NOTIFICATIONS",
        ["SCHEDULE_EXPIRE_NOTIFICATIONS"], "30 2 * * *", "When notifications older than NOTIFICATION_DAYS are deleted (expire-notifications).",
        Cron, P.Cron, (o, v) => o.ExpireNotifications = v);

    public static readonly Setting<ScheduleOptions, CronSchedule?> ScheduleOneCache = new("SCHEDULE_ONE_CACHE", ["SCHEDULE_ONE_CACHE"],
        "0 3 * * *", "When the ONE cache tables are rebuilt (one-cache).", Cron, P.Cron, (o, v) => o.OneCache = v);

    public static readonly Setting<ScheduleOptions, CronSchedule?> ScheduleBackup = new("SCHEDULE_BACKUP", ["SCHEDULE_BACKUP"],
        "0 1 * * *", "When a backup is written into BACKUP_FOLDER (only when that is set).", Cron, P.Cron, (o, v) => o.Backup = v);

    public static readonly Setting<ScheduleOptions, string?> BackupFolder = new("BACKUP_FOLDER", ["BACKUP_FOLDER"], null,
        "Folder of the scheduled backups (alyx-backup-YYYYMMDD-HHMMSS.db on SQLite, .json.gz on PostgreSQL).", "a folder path",
        text => P.FullPath(text), (o, v) => o.BackupFolder = v)
    { DefaultShown = "unset (no scheduled backup)" };

    public static readonly Setting<ScheduleOptions, int> BackupKeep = new("BACKUP_KEEP", ["BACKUP_KEEP"], "7",
        "How many scheduled backups are kept; older ones are deleted.", "a whole number greater than 0", P.Int(1), (o, v) => o.BackupKeep = v);

    public static readonly Setting<ScheduleOptions, IReadOnlyList<string>> ReportNames = new("REPORT_NAMES", ["REPORT_NAMES"],
        "water_restriction,mouse_weight,training,todo", "Sections of the daily report, in order.",
        "comma-separated names among " + string.Join(", ", DailyReport.Names), P.ListOf(DailyReport.Names), (o, v) => o.ReportNames = v);

    public static readonly Setting<ScheduleOptions, IReadOnlyList<string>> ReportUsers = new("REPORT_USERS", ["REPORT_USERS"], "",
        "Usernames that receive the daily report (a user gets a mail only with an address and something to report).",
        "comma-separated usernames", P.List, (o, v) => o.ReportUsers = v)
    { DefaultShown = "every user" };

    public static readonly Setting<ScheduleOptions, int> NotificationDays = new("NOTIFICATION_DAYS", ["NOTIFICATION_DAYS"], "30",
        "Age in days after which expire-notifications deletes a notification.", "a whole number of days greater than 0",
        P.Int(1), (o, v) => o.NotificationDays = v);

    public static readonly Setting<OperationsOptions, LogLevel> LogLevelSetting = new("LOG_LEVEL", ["LOG_LEVEL"], "Information",
        "Least severe log entries written by serve (one line per request at Information).",
        "Trace, Debug, Information, Warning, Error, Critical or None", P.LogLevel, (o, v) => o.LogLevel = v);

    public static readonly Setting<OperationsOptions, string> LogFormat = new("LOG_FORMAT", ["LOG_FORMAT"], "text",
        "Log lines as plain text, or as one JSON object per line (json) for a log collector.", "text or json",
        P.OneOf("text", "json"), (o, v) => o.LogFormat = v);

    public static readonly Setting<OperationsOptions, bool> Metrics = new("METRICS", ["METRICS"], "false",
        "Serve Prometheus metrics at /metrics (requests per route, database command time, caches, throttle, GC and memory).",
        Boolean, P.Boolean, (o, v) => o.Metrics = v);

    public static readonly Setting<OperationsOptions, int> ShutdownTimeoutSeconds = new("SHUTDOWN_TIMEOUT_SECONDS", ["SHUTDOWN_TIMEOUT_SECONDS"],
        "30", "On SIGTERM, how long serve waits for the requests in flight after it stops accepting new ones.",
        "a whole number of seconds, 0 or more", P.Int(0), (o, v) => o.ShutdownTimeoutSeconds = v);

    /// <summary>Every setting, in the order the help lists them.</summary>
    public static readonly IReadOnlyList<Setting> All =
    [
        DatabaseUrl, QueryTimeoutSeconds, MigrateOnStart, SharedStateSetting, ReplicaUrls, ReplicaStickySeconds, ReplicaMaxLagSeconds, Urls, TimeZone, MaxRequestBodyBytes, ForwardedHeaders, ForwardedProxies, MediaRoot, UploadedImageWidth,
        CountCacheSeconds, TokenCacheSeconds, TokenTtlDays, ThrottleMode, ThrottleBurstRate, ThrottleSustainedRate, ThrottleDocsRate,
        TablesRoot, OneCacheRepositories, LocalDataRoot, LocalDataUrlPath, LocalDataPublic, AdminUser, AdminPassword,
        SmtpHost, SmtpPort, SmtpUser, SmtpPassword, SmtpTls, MailFrom, MailMaxAttempts, SchedulerOn, ScheduleCheckWaterAdmin,
        ScheduleSendNotifications, ScheduleReport, ScheduleExpireNotifications, ScheduleOneCache, ScheduleBackup, BackupFolder, BackupKeep,
        ReportNames, ReportUsers, NotificationDays, LogLevelSetting, LogFormat, Metrics, ShutdownTimeoutSeconds,
    ];

    /// <summary>Checks every setting; <see cref="InvalidSettingsException"/> with one line per invalid one.</summary>
    public static void Validate(IConfiguration config)
    {
        var errors = All.Select(s => s.Check(config)).OfType<string>().ToList();
        if (errors.Count > 0) throw new InvalidSettingsException(errors);
    }

    /// <summary>Sets every property of <paramref name="options"/> that a setting of the table holds.</summary>
    public static void Bind<TOptions>(TOptions options, IConfiguration config) where TOptions : class
    {
        foreach (var setting in All.Where(s => s.OptionsType == typeof(TOptions))) setting.Apply(options, config);
    }

    /// <summary>
    /// Validates every setting (throws <see cref="InvalidSettingsException"/>), then registers the options classes:
    /// <see cref="IOptions{TOptions}"/> bound from <paramref name="config"/> through the table, and the bound value itself.
    /// </summary>
    public static IServiceCollection AddAlyxSettings(this IServiceCollection services, IConfiguration config)
    {
        Validate(config);
        Add<DatabaseOptions>(services, config);
        Add<ReplicaOptions>(services, config);
        Add<ServerOptions>(services, config);
        Add<CacheOptions>(services, config);
        Add<Auth.TokenOptions>(services, config);
        Add<ThrottleOptions>(services, config);
        Add<OneCacheOptions>(services, config);
        Add<LocalDataOptions>(services, config);
        Add<AdminAccountOptions>(services, config);
        Add<MailOptions>(services, config);
        Add<ScheduleOptions>(services, config);
        Add<OperationsOptions>(services, config);
        return services;
    }

    static void Add<TOptions>(IServiceCollection services, IConfiguration config) where TOptions : class
    {
        services.AddOptions<TOptions>().Configure(o => Bind(o, config));
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TOptions>>().Value);
    }

    /// <summary>The settings part of <c>alyx serve --help</c>: each setting, its aliases, its default and its line of help.</summary>
    public static void WriteHelp(TextWriter w)
    {
        w.WriteLine("Settings (environment variables, or --NAME value after 'serve'; a blank value counts as unset):");
        foreach (var s in All)
        {
            var aliases = s.Aliases.ToList();
            var also = aliases.Count == 0 ? "" : $" (or {string.Join(", ", aliases)})";
            w.WriteLine($"  {s.Name}{also}   default: {s.DefaultShown ?? s.Default}");
            w.WriteLine($"      {s.Description}");
        }
    }
}
