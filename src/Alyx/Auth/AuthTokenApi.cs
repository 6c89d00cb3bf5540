using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Auth;

/// <summary>
/// POST /auth-token: DRF's ObtainAuthToken (one token per user, created on first request, never expires). With
/// <c>TOKEN_TTL_DAYS</c> set, an expired token is replaced by a new one.
/// </summary>
static class AuthTokenApi
{
    public static readonly Serializer Serializer = new("AuthToken",
        new Field("username", FieldKind.String) { Required = true, AllowBlank = false, WriteOnly = true },
        new Field("password", FieldKind.String) { Required = true, AllowBlank = false, WriteOnly = true },
        new Field("token", FieldKind.String) { ReadOnly = true });

    public sealed record TokenBody(string Token);

    public static void MapAuthTokenApi(this IEndpointRouteBuilder routes)
    {
        // No permission check and not the request throttle; failed logins have their own (LoginThrottle).
        routes.MapOperation(new ApiOperation("/auth-token", "post", "auth-token", "create", Serializer, Serializer, null, [], 200), ObtainAsync)
            .RequireAuthorization(AlyxPolicy.Anonymous).DisableRateLimiting();
        // DRF's ObtainAuthToken has no permission check, so other methods are a 405 even for anonymous callers.
        routes.MapMethods("/auth-token", ["GET", "HEAD", "PUT", "PATCH", "DELETE"], (HttpContext context) =>
        {
            context.Response.Headers.Allow = "POST, OPTIONS";
            return AlyxResults.Detail(StatusCodes.Status405MethodNotAllowed, $"Method \"{context.Request.Method}\" not allowed.");
        }).RequireAuthorization(AlyxPolicy.Anonymous).DisableRateLimiting();
    }

    static async Task<IResult> ObtainAsync(HttpRequest req, AlyxDb db, AlyxClock clock, TokenOptions tokens, LoginThrottle logins, CancellationToken ct)
    {
        var (body, bodyError) = await RequestBody.ReadAsync(req, ct);
        if (bodyError is not null) return bodyError;
        var errors = new ErrorMap();
        foreach (var field in new[] { "username", "password" })
        {
            if (!body!.Fields.TryGetPropertyValue(field, out var node)) errors.Add(field, "This field is required.");
            else if (node is null) errors.Add(field, "This field may not be null.");
            else if (node.GetValueKind() != System.Text.Json.JsonValueKind.String) errors.Add(field, "Not a valid string.");
            else if ((field == "username" ? node.GetValue<string>().Trim() : node.GetValue<string>()).Length == 0)
                errors.Add(field, "This field may not be blank.");
            else if (Serializer.TextProblem(node.GetValue<string>()) is { } problem) errors.Add(field, problem);
        }
        if (errors.Any) return AlyxResults.Validation(errors);
        var username = body!.Fields["username"]!.GetValue<string>().Trim();
        var password = body.Fields["password"]!.GetValue<string>();
        var address = req.HttpContext.Connection.RemoteIpAddress;
        if (await logins.RetryAfterAsync(username, address, ct) is { } wait) return LoginThrottle.Refusal(wait);
        var user = await db.Users.AsNoTracking().Where(u => u.Username == username)
            .Select(u => new { u.Id, u.Password, u.IsActive }).SingleOrDefaultAsync(ct);
        // The password is hashed whether or not the user exists and is active (as Django does): the time tells nothing.
        var valid = user is null ? DjangoPasswordHasher.VerifyDummy(password) : DjangoPasswordHasher.Verify(password, user.Password) && user.IsActive;
        if (!valid || user is null)
        {
            await logins.FailedAsync(username, address, CancellationToken.None);
            return AlyxResults.Validation("non_field_errors", "Unable to log in with provided credentials.");
        }
        await logins.SucceededAsync(username, CancellationToken.None);
        var existing = await db.Tokens.Where(t => t.UserId == user.Id).SingleOrDefaultAsync(ct);
        var key = existing?.Key;
        if (existing is not null && tokens.IsExpired(existing.Created, clock.Now))
        {
            db.Tokens.Remove(existing);
            key = null;
        }
        if (key is null)
        {
            key = DjangoPasswordHasher.NewTokenKey();
            db.Tokens.Add(new AuthToken { Key = key, UserId = user.Id, Created = clock.Now });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Two first logins at once: the other request created the user's token; return that one.
                db.ChangeTracker.Clear();
                key = await db.Tokens.Where(t => t.UserId == user.Id).Select(t => t.Key).SingleAsync(ct);
            }
        }
        return AlyxResults.Ok(new TokenBody(key));
    }
}
