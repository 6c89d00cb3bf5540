using System.Text.Json;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Experiments;

/// <summary>
/// The Allen brain-region tree this build ships (<c>Experiments/BrainRegions.json</c>, embedded): rows of (id, acronym, name,
/// parent) in depth-first pre-order; the nested-set numbers are derived from that order as django-mptt numbered them when the
/// tree was inserted (one tree, <c>tree_id</c> 1, root <c>void</c> at level 0).
/// </summary>
static class BrainRegionData
{
    public static IReadOnlyList<BrainRegion> Shipped { get; } = Read();

    static List<BrainRegion> Read()
    {
        using var stream = typeof(BrainRegionData).Assembly.GetManifestResourceStream("Alyx.BrainRegions.json")
            ?? throw new InvalidOperationException("The brain-region resource is missing from the build.");
        using var doc = JsonDocument.Parse(stream);
        var rows = doc.RootElement.GetProperty("brain_regions").EnumerateArray().Select(r => new BrainRegion
        {
            Id = r[0].GetInt32(),
            Acronym = r[1].GetString()!,
            Name = r[2].GetString()!,
            ParentId = r[3].ValueKind == JsonValueKind.Null ? null : r[3].GetInt32(),
            TreeId = 1,
        }).ToList();
        Number(rows);
        return rows;
    }

    /// <summary>lft, rght and level by a depth-first walk, children in their listed order (iterative: the tree is 12 levels deep, but need not be).</summary>
    static void Number(List<BrainRegion> rows)
    {
        var children = rows.Where(r => r.ParentId is not null).ToLookup(r => r.ParentId!.Value);
        var counter = 0;
        var stack = new Stack<(BrainRegion Region, int Level, bool Closing)>();
        foreach (var root in rows.Where(r => r.ParentId is null).Reverse()) stack.Push((root, 0, false));
        while (stack.Count > 0)
        {
            var (region, level, closing) = stack.Pop();
            if (closing)
            {
                region.Rght = ++counter;
                continue;
            }
            region.Lft = ++counter;
            region.Level = level;
            stack.Push((region, level, true));
            foreach (var child in children[region.Id].Reverse()) stack.Push((child, level + 1, false));
        }
    }

    /// <summary>Adds the shipped regions whose id is missing (with the shipped numbering); returns how many were added.</summary>
    public static async Task<int> LoadAsync(AlyxDb db, CancellationToken ct)
    {
        var present = (await db.BrainRegions.Select(r => r.Id).ToListAsync(ct)).ToHashSet();
        var missing = Shipped.Where(r => !present.Contains(r.Id)).Select(Copy).ToList();
        if (missing.Count == 0) return 0;
        db.BrainRegions.AddRange(missing);
        await db.SaveChangesAsync(ct);
        return missing.Count;
    }

    static BrainRegion Copy(BrainRegion r) => new()
    {
        Id = r.Id,
        Acronym = r.Acronym,
        Name = r.Name,
        ParentId = r.ParentId,
        Lft = r.Lft,
        Rght = r.Rght,
        TreeId = r.TreeId,
        Level = r.Level,
    };
}
