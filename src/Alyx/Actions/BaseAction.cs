using System.Linq.Expressions;
using Alyx.Database;
using Alyx.Misc;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Actions;

/// <summary>
/// Alyx's BaseAction columns, carried by each concrete action table (no shared table): subject, location, lab,
/// narrative, start/end time, and the users and procedures many-to-many fields with a join table per action.
/// </summary>
public abstract class BaseAction : AlyxModel
{
    public Guid SubjectId { get; set; }
    public Subject? Subject { get; set; }
    public Guid? LocationId { get; set; }
    public LabLocation? Location { get; set; }
    public Guid? LabId { get; set; }
    public Lab? Lab { get; set; }
    public string Narrative { get; set; } = "";
    public DateTime? StartTime { get; set; }
    public DateTime? EndTime { get; set; }
    public List<LabMember> Users { get; set; } = [];
    public List<ProcedureType> Procedures { get; set; } = [];
}

public static class BaseActionConfiguration
{
    /// <summary>Table, base columns, foreign keys and the two join tables <c>{table}_users</c> / <c>{table}_procedures</c>.</summary>
    public static EntityTypeBuilder<T> IsBaseAction<T>(this EntityTypeBuilder<T> b, string table, string label,
        Expression<Func<Subject, IEnumerable<T>?>>? subjectInverse = null)
        where T : BaseAction
    {
        var model = table["actions_".Length..];
        b.IsAlyxModel(table, label);
        b.HasOne(a => a.Subject).WithMany(subjectInverse).HasForeignKey(a => a.SubjectId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(a => a.Location).WithMany().HasForeignKey(a => a.LocationId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(a => a.Lab).WithMany().HasForeignKey(a => a.LabId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(a => a.Users).WithMany().UsingEntity<Dictionary<string, object>>(
            $"{table}_users",
            r => r.HasOne<LabMember>().WithMany().HasForeignKey("labmember_id").OnDelete(DeleteBehavior.Cascade),
            l => l.HasOne<T>().WithMany().HasForeignKey($"{model}_id").OnDelete(DeleteBehavior.Cascade),
            j => j.HasKey($"{model}_id", "labmember_id"));
        b.HasMany(a => a.Procedures).WithMany().UsingEntity<Dictionary<string, object>>(
            $"{table}_procedures",
            r => r.HasOne<ProcedureType>().WithMany().HasForeignKey("proceduretype_id").OnDelete(DeleteBehavior.Cascade),
            l => l.HasOne<T>().WithMany().HasForeignKey($"{model}_id").OnDelete(DeleteBehavior.Cascade),
            j => j.HasKey($"{model}_id", "proceduretype_id"));
        b.HasIndex(a => a.StartTime);
        return b;
    }
}
