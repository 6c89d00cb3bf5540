using Alyx.Auth;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Http;

/// <summary>
/// For load balancers and orchestrators, without authentication and outside the throttle: <c>GET /healthz</c> (the process
/// answers) and <c>GET /readyz</c> (the database answers and has no pending migration; 503 with the reason otherwise).
/// </summary>
static class Health
{
    public static void MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/healthz", () => Results.Json(new Dictionary<string, string> { ["status"] = "ok" }))
            .RequireAuthorization(AlyxPolicy.Anonymous).DisableRateLimiting();
        routes.MapGet("/readyz", ReadyAsync).RequireAuthorization(AlyxPolicy.Anonymous).DisableRateLimiting();
    }

    static async Task<IResult> ReadyAsync(AlyxDb db, CancellationToken ct)
    {
        string? problem;
        try
        {
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            problem = pending.Count == 0 ? null : "migrations pending: " + string.Join(", ", pending);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            problem = "database unreachable: " + e.GetBaseException().Message;
        }
        return problem is null
            ? Results.Json(new Dictionary<string, string> { ["status"] = "ready" })
            : Results.Json(new Dictionary<string, string> { ["status"] = "not ready", ["reason"] = problem }, statusCode: StatusCodes.Status503ServiceUnavailable);
    }
}
