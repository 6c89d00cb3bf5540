using Alyx.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Misc;

/// <summary>
/// Django's auth.Group: a named set of users (integer key). Alyx's admin reads two kinds: "Lab members" (the model
/// permissions of conventions §6.3) and any group whose name contains "husbandry".
/// </summary>
public sealed class Group : IEntity
{
    public int Id { get; set; }

    // Groups have an integer key; their (admin-only) resource declaration says so (Resource.IntegerId) and never reads a UUID.
    Guid IEntity.Id => throw new NotSupportedException("Auth groups are keyed by an integer id.");
    public string Name { get; set; } = "";
    public List<LabMember> Users { get; set; } = [];
}

sealed class GroupConfiguration : IEntityTypeConfiguration<Group>
{
    public void Configure(EntityTypeBuilder<Group> b)
    {
        b.ToTable("auth_group").HasModelLabel("auth.group");
        b.HasKey(g => g.Id);
        b.Property(g => g.Name).HasMaxLength(150);
        b.HasIndex(g => g.Name).IsUnique();
        b.Navigation(g => g.Users).HasAnnotation(AlyxAnnotations.DjangoName, "user");
    }
}
