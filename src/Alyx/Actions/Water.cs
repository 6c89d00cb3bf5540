using Alyx.Database;
using Alyx.Misc;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Actions;

public sealed class Weighing : AlyxModel
{
    public Guid? UserId { get; set; }
    public LabMember? User { get; set; }
    public Guid SubjectId { get; set; }
    public Subject? Subject { get; set; }
    public DateTime? DateTime { get; set; }
    public double Weight { get; set; }
}

public sealed class WaterType : IEntity
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public string Name { get; set; } = "";
    public string? Json { get; set; }
}

public sealed class WaterAdministration : AlyxModel
{
    public Guid? UserId { get; set; }
    public LabMember? User { get; set; }
    public Guid SubjectId { get; set; }
    public Subject? Subject { get; set; }
    public DateTime? DateTime { get; set; }
    public Guid? SessionId { get; set; }
    public Session? Session { get; set; }
    public double? WaterAdministered { get; set; }
    public Guid? WaterTypeId { get; set; }
    public WaterType? WaterType { get; set; }
    public bool Adlib { get; set; }
}

/// <summary>A period of water restriction; active while started and not ended.</summary>
public sealed class WaterRestriction : BaseAction
{
    public double ReferenceWeight { get; set; }
    public Guid? WaterTypeId { get; set; }
    public WaterType? WaterType { get; set; }
}

sealed class WaterConfiguration :
    IEntityTypeConfiguration<Weighing>, IEntityTypeConfiguration<WaterType>, IEntityTypeConfiguration<WaterAdministration>,
    IEntityTypeConfiguration<WaterRestriction>
{
    public void Configure(EntityTypeBuilder<Weighing> b)
    {
        b.IsAlyxModel("actions_weighing", "actions.weighing");
        b.HasOne(w => w.User).WithMany().HasForeignKey(w => w.UserId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(w => w.Subject).WithMany(s => s.Weighings).HasForeignKey(w => w.SubjectId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(w => new { w.SubjectId, w.DateTime });
    }

    public void Configure(EntityTypeBuilder<WaterType> b)
    {
        b.ToTable("actions_watertype").HasModelLabel("actions.watertype");
        b.HasKey(t => t.Id);
        b.Property(t => t.Id).ValueGeneratedNever();
        b.Property(t => t.Name).HasMaxLength(128);
        b.HasIndex(t => t.Name).IsUnique();
        b.Property(t => t.Json).IsJson();
    }

    public void Configure(EntityTypeBuilder<WaterAdministration> b)
    {
        b.IsAlyxModel("actions_wateradministration", "actions.wateradministration");
        b.HasOne(w => w.User).WithMany().HasForeignKey(w => w.UserId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(w => w.Subject).WithMany(s => s.WaterAdministrations).HasForeignKey(w => w.SubjectId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(w => w.Session).WithMany(s => s.WaterAdministrations).HasForeignKey(w => w.SessionId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(w => w.WaterType).WithMany().HasForeignKey(w => w.WaterTypeId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(w => new { w.SubjectId, w.DateTime });
        // Most administrations belong to no session: an index of every row would hold one NULL key for nearly all, and SQLite's
        // planner, reading that from its statistics, scans the table for a session's administrations (15 ms at scale 10).
        b.HasIndex(w => w.SessionId).HasFilter("session_id IS NOT NULL");
    }

    public void Configure(EntityTypeBuilder<WaterRestriction> b)
    {
        b.IsBaseAction("actions_waterrestriction", "actions.waterrestriction", s => s.WaterRestrictions);
        b.HasOne(w => w.WaterType).WithMany().HasForeignKey(w => w.WaterTypeId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(w => new { w.SubjectId, w.EndTime });
    }
}
