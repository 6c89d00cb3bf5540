using System.Linq.Expressions;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Experiments;

/// <summary>
/// A region of the Allen mouse brain atlas, keyed by its Allen structure id. Alyx stores the tree with django-mptt: besides the
/// parent pointer, nested-set numbers (<see cref="Lft"/>, <see cref="Rght"/>) and the depth (<see cref="Level"/>, root 0), so that
/// the ancestors and descendants of a region are each one range query (<see cref="BrainTree"/>). Regions are reference data
/// (<c>load-reference-data</c>, <c>import-dump</c>); only the description changes through REST, so the numbering is static.
/// </summary>
public sealed class BrainRegion : IEntity
{
    /// <summary>The Allen structure id (not generated; 0 is the artificial <c>void</c> root).</summary>
    public int Id { get; set; }

    // Brain regions have an integer key; the resource machinery is told so (Resource.IntegerId) and never reads a UUID.
    Guid IEntity.Id => throw new NotSupportedException("Brain regions are keyed by their integer Allen structure id.");

    public string Acronym { get; set; } = "";
    public string Name { get; set; } = "";
    public int? ParentId { get; set; }
    public BrainRegion? Parent { get; set; }
    public List<BrainRegion> Children { get; set; } = [];
    public string? Ontology { get; set; }
    public string? Description { get; set; }
    public int Lft { get; set; }
    public int Rght { get; set; }
    public int TreeId { get; set; }
    public int Level { get; set; }
}

/// <summary>Set-based tree queries over the nested-set numbers (django-mptt's get_ancestors / get_descendants), the same SQL on both providers.</summary>
public static class BrainTree
{
    /// <summary>The regions of <paramref name="regions"/> and all their descendants: those whose <c>lft</c> falls in a selected region's range.</summary>
    public static IQueryable<BrainRegion> WithDescendants(this IQueryable<BrainRegion> all, IQueryable<BrainRegion> regions) =>
        all.Where(d => regions.Any(r => r.TreeId == d.TreeId && d.Lft >= r.Lft && d.Lft <= r.Rght));

    /// <summary>The regions of <paramref name="regions"/> and all their ancestors: those whose range encloses a selected region's.</summary>
    public static IQueryable<BrainRegion> WithAncestors(this IQueryable<BrainRegion> all, IQueryable<BrainRegion> regions) =>
        all.Where(a => regions.Any(r => r.TreeId == a.TreeId && a.Lft <= r.Lft && a.Rght >= r.Rght));

    /// <summary>
    /// A predicate on a region id column: the id is one of <paramref name="regions"/> or a descendant of one (the atlas filters'
    /// selection, spec 40 §5), as a correlated subquery.
    /// </summary>
    public static Expression<Func<BrainRegion, bool>> InOrUnder(IQueryable<BrainRegion> regions) =>
        d => regions.Any(r => r.TreeId == d.TreeId && d.Lft >= r.Lft && d.Lft <= r.Rght);
}

sealed class BrainRegionConfiguration : IEntityTypeConfiguration<BrainRegion>
{
    public void Configure(EntityTypeBuilder<BrainRegion> b)
    {
        b.ToTable("experiments_brainregion", t =>
        {
            // django-mptt's PositiveIntegerFields.
            t.HasCheckConstraint("experiments_brainregion_lft_check", "lft >= 0");
            t.HasCheckConstraint("experiments_brainregion_rght_check", "rght >= 0");
            t.HasCheckConstraint("experiments_brainregion_tree_id_check", "tree_id >= 0");
            t.HasCheckConstraint("experiments_brainregion_level_check", "level >= 0");
        }).HasModelLabel("experiments.brainregion");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).ValueGeneratedNever();
        b.Property(r => r.Acronym).HasMaxLength(64);
        b.HasIndex(r => r.Acronym).IsUnique();
        b.Property(r => r.Name).HasMaxLength(255);
        b.HasIndex(r => r.Name).IsUnique();
        b.HasOne(r => r.Parent).WithMany(r => r.Children).HasForeignKey(r => r.ParentId).OnDelete(DeleteBehavior.Cascade);
        b.Property(r => r.Ontology).HasMaxLength(64);
        // The tree order (tree_id, lft) and the range lookups of BrainTree.
        b.HasIndex(r => new { r.TreeId, r.Lft, r.Rght });
        b.HasIndex(r => r.Level);
    }
}
