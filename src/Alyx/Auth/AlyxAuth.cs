using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Auth;

/// <summary>The authenticated caller of a request.</summary>
public sealed record CurrentUser(Guid Id, string Username, bool IsPublicUser, bool IsSuperuser, bool IsStaff);

/// <summary>Endpoint metadata: who may reach a route. Routes without it follow the REST rule.</summary>
public enum Access
{
    /// <summary>Authenticated, and public users may only GET (conventions §6.1).</summary>
    Api,

    /// <summary>Anyone, though credentials that are sent are still checked (/api/schema, /docs/).</summary>
    Anonymous,

    /// <summary>No permission check at all (/auth-token).</summary>
    Open,
}

public sealed record AccessAttribute(Access Access);

public static class AlyxAuth
{
    const string UserKey = "Alyx:CurrentUser";

    public static CurrentUser? CurrentUser(this HttpContext context) => context.Items[UserKey] as CurrentUser;

    public static CurrentUser RequiredUser(this HttpContext context) =>
        context.CurrentUser() ?? throw new InvalidOperationException("No authenticated user on an API route.");

    public static TBuilder WithAccess<TBuilder>(this TBuilder builder, Access access) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AccessAttribute(access));

    /// <summary>
    /// Token authentication and the permission rule, in one place for every matched route (hand-written ones too):
    /// 403 bodies exactly as DRF words them; the ONE client looks for <c>"Invalid token."</c>.
    /// </summary>
    public static IApplicationBuilder UseAlyxAuth(this IApplicationBuilder app)
    {
        var cache = app.ApplicationServices.GetRequiredService<TokenCache>();
        return app.Use(async (context, next) => await AuthenticateAsync(context, next, cache));
    }

    static async Task AuthenticateAsync(HttpContext context, RequestDelegate next, TokenCache cache)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null)
        {
            await next(context);
            return;
        }
        var header = context.Request.Headers.Authorization.ToString();
        var parts = header.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length > 0 && parts[0].Equals("token", StringComparison.OrdinalIgnoreCase))
        {
            if (parts.Length == 1)
            {
                await Deny(context, "Invalid token header. No credentials provided.");
                return;
            }
            if (parts.Length > 2)
            {
                await Deny(context, "Invalid token header. Token string should not contain spaces.");
                return;
            }
            var key = parts[1];
            if (!cache.TryGet(key, out var current))
            {
                var version = cache.Version;
                var db = context.RequestServices.GetRequiredService<AlyxDb>();
                var user = await db.Tokens.AsNoTracking().Where(t => t.Key == key)
                    .Select(t => new { t.User!.Id, t.User.Username, t.User.IsPublicUser, t.User.IsSuperuser, t.User.IsStaff, t.User.IsActive })
                    .SingleOrDefaultAsync(context.RequestAborted);
                if (user is null)
                {
                    await Deny(context, "Invalid token.");
                    return;
                }
                if (!user.IsActive)
                {
                    await Deny(context, "User inactive or deleted.");
                    return;
                }
                current = new CurrentUser(user.Id, user.Username, user.IsPublicUser, user.IsSuperuser, user.IsStaff);
                cache.Add(key, version, current);
            }
            context.Items[UserKey] = current;
        }
        var access = endpoint.Metadata.GetMetadata<AccessAttribute>()?.Access ?? Access.Api;
        if (access == Access.Api)
        {
            var current = context.CurrentUser();
            if (current is null)
            {
                await Deny(context, "Authentication credentials were not provided.");
                return;
            }
            if (current.IsPublicUser && context.Request.Method != HttpMethods.Get)
            {
                await Deny(context, "You do not have permission to perform this action.");
                return;
            }
        }
        await next(context);
    }

    static Task Deny(HttpContext context, string detail) => AlyxResults.Forbidden(detail).ExecuteAsync(context);
}
