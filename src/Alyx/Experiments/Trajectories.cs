using Alyx.Actions;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Experiments;

/// <summary>A 3D coordinate system (reference data, referenced by name): origin, axes and units in its description.</summary>
public sealed class CoordinateSystem : AlyxModel
{
    public string Description { get; set; } = "";
}

/// <summary>
/// A chronic insertion: Django's multi-table child of ChronicRecording. The parent row (<c>actions_chronicrecording</c>) carries the
/// action columns (subject, lab, start time, ...), this row the probe; both share the key (<c>chronicrecording_ptr_id</c>).
/// </summary>
public sealed class ChronicInsertion : IEntity
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public ChronicRecording? Recording { get; set; }
    public string Serial { get; set; } = "";
    public Guid? ModelId { get; set; }
    public ProbeModel? Model { get; set; }
    public List<ProbeInsertion> ProbeInsertions { get; set; } = [];
    public List<TrajectoryEstimate> TrajectoryEstimates { get; set; } = [];
}

/// <summary>Trajectory provenances, integer codes and labels in the original's declaration order.</summary>
public static class Provenance
{
    public static readonly IReadOnlyList<(int Code, string Label)> All =
        [(70, "Ephys aligned histology track"), (50, "Histology track"), (30, "Micro-manipulator"), (10, "Planned")];

    public static readonly string[] Labels = [.. All.Select(p => p.Label)];

    public static readonly string ChoicesMessage = "Invalid provenance, choices are: " + string.Join(", ", Labels);

    /// <summary>The atlas filters only trust aligned tracks (provenance ≥ 70).</summary>
    public const int Aligned = 70;

    public static string Label(int code) => All.FirstOrDefault(p => p.Code == code).Label ?? code.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static int? Code(string label) => All.FirstOrDefault(p => p.Label == label) is { Label: not null } p ? p.Code : null;

    /// <summary>The filter's lookup: a label in any case.</summary>
    public static int? CodeIgnoringCase(string label) =>
        All.FirstOrDefault(p => string.Equals(p.Label, label.Trim(), StringComparison.OrdinalIgnoreCase)) is { Label: not null } p ? p.Code : null;
}

/// <summary>A probe trajectory estimate: a straight line (entry point, depth, angles) of an insertion or a chronic insertion.</summary>
public sealed class TrajectoryEstimate : IEntity
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid? ProbeInsertionId { get; set; }
    public ProbeInsertion? ProbeInsertion { get; set; }
    public Guid? ChronicInsertionId { get; set; }
    public ChronicInsertion? ChronicInsertion { get; set; }
    public double? X { get; set; }
    public double? Y { get; set; }
    public double? Z { get; set; }
    public double? Depth { get; set; }
    public double? Theta { get; set; }
    public double? Phi { get; set; }
    public double? Roll { get; set; }
    public int Provenance { get; set; } = 10;
    public Guid? CoordinateSystemId { get; set; }
    public CoordinateSystem? CoordinateSystem { get; set; }
    public DateTime Datetime { get; set; }
    public string? Json { get; set; }
    public List<Channel> Channels { get; set; } = [];
}

/// <summary>A recording channel of a trajectory, with its position and brain region (default 0, <c>void</c>).</summary>
public sealed class Channel : AlyxModel
{
    public double? Axial { get; set; }
    public double? Lateral { get; set; }
    public double? X { get; set; }
    public double? Y { get; set; }
    public double? Z { get; set; }
    public int? BrainRegionId { get; set; } = 0;
    public BrainRegion? BrainRegion { get; set; }
    public Guid? TrajectoryEstimateId { get; set; }
    public TrajectoryEstimate? TrajectoryEstimate { get; set; }
}

sealed class TrajectoriesConfiguration : IEntityTypeConfiguration<CoordinateSystem>, IEntityTypeConfiguration<ChronicInsertion>,
    IEntityTypeConfiguration<TrajectoryEstimate>, IEntityTypeConfiguration<Channel>
{
    public const string UniquePerProvenance = "unique_trajectory_per_provenance";
    public const string UniquePerChronicProvenance = "unique_trajectory_per_chronic_provenance";
    public const string UniqueChannel = "unique_axial_lateral_trajectory_estimate";

    public void Configure(EntityTypeBuilder<CoordinateSystem> b)
    {
        b.IsAlyxModel("experiments_coordinatesystem", "experiments.coordinatesystem");
        b.Property(c => c.Description).HasMaxLength(4096);
        b.HasIndex(c => c.Description).IsUnique();
    }

    public void Configure(EntityTypeBuilder<ChronicInsertion> b)
    {
        b.ToTable("experiments_chronicinsertion").HasModelLabel("experiments.chronicinsertion");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).ValueGeneratedNever().HasColumnName("chronicrecording_ptr_id");
        b.HasOne(c => c.Recording).WithOne().HasForeignKey<ChronicInsertion>(c => c.Id).OnDelete(DeleteBehavior.Cascade);
        b.Property(c => c.Serial).HasMaxLength(255);
        b.HasOne(c => c.Model).WithMany().HasForeignKey(c => c.ModelId).OnDelete(DeleteBehavior.SetNull);
    }

    public void Configure(EntityTypeBuilder<TrajectoryEstimate> b)
    {
        b.ToTable("experiments_trajectoryestimate").HasModelLabel("experiments.trajectoryestimate");
        b.HasKey(t => t.Id);
        b.Property(t => t.Id).ValueGeneratedNever();
        b.HasOne(t => t.ProbeInsertion).WithMany(p => p.TrajectoryEstimates).HasForeignKey(t => t.ProbeInsertionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(t => t.ChronicInsertion).WithMany(c => c.TrajectoryEstimates).HasForeignKey(t => t.ChronicInsertionId)
            .OnDelete(DeleteBehavior.Cascade);
        b.HasOne(t => t.CoordinateSystem).WithMany().HasForeignKey(t => t.CoordinateSystemId).OnDelete(DeleteBehavior.SetNull);
        b.Property(t => t.Json).IsJson();
        b.HasIndex(t => new { t.Provenance, t.ProbeInsertionId }).IsUnique().HasFilter("probe_insertion_id IS NOT NULL")
            .HasDatabaseName(UniquePerProvenance);
        b.HasIndex(t => new { t.Provenance, t.ChronicInsertionId }).IsUnique().HasFilter("probe_insertion_id IS NULL")
            .HasDatabaseName(UniquePerChronicProvenance);
    }

    public void Configure(EntityTypeBuilder<Channel> b)
    {
        b.IsAlyxModel("experiments_channel", "experiments.channel");
        b.HasOne(c => c.BrainRegion).WithMany().HasForeignKey(c => c.BrainRegionId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(c => c.TrajectoryEstimate).WithMany(t => t.Channels).HasForeignKey(c => c.TrajectoryEstimateId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => new { c.Axial, c.Lateral, c.TrajectoryEstimateId }).IsUnique().HasDatabaseName(UniqueChannel);
    }
}
