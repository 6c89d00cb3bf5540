using Alyx.Database;
using Alyx.Database.Import;
using Alyx.Http;

namespace Alyx.Cli;

/// <summary><c>alyx export-dump FILE [--database URL]</c>: the whole database as a Django dumpdata file (.json or .json.gz).</summary>
static class ExportDumpCommand
{
    public static Task<int> RunAsync(string[] raw) => AlyxCli.WithDbAsync(raw, async (services, args) =>
    {
        var files = args.Positionals();
        args.EnsureNoExtra();
        if (files.Count != 1) throw new CliException("give exactly one output FILE (.json, or .json.gz to compress).");
        var started = System.Diagnostics.Stopwatch.StartNew();
        var counts = await DumpExporter.ExportAsync(services.GetRequiredService<AlyxDb>(), services.GetRequiredService<AlyxClock>(), files[0],
            Console.WriteLine, CancellationToken.None);
        var total = counts.Values.Sum();
        Console.WriteLine($"{total} records written to {files[0]} in {started.Elapsed.TotalSeconds:F3} s " +
            $"({total / Math.Max(started.Elapsed.TotalSeconds, 1e-3):F0} records/s).");
        return 0;
    });
}
