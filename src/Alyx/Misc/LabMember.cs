using Alyx.Database;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Misc;

/// <summary>The user model (Alyx: misc.LabMember, a Django user with a UUID key and three extra flags).</summary>
public sealed class LabMember : IEntity
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public string Password { get; set; } = "";
    public DateTime? LastLogin { get; set; }
    public bool IsSuperuser { get; set; }
    public string Username { get; set; } = "";
    public string FirstName { get; set; } = "";
    public string LastName { get; set; } = "";
    public string Email { get; set; } = "";
    public bool IsStaff { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime DateJoined { get; set; }
    public bool IsStockManager { get; set; }
    public bool IsPublicUser { get; set; }

    /// <summary>Delegates: the users allowed to act on this user's subjects (not symmetric).</summary>
    public List<LabMember> AllowedUsers { get; set; } = [];

    /// <summary>Reverse of <see cref="AllowedUsers"/>: users who list this one as a delegate.</summary>
    public List<LabMember> AllowedBy { get; set; } = [];

    /// <summary>Django's auth groups of the user (the admin's "Lab members" and husbandry groups).</summary>
    public List<Group> Groups { get; set; } = [];

    public List<LabMembership> LabMemberships { get; set; } = [];
    public List<Subject> SubjectsResponsible { get; set; } = [];
    public List<SubjectRequest> SubjectsRequested { get; set; } = [];
    public List<Project> Projects { get; set; } = [];
    public List<Note> Notes { get; set; } = [];
}

sealed class LabMemberConfiguration : IEntityTypeConfiguration<LabMember>
{
    public void Configure(EntityTypeBuilder<LabMember> b)
    {
        b.ToTable("misc_labmember").HasModelLabel("misc.labmember");
        b.HasKey(u => u.Id);
        b.Property(u => u.Id).ValueGeneratedNever();
        b.Property(u => u.Password).HasMaxLength(128).IsSecret();
        b.Property(u => u.Username).HasMaxLength(150);
        b.HasIndex(u => u.Username).IsUnique();
        b.Property(u => u.FirstName).HasMaxLength(150);
        b.Property(u => u.LastName).HasMaxLength(150);
        b.Property(u => u.Email).HasMaxLength(254);
        b.HasMany(u => u.AllowedUsers).WithMany(u => u.AllowedBy).UsingEntity<Dictionary<string, object>>(
            "misc_labmember_allowed_users",
            r => r.HasOne<LabMember>().WithMany().HasForeignKey("to_labmember_id").OnDelete(DeleteBehavior.Cascade),
            l => l.HasOne<LabMember>().WithMany().HasForeignKey("from_labmember_id").OnDelete(DeleteBehavior.Cascade),
            j => j.HasKey("from_labmember_id", "to_labmember_id"));
        b.HasMany(u => u.Groups).WithMany(g => g.Users).UsingEntity<Dictionary<string, object>>(
            "misc_labmember_groups",
            r => r.HasOne<Group>().WithMany().HasForeignKey("group_id").OnDelete(DeleteBehavior.Cascade),
            l => l.HasOne<LabMember>().WithMany().HasForeignKey("labmember_id").OnDelete(DeleteBehavior.Cascade),
            j => j.HasKey("labmember_id", "group_id"));
        b.Navigation(u => u.AllowedBy).HasAnnotation(AlyxAnnotations.DjangoName, "labmember");
        b.Navigation(u => u.LabMemberships).HasAnnotation(AlyxAnnotations.DjangoName, "labmembership");
        b.Navigation(u => u.Notes).HasAnnotation(AlyxAnnotations.DjangoName, "note");
        b.Navigation(u => u.Projects).HasAnnotation(AlyxAnnotations.DjangoName, "project");
    }
}
