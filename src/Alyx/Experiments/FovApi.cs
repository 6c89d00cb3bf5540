using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Experiments;

/// <summary>A field of view in /fields-of-view (list and detail alike) and nested in imaging stacks (FOVSerializer).</summary>
public sealed record FovItem(
    Guid Id,
    string? ImagingType,
    List<FovLocationItem> Location,
    string Name,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json,
    Guid Session,
    Guid? Stack,
    List<Guid> Datasets);

/// <summary>
/// /fields-of-view and /fields-of-view/{id} (Alyx: experiments FOVList / FOVDetail, spec 40 §4.6). After every save the dataset links
/// are re-derived from the session's collections unless the request gives them; the slices of a stack share one session.
/// </summary>
static class FovApi
{
    public const string UniqueMessage = "The fields session, name must make a unique set.";
    public const string StackSessionMessage = "Stack fields of view must belong to the same session";

    public static readonly Serializer Serializer = new("FOV",
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        new Field("imaging_type", FieldKind.Slug) { Description = "Imaging type name (required on create)." },
        new Field("location", FieldKind.Json) { ReadOnly = true, ReadType = "array" },
        new Field("name", FieldKind.String) { Required = true, MaxLength = 255, Description = "Long name" },
        new Field("json", FieldKind.Json) { Nullable = true, Description = "Structured data, formatted in a user-defined way" },
        new Field("session", FieldKind.Slug) { Required = true, Format = "uuid", Description = "Session id." },
        new Field("stack", FieldKind.Slug) { Nullable = true, Format = "uuid", Description = "Imaging stack id." },
        new Field("datasets", FieldKind.SlugList) { Description = "Linked dataset ids." });

    public static readonly Expression<Func<Fov, FovItem>> Item = f => new FovItem(
        f.Id,
        f.ImagingType == null ? null : f.ImagingType.Name,
        f.Locations.OrderByDescending(l => l.DefaultProvenance).ThenBy(l => l.Id).Select(l => new FovLocationItem(
            l.Id, l.BrainRegions.OrderBy(r => r.Lft).Select(r => r.Id).ToList(), l.CoordinateSystem == null ? null : l.CoordinateSystem.Name,
            l.Provenance, l.X, l.Y, l.Z, l.NXyz, l.DefaultProvenance, l.AutoDatetime)).ToList(),
        f.Name,
        f.Json,
        f.SessionId,
        f.StackId,
        f.Datasets.OrderBy(d => d.Collection).ThenBy(d => d.Name).ThenBy(d => d.Id).Select(d => d.Id).ToList());

    static readonly Lazy<FilterSet<Fov>> Filters = new(() => new FilterSet<Fov>()
        .Generated("json")
        .Add(Text("subject", "session__subject__nickname", "Subject nickname of the session."))
        .Add(Text("lab", "session__lab__name__iexact", "Lab name of the session (case-insensitive)."))
        .Add(Text("project", "session__projects__name", "A project name of the session."))
        .AddSessionDate(static (from, until) => f => f.Session!.StartTime >= from && f.Session.StartTime < until)
        .AddExperimentNumber(static number => f => f.Session!.Number == number)
        .Add(new FilterDoc("dataset_types", "string", Description: "Comma-separated dataset types: fields of view linked to a dataset of each."),
            (q, raw, _) =>
            {
                foreach (var type in Names(raw)) q = q.Where(f => f.Datasets.Any(d => d.DatasetType!.Name == type));
                return q;
            })
        .Add(new FilterDoc("datasets", "string", Description: "Comma-separated dataset names: fields of view linked to all of them."),
            (q, raw, _) =>
            {
                foreach (var name in Names(raw)) q = q.Where(f => f.Datasets.Any(d => d.Name == name));
                return q;
            })
        .Add(Text("imaging_type", "imaging_type__name__icontains", "Imaging type name contains (case-insensitive)."))
        .Atlas<Fov>((_, located) => f => located.Any(l => l.FieldOfViewId == f.Id))
        .Django());

