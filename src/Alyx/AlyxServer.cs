using Alyx.Actions;
using Alyx.Admin;
using Alyx.Admin.Actions;
using Alyx.Auth;
using Alyx.Data;
using Alyx.Database;
using Alyx.Experiments;
using Alyx.Http;
using Alyx.Jobs;
using Alyx.Misc;
using Alyx.OpenApi;
using Alyx.Subjects;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Alyx;

/// <summary>The composition root: services (<see cref="AddAlyx"/>) and the HTTP pipeline and routes (<see cref="MapAlyx"/>).</summary>
public static class AlyxServer
{
    /// <summary>
    /// Registers the server's services. Every setting is validated first (<see cref="AlyxSettings"/>): a value that does
    /// not parse stops here with an <see cref="InvalidSettingsException"/> naming it.
    /// </summary>
    public static WebApplicationBuilder AddAlyx(this WebApplicationBuilder builder)
    {
        builder.Services.AddAlyxSettings(builder.Configuration);
        // The provider decides the context type, so it is read now; everything else is read from the options when used.
        var provider = AlyxSettings.DatabaseUrl.Read(builder.Configuration).Provider;
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.Url.ForServer());
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        // Pooled contexts (they hold no per-request state); every write moves the host's WriteTracker versions on.
        builder.Services.AddSingleton(sp =>
        {
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            // The contexts' own pool (same connection string): the per-request version read and the bump after a commit are
            // prepared statements there, and a connection taken back needs no DISCARD ALL.
            return new SharedState(database.Url.ForServer(), database.SharedState);
        });
        builder.Services.AddSingleton(sp => new WriteTracker(sp.GetRequiredService<SharedState>()));
        // Read replicas (PostgreSQL only): GETs of signed-in users may read from them, see ReadReplicas.
        var replicas = new ReplicaOptions();
        AlyxSettings.Bind(replicas, builder.Configuration);
        if (replicas.Urls.Count > 0 && provider != DatabaseProvider.Postgres)
            throw new InvalidSettingsException(["DATABASE_REPLICA_URLS: replicas need a PostgreSQL DATABASE_URL (postgres://...)."]);
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<ReplicaOptions>();
            return new ReadReplicas(sp.GetRequiredService<DatabaseUrl>(), new ReplicaOptions
            {
                Urls = [.. options.Urls.Select(u => u.ForServer())],
                StickySeconds = options.StickySeconds,
                MaxLagSeconds = options.MaxLagSeconds,
            });
        });
        if (replicas.Urls.Count > 0) builder.Services.AddHostedService<ReadReplicas.Monitor>();
        builder.Services.AddSingleton(sp => new SqliteWriteGate(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.QueryTimeoutSeconds));
        if (provider == DatabaseProvider.Sqlite)
        {
            // Statements stay prepared across requests (the process's SQLite connections, from here on).
            SqliteStatementCache.Install();
            builder.Services.AddDbContextPool<AlyxDb, SqliteAlyxDb>(ConfigureDb);
        }
        else
            builder.Services.AddDbContextPool<AlyxDb, PostgresAlyxDb>(ConfigureDb);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new AlyxClock(sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<ServerOptions>>().Value.TimeZone));
        builder.Services.AddSingleton<ApiCatalog>();
        builder.Services.AddSingleton(sp => new ListCounts(
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<CacheOptions>>().Value.CountCacheSeconds), sp.GetRequiredService<WriteTracker>()));
        builder.Services.AddSingleton(sp => new TokenCache(
            TimeSpan.FromSeconds(sp.GetRequiredService<IOptions<CacheOptions>>().Value.TokenCacheSeconds), sp.GetRequiredService<WriteTracker>()));
        builder.Services.AddSingleton<BasicCredentials>();
        builder.Services.AddSingleton<Mailer>();
        builder.Services.AddSingleton<Scheduler>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<Scheduler>());
        builder.Services.AddSingleton(sp => new LoginThrottle(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<SharedState>()));
        builder.Services.AddAlyxAuth();
        // The admin pages: Razor components rendered on the server only (no interactivity, no circuits).
        builder.Services.AddRazorComponents();
        builder.Services.AddSingleton<AdminModels>();
        builder.Services.AddSingleton(sp =>
        {
            var server = sp.GetRequiredService<IOptions<ServerOptions>>().Value;
            return new NoteImages(server.MediaRoot, server.UploadedImageWidth);
        });
        builder.Services.Configure<RouteOptions>(o => o.SetParameterPolicy<LowerUuidConstraint>(LowerUuidConstraint.Name));
        builder.Services.ConfigureHttpJsonOptions(o => AlyxJson.Configure(o.SerializerOptions));
        // Only the configured proxies are believed (FORWARDED_PROXIES); through a chain of them, the client is the first
        // address from the right that is not one of them.
        builder.Services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ServerOptions>>((o, server) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedFor;
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
            foreach (var network in server.Value.ForwardedProxies) o.KnownIPNetworks.Add(network);
            o.ForwardLimit = null;
        });
        builder.Services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<ServerOptions>>((k, server) => k.Limits.MaxRequestBodySize = server.Value.MaxRequestBodyBytes);
        var operations = new OperationsOptions();
        AlyxSettings.Bind(operations, builder.Configuration);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(operations.ShutdownTimeoutSeconds));
        if (operations.Metrics)
            builder.Services.AddOpenTelemetry().WithMetrics(m => m
                .AddMeter(AlyxMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime", "Npgsql")
                .AddPrometheusExporter());
        return builder;
    }

    /// <summary>
    /// The logging of <c>serve</c> (LOG_LEVEL, LOG_FORMAT): one line per request from <see cref="RequestLog"/> instead of the
    /// framework's entries, EF Core's warnings, and JSON lines when asked.
    /// </summary>
    public static void ConfigureServeLogging(this WebApplicationBuilder builder)
    {
        var operations = new OperationsOptions();
        AlyxSettings.Bind(operations, builder.Configuration);
        builder.Logging.SetMinimumLevel(operations.LogLevel);
        if (operations.LogLevel >= LogLevel.Information)
        {
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information);
            // Start-up failures (a port in use) are reported by serve in one line, without the host's stack trace.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        }
        if (operations.LogFormat == "json")
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o =>
            {
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            });
        }
        // The same text on the console, written in bursts instead of one wake-up and one write per line.
        BatchedConsoleLoggerProvider.Replace(builder.Services);
    }

    /// <summary>The context options: the database, its command bound (seconds; a request's query that runs longer is cut and answered with a 503) and the host's WriteTracker.</summary>
    static void ConfigureDb(IServiceProvider services, DbContextOptionsBuilder options)
    {
        var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var url = services.GetRequiredService<DatabaseUrl>();
        var timeout = database.QueryTimeoutSeconds;
        // A list of ids (ids.Contains(x)) is sent as one parameter (SQLite: json_each, PostgreSQL: = ANY(array)), so that the SQL
        // of a query does not depend on the list: EF's default, one parameter per element, regenerated the SQL of the water
        // figures' five-part query on every page (a third of a subject list's CPU, half of it waiting for EF's command-cache lock).
        if (database.Url.Provider == DatabaseProvider.Sqlite)
        {
            // Projections with several small collections (a user's groups and permissions...) stay one query, deliberately.
            options.UseSqlite(database.Url.ConnectionString, x => x.CommandTimeout(timeout).UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery)
                .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
            options.ConfigureWarnings(SqliteAlyxDb.MigrationWarnings);
            // SQLite's command timeout only bounds lock waits; the guard interrupts a statement that runs longer. WAL, busy
            // timeout and the write queue keep writers from blocking readers and from spinning on each other.
            options.AddInterceptors(new SqliteQueryGuard(timeout), new SqliteConnectionSetup(timeout, SqliteConnectionSetup.ServerCacheKiB), services.GetRequiredService<SqliteWriteGate>());
        }
        else
            options.UseNpgsql(url.ConnectionString, x => x.CommandTimeout(timeout).UseQuerySplittingBehavior(QuerySplittingBehavior.SingleQuery)
                .UseParameterizedCollectionMode(ParameterTranslationMode.Parameter));
        if (services.GetRequiredService<ReadReplicas>() is { Enabled: true } replicas) options.AddInterceptors(new ReadReplicas.Router(replicas));
        options.AddInterceptors(services.GetRequiredService<WriteTracker>(), new AlyxMetrics.CommandTimer(database.Url.Provider == DatabaseProvider.Sqlite ? "sqlite" : "postgresql"));
    }

    public static WebApplication MapAlyx(this WebApplication app)
    {
        var server = app.Services.GetRequiredService<IOptions<ServerOptions>>().Value;
        if (server.ForwardedHeaders) app.UseForwardedHeaders();
        app.UseAlyxRequestLog();
        // A stopped server leaves no pooled connection behind (SQLite: the last one closing checkpoints the WAL).
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Npgsql.NpgsqlConnection.ClearAllPools();
        });
        app.UseAlyxErrors();
        ReadReplicas.Use(app);
        app.UseAlyxBodyLimit(server.MaxRequestBodyBytes);
        app.UseAlyxSlashRules();
        var media = app.Services.GetRequiredService<NoteImages>().Root;
        Directory.CreateDirectory(media);
        // Stored note images are served read-only without authentication, as Alyx's web server does.
        // Never rendered as a page of this origin, whatever a file holds: no sniffing, and a sandbox with nothing allowed.
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(media),
            RequestPath = "/uploaded",
            OnPrepareResponse = c =>
            {
                c.Context.Response.Headers.XContentTypeOptions = "nosniff";
                c.Context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";
            },
        });
        app.UseRouting();
        // Before anything consults a cache: the versions other processes have moved on (PostgreSQL, SHARED_STATE).
        app.UseAlyxSharedState();
        // Authentication and the permission rule (AlyxPolicy) come before throttling, which keys on the user.
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAlyxThrottle(app.Services.GetRequiredService<IOptions<ThrottleOptions>>().Value);
        app.UseAlyxStatusShapes();

        app.MapGet("/", () => Results.Redirect("/admin")).RequireAuthorization(AlyxPolicy.Anonymous);
        app.MapAuthTokenApi();
        app.MapUsersApi();
        app.RegisterGroupsAdmin();
        app.MapLabsApi();
        app.MapLocationsApi();
        app.MapNotesApi();
        app.MapSubjectsApi();
        app.MapProjectsApi();
        app.MapColonyApi();
        app.MapSessionsApi();
        app.MapOneCacheApi();
        app.MapLocalDataServer();
        app.MapWaterRequirementApi();
        app.MapDataApi();
        app.MapDataNoticesApi();
        app.MapDownloadsApi();
        app.MapWeighingsApi();
        app.MapWaterAdministrationsApi();
        app.MapWaterRestrictionsApi();
        app.MapWaterTypesApi();
        app.MapSurgeriesApi();
        app.MapProceduresApi();
        app.MapNotificationsApi();
        app.MapDatasetsApi();
        app.MapRegisterFileApi();
        app.MapInsertionsApi();
        app.MapScheduleApi();
        app.MapTasksApi();
        app.MapBrainRegionsApi();
        app.MapChronicInsertionsApi();
        app.MapTrajectoriesApi();
        app.MapFovApi();
        app.MapFovLocationsApi();
        app.MapImagingStacksApi();
        app.MapChannelsApi();
        app.MapHealth();
        if (app.Services.GetRequiredService<OperationsOptions>().Metrics)
            app.MapPrometheusScrapingEndpoint("/metrics").RequireAuthorization(AlyxPolicy.Anonymous).DisableRateLimiting();
        app.MapSchemaApi();
        app.MapAdminShell();
        app.MapAdminActionsPages();
        app.MapTaskStatusPages();
        return app;
    }
}
