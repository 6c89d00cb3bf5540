using System.Linq.Expressions;
using Alyx.Http;

namespace Alyx.Actions;

/// <summary>
/// /water-type and /water-type/{name} — alyx/actions/views.py WaterTypeList routed twice (spec 20-actions §6.6, Q-7):
/// both paths list every water type (the name is ignored) and create one from the body. No filters.
/// </summary>
static class WaterTypesApi
{
    static Expression<Func<WaterType, WaterTypeItem>> Item(HttpRequest req)
    {
        var root = ApiUrls.Root(req) + "/water-type/";
        // Client-evaluated in the final projection: Django's reverse() quoting of the name.
        return t => new WaterTypeItem(root + ActionDtos.DjangoQuote(t.Name), t.Json, t.Name);
    }

    public static void MapWaterTypesApi(this IEndpointRouteBuilder routes)
    {
        var resource = new Resource<WaterType, WaterTypeItem>
        {
            Path = "water-type",
            Model = "WaterType",
            Slug = ("name", t => t.Name),
            Serializer = ActionDtos.WaterType,
            Ordered = db => db.Set<WaterType>().OrderBy(t => t.Name).ThenBy(t => t.Id),
            ItemFor = Item,
            Filters = null,
            Verbs = Verbs.ListCreate,
            Location = true,
            Unique = [new("name", t => t.Name, "water type with this name already exists.")],
            Write = w => Task.FromResult(w.Text("name", (t, v) => t.Name = v).Value<string>("json", (t, v) => t.Json = v)),
        };
        resource.Map(routes);
        // The detail route is the list view again. Its POST is left out of the schema: ONE would take it for /water-type's create.
        routes.MapOperation(new ApiOperation("/water-type/{name}", "get", "water-type", "read", null, ActionDtos.WaterType, null, ["name"], 200,
            "The list of all water types, as on /water-type (the name is not used)."), resource.ListAsync);
        routes.MapPost("/water-type/{name}", resource.CreateAsync);
    }
}
