using Alyx.Data;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Cli;

/// <summary>
/// <c>alyx demo</c>: fills an empty database with the synthetic lab of <see cref="DemoLab"/>, writes its files into the local
/// data repository and generates the ONE cache tables, so that ONE can be tried against this server alone.
/// </summary>
static class DemoCommand
{
    public const string DefaultPassword = "demo";

    public static Task<int> RunAsync(string[] raw) => AlyxCli.WithDbAsync(raw, async (services, args) =>
    {
        var url = args.Option("--url") ?? "http://127.0.0.1:8000";
        var username = args.Option("--user") ?? "demo";
        var password = args.Option("--password");
        var dataRoot = args.Option("--data-root");
        var tablesRoot = args.Option("--tables-root");
        var force = args.Flag("--force");
        args.EnsureNoExtra();
        if (!Uri.TryCreate(url, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https"))
            throw new CliException($"--url must be the server's http(s) address, not '{url}'.");

        var db = services.GetRequiredService<AlyxDb>();
        var clock = services.GetRequiredService<AlyxClock>();
        await DatabaseSetup.MigrateAsync(db, clock);
        if (!force && await DemoLab.HasLabDataAsync(db, CancellationToken.None))
            throw new CliException("the database already holds labs, subjects, sessions or datasets; use an empty database, " +
                "or --force to add the demo lab next to them (an earlier demo's rows are replaced).");
        var data = services.GetRequiredService<LocalDataOptions>();
        if (dataRoot is not null) data = data with { Root = Path.GetFullPath(dataRoot) };
        var cache = services.GetRequiredService<OneCacheOptions>();
        if (tablesRoot is not null) cache = cache with { TablesRoot = Path.GetFullPath(tablesRoot) };

        var isNewUser = !await db.Users.AnyAsync(u => u.Username == username);
        password ??= isNewUser ? DefaultPassword : null;
        var result = await DemoLab.CreateAsync(db, data, url, username, password, CancellationToken.None);
        var tables = await OneCache.GenerateAsync(db, clock, cache, [], services.GetRequiredService<DatabaseUrl>().Name, null, CancellationToken.None);

        var server = url.TrimEnd('/');
        Console.WriteLine($"Demo lab '{DemoLab.LabName}': {result.Subjects} subjects, {result.Sessions} sessions, {result.Datasets} datasets " +
            $"({result.Bytes} bytes) written to {Path.Combine(data.Root, DemoLab.LabName)}.");
        Console.WriteLine($"Repository '{DemoLab.RepositoryName}' serves them at {result.RepositoryUrl}");
        Console.WriteLine($"ONE cache tables: {Path.Combine(tables.Folder, "cache.zip")} ({tables.Sessions} sessions, {tables.Datasets} datasets).");
        Console.WriteLine(password is null
            ? $"User '{username}' keeps its password."
            : $"User '{username}' has the password '{password}'.");
        Console.WriteLine();
        Console.WriteLine($"Serve with the same settings (LOCAL_DATA_ROOT={data.Root}, TABLES_ROOT={cache.TablesRoot}) at {server}, then in Python:");
        Console.WriteLine($"  from one.api import ONE");
        Console.WriteLine($"  one = ONE(base_url='{server}', username='{username}', password='...', silent=True)");
        Console.WriteLine($"  one.alyx._par = one.alyx._par.set('HTTP_DATA_SERVER', '{server}{data.UrlPath}')");
        Console.WriteLine($"  one.alyx._par = one.alyx._par.set('HTTP_DATA_SERVER_LOGIN', '{username}').set('HTTP_DATA_SERVER_PWD', '...')");
        Console.WriteLine($"  eids = one.search(subject='DM001', date_range=['2024-03-04', '2024-03-05'])");
        return 0;
    });
}
