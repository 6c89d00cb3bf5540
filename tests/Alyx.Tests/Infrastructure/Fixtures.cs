using Alyx.Database;
using Alyx.Database.Import;
using Alyx.Http;

namespace Alyx.Tests.Infrastructure;

/// <summary>
/// The shared fixture files (never copied into the repository): <c>ALYX_FIXTURES</c>, else <c>../shared/fixtures</c>
/// next to the folder holding <c>Alyx.slnx</c>. Tests that need them skip when they are absent.
/// </summary>
public static class Fixtures
{
    public const string DumpName = "alyx_anon_dump.json.gz";

    /// <summary>Small fixture files of supported models, loaded before the dump as a site's initial set-up would.</summary>
    static readonly string[] SetupFiles =
        ["misc.cagetype.json", "misc.enrichment.json", "misc.food.json", "data.datarepositorytype.json", "misc.lab.json"];

    public static string Folder { get; } = Resolve();

    static string Resolve()
    {
        if (Environment.GetEnvironmentVariable("ALYX_FIXTURES") is { Length: > 0 } env) return Path.GetFullPath(env);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Alyx.slnx"))) return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures"));
        }
        return Path.GetFullPath(Path.Combine("..", "shared", "fixtures"));
    }

    public static string PathOf(string name) => Path.Combine(Folder, name);

    public static bool HasDump => File.Exists(PathOf(DumpName));

    /// <summary>The anonymised dump's path; skips the test when the fixtures are absent.</summary>
    public static string RequireDump()
    {
        if (!HasDump) Assert.Skip($"Fixture {DumpName} not found in {Folder} (set ALYX_FIXTURES to the shared fixtures folder).");
        return PathOf(DumpName);
    }

    /// <summary>Template filler: the set-up fixtures, then the anonymised dump, through the real importer.</summary>
    public static async Task ImportIntoTemplateAsync(AlyxDb db)
    {
        if (!HasDump) return;
        var files = SetupFiles.Select(PathOf).Where(File.Exists).Append(PathOf(DumpName)).ToList();
        await new DumpImporter(db, new AlyxClock(TimeProvider.System, TimeZoneInfo.Utc)).ImportAsync(files);
    }
}
