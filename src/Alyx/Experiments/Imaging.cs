using Alyx.Actions;
using Alyx.Data;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Experiments;

/// <summary>An imaging technique (reference data, referenced by its unique name: <c>mesoscope</c>, <c>2P</c>).</summary>
public sealed class ImagingType : AlyxModel;

/// <summary>A stack of fields of view along one z axis (its slices, <see cref="Fov.Stack"/>), all of one session.</summary>
public sealed class ImagingStack : AlyxModel
{
    public List<Fov> Slices { get; set; } = [];
}

/// <summary>
/// An imaging field of view of a session. Its datasets are linked automatically, as a probe insertion's: those of its session whose
/// collection contains its name (<see cref="InsertionLinks"/>).
/// </summary>
public sealed class Fov : AlyxModel
{
    public Guid SessionId { get; set; }
    public Session? Session { get; set; }
    public Guid ImagingTypeId { get; set; }
    public ImagingType? ImagingType { get; set; }
    public List<Dataset> Datasets { get; set; } = [];
    public Guid? StackId { get; set; }
    public ImagingStack? Stack { get; set; }
    public List<FovLocation> Locations { get; set; } = [];
}

/// <summary>
/// Where a field of view lies, by one provenance: corner coordinates (µm), pixel counts and brain regions. At most one location of a
/// field of view is the default one, which the atlas filters read.
/// </summary>
public sealed class FovLocation : AlyxModel
{
    public Guid FieldOfViewId { get; set; }
    public Fov? FieldOfView { get; set; }

    /// <summary>One of <see cref="FovProvenance.Codes"/>; Landmark by default.</summary>
    public string Provenance { get; set; } = "L";

    public bool DefaultProvenance { get; set; }
    public Guid? CoordinateSystemId { get; set; }
    public CoordinateSystem? CoordinateSystem { get; set; }
    public DateTime AutoDatetime { get; set; }

    /// <summary>
    /// The float arrays <c>x</c>, <c>y</c>, <c>z</c> and the integer array <c>n_xyz</c>, stored as Django's dumpdata writes an
    /// ArrayField (<c>["-1.25", "3.0"]</c>, <see cref="ImagingArrays"/>), so that dumps load and export unchanged on both providers.
    /// </summary>
    public string X { get; set; } = "[]";

    public string Y { get; set; } = "[]";
    public string Z { get; set; } = "[]";
    public string NXyz { get; set; } = "[]";
    public List<BrainRegion> BrainRegions { get; set; } = [];
}

/// <summary>FOV location provenances (Alyx: FOVLocation.Provenance): one-letter codes and their labels, in declaration order.</summary>
public static class FovProvenance
{
    public static readonly IReadOnlyList<(string Code, string Label)> All = [("E", "Estimate"), ("F", "Functional"), ("L", "Landmark"), ("H", "Histology")];

    public static readonly string[] Codes = [.. All.Select(p => p.Code)];

    public static readonly string[] Labels = [.. All.Select(p => p.Label)];

    /// <summary>The filter's lookup: a label in any case.</summary>
    public static string? CodeOfLabel(string label) =>
        All.FirstOrDefault(p => string.Equals(p.Label, label.Trim(), StringComparison.OrdinalIgnoreCase)).Code;
}

sealed class ImagingConfiguration : IEntityTypeConfiguration<ImagingType>, IEntityTypeConfiguration<ImagingStack>, IEntityTypeConfiguration<Fov>,
    IEntityTypeConfiguration<FovLocation>
{
    public const string UniqueFovName = "experiments_fov_session_id_name_uniq";
    public const string UniqueProvenance = "unique_provenance_per_field_of_view";

    public void Configure(EntityTypeBuilder<ImagingType> b)
    {
        b.IsAlyxModel("experiments_imagingtype", "experiments.imagingtype");
        b.HasIndex(t => t.Name).IsUnique();
    }

    public void Configure(EntityTypeBuilder<ImagingStack> b) => b.IsAlyxModel("experiments_imagingstack", "experiments.imagingstack");

    public void Configure(EntityTypeBuilder<Fov> b)
    {
        b.IsAlyxModel("experiments_fov", "experiments.fov");
        b.HasOne(f => f.Session).WithMany().HasForeignKey(f => f.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(f => f.ImagingType).WithMany().HasForeignKey(f => f.ImagingTypeId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(f => f.Stack).WithMany(s => s.Slices).HasForeignKey(f => f.StackId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(f => new { f.SessionId, f.Name }).IsUnique().HasDatabaseName(UniqueFovName);
        b.HasMany(f => f.Datasets).WithMany().UsingEntity<Dictionary<string, object>>(
            "experiments_fov_datasets",
            r => r.HasOne<Dataset>().WithMany().HasForeignKey("dataset_id").OnDelete(DeleteBehavior.Cascade),
            l => l.HasOne<Fov>().WithMany().HasForeignKey("fov_id").OnDelete(DeleteBehavior.Cascade),
            j =>
            {
                j.HasKey("fov_id", "dataset_id");
                j.HasIndex("dataset_id");
            });
    }

    public void Configure(EntityTypeBuilder<FovLocation> b)
    {
        b.IsAlyxModel("experiments_fovlocation", "experiments.fovlocation");
        b.HasOne(l => l.FieldOfView).WithMany(f => f.Locations).HasForeignKey(l => l.FieldOfViewId).OnDelete(DeleteBehavior.Cascade);
        b.Property(l => l.Provenance).HasMaxLength(1);
        b.HasOne(l => l.CoordinateSystem).WithMany().HasForeignKey(l => l.CoordinateSystemId).OnDelete(DeleteBehavior.SetNull);
        b.Property(l => l.NXyz).HasColumnName("n_xyz").HasAnnotation(AlyxAnnotations.DjangoName, "n_xyz");
        b.HasIndex(l => new { l.Provenance, l.FieldOfViewId }).IsUnique().HasDatabaseName(UniqueProvenance);
        b.HasMany(l => l.BrainRegions).WithMany().UsingEntity<Dictionary<string, object>>(
            "experiments_fovlocation_brain_region",
            r => r.HasOne<BrainRegion>().WithMany().HasForeignKey("brainregion_id").OnDelete(DeleteBehavior.Cascade),
            l => l.HasOne<FovLocation>().WithMany().HasForeignKey("fovlocation_id").OnDelete(DeleteBehavior.Cascade),
            j =>
            {
                j.HasKey("fovlocation_id", "brainregion_id");
                j.HasIndex("brainregion_id");
            });
        b.Metadata.FindSkipNavigation(nameof(FovLocation.BrainRegions))!.SetAnnotation(AlyxAnnotations.DjangoName, "brain_region");
    }
}
