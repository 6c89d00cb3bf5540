using Alyx.Database;
using Alyx.Misc;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Actions;

public sealed class ProcedureType : AlyxModel
{
    public string Description { get; set; } = "";
}

public sealed class Surgery : BaseAction
{
    public string OutcomeType { get; set; } = "";
    public double ImplantWeight { get; set; }
}

public sealed class OtherAction : BaseAction;

public sealed class ChronicRecording : BaseAction;

public sealed class VirusInjection : BaseAction
{
    public string? VirusBatch { get; set; }
    public double? InjectionVolume { get; set; }
    public double? RateOfInjection { get; set; }
    public string InjectionType { get; set; } = "I";
}

public sealed class CullReason : AlyxModel
{
    public string Description { get; set; } = "";
}

public sealed class CullMethod : AlyxModel
{
    public string Description { get; set; } = "";
}

/// <summary>The end of a subject: at most one per subject.</summary>
public sealed class Cull : AlyxModel
{
    public Guid? UserId { get; set; }
    public LabMember? User { get; set; }
    public Guid SubjectId { get; set; }
    public Subject? Subject { get; set; }
    public DateOnly Date { get; set; }
    public string Description { get; set; } = "";
    public Guid? CullReasonId { get; set; }
    public CullReason? CullReason { get; set; }
    public Guid? CullMethodId { get; set; }
    public CullMethod? CullMethod { get; set; }
}

sealed class ProcedureConfiguration :
    IEntityTypeConfiguration<ProcedureType>, IEntityTypeConfiguration<Surgery>, IEntityTypeConfiguration<OtherAction>,
    IEntityTypeConfiguration<ChronicRecording>, IEntityTypeConfiguration<VirusInjection>, IEntityTypeConfiguration<CullReason>,
    IEntityTypeConfiguration<CullMethod>, IEntityTypeConfiguration<Cull>
{
    public void Configure(EntityTypeBuilder<ProcedureType> b) => b.IsAlyxModel("actions_proceduretype", "actions.proceduretype");

    public void Configure(EntityTypeBuilder<Surgery> b)
    {
        b.IsBaseAction("actions_surgery", "actions.surgery", s => s.Surgeries);
        b.Property(s => s.OutcomeType).HasMaxLength(1);
        b.ToTable(t => t.HasCheckConstraint("implant_weight_gte_0", "implant_weight >= 0"));
    }

    public void Configure(EntityTypeBuilder<OtherAction> b) => b.IsBaseAction("actions_otheraction", "actions.otheraction");

    public void Configure(EntityTypeBuilder<ChronicRecording> b) => b.IsBaseAction("actions_chronicrecording", "actions.chronicrecording");

    public void Configure(EntityTypeBuilder<VirusInjection> b)
    {
        b.IsBaseAction("actions_virusinjection", "actions.virusinjection");
        b.Property(v => v.VirusBatch).HasMaxLength(255);
        b.Property(v => v.InjectionType).HasMaxLength(1);
    }

    public void Configure(EntityTypeBuilder<CullReason> b) => b.IsAlyxModel("actions_cullreason", "actions.cullreason");

    public void Configure(EntityTypeBuilder<CullMethod> b) => b.IsAlyxModel("actions_cullmethod", "actions.cullmethod");

    public void Configure(EntityTypeBuilder<Cull> b)
    {
        b.IsAlyxModel("actions_cull", "actions.cull");
        b.HasOne(c => c.User).WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(c => c.Subject).WithOne().HasForeignKey<Cull>(c => c.SubjectId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => c.SubjectId).IsUnique();
        b.HasOne(c => c.CullReason).WithMany().HasForeignKey(c => c.CullReasonId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(c => c.CullMethod).WithMany().HasForeignKey(c => c.CullMethodId).OnDelete(DeleteBehavior.SetNull);
    }
}

public sealed class Notification : AlyxModel
{
    public DateTime SendAt { get; set; }
    public DateTime? SentAt { get; set; }
    public string NotificationType { get; set; } = "";
    public string Title { get; set; } = "";
    public string Message { get; set; } = "";
    public Guid? SubjectId { get; set; }
    public Subject? Subject { get; set; }
    public List<LabMember> Users { get; set; } = [];
    public string Status { get; set; } = "to-send";
}

public sealed class NotificationRule : AlyxModel
{
    public Guid UserId { get; set; }
    public LabMember? User { get; set; }
    public string NotificationType { get; set; } = "";
    public string SubjectsScope { get; set; } = "";
}

sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>, IEntityTypeConfiguration<NotificationRule>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.IsAlyxModel("actions_notification", "actions.notification");
        b.Property(n => n.NotificationType).HasMaxLength(32);
        b.Property(n => n.Title).HasMaxLength(255);
        b.Property(n => n.Status).HasMaxLength(16);
        b.HasOne(n => n.Subject).WithMany().HasForeignKey(n => n.SubjectId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(n => n.Users).WithMany().UsingEntity<Dictionary<string, object>>(
            "actions_notification_users",
            r => r.HasOne<LabMember>().WithMany().HasForeignKey("labmember_id").OnDelete(DeleteBehavior.Cascade),
            l => l.HasOne<Notification>().WithMany().HasForeignKey("notification_id").OnDelete(DeleteBehavior.Cascade),
            j => j.HasKey("notification_id", "labmember_id"));
    }

    public void Configure(EntityTypeBuilder<NotificationRule> b)
    {
        b.IsAlyxModel("actions_notificationrule", "actions.notificationrule");
        b.Property(n => n.NotificationType).HasMaxLength(32);
        b.Property(n => n.SubjectsScope).HasMaxLength(16);
        b.HasOne(n => n.User).WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(n => new { n.UserId, n.NotificationType }).IsUnique();
    }
}
