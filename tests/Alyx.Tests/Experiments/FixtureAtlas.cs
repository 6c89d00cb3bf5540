using System.Text.Json;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Experiments;

/// <summary>One row of the shared fixture <c>experiments.brainregion.json</c>.</summary>
sealed record FixtureRegion(int Id, string Acronym, string Name, int? Parent, int Lft, int Rght, int TreeId, int Level);

/// <summary>
/// The brain-region tree read from the shared fixture, and expected sets computed from its parent pointers only (never from the
/// nested-set numbers the server uses), so that the server's tree queries are checked independently.
/// </summary>
static class FixtureAtlas
{
    public const string File = "experiments.brainregion.json";

    static readonly Lazy<IReadOnlyDictionary<int, FixtureRegion>> Rows = new(Read);

    /// <summary>The fixture's regions by id; skips the test when the fixture is absent.</summary>
    public static IReadOnlyDictionary<int, FixtureRegion> Regions
    {
        get
        {
            if (!System.IO.File.Exists(Fixtures.PathOf(File))) Assert.Skip($"Fixture {File} not found in {Fixtures.Folder}.");
            return Rows.Value;
        }
    }

    static Dictionary<int, FixtureRegion> Read()
    {
        using var doc = JsonDocument.Parse(System.IO.File.ReadAllText(Fixtures.PathOf(File)));
        return doc.RootElement.EnumerateArray().Select(r =>
        {
            var f = r.GetProperty("fields");
            var parent = f.GetProperty("parent");
            return new FixtureRegion(r.GetProperty("pk").GetInt32(), f.GetProperty("acronym").GetString()!, f.GetProperty("name").GetString()!,
                parent.ValueKind == JsonValueKind.Null ? null : parent.GetInt32(), f.GetProperty("lft").GetInt32(), f.GetProperty("rght").GetInt32(),
                f.GetProperty("tree_id").GetInt32(), f.GetProperty("level").GetInt32());
        }).ToDictionary(r => r.Id);
    }

    /// <summary>The region and its ancestors, by walking parent pointers.</summary>
    public static HashSet<int> SelfAndAncestors(int id)
    {
        var set = new HashSet<int>();
        for (int? at = id; at is not null; at = Regions[at.Value].Parent) set.Add(at.Value);
        return set;
    }

    /// <summary>Every region whose parent chain passes through one of <paramref name="ids"/> (themselves included).</summary>
    public static HashSet<int> SelfAndDescendants(params int[] ids) =>
        Regions.Keys.Where(r => SelfAndAncestors(r).Overlaps(ids)).ToHashSet();

    public static int IdOf(string acronym) => Regions.Values.Single(r => r.Acronym == acronym).Id;
}
