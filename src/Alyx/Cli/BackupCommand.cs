using Alyx.Database;
using Alyx.Http;

namespace Alyx.Cli;

/// <summary><c>alyx backup FILE [--database URL]</c>: a consistent copy of the database, taken while the server keeps serving.</summary>
static class BackupCommand
{
    public static Task<int> RunAsync(string[] raw) => AlyxCli.WithDbAsync(raw, async (services, args) =>
    {
        var files = args.Positionals();
        args.EnsureNoExtra();
        if (files.Count != 1) throw new CliException("give exactly one output FILE.");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var kind = await DatabaseBackup.BackupAsync(services.GetRequiredService<AlyxDb>(), services.GetRequiredService<AlyxClock>(), files[0],
            CancellationToken.None);
        Console.WriteLine($"Backup written to {files[0]} ({kind}, {new FileInfo(files[0]).Length} bytes) in {started.Elapsed.TotalSeconds:F3} s.");
        return 0;
    });
}

/// <summary><c>alyx restore FILE [--force] [--database URL]</c>: loads a backup; a database that holds data is replaced only with --force.</summary>
static class RestoreCommand
{
    public static Task<int> RunAsync(string[] raw) => AlyxCli.WithDbAsync(raw, async (services, args) =>
    {
        var force = args.Flag("--force");
        var files = args.Positionals();
        args.EnsureNoExtra();
        if (files.Count != 1) throw new CliException("give exactly one backup FILE.");
        if (!File.Exists(files[0])) throw new CliException($"{files[0]}: no such file; nothing was restored.");
        var db = services.GetRequiredService<AlyxDb>();
        if (!force && await DatabaseBackup.HoldsDataAsync(db, CancellationToken.None))
            throw new CliException("the database already holds data; nothing was restored. Run again with --force to replace its contents.");
        try
        {
            var records = await DatabaseBackup.RestoreAsync(db, services.GetRequiredService<AlyxClock>(), files[0],
                Console.IsOutputRedirected ? null : Console.Out, CancellationToken.None);
            Console.WriteLine(records is { } n ? $"Restored {n} records from {files[0]}." : $"Restored the database from {files[0]}.");
        }
        catch (Exception e) when (e is BackupException or Database.Import.DumpImportException)
        {
            await Console.Error.WriteLineAsync($"alyx restore: {e.Message}\nNothing was restored; the database is unchanged.");
            return 1;
        }
        return 0;
    });
}