    static IEnumerable<string> Names(string raw) => raw.Split(',').Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.Ordinal);

    static LookupFilter<Fov> Text(string name, string path, string description) => new(new FilterDoc(name, "string", Description: description), path);

    /// <summary>
    /// Session start time descending (the serializer's eager loading orders so), sessions without start time first as PostgreSQL
    /// sorts NULLs in a descending order; then name, and id for stable pages.
    /// </summary>
    public static IQueryable<Fov> Ordered(AlyxDb db, IQueryable<Fov> fovs) => db.Provider == DatabaseProvider.Postgres
        ? fovs.OrderByDescending(f => f.Session!.StartTime).ThenBy(f => f.Name).ThenBy(f => f.Id)
        : fovs.OrderBy(f => f.Session!.StartTime == null ? 0 : 1).ThenByDescending(f => f.Session!.StartTime).ThenBy(f => f.Name).ThenBy(f => f.Id);

    public static void MapFovApi(this IEndpointRouteBuilder routes)
    {
        new Resource<Fov, FovItem>
        {
            Path = "fields-of-view",
            Model = "FOV",
            Serializer = Serializer,
            Ordered = db => Ordered(db, db.WithCollections(db.Set<Fov>())),
            PageByIds = true,
            Item = Item,
            Filters = Filters.Value,
            ForUpdate = q => q.Include(f => f.Datasets),
            Write = WriteAsync,
            BeforeSave = async w =>
            {
                var f = w.Entity;
                if (await w.Db.Set<Fov>().AnyAsync(o => o.Id != f.Id && o.Name == f.Name && o.SessionId == f.SessionId, w.Ct))
                {
                    w.Errors.Add("non_field_errors", UniqueMessage);
                    return;
                }
                // FOV.save: the slices of a stack belong to one session (a ValidationError, hence a 500, upstream).
                if (f.StackId is { } stack
                    && await w.Db.Set<Fov>().AnyAsync(o => o.Id != f.Id && o.StackId == stack && o.SessionId != f.SessionId, w.Ct))
                {
                    w.Errors.Add("non_field_errors", StackSessionMessage);
                    return;
                }
                // The post_save signal links the session's datasets whose collection contains the name; DRF then sets the given
                // datasets, replacing them.
                if (!w.Data.Has("datasets")) await RelinkAsync(w.Db, f, w.Ct);
            },
            UniqueViolation = ("non_field_errors", UniqueMessage),
        }.Map(routes);
    }

    /// <summary>The save hook: the field of view's links become the session's datasets whose collection contains its name.</summary>
    public static async Task RelinkAsync(AlyxDb db, Fov fov, CancellationToken ct)
    {
        var datasets = await InsertionLinks.DatasetsOf(db, fov.SessionId, fov.Name).ToListAsync(ct);
        fov.Datasets.Clear();
        fov.Datasets.AddRange(datasets);
    }

    static async Task WriteAsync(ResourceWrite<Fov> w)
    {
        // A missing imaging type is a database error (500) upstream (quirk fix 5).
        if (w.Creating && !w.Data.Has("imaging_type")) w.Errors.Add("imaging_type", "This field is required.");
        await w.RefAsync("imaging_type", w.Db.Set<ImagingType>(), t => t.Name, "name", (f, v) => f.ImagingTypeId = v!.Id);
        if (w.Data.TryGet<string>("session", out var session) && session is not null)
        {
            if (!Guid.TryParse(session, out var id)) w.Errors.Add("session", $"“{session}” is not a valid UUID.");
            else if (!await w.Db.Sessions.AnyAsync(s => s.Id == id, w.Ct)) w.Errors.Add("session", $"Invalid pk \"{session}\" - object does not exist.");
            else w.Entity.SessionId = id;
        }
        if (w.Data.TryGet<string>("stack", out var stack))
        {
            if (stack is null) w.Entity.StackId = null;
            else if (!Guid.TryParse(stack, out var id)) w.Errors.Add("stack", $"“{stack}” is not a valid UUID.");
            else if (!await w.Db.Set<ImagingStack>().AnyAsync(s => s.Id == id, w.Ct)) w.Errors.Add("stack", $"Invalid pk \"{stack}\" - object does not exist.");
            else w.Entity.StackId = id;
        }
        if (w.Data.TryGet<List<string>>("datasets", out var values)) await DatasetsAsync(w, values ?? []);
    }

    /// <summary>The writable <c>datasets</c>: primary keys, each of an existing dataset; they replace the links.</summary>
    static async Task DatasetsAsync(ResourceWrite<Fov> w, List<string> values)
    {
        var ids = new List<Guid>();
        foreach (var value in values)
        {
            if (Guid.TryParse(value.Trim(), out var id)) ids.Add(id);
            else w.Errors.Add("datasets", $"“{value}” is not a valid UUID.");
        }
        var distinct = ids.Distinct().ToList();
        var found = await w.Db.Datasets.Where(d => distinct.Contains(d.Id)).ToListAsync(w.Ct);
        foreach (var id in distinct.Where(id => found.TrueForAll(d => d.Id != id)))
            w.Errors.Add("datasets", $"Invalid pk \"{id:D}\" - object does not exist.");
        w.Entity.Datasets.Clear();
        w.Entity.Datasets.AddRange(found);
    }
}
