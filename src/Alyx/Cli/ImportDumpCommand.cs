using Alyx.Database;
using Alyx.Database.Import;
using Alyx.Http;

namespace Alyx.Cli;

/// <summary><c>alyx import-dump FILE... [--database URL]</c>: loads Django dumpdata files (.json or .json.gz) in one transaction.</summary>
static class ImportDumpCommand
{
    public static Task<int> RunAsync(string[] raw) => AlyxCli.WithDbAsync(raw, async (services, args) =>
    {
        var files = args.Positionals();
        args.EnsureNoExtra();
        if (files.Count == 0) throw new CliException("give at least one dump FILE (.json or .json.gz).");
        foreach (var file in files)
        {
            if (!File.Exists(file)) throw new CliException($"{file}: no such file; nothing was imported.");
        }
        var db = services.GetRequiredService<AlyxDb>();
        var clock = services.GetRequiredService<AlyxClock>();
        var importer = new DumpImporter(db, clock, Console.IsOutputRedirected ? null : Console.Out);
        DumpImportReport report;
        try
        {
            // Read (and validate) first: a broken file must not even create the schema of a new database.
            var contents = await importer.ReadAsync(files);
            await DatabaseSetup.MigrateAsync(db, clock);
            report = await importer.WriteAsync(contents);
        }
        catch (DumpImportException e)
        {
            await Console.Error.WriteLineAsync($"alyx import-dump: {e.Message}\nNothing was imported; the database is unchanged.");
            return 1;
        }
        report.Print(Console.Out);
        return 0;
    });
}
