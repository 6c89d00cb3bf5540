using System.Text.Json;

namespace Alyx.Database;

/// <summary>Django's names for CLR members: <c>IsPublicUser</c> -> <c>is_public_user</c>.</summary>
public static class Naming
{
    public static string Snake(string clrName) => JsonNamingPolicy.SnakeCaseLower.ConvertName(clrName);
}
