using Alyx.Database;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Auth;

/// <summary>DRF's authtoken_token: one never-expiring 40-hex key per user.</summary>
public sealed class AuthToken
{
    public string Key { get; set; } = "";
    public Guid UserId { get; set; }
    public LabMember? User { get; set; }
    public DateTime Created { get; set; }
}

sealed class AuthTokenConfiguration : IEntityTypeConfiguration<AuthToken>
{
    public void Configure(EntityTypeBuilder<AuthToken> b)
    {
        b.ToTable("authtoken_token").HasModelLabel("authtoken.token").HasAnnotation(AlyxAnnotations.Secret, true);
        b.HasKey(t => t.Key);
        b.Property(t => t.Key).HasMaxLength(40);
        b.HasIndex(t => t.UserId).IsUnique();
        b.HasOne(t => t.User).WithOne().HasForeignKey<AuthToken>(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
