using Alyx.Actions;
using Alyx.Data;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Experiments;

/// <summary>A probe model (reference data): its long name in <c>Name</c> (<c>Neuropixel 3B2</c>), its slug in <see cref="Model"/>.</summary>
public sealed class ProbeModel : AlyxModel
{
    public string ProbeManufacturer { get; set; } = "";

    /// <summary>The manufacturer's part number (Django's <c>probe_model</c>, unique): the slug insertions refer to (<c>3B2</c>).</summary>
    public string Model { get; set; } = "";

    public string? Description { get; set; }
}

/// <summary>
/// An electrophysiology probe insertion of a session. Its datasets are linked automatically: those of its session whose
/// collection contains its name (see <see cref="InsertionLinks"/>).
/// </summary>
public sealed class ProbeInsertion : AlyxModel
{
    public Guid? SessionId { get; set; }
    public Session? Session { get; set; }
    public Guid? ModelId { get; set; }
    public ProbeModel? Model { get; set; }
    public string Serial { get; set; } = "";
    public DateTime? AutoDatetime { get; set; }
    public List<Dataset> Datasets { get; set; } = [];
    public Guid? ChronicInsertionId { get; set; }
    public ChronicInsertion? ChronicInsertion { get; set; }
    public List<TrajectoryEstimate> TrajectoryEstimates { get; set; } = [];
}

sealed class ExperimentsConfiguration : IEntityTypeConfiguration<ProbeModel>, IEntityTypeConfiguration<ProbeInsertion>
{
    public const string UniqueNamePerSession = "unique_probe_insertion_name_per_session";

    public void Configure(EntityTypeBuilder<ProbeModel> b)
    {
        b.IsAlyxModel("experiments_probemodel", "experiments.probemodel");
        b.Property(m => m.ProbeManufacturer).HasMaxLength(255);
        b.Property(m => m.Model).HasMaxLength(255).HasColumnName("probe_model").HasAnnotation(AlyxAnnotations.DjangoName, "probe_model");
        b.HasIndex(m => m.Model).IsUnique();
        b.Property(m => m.Description).HasMaxLength(255);
    }

    public void Configure(EntityTypeBuilder<ProbeInsertion> b)
    {
        b.IsAlyxModel("experiments_probeinsertion", "experiments.probeinsertion");
        b.HasOne(p => p.Session).WithMany(s => s.ProbeInsertions).HasForeignKey(p => p.SessionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(p => p.Model).WithMany().HasForeignKey(p => p.ModelId).OnDelete(DeleteBehavior.SetNull);
        b.Property(p => p.Serial).HasMaxLength(255);
        b.HasOne(p => p.ChronicInsertion).WithMany(c => c.ProbeInsertions).HasForeignKey(p => p.ChronicInsertionId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(p => new { p.Name, p.SessionId }).IsUnique().HasDatabaseName(UniqueNamePerSession);
        b.HasMany(p => p.Datasets).WithMany(d => d.ProbeInsertions).UsingEntity<Dictionary<string, object>>(
            "experiments_probeinsertion_datasets",
            r => r.HasOne<Dataset>().WithMany().HasForeignKey("dataset_id").OnDelete(DeleteBehavior.Cascade),
            l => l.HasOne<ProbeInsertion>().WithMany().HasForeignKey("probeinsertion_id").OnDelete(DeleteBehavior.Cascade),
            j =>
            {
                j.HasKey("probeinsertion_id", "dataset_id");
                j.HasIndex("dataset_id");
            });
    }
}
