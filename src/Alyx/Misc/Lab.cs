using Alyx.Data;
using Alyx.Database;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Misc;

public sealed class Lab : AlyxModel
{
    public string Institution { get; set; } = "";
    public string Address { get; set; } = "";
    public string Timezone { get; set; } = "";
    public double ReferenceWeightPct { get; set; }
    public double ZscoreWeightPct { get; set; }
    public Guid? CageTypeId { get; set; }
    public CageType? CageType { get; set; }
    public Guid? EnrichmentId { get; set; }
    public Enrichment? Enrichment { get; set; }
    public Guid? FoodId { get; set; }
    public Food? Food { get; set; }
    public int? CageCleaningFrequencyDays { get; set; }
    public int? LightCycle { get; set; }
    public List<DataRepository> Repositories { get; set; } = [];
    public List<LabMembership> LabMemberships { get; set; } = [];
    public List<LabLocation> LabLocations { get; set; } = [];
    public List<Subject> Subjects { get; set; } = [];
}

sealed class LabConfiguration : IEntityTypeConfiguration<Lab>
{
    public void Configure(EntityTypeBuilder<Lab> b)
    {
        b.IsAlyxModel("misc_lab", "misc.lab");
        b.HasIndex(l => l.Name).IsUnique();
        b.Property(l => l.Institution).HasMaxLength(255);
        b.Property(l => l.Address).HasMaxLength(255);
        b.Property(l => l.Timezone).HasMaxLength(64);
        b.HasOne(l => l.CageType).WithMany().HasForeignKey(l => l.CageTypeId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(l => l.Enrichment).WithMany().HasForeignKey(l => l.EnrichmentId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(l => l.Food).WithMany().HasForeignKey(l => l.FoodId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(l => l.Repositories).WithMany(r => r.Labs).UsingEntity<Dictionary<string, object>>(
            "misc_lab_repositories",
            r => r.HasOne<DataRepository>().WithMany().HasForeignKey("datarepository_id").OnDelete(DeleteBehavior.Cascade),
            l => l.HasOne<Lab>().WithMany().HasForeignKey("lab_id").OnDelete(DeleteBehavior.Cascade),
            j => j.HasKey("lab_id", "datarepository_id"));
        b.Navigation(l => l.LabMemberships).HasAnnotation(AlyxAnnotations.DjangoName, "labmembership");
        b.Navigation(l => l.LabLocations).HasAnnotation(AlyxAnnotations.DjangoName, "lablocation");
        b.Navigation(l => l.Subjects).HasAnnotation(AlyxAnnotations.DjangoName, "subject");
    }
}

public sealed class LabMembership : AlyxModel
{
    public Guid UserId { get; set; }
    public LabMember? User { get; set; }
    public Guid LabId { get; set; }
    public Lab? Lab { get; set; }
    public string Role { get; set; } = "";
    public DateOnly? StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
}

sealed class LabMembershipConfiguration : IEntityTypeConfiguration<LabMembership>
{
    public void Configure(EntityTypeBuilder<LabMembership> b)
    {
        b.IsAlyxModel("misc_labmembership", "misc.labmembership");
        b.Property(m => m.Role).HasMaxLength(255);
        b.HasOne(m => m.User).WithMany(u => u.LabMemberships).HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(m => m.Lab).WithMany(l => l.LabMemberships).HasForeignKey(m => m.LabId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class LabLocation : AlyxModel
{
    public Guid LabId { get; set; }
    public Lab? Lab { get; set; }
}

sealed class LabLocationConfiguration : IEntityTypeConfiguration<LabLocation>
{
    public void Configure(EntityTypeBuilder<LabLocation> b)
    {
        b.IsAlyxModel("misc_lablocation", "misc.lablocation");
        b.HasIndex(l => l.Name);
        b.HasOne(l => l.Lab).WithMany(l => l.LabLocations).HasForeignKey(l => l.LabId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Housing reference lists (no REST endpoints; labs point at them for housing defaults).</summary>
public sealed class CageType : AlyxModel
{
    public string Description { get; set; } = "";
}

public sealed class Enrichment : AlyxModel
{
    public string Description { get; set; } = "";
}

public sealed class Food : AlyxModel
{
    public string Description { get; set; } = "";
}

sealed class HousingListsConfiguration : IEntityTypeConfiguration<CageType>, IEntityTypeConfiguration<Enrichment>, IEntityTypeConfiguration<Food>
{
    public void Configure(EntityTypeBuilder<CageType> b)
    {
        b.IsAlyxModel("misc_cagetype", "misc.cagetype");
        b.Property(e => e.Description).HasMaxLength(1023);
    }

    public void Configure(EntityTypeBuilder<Enrichment> b)
    {
        b.IsAlyxModel("misc_enrichment", "misc.enrichment");
        b.HasIndex(e => e.Name).IsUnique();
        b.Property(e => e.Description).HasMaxLength(1023);
    }

    public void Configure(EntityTypeBuilder<Food> b)
    {
        b.IsAlyxModel("misc_food", "misc.food");
        b.HasIndex(e => e.Name).IsUnique();
        b.Property(e => e.Description).HasMaxLength(1023);
    }
}
