using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Alyx.Filtering;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Experiments;

/// <summary>A FOV location in /fov-location lists and nested in fields of view (FOVLocationListSerializer).</summary>
public sealed record FovLocationItem(
    Guid Id,
    List<int> BrainRegion,
    string? CoordinateSystem,
    string Provenance,
    [property: JsonConverter(typeof(FloatArrayConverter))] string X,
    [property: JsonConverter(typeof(FloatArrayConverter))] string Y,
    [property: JsonConverter(typeof(FloatArrayConverter))] string Z,
    [property: JsonPropertyName("n_xyz"), JsonConverter(typeof(IntArrayConverter))] string NXyz,
    bool DefaultProvenance,
    DateTime AutoDatetime);

/// <summary>A FOV location in the detail routes and the POST answer (FOVLocationDetailSerializer).</summary>
public sealed record FovLocationDetail(
    Guid Id,
    List<int> BrainRegion,
    string? CoordinateSystem,
    string Provenance,
    [property: JsonConverter(typeof(FloatArrayConverter))] string X,
    [property: JsonConverter(typeof(FloatArrayConverter))] string Y,
    [property: JsonConverter(typeof(FloatArrayConverter))] string Z,
    [property: JsonPropertyName("n_xyz"), JsonConverter(typeof(IntArrayConverter))] string NXyz,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json,
    bool DefaultProvenance,
    DateTime AutoDatetime,
    Guid FieldOfView);

/// <summary>
/// /fov-location and /fov-location/{id} (Alyx: experiments FOVLocationList / Detail, spec 40 §4.7). GET lists use the short
/// representation, POST and the detail routes the full one. Saving a default location clears the flag on the field of view's other
/// locations (FOVLocation.save).
/// </summary>
static class FovLocationsApi
{
    public const string UniqueMessage = "The fields provenance, field_of_view must make a unique set.";
    public const string DefaultCoordinateSystem = "IBL-Allen";
    const string ProvenanceMessage = "Invalid provenance, choices are: Estimate, Functional, Landmark, Histology";

    static Field Array(string name, string description) =>
        new(name, FieldKind.Json) { Required = true, ReadType = "array", Description = description };

    static Field[] Head =>
    [
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        new Field("brain_region", FieldKind.SlugList) { Description = "Brain region ids." },
        new Field("coordinate_system", FieldKind.Slug) { Description = "Coordinate system name (default IBL-Allen)." },
        new Field("provenance", FieldKind.Choice) { Required = true, Choices = FovProvenance.Codes, AllowBlank = false },
        Array("x", "µm of the corner pixels along x."),
        Array("y", "µm of the corner pixels along y."),
        Array("z", "µm of the corner pixels along z."),
        Array("n_xyz", "Number of pixels along each axis."),
    ];

    public static readonly Serializer List = new("FOVLocationList",
    [
        .. Head,
        new Field("default_provenance", FieldKind.Boolean),
        new Field("auto_datetime", FieldKind.DateTime) { ReadOnly = true },
    ]);

    public static readonly Serializer Detail = new("FOVLocationDetail",
    [
        .. Head,
        new Field("json", FieldKind.Json) { Nullable = true },
        new Field("default_provenance", FieldKind.Boolean),
        new Field("auto_datetime", FieldKind.DateTime) { ReadOnly = true },
        new Field("field_of_view", FieldKind.Slug) { Required = true, Format = "uuid", Description = "Field of view id." },
    ]);

    public static readonly Expression<Func<FovLocation, FovLocationItem>> Item = l => new FovLocationItem(
        l.Id, l.BrainRegions.OrderBy(r => r.Lft).Select(r => r.Id).ToList(), l.CoordinateSystem == null ? null : l.CoordinateSystem.Name,
        l.Provenance, l.X, l.Y, l.Z, l.NXyz, l.DefaultProvenance, l.AutoDatetime);

    static readonly Expression<Func<FovLocation, FovLocationDetail>> DetailItem = l => new FovLocationDetail(
        l.Id, l.BrainRegions.OrderBy(r => r.Lft).Select(r => r.Id).ToList(), l.CoordinateSystem == null ? null : l.CoordinateSystem.Name,
        l.Provenance, l.X, l.Y, l.Z, l.NXyz, l.Json, l.DefaultProvenance, l.AutoDatetime, l.FieldOfViewId);

    static readonly Lazy<FilterSet<FovLocation>> Filters = new(() => new FilterSet<FovLocation>()
        .Generated("json")
        .Add(new FilterDoc("provenance", "string", Enum: FovProvenance.Labels, Description: "Provenance label (case-insensitive)."), (q, raw, errors) =>
        {
            // The original answers an unknown label with a 500.
            if (FovProvenance.CodeOfLabel(raw) is not { } code)
            {
                errors.Add("provenance", ProvenanceMessage);
                return q;
            }
            return q.Where(l => l.Provenance == code);
        })
        // django-filter's ModelMultipleChoiceFilter on the regions, keyed by integer id.
        .Add(new FilterDoc("brain_region", "integer", Description: "Brain region id: locations covering it."), (q, raw, errors) =>
        {
            if (!int.TryParse(raw.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var id))
            {
                errors.Add("brain_region", $"Select a valid choice. {raw.Trim()} is not one of the available choices.");
                return q;
            }
            return q.Where(l => l.BrainRegions.Any(r => r.Id == id));
        })
        .Add(new LookupFilter<FovLocation>(new FilterDoc("coordinate_system", "string", Description: "Coordinate system name."), "coordinate_system__name"))
        .Add(Contains("x", l => l.X, false))
        .Add(Contains("y", l => l.Y, false))
        .Add(Contains("z", l => l.Z, false))
        .Add(Contains("n_xyz", l => l.NXyz, true))
        .Django());

