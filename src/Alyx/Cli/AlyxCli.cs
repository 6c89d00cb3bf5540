using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Cli;

/// <summary>Verb dispatch: <c>alyx [serve|migrate|reset|create-user|import-dump|backup|restore|...] [options]</c>.</summary>
public static class AlyxCli
{
    public sealed record Verb(string Name, string Usage, string Summary, Func<string[], Task<int>> RunAsync);

    static readonly Verb[] Verbs =
    [
        new("serve", "alyx serve [--urls http://127.0.0.1:8000] [--database URL]",
            "Apply pending migrations, then serve the REST API. On an empty database, create an admin superuser and print its\n" +
            "  credentials once (or take them from ALYX_ADMIN_USER / ALYX_ADMIN_PASSWORD).", ServeCommand.RunAsync),
        new("migrate", "alyx migrate [--database URL]", "Create or upgrade the schema.", args => WithDbAsync(args, MigrateAsync)),
        new("reset", "alyx reset --yes [--database URL]", "Drop everything in the database and recreate an empty schema.", ResetAsync),
        new("create-user", "alyx create-user USERNAME --password P [--superuser] [--staff] [--public] [--email E] [--database URL]",
            "Create a user, or update it if the username exists.", CreateUserCommand.RunAsync),
        new("set-db-permissions", "alyx set-db-permissions [--superusers U1,U2] [--stock-managers U3,U4] [--database URL]",
            "Create the 'Lab members' group (the admin's model permissions), put every user in it, make every user active and\n" +
            "  staff, and the listed users superusers / stock managers.", SetDbPermissionsCommand.RunAsync),
        new("import-dump", "alyx import-dump FILE... [--database URL]",
            "Load Django dumpdata files (.json or .json.gz) in one transaction: rows are inserted or replaced by primary\n" +
            "  key, no business logic runs, unsupported models are skipped and counted.", ImportDumpCommand.RunAsync),
        new("export-dump", "alyx export-dump FILE [--database URL]",
            "Write every row as a Django dumpdata file (FILE.json, or FILE.json.gz compressed) that Alyx's loaddata and\n" +
            "  import-dump accept: the way back to the original, or to another server.", ExportDumpCommand.RunAsync),
        new("backup", "alyx backup FILE [--database URL]",
            "Write a consistent copy of the database while the server keeps serving: on SQLite a SQLite file (online backup\n" +
            "  API), on PostgreSQL a dumpdata file (FILE.json, or .json.gz) with every table read in one snapshot.", BackupCommand.RunAsync),
        new("restore", "alyx restore FILE [--force] [--database URL]",
            "Load a backup made by 'alyx backup' (or an export-dump file) into the database, replacing its contents; a database\n" +
            "  that already holds data is refused unless --force.", RestoreCommand.RunAsync),
        new("seed-synthetic", "alyx seed-synthetic [--scale S] [--seed N] [--database URL]",
            "Fill the database with a deterministic synthetic lab: at scale 1, 1,000 subjects, 10,000 sessions, 100,000\n" +
            "  datasets and 300,000 file records, with weighings, water and restrictions (for benchmarks and trials).",
            SeedSyntheticCommand.RunAsync),
        new("bench", "alyx bench [--scale S] [--database URL] [--clients 8] [--seconds 5] [--port 8765] [--admin-pages [--loads 20]]",
            "Seed a synthetic lab (a temporary SQLite database unless --database), serve it, drive it with concurrent\n" +
            "  clients over loopback and print req/s, p50, p99 and peak server memory per endpoint. --admin-pages: only the\n" +
            "  admin pages, and the median / p95 time and size of the generic model pages over --loads loads each.", BenchCommand.RunAsync),
        new("one-cache", "alyx one-cache [--tag TAG]... [--database URL]",
            "Write the ONE cache tables (sessions.pqt, datasets.pqt) and cache.zip into TABLES_ROOT (default ./tables; a tag's\n" +
            "  tables go to TABLES_ROOT/TAG), served at /cache.zip and /cache/info.", OneCacheCommand.RunAsync),
        new("demo", "alyx demo [--url http://127.0.0.1:8000] [--user demo] [--password P] [--force] [--data-root DIR] [--tables-root DIR] [--database URL]",
            "Fill an empty database with a small synthetic lab (subjects, sessions, ALF files in LOCAL_DATA_ROOT served at\n" +
            "  --url + LOCAL_DATA_URL_PATH) and write the ONE cache tables; --force adds it to a database that holds lab data.\n" +
            "  A new user gets the password 'demo' unless --password is given.", DemoCommand.RunAsync),
        new("check-water-admin", "alyx check-water-admin [--database URL]",
            "Check every living subject under an open water restriction, as of now: a 'mouse_water' notification when water is\n" +
            "  still due 23 hours after the last administration, a 'mouse_not_weighed' one when it was not weighed today. The\n" +
            "  schedule runs this daily (SCHEDULE_CHECK_WATER_ADMIN).", WelfareCommands.CheckWaterAdminAsync),
        new("send-notifications", "alyx send-notifications [--database URL]",
            "Mail every notification that is due and 'to send' to its recipients (SMTP_HOST...); a failure is retried later and\n" +
            "  given up after MAIL_MAX_ATTEMPTS. Never mails a notification twice, also beside running servers.", WelfareCommands.SendNotificationsAsync),
        new("report", "alyx report NAME... [--users U1,U2] [--lab LAB] [--no-email] [--list] [--database URL]",
            "Build the daily report sections NAME (mouse_weight, surgery, todo, training, water_restriction), one mail per user\n" +
            "  (every user, or --users), print them and mail those with something to report (not with --no-email).",
            WelfareCommands.ReportAsync),
        new("expire-notifications", "alyx expire-notifications [--n-days-old 30] [--status S] [--dry-run] [--database URL]",
            "Delete the notifications sent (send_at) more than N days ago, only those of status S when given; --dry-run counts them.",
            WelfareCommands.ExpireNotificationsAsync),
        new("tasks", "alyx tasks cleanup [--before YYYY-MM-DD] [--status S] [--limit N] [--signed-off] [--dry] [--database URL]",
            "Delete pipeline tasks last saved on or before --before (default today): --status a code or label (~S keeps that\n" +
            "  status instead), --signed-off only tasks of signed-off sessions, --limit the N oldest, --dry only counts them.",
            TasksCommand.RunAsync),
        new("load-reference-data", "alyx load-reference-data [--database URL]",
            "Add Alyx's standard dataset types, data formats, repository types, procedure types, water types, probe models,\n" +
            "  coordinate systems and brain regions that are missing (by name; probe models by probe_model); existing rows are left\n" +
            "  as they are. 'serve' does this on an empty database.",
            args => WithDbAsync(args, LoadReferenceDataAsync)),
    ];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 0 && args[0] is "--help" or "-h" or "help")
        {
            PrintHelp(Console.Out);
            return 0;
        }
        var verbName = args.Length == 0 || args[0].StartsWith('-') ? "serve" : args[0];
        var rest = args.Length == 0 || args[0].StartsWith('-') ? args : args[1..];
        var verb = Verbs.FirstOrDefault(v => v.Name == verbName);
        if (verb is null)
        {
            await Console.Error.WriteLineAsync($"alyx: unknown verb '{verbName}'.");
            PrintHelp(Console.Error);
            return 2;
        }
        if (rest.Contains("--help") || rest.Contains("-h"))
        {
            Console.WriteLine($"usage: {verb.Usage}\n\n  {verb.Summary}\n\n" +
                "The database is DATABASE_URL (or --database): sqlite:///path/alyx.db (default: alyx.db here) or\n" +
                "postgres://user:password@host:port/dbname.");
            Console.WriteLine();
            if (verb.Name == "serve") AlyxSettings.WriteHelp(Console.Out);
            else Console.WriteLine("The other settings are read from the environment as well; 'alyx serve --help' lists them.");
            return 0;
        }
        try
        {
            return await verb.RunAsync(rest);
        }
        catch (Exception e) when (e is CliException or MigrationHistoryException)
        {
            await Console.Error.WriteLineAsync($"alyx {verb.Name}: {e.Message}");
            return ExitCodes.Usage;
        }
        catch (InvalidSettingsException e)
        {
            foreach (var error in e.Errors) await Console.Error.WriteLineAsync($"alyx {verb.Name}: {error}");
            return ExitCodes.Usage;
        }
        catch (ServeException e)
        {
            await Console.Error.WriteLineAsync($"alyx {verb.Name}: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e) when (Unreachable(e) is { } reason)
        {
            await Console.Error.WriteLineAsync($"alyx {verb.Name}: cannot reach the database (DATABASE_URL, --database): {reason}");
            return ExitCodes.DatabaseUnreachable;
        }
    }

    /// <summary>Why the database could not be reached, when that is what <paramref name="e"/> says; else null.</summary>
    static string? Unreachable(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case System.Net.Sockets.SocketException socket:
                    return socket.Message;
                case Npgsql.PostgresException pg when pg.SqlState is "28P01" or "28000" or "3D000" or "57P03":
                    return pg.MessageText;
                case Npgsql.NpgsqlException npgsql when npgsql.InnerException is TimeoutException or System.Net.Sockets.SocketException:
                    return npgsql.Message;
                case Microsoft.Data.Sqlite.SqliteException sqlite when sqlite.SqliteErrorCode is 14 or 26:
                    return sqlite.Message;
            }
        }
        return null;
    }

    /// <summary>The summary's first sentence on one line (summaries are wrapped for the verb's own help).</summary>
    static string FirstSentence(string summary)
    {
        var text = summary.Replace("\n  ", " ", StringComparison.Ordinal).Replace('\n', ' ');
        var end = text.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? text : text[..(end + 1)];
    }

    static void PrintHelp(TextWriter w)
    {
        w.WriteLine("alyx: an Alyx-compatible laboratory database server.\n\nusage: alyx VERB [options]   (alyx VERB --help for details)\n");
        foreach (var v in Verbs) w.WriteLine($"  {v.Name,-20} {FirstSentence(v.Summary)}");
        w.WriteLine("\nWith no verb, alyx serves.");
    }

    static async Task<int> MigrateAsync(IServiceProvider services, CliArgs args)
    {
        args.EnsureNoExtra();
        await DatabaseSetup.MigrateAsync(services.GetRequiredService<AlyxDb>(), services.GetRequiredService<AlyxClock>());
        Console.WriteLine("Database schema is up to date.");
        return 0;
    }

    static async Task<int> LoadReferenceDataAsync(IServiceProvider services, CliArgs args)
    {
        args.EnsureNoExtra();
        var db = services.GetRequiredService<AlyxDb>();
        await DatabaseSetup.MigrateAsync(db, services.GetRequiredService<AlyxClock>());
        var added = await Data.ReferenceData.LoadAsync(db);
        Console.WriteLine(added.Count == 0
            ? "Reference data already present: nothing added."
            : "Added reference data: " + string.Join(", ", added.Select(a => $"{a.Rows} {a.Kind}")) + ".");
        return 0;
    }

    static Task<int> ResetAsync(string[] raw) => WithDbAsync(raw, async (services, args) =>
    {
        if (!args.Flag("--yes")) throw new CliException("this drops every table and row; run it again with --yes to confirm.");
        args.EnsureNoExtra();
        await DatabaseSetup.ResetAsync(services.GetRequiredService<AlyxDb>(), services.GetRequiredService<AlyxClock>());
        Console.WriteLine("Database reset: empty schema created.");
        return 0;
    });

    /// <summary>Runs a command with the same services as the server (database, clock), without serving.</summary>
    public static async Task<int> WithDbAsync(string[] raw, Func<IServiceProvider, CliArgs, Task<int>> run)
    {
        var args = new CliArgs(raw);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        var database = args.Option("--database");
        if (database is not null) builder.Configuration["database"] = database;
        // Maintenance verbs (imports, exports, cache tables) run long statements on purpose; the request bound is for serving.
        if (AlyxSettings.QueryTimeoutSeconds.Find(builder.Configuration) is null) builder.Configuration[AlyxSettings.QueryTimeoutSeconds.Name] = "86400";
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.AddAlyx();
        await using var app = builder.Build();
        app.Services.GetRequiredService<DatabaseUrl>().EnsureFolder();
        await using var scope = app.Services.CreateAsyncScope();
        return await run(scope.ServiceProvider, args);
    }
}

