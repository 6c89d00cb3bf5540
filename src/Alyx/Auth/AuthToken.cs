using Alyx.Database;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Alyx.Auth;

/// <summary>DRF's authtoken_token: one 40-hex key per user, never expiring unless <see cref="TokenOptions.TtlDays"/> is set.</summary>
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

/// <summary>Token lifetime (setting <c>TOKEN_TTL_DAYS</c>, see <see cref="AlyxSettings"/>).</summary>
public sealed class TokenOptions
{
    /// <summary>Days after its <c>created</c> time that a token is refused; null (the default): never, as in Alyx.</summary>
    public int? TtlDays { get; set; }

    /// <summary>Whether a token created at <paramref name="created"/> is older than the lifetime at <paramref name="now"/> (server-local times).</summary>
    public bool IsExpired(DateTime created, DateTime now) => TtlDays is { } days && now - created > TimeSpan.FromDays(days);
}

/// <summary>
/// The failure of a token older than <c>TOKEN_TTL_DAYS</c>: DRF's 403 <c>{"detail": "Invalid token."}</c>, the answer on which ONE's
/// client logs in again (it looks for <c>"Invalid token."</c>, quotes included, in a 403 body).
/// </summary>
public sealed class TokenExpiredException() : Exception("Token has expired.")
{
    public static System.Text.Json.Nodes.JsonObject Body() => new()
    {
        ["detail"] = "Invalid token.",
        ["status_code"] = StatusCodes.Status403Forbidden,
    };
}
