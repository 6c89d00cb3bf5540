using Alyx.Database;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Misc;

/// <summary>A note (text and optional image) attached to any row through a content type and an object id.</summary>
public sealed class Note : AlyxModel
{
    public Guid UserId { get; set; }
    public LabMember? User { get; set; }
    public DateTime DateTime { get; set; }
    public string Text { get; set; } = "";
    public string? Image { get; set; }
    public int ContentTypeId { get; set; }
    public ContentType? ContentType { get; set; }
    public Guid ObjectId { get; set; }
}

sealed class NoteConfiguration : IEntityTypeConfiguration<Note>
{
    public void Configure(EntityTypeBuilder<Note> b)
    {
        b.IsAlyxModel("misc_note", "misc.note");
        b.Property(n => n.Image).HasMaxLength(100);
        b.HasOne(n => n.User).WithMany(u => u.Notes).HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(n => n.ContentType).WithMany().HasForeignKey(n => n.ContentTypeId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(n => n.ObjectId);
        b.HasIndex(n => new { n.DateTime, n.Id });
    }
}

/// <summary>Django's content-type table: one row per model, <c>(app_label, model)</c>.</summary>
public sealed class ContentType
{
    public int Id { get; set; }
    public string AppLabel { get; set; } = "";
    public string Model { get; set; } = "";
}

sealed class ContentTypeConfiguration : IEntityTypeConfiguration<ContentType>
{
    public void Configure(EntityTypeBuilder<ContentType> b)
    {
        b.ToTable("django_content_type");
        b.HasKey(c => c.Id);
        b.Property(c => c.AppLabel).HasMaxLength(100);
        b.Property(c => c.Model).HasMaxLength(100);
        b.HasIndex(c => new { c.AppLabel, c.Model }).IsUnique();
    }
}
