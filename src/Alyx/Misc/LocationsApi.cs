using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

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

    public static void MapLocationsApi(this IEndpointRouteBuilder routes)
    {
        routes.Resource("locations", "name")
            .List(db => db.LabLocations.OrderBy(l => l.Name).ThenBy(l => l.Id), _ => Item, Serializer)
            .Retrieve(GetAsync, Serializer)
            .Update((string name, HttpRequest req, AlyxDb db, CancellationToken ct) => UpdateAsync(name, req, db, false, ct), Serializer)
            .PartialUpdate((string name, HttpRequest req, AlyxDb db, CancellationToken ct) => UpdateAsync(name, req, db, true, ct), Serializer);
    }

    /// <summary>Names are not unique: a lookup that matches several rows is refused rather than answered with one of them.</summary>
    static async Task<(Guid? Id, IResult? Error)> FindAsync(AlyxDb db, string name, CancellationToken ct)
    {
        var ids = await db.LabLocations.Where(l => l.Name == name).Select(l => l.Id).Take(2).ToListAsync(ct);
        return ids.Count switch
        {
            0 => (null, AlyxResults.NotFound("LabLocation")),
            1 => (ids[0], null),
            _ => (null, AlyxResults.BadRequest("More than one LabLocation matches the given query.")),
        };
    }

    static async Task<IResult> GetAsync(string name, AlyxDb db, CancellationToken ct)
    {
        var (id, error) = await FindAsync(db, name, ct);
        if (error is not null) return error;
        return AlyxResults.Ok(await db.LabLocations.AsNoTracking().Where(l => l.Id == id).Select(Item).SingleAsync(ct));
    }

    static async Task<IResult> UpdateAsync(string name, HttpRequest req, AlyxDb db, bool partial, CancellationToken ct)
    {
        var (id, error) = await FindAsync(db, name, ct);
        if (error is not null) return error;
        var (body, bodyError) = await RequestBody.ReadAsync(req, ct);
        if (bodyError is not null) return bodyError;
        var errors = new ErrorMap();
        var data = Serializer.Validate(body!, partial, errors);
        Lab? lab = null;
        if (data.TryGet<string>("lab", out var labName) && labName is not null)
            lab = await Slugs.ResolveOneAsync(db.Labs, l => l.Name, "name", labName, "lab", errors, ct);
        if (errors.Any) return AlyxResults.Validation(errors);
        var location = await db.LabLocations.SingleAsync(l => l.Id == id, ct);
        if (data.TryGet<string>("name", out var newName) && newName is not null) location.Name = newName;
        if (lab is not null) location.LabId = lab.Id;
        if (data.TryGet<string>("json", out var json)) location.Json = json;
        await db.SaveChangesAsync(ct);
        return AlyxResults.Ok(await db.LabLocations.AsNoTracking().Where(l => l.Id == location.Id).Select(Item).SingleAsync(ct));
    }
}
