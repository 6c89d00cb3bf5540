using Alyx.Database;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Misc;

/// <summary>A set of housing conditions (cage name, type, enrichment, food, light cycle) that subjects belong to over time.</summary>
public sealed class Housing : AlyxModel
{
    public string CageName { get; set; } = "";
    public Guid? CageTypeId { get; set; }
    public CageType? CageType { get; set; }
    public Guid? EnrichmentId { get; set; }
    public Enrichment? Enrichment { get; set; }
    public Guid? FoodId { get; set; }
    public Food? Food { get; set; }
    public int? CageCleaningFrequencyDays { get; set; }
    public int? LightCycle { get; set; }
    public List<HousingSubject> HousingSubjects { get; set; } = [];
}

/// <summary>A dated membership of a subject in a housing; an open end means the subject lives there now.</summary>
public sealed class HousingSubject : AlyxModel
{
    public Guid? SubjectId { get; set; }
    public Subject? Subject { get; set; }
    public Guid? HousingId { get; set; }
    public Housing? Housing { get; set; }
    public DateTime StartDatetime { get; set; }
    public DateTime? EndDatetime { get; set; }
}

sealed class HousingConfiguration : IEntityTypeConfiguration<Housing>, IEntityTypeConfiguration<HousingSubject>
{
    public void Configure(EntityTypeBuilder<Housing> b)
    {
        b.IsAlyxModel("misc_housing", "misc.housing");
        b.Property(h => h.CageName).HasMaxLength(64);
        b.HasOne(h => h.CageType).WithMany().HasForeignKey(h => h.CageTypeId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(h => h.Enrichment).WithMany().HasForeignKey(h => h.EnrichmentId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(h => h.Food).WithMany().HasForeignKey(h => h.FoodId).OnDelete(DeleteBehavior.SetNull);
        b.Navigation(h => h.HousingSubjects).HasAnnotation(AlyxAnnotations.DjangoName, "housing_subjects");
    }

    public void Configure(EntityTypeBuilder<HousingSubject> b)
    {
        b.IsAlyxModel("misc_housingsubject", "misc.housingsubject");
        b.HasOne(h => h.Subject).WithMany(s => s.HousingSubjects).HasForeignKey(h => h.SubjectId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(h => h.Housing).WithMany(h => h.HousingSubjects).HasForeignKey(h => h.HousingId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(h => new { h.SubjectId, h.EndDatetime });
    }
}
