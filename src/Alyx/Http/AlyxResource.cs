using System.Linq.Expressions;
using Alyx.Database;
using Alyx.Filtering;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Http;

/// <summary>
/// A REST resource as DRF's router builds it: <c>/name</c> for list/create and <c>/name/{lookup}</c> for
/// retrieve/update/partial update/destroy. Each verb both maps the route and records it in the <see cref="ApiCatalog"/>.
/// </summary>
public sealed class AlyxResource(IEndpointRouteBuilder routes, ApiCatalog catalog, string name, string lookup, bool uuidLookup)
{
    public string ListPath { get; } = "/" + name;

    public string ItemPath => $"/{name}/{{{lookup}}}";

    string ItemRoute => uuidLookup ? $"/{name}/{{{lookup}:{LowerUuidConstraint.Name}}}" : ItemPath;

    static readonly string[] GetHead = ["GET", "HEAD"];

    /// <summary>The paginated, filtered list: one query for the page, projected to the DTO, and one for the count when the page does not tell it.</summary>
    public AlyxResource List<TEntity, TDto>(
        Func<AlyxDb, IQueryable<TEntity>> source,
        Func<HttpRequest, Expression<Func<TEntity, TDto>>> project,
        Serializer response,
        FilterSet<TEntity>? filters = null,
        Func<AlyxDb, List<TDto>, CancellationToken, Task>? enrich = null,
        string? description = null) where TEntity : class
    {
        routes.MapMethods(ListPath, GetHead, async (HttpRequest req, AlyxDb db, ListCounts counts, CancellationToken ct) =>
        {
            var parameters = QueryParams.Of(req);
            var page = PageRequest.From(parameters);
            var query = source(db).AsNoTracking();
            if (filters is not null)
            {
                var (filtered, error) = await filters.ApplyAsync(db, query, parameters, ct);
                if (error is not null) return error;
                query = filtered;
            }
            var rows = await query.Skip(page.Offset).Take(page.Limit).Select(project(req)).ToListAsync(ct);
            // A short page that is not past the end tells the count; otherwise count (remembered across pages).
            var count = rows.Count < page.Limit && (rows.Count > 0 || page.Offset == 0)
                ? page.Offset + rows.Count
                : await counts.GetAsync(ListCounts.Key(ListPath, parameters), () => query.CountAsync(ct));
            if (enrich is not null && rows.Count > 0) await enrich(db, rows, ct);
            return AlyxResults.Ok(Page.Create(req, page, count, rows));
        });
        catalog.Add(new ApiOperation(ListPath, "get", name, "list", null, response,
            filters is null ? null : filters.Describe, [], 200, description));
        return this;
    }

    public AlyxResource Create(Delegate handler, Serializer request, Serializer? response = null, string? description = null)
    {
        routes.MapPost(ListPath, handler);
        catalog.Add(new ApiOperation(ListPath, "post", name, "create", request, response ?? request, null, [], 201, description));
        return this;
    }

    public AlyxResource Retrieve(Delegate handler, Serializer response, string? description = null)
    {
        routes.MapMethods(ItemRoute, GetHead, handler);
        catalog.Add(new ApiOperation(ItemPath, "get", name, "read", null, response, null, [lookup], 200, description));
        return this;
    }

    public AlyxResource Update(Delegate handler, Serializer request, Serializer? response = null)
    {
        routes.MapPut(ItemRoute, handler);
        catalog.Add(new ApiOperation(ItemPath, "put", name, "update", request, response ?? request, null, [lookup], 200));
        return this;
    }

    public AlyxResource PartialUpdate(Delegate handler, Serializer request, Serializer? response = null)
    {
        routes.MapPatch(ItemRoute, handler);
        catalog.Add(new ApiOperation(ItemPath, "patch", name, "partial_update", request, response ?? request, null, [lookup], 200));
        return this;
    }

    public AlyxResource Destroy(Delegate handler)
    {
        routes.MapDelete(ItemRoute, handler);
        catalog.Add(new ApiOperation(ItemPath, "delete", name, "delete", null, null, null, [lookup], 204));
        return this;
    }

    /// <summary>
    /// DELETE of the one row <paramref name="find"/> selects by the path's lookup value (404 naming <paramref name="model"/>
    /// when none, 400 when the lookup is ambiguous); database cascades follow; <paramref name="deleted"/> runs after the commit.
    /// </summary>
    public AlyxResource Destroy<TEntity>(Func<AlyxDb, string, IQueryable<TEntity>> find, string model,
        Action<IServiceProvider, TEntity>? deleted = null) where TEntity : class =>
        Destroy(async (HttpContext context, AlyxDb db, CancellationToken ct) =>
        {
            var key = context.GetRouteValue(lookup) as string ?? "";
            var rows = await find(db, key).Take(2).ToListAsync(ct);
            if (rows.Count == 0) return AlyxResults.NotFound(model);
            if (rows.Count > 1) return AlyxResults.BadRequest($"More than one {model} matches the given query.");
            db.Remove(rows[0]);
            await db.SaveChangesAsync(ct);
            deleted?.Invoke(context.RequestServices, rows[0]);
            return AlyxResults.NoContent();
        });
}

public static class AlyxResourceExtensions
{
    public static AlyxResource Resource(this IEndpointRouteBuilder routes, string name, string lookup, bool uuidLookup = false) =>
        new(routes, routes.ServiceProvider.GetRequiredService<ApiCatalog>(), name, lookup, uuidLookup);
}
