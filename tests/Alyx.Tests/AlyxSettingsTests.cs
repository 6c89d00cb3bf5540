using Alyx.Cli;
using Alyx.Data;
using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Alyx.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Alyx.Tests;

/// <summary>The settings table: the README's defaults, the aliases, and one clear error for a value that does not parse.</summary>
public sealed class AlyxSettingsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    static T Options<T>(IConfiguration config) where T : class =>
        new ServiceCollection().AddAlyxSettings(config).BuildServiceProvider().GetRequiredService<IOptions<T>>().Value;

    static string Here(string folder) => Path.Combine(Directory.GetCurrentDirectory(), folder);

    [Fact]
    public void EmptyConfiguration_GivesTheReadmeDefaults()
    {
        var config = Config();
        var database = Options<DatabaseOptions>(config);
        Assert.Equal(DatabaseProvider.Sqlite, database.Url.Provider);
        Assert.Contains("Data Source=" + Path.GetFullPath("alyx.db"), database.Url.ConnectionString, StringComparison.Ordinal);
        Assert.Equal((30, true), (database.QueryTimeoutSeconds, database.MigrateOnStart));

        var server = Options<ServerOptions>(config);
        Assert.Equal(("http://127.0.0.1:8000", "UTC", 20L * 1024 * 1024, false, Here("uploaded"), 800),
            (server.Urls, server.TimeZone.Id, server.MaxRequestBodyBytes, server.ForwardedHeaders, server.MediaRoot, server.UploadedImageWidth));

        var caches = Options<CacheOptions>(config);
        Assert.Equal((10, 30), (caches.CountCacheSeconds, caches.TokenCacheSeconds));
        Assert.Null(Options<Alyx.Auth.TokenOptions>(config).TtlDays);

        var throttle = Options<ThrottleOptions>(config);
        Assert.False(throttle.ByAddress);
        Assert.Equal(new ThrottleRate(550, TimeSpan.FromMinutes(1)), throttle.Burst);
        Assert.Null(throttle.Sustained);
        Assert.Equal(new ThrottleRate(20, TimeSpan.FromMinutes(1)), throttle.Docs);

        var tables = Options<OneCacheOptions>(config);
        Assert.Equal(Here("tables"), tables.TablesRoot);
        Assert.Equal(["flatiron", "aws", "local"], tables.OnlineRepositoryPrefixes);

        var data = Options<LocalDataOptions>(config);
        Assert.Equal((Here("data"), "/data", false), (data.Root, data.UrlPath, data.Public));

        var admin = Options<AdminAccountOptions>(config);
        Assert.Equal(("admin", (string?)null), (admin.Username, admin.Password));
    }

    [Fact]
    public void GivenValues_AreBoundIntoTheirOptions()
    {
        var config = Config(("QUERY_TIMEOUT_SECONDS", "7"), ("MIGRATE_ON_START", "FALSE"), ("MAX_REQUEST_BODY_BYTES", "1000"),
            ("FORWARDED_HEADERS", "1"), ("UPLOADED_IMAGE_WIDTH", " 640 "), ("COUNT_CACHE_SECONDS", "0"), ("TOKEN_CACHE_SECONDS", "5"),
            ("TOKEN_TTL_DAYS", " 90 "), ("THROTTLE_MODE", "anonymous"), ("THROTTLE_BURST_RATE", "none"), ("THROTTLE_SUSTAINED_RATE", "1000/day"),
            ("THROTTLE_DOCS_RATE", "3/s"), ("ONE_CACHE_REPOSITORIES", " flatiron , ,mine"), ("LOCAL_DATA_URL_PATH", "files/alf/"),
            ("LOCAL_DATA_PUBLIC", "True"), ("ALYX_ADMIN_USER", "boss"), ("ALYX_ADMIN_PASSWORD", " pass word "));
        var database = Options<DatabaseOptions>(config);
        Assert.Equal((7, false), (database.QueryTimeoutSeconds, database.MigrateOnStart));
        var server = Options<ServerOptions>(config);
        Assert.Equal((1000L, true, 640), (server.MaxRequestBodyBytes, server.ForwardedHeaders, server.UploadedImageWidth));
        var caches = Options<CacheOptions>(config);
        Assert.Equal((0, 5), (caches.CountCacheSeconds, caches.TokenCacheSeconds));
        Assert.Equal(90, Options<Alyx.Auth.TokenOptions>(config).TtlDays);
        var throttle = Options<ThrottleOptions>(config);
        Assert.True(throttle.ByAddress);
        Assert.Null(throttle.Burst);
        Assert.Equal(new ThrottleRate(1000, TimeSpan.FromDays(1)), throttle.Sustained);
        Assert.Equal(new ThrottleRate(3, TimeSpan.FromSeconds(1)), throttle.Docs);
        Assert.Equal(["flatiron", "mine"], Options<OneCacheOptions>(config).OnlineRepositoryPrefixes);
        var data = Options<LocalDataOptions>(config);
        Assert.Equal(("/files/alf", true), (data.UrlPath, data.Public));
        var admin = Options<AdminAccountOptions>(config);
        Assert.Equal(("boss", " pass word "), (admin.Username, admin.Password));
    }

    [Fact]
    public void Aliases_AreReadInTheirOrderOfPrecedence()
    {
        var folder = Path.Combine(Path.GetTempPath(), "alyx-settings-alias");
        Assert.Equal(("Europe/Paris", Path.Combine(folder, "media")), Server(Config(("TZ", "Europe/Paris"), ("DJANGO_MEDIA_ROOT", Path.Combine(folder, "media")))));
        Assert.Equal(("Europe/London", Path.Combine(folder, "a")), Server(Config(("TIME_ZONE", "Europe/London"), ("TZ", "Europe/Paris"),
            ("MEDIA_ROOT", Path.Combine(folder, "a")), ("DJANGO_MEDIA_ROOT", Path.Combine(folder, "b")))));
        // The C library's spellings of TZ, and a blank value that counts as unset.
        Assert.Equal("Europe/Paris", Server(Config(("TZ", ":Europe/Paris"))).Zone);
        Assert.Equal("Europe/Paris", Server(Config(("TZ", "/usr/share/zoneinfo/Europe/Paris"))).Zone);
        Assert.Equal("Europe/Paris", Server(Config(("TIME_ZONE", " "), ("TZ", "Europe/Paris"))).Zone);

        Assert.Equal(Path.Combine(folder, "t"), Options<OneCacheOptions>(Config(("DJANGO_TABLES_ROOT", Path.Combine(folder, "t")))).TablesRoot);
        Assert.Equal(Path.Combine(folder, "u"), Options<OneCacheOptions>(Config(("TABLES_ROOT", Path.Combine(folder, "u")),
            ("DJANGO_TABLES_ROOT", Path.Combine(folder, "t")))).TablesRoot);

        Assert.Equal("http://0.0.0.0:9000", Options<ServerOptions>(Config(("ASPNETCORE_URLS", "http://0.0.0.0:9000"))).Urls);
        Assert.Equal("http://[::1]:1;https://h:2", Options<ServerOptions>(Config(("urls", "http://[::1]:1; https://h:2"), ("ASPNETCORE_URLS", "http://x:3"))).Urls);

        Assert.Equal("pg", Options<DatabaseOptions>(Config(("DATABASE_URL", "postgres://u:p@db.example.org:5433/pg"))).Url.Name);
        // --database on the command line wins over DATABASE_URL in the environment.
        var both = Options<DatabaseOptions>(Config(("DATABASE_URL", "postgres://u:p@db.example.org/pg"), ("database", "sqlite:///other.db")));
        Assert.Equal((DatabaseProvider.Sqlite, "other"), (both.Url.Provider, both.Url.Name));

        static (string Zone, string Media) Server(IConfiguration config)
        {
            var server = Options<ServerOptions>(config);
            return (server.TimeZone.Id, server.MediaRoot);
        }
    }

    [Theory]
    [InlineData("QUERY_TIMEOUT_SECONDS", "abc", "Invalid setting QUERY_TIMEOUT_SECONDS='abc': expected a whole number of seconds greater than 0.")]
    [InlineData("QUERY_TIMEOUT_SECONDS", "0", "Invalid setting QUERY_TIMEOUT_SECONDS='0': expected a whole number of seconds greater than 0.")]
    [InlineData("COUNT_CACHE_SECONDS", "-1", "Invalid setting COUNT_CACHE_SECONDS='-1': expected a whole number of seconds, 0 or more.")]
    [InlineData("TOKEN_TTL_DAYS", "0", "Invalid setting TOKEN_TTL_DAYS='0': expected a whole number of days greater than 0.")]
    [InlineData("UPLOADED_IMAGE_WIDTH", "1.5", "Invalid setting UPLOADED_IMAGE_WIDTH='1.5': expected a whole number of pixels greater than 0.")]
    [InlineData("MAX_REQUEST_BODY_BYTES", "20MB", "Invalid setting MAX_REQUEST_BODY_BYTES='20MB': expected a whole number of bytes greater than 0.")]
    [InlineData("FORWARDED_HEADERS", "yes", "Invalid setting FORWARDED_HEADERS='yes': expected true, false, 1 or 0.")]
    [InlineData("LOCAL_DATA_PUBLIC", "on", "Invalid setting LOCAL_DATA_PUBLIC='on': expected true, false, 1 or 0.")]
    [InlineData("MIGRATE_ON_START", "2", "Invalid setting MIGRATE_ON_START='2': expected true, false, 1 or 0.")]
    [InlineData("THROTTLE_BURST_RATE", "5/fortnight",
        "Invalid setting THROTTLE_BURST_RATE='5/fortnight': expected a rate N/second, N/minute, N/hour or N/day with N greater than 0, or none.")]
    [InlineData("THROTTLE_DOCS_RATE", "0/minute",
        "Invalid setting THROTTLE_DOCS_RATE='0/minute': expected a rate N/second, N/minute, N/hour or N/day with N greater than 0, or none.")]
    [InlineData("THROTTLE_MODE", "per-ip", "Invalid setting THROTTLE_MODE='per-ip': expected user-based or anonymous.")]
    [InlineData("DATABASE_URL", "mysql://db/alyx",
        "Invalid setting DATABASE_URL='mysql://db/alyx': expected sqlite:///path.db, sqlite:////absolute/path.db or postgres://user:password@host:port/dbname.")]
    [InlineData("DATABASE_URL", "postgres://u@h:99999/db",
        "Invalid setting DATABASE_URL='postgres://u@h:99999/db': expected sqlite:///path.db, sqlite:////absolute/path.db or postgres://user:password@host:port/dbname.")]
    [InlineData("database", "postgres://u@h/db?nonsense_option=1",
        "Invalid setting database='postgres://u@h/db?nonsense_option=1': expected sqlite:///path.db, sqlite:////absolute/path.db or postgres://user:password@host:port/dbname.")]
    [InlineData("TZ", "Mars/Olympus", "Invalid setting TZ='Mars/Olympus': expected a time zone name such as UTC or Europe/London.")]
    [InlineData("LOCAL_DATA_URL_PATH", "/", "Invalid setting LOCAL_DATA_URL_PATH='/': expected a URL path below the site root such as /data (letters, digits, '.', '_', '~', '-' between slashes).")]
    [InlineData("LOCAL_DATA_URL_PATH", "/a/../b", "Invalid setting LOCAL_DATA_URL_PATH='/a/../b': expected a URL path below the site root such as /data (letters, digits, '.', '_', '~', '-' between slashes).")]
    [InlineData("ALYX_ADMIN_USER", "the boss", "Invalid setting ALYX_ADMIN_USER='the boss': expected a username of letters, digits and @/./+/-/_ (at most 150 characters).")]
    [InlineData("urls", "127.0.0.1:8000", "Invalid setting urls='127.0.0.1:8000': expected addresses such as http://127.0.0.1:8000 (http:// or https://, separated by ';').")]
    public void BadValue_FailsStartUpWithOneErrorNamingTheSetting(string key, string value, string message)
    {
        var error = Assert.Throws<InvalidSettingsException>(() => new ServiceCollection().AddAlyxSettings(Config((key, value))));
        Assert.Equal(message, error.Message);
        Assert.Equal([message], error.Errors);
    }

    [Fact]
    public void SeveralBadValues_AreAllNamed_OneLineEach()
    {
        var error = Assert.Throws<InvalidSettingsException>(() =>
            AlyxSettings.Validate(Config(("FORWARDED_HEADERS", "TRUE "), ("TOKEN_CACHE_SECONDS", "x"), ("LOCAL_DATA_PUBLIC", "nope"))));
        Assert.Equal(["Invalid setting TOKEN_CACHE_SECONDS='x': expected a whole number of seconds, 0 or more.",
            "Invalid setting LOCAL_DATA_PUBLIC='nope': expected true, false, 1 or 0."], error.Errors);
    }

    [Fact]
    public void Host_GetsItsOptionsByInjection_FromAliases()
    {
        var tables = Path.Combine(Path.GetTempPath(), $"alyx-settings-tables-{Guid.NewGuid():N}");
        var media = Path.Combine(Path.GetTempPath(), $"alyx-settings-media-{Guid.NewGuid():N}");
        using var host = app.WithWebHostBuilder(b => b.UseSetting("TZ", "Asia/Tokyo").UseSetting("DJANGO_TABLES_ROOT", tables)
            .UseSetting("DJANGO_MEDIA_ROOT", media).UseSetting("TOKEN_CACHE_SECONDS", "0"));
        Assert.Equal("Asia/Tokyo", host.Services.GetRequiredService<AlyxClock>().Zone.Id);
        Assert.Equal(tables, host.Services.GetRequiredService<OneCacheOptions>().TablesRoot);
        Assert.Same(host.Services.GetRequiredService<IOptions<OneCacheOptions>>().Value, host.Services.GetRequiredService<OneCacheOptions>());
        // The fixture's MEDIA_ROOT wins over the older name.
        Assert.Equal(Path.Combine(Path.GetTempPath(), "alyx-test-media"), host.Services.GetRequiredService<NoteImages>().Root);
        Assert.False(Directory.Exists(media));
        Assert.Equal(0, host.Services.GetRequiredService<IOptions<CacheOptions>>().Value.TokenCacheSeconds);
    }
}
