using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Alyx.Auth;

/// <summary>
/// Django's session login as a cookie scheme, for the admin pages (and accepted by the REST API, as DRF's
/// SessionAuthentication is, conventions §5.3): the cookie names the user; every request reloads the user, so a deactivated
/// user or a changed password ends the session at once (Django's <c>get_user</c> and session auth hash). Unsafe requests it
/// authenticates need an antiforgery token in <c>X-CSRFToken</c> (<see cref="CsrfFailureAsync"/>).
/// </summary>
public static class AlyxSession
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;

    /// <summary>Django's HASH_SESSION_KEY: a digest of the password hash the session was opened with.</summary>
    const string HashClaim = "session_auth_hash";

    internal static void Configure(CookieAuthenticationOptions o)
    {
        // Django's SESSION_COOKIE_NAME, _PATH, _HTTPONLY, _SAMESITE and _AGE (2 weeks, a persistent cookie).
        o.Cookie.Name = "sessionid";
        o.Cookie.Path = "/";
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.ExpireTimeSpan = TimeSpan.FromDays(14);
        o.SlidingExpiration = true;
        o.LoginPath = "/admin/login/";
        o.LogoutPath = "/admin/logout/";
        o.AccessDeniedPath = "/admin/login/";
        o.ReturnUrlParameter = "next";
        o.Events.OnValidatePrincipal = ValidateAsync;
    }

    internal static void ConfigureCsrf(AntiforgeryOptions o)
    {
        // Django's names. Unlike Django's csrftoken cookie, this one is not the token to send: pages are given that
        // (IAntiforgery.GetAndStoreTokens) for the X-CSRFToken header or the csrfmiddlewaretoken form field.
        o.Cookie.Name = "csrftoken";
        o.Cookie.Path = "/";
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.HeaderName = "X-CSRFToken";
        o.FormFieldName = "csrfmiddlewaretoken";
    }

    /// <summary>Opens a session for <paramref name="user"/> (whose password the caller has checked) and records the login, as Django's login() does.</summary>
    public static async Task SignInAsync(HttpContext context, LabMember user)
    {
        var current = new CurrentUser(user.Id, user.Username, user.IsPublicUser, user.IsSuperuser, user.IsStaff);
        var identity = new AlyxIdentity(current, Scheme, [new Claim(HashClaim, SessionHash(user.Password))]);
        await context.SignInAsync(Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = true });
        var services = context.RequestServices;
        var now = services.GetRequiredService<AlyxClock>().Now;
        await services.GetRequiredService<AlyxDb>().Users.Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastLogin, now), context.RequestAborted);
    }

    public static Task SignOutAsync(HttpContext context) => context.SignOutAsync(Scheme);

    static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal!;
        var hash = principal.FindFirstValue(HashClaim);
        var user = Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            ? await context.HttpContext.RequestServices.GetRequiredService<AlyxDb>().Users.AsNoTracking().Where(u => u.Id == id)
                .Select(u => new { u.Id, u.Username, u.Password, u.IsActive, u.IsPublicUser, u.IsSuperuser, u.IsStaff })
                .SingleOrDefaultAsync(context.HttpContext.RequestAborted)
            : null;
        if (user is null || !user.IsActive || hash is null || SessionHash(user.Password) != hash)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }
        var current = new CurrentUser(user.Id, user.Username, user.IsPublicUser, user.IsSuperuser, user.IsStaff);
        context.ReplacePrincipal(new ClaimsPrincipal(new AlyxIdentity(current, Scheme, [new Claim(HashClaim, hash)])));
    }

    static string SessionHash(string passwordHash) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(passwordHash)));

    /// <summary>
    /// Django's CSRF check as DRF's SessionAuthentication applies it: only to session-authenticated requests with an unsafe
    /// method; token requests are exempt. The reason in Django's words, or null when the request passes.
    /// </summary>
    internal static async Task<string?> CsrfFailureAsync(HttpContext context)
    {
        if (context.User.Identity is not AlyxIdentity { AuthenticationType: Scheme }) return null;
        var method = context.Request.Method;
        if (HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method)) return null;
        var options = context.RequestServices.GetRequiredService<IOptions<AntiforgeryOptions>>().Value;
        if (!context.Request.Cookies.ContainsKey(options.Cookie.Name!)) return "CSRF cookie not set.";
        // The header only: the REST API does not read a form body to look for the token.
        if (string.IsNullOrEmpty(context.Request.Headers[options.HeaderName!])) return "CSRF token missing.";
        return await context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context)
            ? null
            : "CSRF token from the 'X-Csrftoken' HTTP header incorrect.";
    }
}
