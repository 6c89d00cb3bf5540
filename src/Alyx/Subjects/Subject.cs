using Alyx.Database;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Subjects;

/// <summary>An animal of the colony (Alyx: subjects.Subject).</summary>
public sealed class Subject : AlyxModel
{
    public string Nickname { get; set; } = "-";
    public string Sex { get; set; } = "U";
    public DateOnly? BirthDate { get; set; }
    public DateOnly? DeathDate { get; set; }
    public DateOnly? WeanDate { get; set; }
    public DateOnly? GenotypeDate { get; set; }
    public Guid? ResponsibleUserId { get; set; }
    public LabMember? ResponsibleUser { get; set; }
    public Guid LabId { get; set; }
    public Lab? Lab { get; set; }
    public string? Cage { get; set; }
    public string EarMark { get; set; } = "";
    public string ProtocolNumber { get; set; } = "1";
    public string Description { get; set; } = "";
    public string AdverseEffects { get; set; } = "";
    public int? ActualSeverity { get; set; }
    public bool ToBeGenotyped { get; set; }
    public bool ToBeCulled { get; set; }
    public DateOnly? ReducedDate { get; set; }
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
        b.HasOne(s => s.ResponsibleUser).WithMany(u => u.SubjectsResponsible).HasForeignKey(s => s.ResponsibleUserId)
            .OnDelete(DeleteBehavior.SetNull);
        b.HasOne(s => s.Lab).WithMany(l => l.Subjects).HasForeignKey(s => s.LabId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(s => new { s.Nickname, s.LabId }).IsUnique();
        b.HasIndex(s => new { s.Nickname, s.ResponsibleUserId }).IsUnique();
        b.HasIndex(s => new { s.Nickname, s.BirthDate });
    }
}
