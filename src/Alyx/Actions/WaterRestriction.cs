using Alyx.Database;
using Alyx.Database.Import;
using Alyx.Misc;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Actions;

/// <summary>
/// A period of water restriction (Alyx: actions.WaterRestriction). Minimal for now: the BaseAction columns and the
/// reference weight, which the subjects endpoints read. The <c>users</c>/<c>procedures</c> many-to-many tables and
/// <c>water_type</c> come with the actions app (their targets do not exist yet).
/// </summary>
public sealed class WaterRestriction : AlyxModel
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
    public double ReferenceWeight { get; set; }
}

sealed class WaterRestrictionConfiguration : IEntityTypeConfiguration<WaterRestriction>
{
    public void Configure(EntityTypeBuilder<WaterRestriction> b)
    {
        b.IsAlyxModel("actions_waterrestriction", "actions.waterrestriction");
        b.HasOne(w => w.Subject).WithMany(s => s.WaterRestrictions).HasForeignKey(w => w.SubjectId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(w => w.Location).WithMany().HasForeignKey(w => w.LocationId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(w => w.Lab).WithMany().HasForeignKey(w => w.LabId).OnDelete(DeleteBehavior.SetNull);
    }
}

/// <summary>Actions-app models in dumps imported so far: raw rows, no protocol-number or reference-weight logic.</summary>
sealed class ActionsImport : IDumpModels
{
    // users, procedures and water_type point at tables the actions app will add.
    public void Register(DumpModelRegistry models) =>
        models.Add("actions.waterrestriction").Ignore("users", "procedures", "water_type");
}
