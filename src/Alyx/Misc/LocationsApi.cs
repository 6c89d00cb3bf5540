using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Alyx.Http;

namespace Alyx.Misc;

public sealed record LocationItem(string Name, string Lab, [property: JsonConverter(typeof(RawJsonConverter))] string? Json);

/// <summary>/locations and /locations/{name} (Alyx: LabLocation views, routed by the actions app). No filters, no POST, no DELETE.</summary>
static class LocationsApi
{
    public static readonly Serializer Serializer = new("LabLocation",
        new Field("name", FieldKind.String) { Required = true, AllowBlank = false, MaxLength = 255 },
        new Field("lab", FieldKind.Slug),
        new Field("json", FieldKind.Json) { Nullable = true, Description = "Structured data, formatted in a user-defined way" });

    static readonly Expression<Func<LabLocation, LocationItem>> Item = l => new LocationItem(l.Name, l.Lab!.Name, l.Json);

    public static void MapLocationsApi(this IEndpointRouteBuilder routes) => new Resource<LabLocation, LocationItem>
    {
        Path = "locations",
        Model = "LabLocation",
        // Names are not unique: a lookup that matches several rows is refused rather than answered with one of them.
        Slug = ("name", l => l.Name),
        Serializer = Serializer,
        Ordered = db => db.LabLocations.OrderBy(l => l.Name).ThenBy(l => l.Id),
        Item = Item,
        Filters = null,
        Verbs = Verbs.List | Verbs.Retrieve | Verbs.Update | Verbs.PartialUpdate,
        Write = w => w.RefAsync("lab", w.Db.Labs, l => l.Name, "name", (l, lab) =>
        {
            if (lab is not null) l.LabId = lab.Id;
        }),
    }.Map(routes);
}
