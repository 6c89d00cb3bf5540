using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Alyx.Auth;

/// <summary>The authenticated caller of a request.</summary>
public sealed record CurrentUser(Guid Id, string Username, bool IsPublicUser, bool IsSuperuser, bool IsStaff);

/// <summary>
/// An authenticated Alyx user as claims (id, username and the three flags, under Django's field names), holding the
/// <see cref="CurrentUser"/> they were made from so that handlers read the record, not the claims.
/// </summary>
public sealed class AlyxIdentity : ClaimsIdentity
{
    public AlyxIdentity(CurrentUser user, string authenticationType, IEnumerable<Claim>? more = null)
        : base(ClaimsOf(user).Concat(more ?? []), authenticationType) => User = user;

    AlyxIdentity(AlyxIdentity other) : base(other) => User = other.User;

    public CurrentUser User { get; }

    public override ClaimsIdentity Clone() => new AlyxIdentity(this);

    static IEnumerable<Claim> ClaimsOf(CurrentUser user) =>
    [
        new(ClaimTypes.NameIdentifier, user.Id.ToString()),
        new(ClaimTypes.Name, user.Username),
        new("is_public_user", Flag(user.IsPublicUser), ClaimValueTypes.Boolean),
        new("is_superuser", Flag(user.IsSuperuser), ClaimValueTypes.Boolean),
        new("is_staff", Flag(user.IsStaff), ClaimValueTypes.Boolean),
    ];

    static string Flag(bool value) => value ? "true" : "false";
}

/// <summary>
/// Authentication as DRF does it for Alyx (conventions §5): the session cookie (<see cref="AlyxSession"/>), then the
/// <c>Authorization: Token</c> header (<see cref="TokenAuthenticationHandler"/>); who may do what is
/// <see cref="AlyxPolicy"/>.
/// </summary>
public static class AlyxAuth
{
    /// <summary>The default scheme: session first, then token.</summary>
    public const string Scheme = "Alyx";

    public const string TokenScheme = "Token";

    public static CurrentUser? CurrentUser(this HttpContext context) => (context.User.Identity as AlyxIdentity)?.User;

    public static CurrentUser RequiredUser(this HttpContext context) =>
        context.CurrentUser() ?? throw new InvalidOperationException("No authenticated user on an API route.");

    public static IServiceCollection AddAlyxAuth(this IServiceCollection services)
    {
        services.AddAuthentication(Scheme)
            .AddScheme<AuthenticationSchemeOptions, SessionThenTokenHandler>(Scheme, null)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenScheme, null)
            .AddCookie(AlyxSession.Scheme, AlyxSession.Configure);
        services.AddAntiforgery(AlyxSession.ConfigureCsrf);
        AlyxPolicy.Add(services);
        return services;
    }

    /// <summary>DRF's authentication classes in Alyx's order: a valid session wins, even over a token header (§5.3).</summary>
    sealed class SessionThenTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            var session = await Context.AuthenticateAsync(AlyxSession.Scheme);
            return session.Succeeded ? session : await Context.AuthenticateAsync(TokenScheme);
        }
    }
}
