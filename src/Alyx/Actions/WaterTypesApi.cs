using System.Linq.Expressions;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>
/// /water-type and /water-type/{name} — alyx/actions/views.py WaterTypeList routed twice (spec 20-actions §6.6, Q-7):
/// both paths list every water type (the name is ignored) and create one from the body. No filters.
/// </summary>
static class WaterTypesApi
{
    static readonly string[] GetHead = ["GET", "HEAD"];

    static Expression<Func<WaterType, WaterTypeItem>> Item(HttpRequest req)
    {
        var root = ApiUrls.Root(req) + "/water-type/";
        // Client-evaluated in the final projection: Django's reverse() quoting of the name.
        return t => new WaterTypeItem(root + ActionDtos.DjangoQuote(t.Name), t.Json, t.Name);
    }

    static IQueryable<WaterType> Ordered(AlyxDb db) => db.Set<WaterType>().OrderBy(t => t.Name).ThenBy(t => t.Id);

    public static void MapWaterTypesApi(this IEndpointRouteBuilder routes)
    {
        routes.Resource("water-type", "name")
            .List(Ordered, Item, ActionDtos.WaterType)
            .Create(CreateAsync, ActionDtos.WaterType);
        // The detail route is the list view again. Its POST is left out of the schema: ONE would take it for /water-type's create.
        routes.MapMethods("/water-type/{name}", GetHead, ListAsync);
        routes.MapPost("/water-type/{name}", CreateAsync);
        var catalog = routes.ServiceProvider.GetRequiredService<ApiCatalog>();
        catalog.Add(new ApiOperation("/water-type/{name}", "get", "water-type", "read", null, ActionDtos.WaterType, null, ["name"], 200,
            "The list of all water types, as on /water-type (the name is not used)."));
    }

    static async Task<IResult> ListAsync(HttpRequest req, AlyxDb db, CancellationToken ct)
    {
        var page = PageRequest.From(QueryParams.Of(req));
        var query = Ordered(db).AsNoTracking();
        var count = await query.CountAsync(ct);
        var rows = count <= page.Offset ? [] : await query.Skip(page.Offset).Take(page.Limit).Select(Item(req)).ToListAsync(ct);
        return AlyxResults.Ok(Page.Create(req, page, count, rows));
    }

    static async Task<IResult> CreateAsync(HttpRequest req, AlyxDb db, CancellationToken ct)
    {
        var (body, bodyError) = await RequestBody.ReadAsync(req, ct);
        if (bodyError is not null) return bodyError;
        var errors = new ErrorMap();
        var data = ActionDtos.WaterType.Validate(body!, partial: false, errors);
        var name = data.Get<string>("name");
        if (name is not null && await db.Set<WaterType>().AnyAsync(t => t.Name == name, ct))
            errors.Add("name", "water type with this name already exists.");
        if (errors.Any) return ActionDtos.Invalid(ActionDtos.WaterType, errors);
        var type = new WaterType { Name = name!, Json = data.Get<string>("json") };
        db.Add(type);
        await db.SaveChangesAsync(ct);
        var item = await db.Set<WaterType>().AsNoTracking().Where(t => t.Id == type.Id).Select(Item(req)).SingleAsync(ct);
        return AlyxResults.Created(item, item.Url);
    }
}
