using Alyx.Auth;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Admin;

/// <summary>
/// The admin site's frame (Django's AdminSite): the two route groups every admin page is mapped in, the login and logout
/// pages, the index of apps and models, and the static files.
/// </summary>
public static class AdminShell
{
    /// <summary>Django's AdminAuthenticationForm error (wrong password, inactive or non-staff user alike).</summary>
    public const string InvalidLogin = "Please enter the correct username and password for a staff account. Note that both fields may be case-sensitive.";

    /// <summary>
    /// <c>/admin</c>: for pages of the Django admin URL scheme. Every route of the group needs an active staff user's
    /// session (<see cref="AlyxPolicy.Admin"/>, others are sent to the login page) and a CSRF token on unsafe methods.
    /// May be called from several places; each call gives a group with the same rules.
    /// </summary>
    public static RouteGroupBuilder MapAdminGroup(this IEndpointRouteBuilder routes) => Secure(routes.MapGroup("/admin"));

    /// <summary><c>/admin-actions</c>: Alyx's own admin views (training, water history, plots), with the rules of <see cref="MapAdminGroup"/>.</summary>
    public static RouteGroupBuilder MapAdminActionsGroup(this IEndpointRouteBuilder routes) => Secure(routes.MapGroup("/admin-actions"));

    static RouteGroupBuilder Secure(RouteGroupBuilder group)
    {
        group.RequireAuthorization(AlyxPolicy.Admin).AddEndpointFilter(AdminForms.CsrfFilterAsync).AddEndpointFilter(AdminPermissions.RolesFilterAsync).DisableAntiforgery();
        return group;
    }

    /// <summary>Maps the login, logout and index pages and the static files.</summary>
    public static IEndpointRouteBuilder MapAdminShell(this IEndpointRouteBuilder routes)
    {
        AdminAssets.Map(routes);
        // Login and logout are open to anyone; they check their own CSRF token.
        routes.MapGet("/admin/login/", LoginForm).AllowAnonymous();
        routes.MapPost("/admin/login/", LoginAsync).AllowAnonymous().DisableAntiforgery();
        routes.MapGet("/admin/logout/", (HttpContext http) => AdminForms.Page<LogoutPage>(http)).AllowAnonymous();
        routes.MapPost("/admin/logout/", (Delegate)LogoutAsync).AllowAnonymous().DisableAntiforgery();
        routes.MapAdminGroup().MapGet("/", (HttpContext http) => AdminForms.Page<IndexPage>(http));
        routes.MapPasswordPages();
        routes.MapModelPages();
        return routes;
    }

    static IResult LoginForm(HttpContext http)
    {
        var next = AdminForms.SafeNext(http.Request.Query["next"]);
        // Django's LoginView(redirect_authenticated_user) for the admin: a staff user who is signed in goes on.
        if (http.User.Identity is AlyxIdentity { AuthenticationType: AlyxSession.Scheme, User.IsStaff: true }) return Results.Redirect(next);
        return AdminForms.Page<LoginPage>(http, new { Next = next });
    }

    static async Task<IResult> LoginAsync(HttpContext http, AlyxDb db, CancellationToken ct)
    {
        if (await AdminForms.CsrfRefusalAsync(http) is { } refused) return refused;
        var form = await http.Request.ReadFormAsync(ct);
        var username = form["username"].ToString().Trim();
        var password = form["password"].ToString();
        var next = AdminForms.SafeNext(form["next"]);
        var errors = new Dictionary<string, string>();
        if (username.Length == 0) errors["username"] = "This field is required.";
        if (password.Length == 0) errors["password"] = "This field is required.";
        if (errors.Count == 0)
        {
            var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Username == username, ct);
            // Django's ModelBackend refuses inactive users; AdminAuthenticationForm refuses non-staff ones in the same words.
            if (user is { IsActive: true, IsStaff: true } && DjangoPasswordHasher.Verify(password, user.Password))
            {
                await AlyxSession.SignInAsync(http, user);
                return Results.Redirect(next);
            }
            return AdminForms.Page<LoginPage>(http, new { Next = next, Username = username, Error = InvalidLogin });
        }
        return AdminForms.Page<LoginPage>(http, new { Next = next, Username = username, FieldErrors = errors });
    }

    static async Task<IResult> LogoutAsync(HttpContext http)
    {
        if (await AdminForms.CsrfRefusalAsync(http) is { } refused) return refused;
        await AlyxSession.SignOutAsync(http);
        // The page is rendered for the signed-out caller (no header, a fresh CSRF token).
        http.User = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
        return AdminForms.Page<LoggedOutPage>(http);
    }
}
