using Alyx.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Alyx.Auth;

/// <summary>
/// Who may reach a route (conventions §6). <see cref="Api"/> is the REST rule and the fallback: routes that name no policy
/// follow it. Both policies first require that credentials which were sent are valid (a bad token header, or a session
/// request without its CSRF token, is refused even where anyone may come), as DRF authenticates on every view.
/// </summary>
public static class AlyxPolicy
{
    /// <summary>Authenticated, and public users may only GET (only the literal method GET: not HEAD or OPTIONS either).</summary>
    public const string Api = "AlyxApi";

    /// <summary>Anyone (/api/schema, /docs/, /auth-token, the file server, which checks its own credentials).</summary>
    public const string Anonymous = "AlyxAnonymous";

    /// <summary>
    /// The admin pages (conventions §6.3): a session (cookie) user who is active and is_staff, as Django's admin_view. A
    /// refusal is a redirect to the login page (<see cref="AdminLoginPath"/>?next=...), never a JSON body; the pages check
    /// their forms' CSRF token themselves (the field <c>csrfmiddlewaretoken</c> or the header).
    /// </summary>
    public const string Admin = "AlyxAdmin";

    /// <summary>Where <see cref="Admin"/> sends those it refuses.</summary>
    public const string AdminLoginPath = "/admin/login/";

    internal static void Add(IServiceCollection services)
    {
        var api = new AuthorizationPolicyBuilder().AddRequirements(new ValidCredentials()).RequireAuthenticatedUser()
            .AddRequirements(new PublicUsersOnlyGet()).Build();
        services.AddAuthorizationBuilder()
            .AddPolicy(Api, api)
            .AddPolicy(Anonymous, p => p.AddRequirements(new ValidCredentials()))
            .AddPolicy(Admin, p => p.AddRequirements(new StaffSession()))
            .SetFallbackPolicy(api);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, AlyxAuthorizationResults>();
    }

    /// <summary>Fails with the reason of a failed CSRF check; a failed token check shows as a challenge (no user).</summary>
    sealed class ValidCredentials : AuthorizationHandler<ValidCredentials, HttpContext>, IAuthorizationRequirement
    {
        protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ValidCredentials requirement, HttpContext http)
        {
            if ((await http.AuthenticateAsync()).Failure is not null) context.Fail();
            else if (await AlyxSession.CsrfFailureAsync(http) is { } reason) context.Fail(new AuthorizationFailureReason(this, "CSRF Failed: " + reason));
            else context.Succeed(requirement);
        }
    }

    sealed class PublicUsersOnlyGet : AuthorizationHandler<PublicUsersOnlyGet, HttpContext>, IAuthorizationRequirement
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PublicUsersOnlyGet requirement, HttpContext http)
        {
            if (http.CurrentUser() is { } user && (!user.IsPublicUser || http.Request.Method == HttpMethods.Get)) context.Succeed(requirement);
            return Task.CompletedTask;
        }
    }

    /// <summary>Django's admin: a signed-in session (not a token) of an active staff user (the session scheme has checked is_active).</summary>
    internal sealed class StaffSession : AuthorizationHandler<StaffSession, HttpContext>, IAuthorizationRequirement
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, StaffSession requirement, HttpContext http)
        {
            if (http.User.Identity is AlyxIdentity { AuthenticationType: AlyxSession.Scheme, User.IsStaff: true }) context.Succeed(requirement);
            return Task.CompletedTask;
        }
    }

    /// <summary>
    /// Refusals in DRF's words, always 403 (the session scheme has no WWW-Authenticate challenge, §5.2): the token
    /// failure or "not provided" when there is no user, else the failed requirement's reason or "no permission".
    /// </summary>
    sealed class AlyxAuthorizationResults : IAuthorizationMiddlewareResultHandler
    {
        public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            // The fallback policy is evaluated for unmatched paths too; they go on to their 404.
            if (authorizeResult.Succeeded || context.GetEndpoint() is null)
            {
                await next(context);
                return;
            }
            if (policy.Requirements.OfType<StaffSession>().Any())
            {
                // Django's admin_view: anyone who may not see the page goes to the login page, which says why.
                var here = context.Request.PathBase + context.Request.Path + context.Request.QueryString;
                context.Response.Redirect(AdminLoginPath + "?next=" + Uri.EscapeDataString(here));
                return;
            }
            var failure = authorizeResult.Challenged ? (await context.AuthenticateAsync()).Failure : null;
            if (failure is TokenExpiredException)
            {
                await new AlyxJsonResult(TokenExpiredException.Body(), StatusCodes.Status403Forbidden).ExecuteAsync(context);
                return;
            }
            var detail = authorizeResult.Challenged
                ? failure?.Message ?? "Authentication credentials were not provided."
                : authorizeResult.AuthorizationFailure?.FailureReasons.FirstOrDefault()?.Message ?? "You do not have permission to perform this action.";
            await AlyxResults.Forbidden(detail).ExecuteAsync(context);
        }
    }
}
