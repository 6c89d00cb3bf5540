using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Alyx.Admin;

/// <summary>
/// What every admin page and form shares: rendering a page component (with the CSRF cookie set first), the CSRF token of
/// the forms, and the check of that token on every unsafe request (Django's CsrfViewMiddleware, 403 page otherwise).
/// </summary>
public static class AdminForms
{
    /// <summary>The form field Django's CSRF check reads (<see cref="CsrfField"/> renders it).</summary>
    public const string CsrfField = "csrfmiddlewaretoken";

    /// <summary>The token a form of this response carries; the cookie it pairs with is set on the response (once).</summary>
    public static string Token(HttpContext http) =>
        http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http).RequestToken ?? "";

    /// <summary>A page: <typeparamref name="TPage"/> rendered with <paramref name="parameters"/> (an anonymous object or dictionary).</summary>
    public static RazorComponentResult<TPage> Page<TPage>(HttpContext http, object? parameters = null, int status = StatusCodes.Status200OK)
        where TPage : Microsoft.AspNetCore.Components.IComponent
    {
        // The antiforgery cookie must be set before the page starts streaming.
        Token(http);
        http.Response.Headers.CacheControl = "no-cache, no-store";
        return parameters is null
            ? new RazorComponentResult<TPage> { StatusCode = status }
            : new RazorComponentResult<TPage>(parameters) { StatusCode = status };
    }

    /// <summary>True for the methods that change nothing (Django's CSRF check leaves them alone).</summary>
    public static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    /// <summary>Null when the request is safe or carries a valid CSRF token (form field or X-CSRFToken header); else the 403 page.</summary>
    public static async Task<IResult?> CsrfRefusalAsync(HttpContext http)
    {
        if (IsSafe(http.Request.Method)) return null;
        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        if (await antiforgery.IsRequestValidAsync(http)) return null;
        var reason = http.Request.Cookies.ContainsKey("csrftoken") ? "CSRF token missing or incorrect." : "CSRF cookie not set.";
        return Page<CsrfFailedPage>(http, new { Reason = reason }, StatusCodes.Status403Forbidden);
    }

    /// <summary>The endpoint filter of the admin route groups: every unsafe request is CSRF-checked before its handler runs.</summary>
    public static async ValueTask<object?> CsrfFilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        await CsrfRefusalAsync(context.HttpContext) ?? await next(context);

    /// <summary>A redirect target from <c>next</c>: a local path only (never another site), else <paramref name="fallback"/>.</summary>
    public static string SafeNext(string? next, string fallback = "/admin/") =>
        next is { Length: > 0 } && next[0] == '/' && (next.Length == 1 || next[1] != '/' && next[1] != '\\') && !next.Contains('\r') && !next.Contains('\n')
            ? next
            : fallback;
}
