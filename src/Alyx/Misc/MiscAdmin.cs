using Alyx.Admin;

namespace Alyx.Misc;

/// <summary>Alyx: misc/admin.py LabMemberAdmin (Django's UserAdmin).</summary>
sealed class LabMemberAdmin : IAdminDeclaration
{
    public Type Entity => typeof(LabMember);

    public AdminOptions Options { get; } = new()
    {
        Search = ["Username", "FirstName", "LastName", "Email"],
        Display = ["Username"],
    };
}