public sealed class CliException(string message) : Exception(message);

/// <summary>A start-up failure of <c>serve</c> with the exit code that names its kind.</summary>
public sealed class ServeException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>The exit codes of every verb (README "Command line").</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The verb ran and some of its work failed (e.g. mails that could not be sent).</summary>
    public const int Failed = 1;

    /// <summary>Usage: an unknown verb or option, a setting that does not parse, a refusal (e.g. restore onto data).</summary>
    public const int Usage = 2;

    public const int DatabaseUnreachable = 3;

    /// <summary>serve could not listen on its addresses (e.g. the port is taken).</summary>
    public const int CannotListen = 4;
}

/// <summary>Minimal option parsing: <c>--name value</c>, <c>--name=value</c> and flags; leftovers are errors.</summary>
public sealed class CliArgs(string[] args)
{
    readonly List<string> rest = [.. args];

    public string? Option(string name)
    {
        for (var i = 0; i < rest.Count; i++)
        {
            if (rest[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                var v = rest[i][(name.Length + 1)..];
                rest.RemoveAt(i);
                return v;
            }
            if (rest[i] == name)
            {
                if (i + 1 >= rest.Count) throw new CliException($"{name} needs a value.");
                var v = rest[i + 1];
                rest.RemoveRange(i, 2);
                return v;
            }
        }
        return null;
    }

    public bool Flag(string name) => rest.Remove(name);

    public List<string> Positionals()
    {
        var p = rest.Where(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
        rest.RemoveAll(p.Contains);
        return p;
    }

    public void EnsureNoExtra()
    {
        if (rest.Count > 0) throw new CliException($"unknown option '{rest[0]}'.");
    }
}