    /// <summary>django-filter's NumberFilter with <c>contains</c> on an ArrayField: the array holds the number.</summary>
    static IFilter<FovLocation> Contains(string name, Expression<Func<FovLocation, string>> column, bool integers) =>
        new DelegateFilter<FovLocation>(new FilterDoc(name, "number", Description: $"Locations whose {name} array contains the number."), (q, raw, errors) =>
        {
            if (!FilterValues.TryNumber(raw.Trim(), out var number))
            {
                errors.Add(name, "Enter a number.");
                return q;
            }
            if (integers && (number != Math.Floor(number) || Math.Abs(number) > int.MaxValue)) return q.Where(_ => false);
            var element = ImagingArrays.Element(number, integers);
            var p = column.Parameters[0];
            var contains = Expression.Call(column.Body, typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!,
                Expr.Param(element, typeof(string)));
            return q.Where(Expression.Lambda<Func<FovLocation, bool>>(contains, p));
        });

    public static void MapFovLocationsApi(this IEndpointRouteBuilder routes)
    {
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        new Resource<FovLocation, FovLocationItem, FovLocationDetail>
        {
            Path = "fov-location",
            Model = "FOVLocation",
            Serializer = Detail,
            ListSerializer = List,
            Ordered = db => db.WithCollections(db.Set<FovLocation>()).OrderByDescending(l => l.DefaultProvenance).ThenBy(l => l.Id),
            Item = Item,
            DetailFor = _ => DetailItem,
            Filters = Filters.Value,
            ForUpdate = q => q.Include(l => l.BrainRegions),
            Write = WriteAsync,
            BeforeSave = async w =>
            {
                var l = w.Entity;
                if (await w.Db.Set<FovLocation>().AnyAsync(o => o.Id != l.Id && o.Provenance == l.Provenance && o.FieldOfViewId == l.FieldOfViewId, w.Ct))
                {
                    w.Errors.Add("non_field_errors", UniqueMessage);
                    return;
                }
                l.AutoDatetime = clock.Now; // auto_now
                // FOVLocation.save: one default location per field of view (a queryset update, which leaves auto_now alone).
                if (l.DefaultProvenance)
                {
                    await w.Db.Set<FovLocation>().Where(o => o.FieldOfViewId == l.FieldOfViewId && o.DefaultProvenance && o.Id != l.Id)
                        .ExecuteUpdateAsync(s => s.SetProperty(o => o.DefaultProvenance, false), w.Ct);
                }
            },
            UniqueViolation = ("non_field_errors", UniqueMessage),
        }.Map(routes);
    }

    static async Task WriteAsync(ResourceWrite<FovLocation> w)
    {
        w.Text("provenance", (l, v) => l.Provenance = v).Value<bool>("default_provenance", (l, v) => l.DefaultProvenance = v);
        foreach (var (field, integers, set) in new (string, bool, Action<FovLocation, string>)[]
        {
            ("x", false, (l, v) => l.X = v), ("y", false, (l, v) => l.Y = v), ("z", false, (l, v) => l.Z = v), ("n_xyz", true, (l, v) => l.NXyz = v),
        })
        {
            if (!w.Data.TryGet<string>(field, out var json) || json is null) continue;
            if (ImagingArrays.Store(json, integers, out var stored) is { } error) w.Errors.Add(field, error);
            else set(w.Entity, stored);
        }
        if (w.Data.Has("coordinate_system"))
            await w.RefAsync("coordinate_system", w.Db.CoordinateSystems, c => c.Name, "name", (l, v) => l.CoordinateSystemId = v?.Id);
        else if (!w.Partial)
        {
            // The field's default; the original crashes when IBL-Allen does not exist (quirk fix 4): then none.
            w.Entity.CoordinateSystemId = await w.Db.CoordinateSystems.Where(c => c.Name == DefaultCoordinateSystem).Select(c => (Guid?)c.Id)
                .FirstOrDefaultAsync(w.Ct);
        }
        if (w.Data.TryGet<string>("field_of_view", out var fov) && fov is not null)
        {
            if (!Guid.TryParse(fov, out var id)) w.Errors.Add("field_of_view", $"“{fov}” is not a valid UUID.");
            else if (!await w.Db.Set<Fov>().AnyAsync(f => f.Id == id, w.Ct)) w.Errors.Add("field_of_view", $"Invalid pk \"{fov}\" - object does not exist.");
            else w.Entity.FieldOfViewId = id;
        }
        if (w.Data.TryGet<List<string>>("brain_region", out var regions)) await RegionsAsync(w, regions ?? []);
    }

    /// <summary>The regions by id (SlugRelatedField on <c>id</c>, many): each must exist; they replace the location's regions.</summary>
    static async Task RegionsAsync(ResourceWrite<FovLocation> w, List<string> values)
    {
        var ids = new List<int>();
        foreach (var value in values)
        {
            if (int.TryParse(value.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var id)) ids.Add(id);
            else w.Errors.Add("brain_region", "Invalid value.");
        }
        var distinct = ids.Distinct().ToList();
        var found = await w.Db.BrainRegions.Where(r => distinct.Contains(r.Id)).ToListAsync(w.Ct);
        foreach (var id in distinct.Where(id => found.TrueForAll(r => r.Id != id)))
            w.Errors.Add("brain_region", $"Object with id={id} does not exist.");
        w.Entity.BrainRegions.Clear();
        w.Entity.BrainRegions.AddRange(found);
    }
}
