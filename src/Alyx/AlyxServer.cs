using Alyx.Actions;
using Alyx.Auth;
using Alyx.Data;
using Alyx.Database;
using Alyx.Experiments;
using Alyx.Http;
using Alyx.Misc;
using Alyx.OpenApi;
using Alyx.Subjects;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.FileProviders;

namespace Alyx;

/// <summary>The composition root: services (<see cref="AddAlyx"/>) and the HTTP pipeline and routes (<see cref="MapAlyx"/>).</summary>
public static class AlyxServer
{
    public static WebApplicationBuilder AddAlyx(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var url = DatabaseUrl.Parse(config["database"] ?? config["DATABASE_URL"]);
        builder.Services.AddSingleton(url);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        // Every database command of a request is bounded (seconds); a query that runs longer is cut and answered with a 503.
        var timeout = int.TryParse(config["QUERY_TIMEOUT_SECONDS"], out var seconds) && seconds > 0 ? seconds : 30;
        // Pooled contexts (they hold no per-request state); every write moves the WriteTracker's versions on.
        if (url.Provider == DatabaseProvider.Sqlite)
            builder.Services.AddDbContextPool<AlyxDb, SqliteAlyxDb>(o =>
                o.UseSqlite(url.ConnectionString, x => x.CommandTimeout(timeout)).AddInterceptors(WriteTracker.Instance));
        else
            builder.Services.AddDbContextPool<AlyxDb, PostgresAlyxDb>(o =>
                o.UseNpgsql(url.ConnectionString, x => x.CommandTimeout(timeout)).AddInterceptors(WriteTracker.Instance));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new AlyxClock(sp.GetRequiredService<TimeProvider>(),
            AlyxClock.ResolveZone(config["TIME_ZONE"] ?? config["TZ"])));
        builder.Services.AddSingleton<ApiCatalog>();
        builder.Services.AddSingleton(ListCounts.From(config));
        builder.Services.AddSingleton(TokenCache.From(config));
        builder.Services.AddSingleton(ThrottleOptions.From(config));
        builder.Services.AddSingleton(OneCacheOptions.From(config));
        builder.Services.AddSingleton(LocalDataOptions.From(config));
        builder.Services.AddSingleton<BasicCredentials>();
        builder.Services.AddAlyxAuth();
        builder.Services.AddSingleton(new NoteImages(MediaRoot(config),
            int.TryParse(config["UPLOADED_IMAGE_WIDTH"], out var width) && width > 0 ? width : 800));
        builder.Services.Configure<RouteOptions>(o => o.SetParameterPolicy<LowerUuidConstraint>(LowerUuidConstraint.Name));
        builder.Services.ConfigureHttpJsonOptions(o => AlyxJson.Configure(o.SerializerOptions));
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedFor;
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
        });
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = MaxBodyBytes(config));
        return builder;
    }

    static string MediaRoot(IConfiguration config) =>
        Path.GetFullPath(config["MEDIA_ROOT"] ?? config["DJANGO_MEDIA_ROOT"] ?? Path.Combine(Directory.GetCurrentDirectory(), "uploaded"));

    static long MaxBodyBytes(IConfiguration config) =>
        long.TryParse(config["MAX_REQUEST_BODY_BYTES"], out var n) && n > 0 ? n : 20L * 1024 * 1024;

    public static WebApplication MapAlyx(this WebApplication app)
    {
        if (app.Configuration["FORWARDED_HEADERS"] is "true" or "1" or "True") app.UseForwardedHeaders();
        app.UseAlyxErrors();
        app.UseAlyxBodyLimit(MaxBodyBytes(app.Configuration));
        app.UseAlyxSlashRules();
        var media = app.Services.GetRequiredService<NoteImages>().Root;
        Directory.CreateDirectory(media);
        // Stored note images are served read-only without authentication, as Alyx's web server does.
        app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(media), RequestPath = "/uploaded" });
        app.UseRouting();
        // Authentication and the permission rule (AlyxPolicy) come before throttling, which keys on the user.
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAlyxThrottle(app.Services.GetRequiredService<ThrottleOptions>());
        app.UseAlyxStatusShapes();

        app.MapGet("/", () => Results.Redirect("/admin")).RequireAuthorization(AlyxPolicy.Anonymous);
        app.MapAuthTokenApi();
        app.MapUsersApi();
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
        app.MapSchemaApi();
        return app;
    }
}
