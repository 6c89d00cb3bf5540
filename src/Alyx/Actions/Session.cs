using Alyx.Database;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Actions;

/// <summary>An experimental session: the action that datasets hang off.</summary>
public sealed class Session : BaseAction
{
    public Guid? ParentSessionId { get; set; }
    public Session? ParentSession { get; set; }
    public List<Project> Projects { get; set; } = [];
    public string? Type { get; set; }
    public int? Number { get; set; }
    public string TaskProtocol { get; set; } = "";
    public int? NTrials { get; set; }
    public int? NCorrectTrials { get; set; }
    public int Qc { get; set; }
    public string? ExtendedQc { get; set; }
    public DateTime? AutoDatetime { get; set; }
    public List<Session> ChildSessions { get; set; } = [];
    public List<WaterAdministration> WaterAdministrations { get; set; } = [];
    public List<Data.Dataset> Datasets { get; set; } = [];
}

/// <summary>Session QC codes and their labels, in Alyx's declaration order (also used by datasets).</summary>
public static class QcCodes
{
    public static readonly IReadOnlyList<(int Code, string Label)> All =
        [(50, "CRITICAL"), (40, "FAIL"), (30, "WARNING"), (0, "NOT_SET"), (10, "PASS")];

    public static string Label(int code) => All.FirstOrDefault(q => q.Code == code).Label ?? code.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> b)
    {
        b.IsBaseAction("actions_session", "actions.session", s => s.Sessions);
        b.HasOne(s => s.ParentSession).WithMany(s => s.ChildSessions).HasForeignKey(s => s.ParentSessionId).OnDelete(DeleteBehavior.SetNull);
        b.Navigation(s => s.ChildSessions).HasAnnotation(AlyxAnnotations.DjangoName, "session");
        b.Navigation(s => s.WaterAdministrations).HasAnnotation(AlyxAnnotations.DjangoName, "wateradmin_session_related");
        b.Property(s => s.Type).HasMaxLength(255);
        b.Property(s => s.TaskProtocol).HasMaxLength(1023);
        b.Property(s => s.ExtendedQc).IsJson();
        b.HasMany(s => s.Projects).WithMany().UsingEntity<Dictionary<string, object>>(
            "actions_session_projects",
            r => r.HasOne<Project>().WithMany().HasForeignKey("project_id").OnDelete(DeleteBehavior.Cascade),
            l => l.HasOne<Session>().WithMany().HasForeignKey("session_id").OnDelete(DeleteBehavior.Cascade),
            j => j.HasKey("session_id", "project_id"));
        b.HasIndex(s => new { s.SubjectId, s.StartTime });
        b.HasIndex(s => s.TaskProtocol);
        b.Navigation(s => s.Datasets).HasAnnotation(AlyxAnnotations.DjangoName, "data_dataset_session_related");
    }
}
