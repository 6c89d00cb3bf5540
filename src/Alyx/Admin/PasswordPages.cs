using Alyx.Auth;
using Alyx.Database;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Admin;

/// <summary>
/// Passwords in the admin, as Django's: <c>/admin/password_change/</c> for one's own (the old password checked) and, for a
/// superuser, <c>/admin/misc/labmember/{id}/password/</c> for another user's. New passwords pass Django's default validators.
/// </summary>
public static class PasswordPages
{
    public const string OldIncorrect = "Your old password was entered incorrectly. Please enter it again.";
    public const string Mismatch = "The two password fields didn’t match.";
    const string Required = "This field is required.";

    public static void MapPasswordPages(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapAdminGroup();
        admin.MapGet("/password_change/", (HttpContext http) => AdminForms.Page<PasswordChangePage>(http));
        admin.MapPost("/password_change/", ChangeOwnAsync);
        admin.MapGet("/password_change/done/", (HttpContext http) => AdminForms.Page<PasswordChangeDonePage>(http));
        admin.MapGet("/misc/labmember/{id:guid}/password/", SetFormAsync);
        admin.MapPost("/misc/labmember/{id:guid}/password/", SetAsync);
    }

    static async Task<IResult> ChangeOwnAsync(HttpContext http, AlyxDb db, CancellationToken ct)
    {
        var form = await http.Request.ReadFormAsync(ct);
        var me = http.RequiredUser();
        var user = await db.Users.SingleAsync(u => u.Id == me.Id, ct);
        var errors = new Dictionary<string, List<string>>();
        var old = form["old_password"].ToString();
        if (old.Length == 0) Add(errors, "old_password", Required);
        else if (!DjangoPasswordHasher.Verify(old, user.Password)) Add(errors, "old_password", OldIncorrect);
        NewPassword(errors, user, form["new_password1"].ToString(), form["new_password2"].ToString(), "new_password1", "new_password2");
        if (errors.Count > 0) return AdminForms.Page<PasswordChangePage>(http, new { Errors = errors });
        user.Password = DjangoPasswordHasher.Hash(form["new_password1"].ToString());
        await db.SaveChangesAsync(ct);
        // Django's update_session_auth_hash: the session goes on under the new password.
        await AlyxSession.SignInAsync(http, user);
        return Results.Redirect("/admin/password_change/done/");
    }

    static async Task<IResult> SetFormAsync(HttpContext http, Guid id, AlyxDb db, CancellationToken ct)
    {
        if (Refusal(http, id) is { } refused) return refused;
        var username = await db.Users.Where(u => u.Id == id).Select(u => u.Username).FirstOrDefaultAsync(ct);
        return username is null
            ? AdminForms.Page<NotFoundPage>(http, new { What = $"lab member with ID “{id}”" }, StatusCodes.Status404NotFound)
            : AdminForms.Page<SetPasswordPage>(http, new { UserId = id, Username = username });
    }

    static async Task<IResult> SetAsync(HttpContext http, Guid id, AlyxDb db, CancellationToken ct)
    {
        if (Refusal(http, id) is { } refused) return refused;
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return AdminForms.Page<NotFoundPage>(http, new { What = $"lab member with ID “{id}”" }, StatusCodes.Status404NotFound);
        var form = await http.Request.ReadFormAsync(ct);
        var errors = new Dictionary<string, List<string>>();
        NewPassword(errors, user, form["password1"].ToString(), form["password2"].ToString(), "password1", "password2");
        if (errors.Count > 0) return AdminForms.Page<SetPasswordPage>(http, new { UserId = id, user.Username, Errors = errors });
        user.Password = DjangoPasswordHasher.Hash(form["password1"].ToString());
        await db.SaveChangesAsync(ct);
        AdminForms.Flash(http, "Password changed successfully.");
        return Results.Redirect($"/admin/misc/labmember/{id}/change/");
    }

    /// <summary>Only superusers set other users' passwords (conventions §6.3); one's own goes through the old password.</summary>
    static IResult? Refusal(HttpContext http, Guid id)
    {
        var me = http.RequiredUser();
        if (me.Id == id && !me.IsSuperuser) return Results.Redirect("/admin/password_change/");
        return me.IsSuperuser ? null : AdminForms.Page<ForbiddenPage>(http, null, StatusCodes.Status403Forbidden);
    }

    static void Add(Dictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
        list.Add(message);
    }

    /// <summary>Django's SetPasswordForm: both required, equal, then the validators (their errors on the second field).</summary>
    static void NewPassword(Dictionary<string, List<string>> errors, LabMember user, string first, string second, string firstName, string secondName)
    {
        if (first.Length == 0) Add(errors, firstName, Required);
        if (second.Length == 0) Add(errors, secondName, Required);
        if (first.Length == 0 || second.Length == 0) return;
        if (first != second)
        {
            Add(errors, secondName, Mismatch);
            return;
        }
        foreach (var problem in PasswordValidators.Validate(second, user)) Add(errors, secondName, problem);
    }
}
