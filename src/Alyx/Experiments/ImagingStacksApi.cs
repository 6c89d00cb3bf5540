using System.Text.Json.Serialization;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Experiments;

/// <summary>An imaging stack in /imaging-stack lists (ImagingStackListSerializer): its slices, full fields of view.</summary>
public sealed record ImagingStackItem(Guid Id, List<FovItem> Slices);

/// <summary>An imaging stack in the detail route and the POST answer (ImagingStackDetailSerializer).</summary>
public sealed record ImagingStackDetail(Guid Id, List<FovItem> Slices, string Name, [property: JsonConverter(typeof(RawJsonConverter))] string? Json);

/// <summary>
/// /imaging-stack (list, create) and /imaging-stack/{id} (read only) (Alyx: experiments ImagingStackList / Detail, spec 40 §4.8).
/// The original orders stacks through a join on their slices, repeating a stack once per slice, and its detail route fails for a
/// stack of two slices or more (quirk fix 3): here each stack comes once, its slices ordered by name, in one more query per page.
/// </summary>
static class ImagingStacksApi
{
    public static readonly Serializer Detail = new("ImagingStackDetail",
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        new Field("slices", FieldKind.Json) { ReadOnly = true, ReadType = "array" },
        new Field("name", FieldKind.String) { Required = true, AllowBlank = false, MaxLength = 255 },
        new Field("json", FieldKind.Json) { Nullable = true, Description = "Structured data, formatted in a user-defined way" });

    public static readonly Serializer List = new("ImagingStackList",
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        new Field("slices", FieldKind.Json) { ReadOnly = true, ReadType = "array" });

    static readonly Lazy<FilterSet<ImagingStack>> Filters = new(() => new FilterSet<ImagingStack>()
        .Generated("json")
        .Atlas<ImagingStack>((_, located) => s => located.Any(l => l.FieldOfView!.StackId == s.Id))
        .Django());

    public static void MapImagingStacksApi(this IEndpointRouteBuilder routes)
    {
        new Resource<ImagingStack, ImagingStackItem, ImagingStackDetail>
        {
            Path = "imaging-stack",
            Model = "ImagingStack",
            Serializer = Detail,
            ListSerializer = List,
            Verbs = Verbs.List | Verbs.Create | Verbs.Retrieve,
            // By the first slice name (stacks without slices last, as PostgreSQL sorts the original's join), then id.
            Ordered = db => db.Set<ImagingStack>().OrderBy(s => s.Slices.Any() ? 0 : 1).ThenBy(s => s.Slices.Min(f => f.Name)).ThenBy(s => s.Id),
            Item = s => new ImagingStackItem(s.Id, new List<FovItem>()),
            Enrich = async (db, page, ct) =>
            {
                var slices = await SlicesAsync(db, page.ConvertAll(s => s.Id), ct);
                foreach (var stack in page) stack.Slices.AddRange(slices.Where(f => f.Stack == stack.Id));
            },
            ReadDetail = async (db, _, id, ct) =>
            {
                var stack = await db.Set<ImagingStack>().AsNoTracking().Where(s => s.Id == id)
                    .Select(s => new ImagingStackDetail(s.Id, new List<FovItem>(), s.Name, s.Json)).SingleOrDefaultAsync(ct);
                if (stack is not null) stack.Slices.AddRange(await SlicesAsync(db, [id], ct));
                return stack;
            },
            Filters = Filters.Value,
        }.Map(routes);
    }

    /// <summary>The slices of the given stacks, by name (then id).</summary>
    static Task<List<FovItem>> SlicesAsync(AlyxDb db, List<Guid> stacks, CancellationToken ct) =>
        db.WithCollections(db.Set<Fov>().AsNoTracking()).Where(f => f.StackId != null && stacks.Contains(f.StackId.Value))
            .OrderBy(f => f.Name).ThenBy(f => f.Id).Select(FovApi.Item).ToListAsync(ct);
}
