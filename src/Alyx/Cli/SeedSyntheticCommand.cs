using System.Globalization;
using Alyx.Data;
using Alyx.Database;
using Alyx.Database.Import;
using Alyx.Http;

namespace Alyx.Cli;

/// <summary><c>alyx seed-synthetic [--scale S] [--seed N] [--database URL]</c>: a deterministic synthetic lab (S=1: 1,000 subjects ... 300,000 file records).</summary>
static class SeedSyntheticCommand
{
    public static Task<int> RunAsync(string[] raw) => AlyxCli.WithDbAsync(raw, async (services, args) =>
    {
        var scaleText = args.Option("--scale") ?? "1";
        var seedText = args.Option("--seed") ?? "1";
        args.EnsureNoExtra();
        if (!double.TryParse(scaleText, NumberStyles.Float, CultureInfo.InvariantCulture, out var scale) || scale <= 0 || scale > 1000)
            throw new CliException($"--scale must be a positive number (1 = 1,000 subjects), not '{scaleText}'.");
        if (!int.TryParse(seedText, CultureInfo.InvariantCulture, out var seed)) throw new CliException($"--seed must be an integer, not '{seedText}'.");
        var db = services.GetRequiredService<AlyxDb>();
        var clock = services.GetRequiredService<AlyxClock>();
        await DatabaseSetup.MigrateAsync(db, clock);
        await ReferenceData.LoadAsync(db);
        if (db.Subjects.Any(s => s.Nickname.StartsWith("SYN_")))
            throw new CliException("this database already holds a synthetic lab; start from an empty one (alyx reset --yes).");
        var report = await new SyntheticLab(db, clock, scale, seed).GenerateAsync(Console.WriteLine, CancellationToken.None);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{report.Total} records in {report.Elapsed.TotalSeconds:F1} s ({report.Total / report.Elapsed.TotalSeconds:F0} records/s)."));
        return 0;
    });
}
