using System.Security.Claims;
using System.Text.Encodings.Web;
using Alyx.Database;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Alyx.Auth;

/// <summary>
/// DRF's TokenAuthentication (conventions §5.2): <c>Authorization: Token &lt;key&gt;</c>, keyword in any case; other schemes
/// are no credentials. A failure carries DRF's message, which <see cref="AlyxPolicy"/> answers with a 403 (the ONE client
/// looks for <c>"Invalid token."</c>). With <c>TOKEN_TTL_DAYS</c> set, an older token fails with <see cref="TokenExpiredException"/>.
/// </summary>
sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, TokenCache cache,
    TokenOptions tokens, Http.AlyxClock clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var parts = Request.Headers.Authorization.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || !parts[0].Equals("token", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        if (parts.Length == 1) return AuthenticateResult.Fail("Invalid token header. No credentials provided.");
        if (parts.Length > 2) return AuthenticateResult.Fail("Invalid token header. Token string should not contain spaces.");
        var key = parts[1];
        if (!cache.TryGet(key, out var entry))
        {
            var version = cache.Version;
            var db = Context.RequestServices.GetRequiredService<AlyxDb>();
            var user = await db.Tokens.AsNoTracking().Where(t => t.Key == key)
                .Select(t => new { t.User!.Id, t.User.Username, t.User.IsPublicUser, t.User.IsSuperuser, t.User.IsStaff, t.User.IsActive, t.Created })
                .SingleOrDefaultAsync(Context.RequestAborted);
            if (user is null) return AuthenticateResult.Fail("Invalid token.");
            if (!user.IsActive) return AuthenticateResult.Fail("User inactive or deleted.");
            entry = new CachedToken(new CurrentUser(user.Id, user.Username, user.IsPublicUser, user.IsSuperuser, user.IsStaff), user.Created);
            cache.Add(key, version, entry);
        }
        if (tokens.IsExpired(entry.Created, clock.Now)) return AuthenticateResult.Fail(new TokenExpiredException());
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new AlyxIdentity(entry.User, Scheme.Name)), Scheme.Name));
    }
}
