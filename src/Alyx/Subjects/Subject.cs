using Alyx.Actions;
using Alyx.Database;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Subjects;

/// <summary>An animal of the colony (Alyx: subjects.Subject).</summary>
public sealed class Subject : AlyxModel
{
    public string Nickname { get; set; } = "-";
    public Guid? SpeciesId { get; set; }
    public Species? Species { get; set; }
    public Guid? LitterId { get; set; }
    public Litter? Litter { get; set; }
    public string Sex { get; set; } = "U";
    public Guid? StrainId { get; set; }
    public Strain? Strain { get; set; }
    public Guid? SourceId { get; set; }
    public Source? Source { get; set; }
    public Guid? LineId { get; set; }
    public Line? Line { get; set; }
    public DateOnly? BirthDate { get; set; }
    public DateOnly? DeathDate { get; set; }
    public DateOnly? WeanDate { get; set; }
    public DateOnly? GenotypeDate { get; set; }
    public Guid? ResponsibleUserId { get; set; }
    public LabMember? ResponsibleUser { get; set; }
    public Guid LabId { get; set; }
    public Lab? Lab { get; set; }
    public List<Project> Projects { get; set; } = [];
    public string? Cage { get; set; }
    public Guid? RequestId { get; set; }
    public SubjectRequest? Request { get; set; }
    public string EarMark { get; set; } = "";
    public string ProtocolNumber { get; set; } = "1";
    public string Description { get; set; } = "";
    public string AdverseEffects { get; set; } = "";
    public int? ActualSeverity { get; set; }
    public bool ToBeGenotyped { get; set; }
    public bool ToBeCulled { get; set; }
    public DateOnly? ReducedDate { get; set; }
    public List<Zygosity> Zygosities { get; set; } = [];
    public List<HousingSubject> HousingSubjects { get; set; } = [];
    public List<GenotypeTest> GenotypeTests { get; set; } = [];
    public List<BreedingPair> FatherOf { get; set; } = [];
    public List<BreedingPair> Mother1Of { get; set; } = [];
    public List<BreedingPair> Mother2Of { get; set; } = [];
    public List<WaterRestriction> WaterRestrictions { get; set; } = [];
    public List<Session> Sessions { get; set; } = [];
    public List<Surgery> Surgeries { get; set; } = [];
    public List<Weighing> Weighings { get; set; } = [];
    public List<WaterAdministration> WaterAdministrations { get; set; } = [];
}

sealed class SubjectConfiguration : IEntityTypeConfiguration<Subject>
{
    public void Configure(EntityTypeBuilder<Subject> b)
    {
        b.IsAlyxModel("subjects_subject", "subjects.subject");
        b.Property(s => s.Nickname).HasMaxLength(64);
        b.Property(s => s.Sex).HasMaxLength(1);
        b.Property(s => s.Cage).HasMaxLength(64);
        b.Property(s => s.EarMark).HasMaxLength(32);
        b.Property(s => s.ProtocolNumber).HasMaxLength(1);
        b.HasOne(s => s.Species).WithMany().HasForeignKey(s => s.SpeciesId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(s => s.Litter).WithMany(l => l.Subjects).HasForeignKey(s => s.LitterId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(s => s.Strain).WithMany().HasForeignKey(s => s.StrainId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(s => s.Source).WithMany().HasForeignKey(s => s.SourceId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(s => s.Line).WithMany(l => l.Subjects).HasForeignKey(s => s.LineId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(s => s.Request).WithMany(r => r.Subjects).HasForeignKey(s => s.RequestId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(s => s.ResponsibleUser).WithMany(u => u.SubjectsResponsible).HasForeignKey(s => s.ResponsibleUserId)
            .OnDelete(DeleteBehavior.SetNull);
        b.HasOne(s => s.Lab).WithMany(l => l.Subjects).HasForeignKey(s => s.LabId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(s => s.Projects).WithMany(p => p.Subjects).UsingEntity<Dictionary<string, object>>(
            "subjects_subject_projects",
            r => r.HasOne<Project>().WithMany().HasForeignKey("project_id").OnDelete(DeleteBehavior.Cascade),
            l => l.HasOne<Subject>().WithMany().HasForeignKey("subject_id").OnDelete(DeleteBehavior.Cascade),
            j => j.HasKey("subject_id", "project_id"));
        b.Navigation(s => s.Zygosities).HasAnnotation(AlyxAnnotations.DjangoName, "zygosity");
        b.Navigation(s => s.HousingSubjects).HasAnnotation(AlyxAnnotations.DjangoName, "housing_subjects");
        b.Navigation(s => s.GenotypeTests).HasAnnotation(AlyxAnnotations.DjangoName, "genotypetest");
        b.Navigation(s => s.FatherOf).HasAnnotation(AlyxAnnotations.DjangoName, "litter_father");
        b.Navigation(s => s.Mother1Of).HasAnnotation(AlyxAnnotations.DjangoName, "mother1");
        b.Navigation(s => s.Mother2Of).HasAnnotation(AlyxAnnotations.DjangoName, "mother2");
        b.Navigation(s => s.WaterRestrictions).HasAnnotation(AlyxAnnotations.DjangoName, "actions_waterrestrictions");
        b.Navigation(s => s.Sessions).HasAnnotation(AlyxAnnotations.DjangoName, "actions_sessions");
        b.Navigation(s => s.Surgeries).HasAnnotation(AlyxAnnotations.DjangoName, "actions_surgerys");
        b.Navigation(s => s.WaterAdministrations).HasAnnotation(AlyxAnnotations.DjangoName, "water_administrations");
        b.HasIndex(s => new { s.Nickname, s.LabId }).IsUnique();
        b.HasIndex(s => new { s.Nickname, s.ResponsibleUserId }).IsUnique();
        b.HasIndex(s => new { s.Nickname, s.BirthDate });
        b.HasIndex(s => s.BirthDate);
        b.HasIndex(s => s.DeathDate);
    }
}
