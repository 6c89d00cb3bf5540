using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Alyx.Http;

namespace Alyx.Misc;

public sealed record UserItem(
    Guid Id,
    string Username,
    string Email,
    List<string> SubjectsResponsible,
    List<string> Lab,
    [property: JsonPropertyOrder(1)] List<string> AllowedUsers,
    [property: JsonPropertyOrder(1)] bool IsStockManager)
{
    /// <summary>Distinct lab names, alphabetical (a user may hold several memberships of one lab).</summary>
    public List<string> Lab { get; init; } = Lab.Distinct().Order(StringComparer.Ordinal).ToList();
}

static class UserDtos
{
    public const string UsernamePattern = @"^[\w.@+-]+\z";

    public static readonly Serializer Serializer = new("User",
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        new Field("username", FieldKind.String)
        {
            Required = true,
            AllowBlank = false,
            MaxLength = 150,
            Pattern = UsernamePattern,
            PatternMessage = "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.",
            Description = "Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.",
        },
        new Field("email", FieldKind.String) { MaxLength = 254, Format = "email" },
        new Field("subjects_responsible", FieldKind.SlugList) { Required = true, Description = "Nicknames of the subjects this user is responsible for." },
        new Field("lab", FieldKind.SlugList) { ReadOnly = true, Description = "Labs the user currently belongs to." },
        new Field("allowed_users", FieldKind.SlugList) { Required = true, Description = "Usernames allowed to act on this user's subjects." },
        new Field("is_stock_manager", FieldKind.Boolean));

    /// <summary>Current labs: memberships started on or before today and not ended before today.</summary>
    public static Expression<Func<LabMember, UserItem>> Item(DateOnly today) => u => new UserItem(
        u.Id,
        u.Username,
        u.Email,
        u.SubjectsResponsible.OrderBy(s => s.Nickname).ThenByDescending(s => s.BirthDate).Select(s => s.Nickname).ToList(),
        u.LabMemberships.Where(m => m.StartDate != null && m.StartDate <= today && (m.EndDate == null || m.EndDate >= today))
            .Select(m => m.Lab!.Name).ToList(),
        u.AllowedUsers.OrderBy(a => a.Username).Select(a => a.Username).ToList(),
        u.IsStockManager);
}
