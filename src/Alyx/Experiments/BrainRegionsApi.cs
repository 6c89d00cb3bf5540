using System.Globalization;
using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Experiments;

/// <summary>A described ancestor or descendant of a region (BrainRegion.related_descriptions).</summary>
public sealed record RelatedDescription(int Id, string Name, string Description, int Level);

/// <summary>A region in /brain-regions (list and detail alike); the nested-set numbers travel with it for the descriptions, unseen.</summary>
public sealed record BrainRegionItem(int Id, string Acronym, string Name, string? Description, int? Parent, List<RelatedDescription> RelatedDescriptions)
{
    [JsonIgnore]
    public int Lft { get; init; }

    [JsonIgnore]
    public int Rght { get; init; }

    [JsonIgnore]
    public int TreeId { get; init; }
}

/// <summary>
/// /brain-regions and /brain-regions/{id} (Alyx: experiments BrainRegionList / BrainRegionDetail, spec 40 §4.5): read-only but for
/// the description, which PUT and PATCH change (other keys are ignored); no create, no delete. Tree order.
/// </summary>
static class BrainRegionsApi
{
    public const string InvalidChoice = "Select a valid choice. That choice is not one of the available choices.";

    public static readonly Serializer Serializer = new("BrainRegion",
        new Field("id", FieldKind.Integer) { ReadOnly = true },
        new Field("acronym", FieldKind.String) { ReadOnly = true },
        new Field("name", FieldKind.String) { ReadOnly = true },
        new Field("description", FieldKind.String) { Nullable = true },
        new Field("parent", FieldKind.Integer) { ReadOnly = true, Nullable = true },
        new Field("related_descriptions", FieldKind.Json) { ReadOnly = true, ReadType = "array" });

    static readonly Lazy<FilterSet<BrainRegion>> Filters = new(() => new FilterSet<BrainRegion>()
        // Alyx: BrainRegionFilter.Meta.fields = (id, acronym, description, name, parent).
        .Generated("ontology", "lft", "rght", "tree_id", "level")
        .Add(new LookupFilter<BrainRegion>(new FilterDoc("acronym", "string", Description: "Acronym (case-insensitive)."), "acronym__iexact"))
        .Add(new LookupFilter<BrainRegion>(new FilterDoc("description", "string", Description: "Description contains (case-insensitive)."),
            "description__icontains"))
        .Add(new LookupFilter<BrainRegion>(new FilterDoc("name", "string", Description: "Name contains (case-insensitive)."), "name__icontains"))
        .Add(new ParentFilter())
        .Add(new TreeFilter("ancestors", "That region and all its ancestors (id or acronym), the void root excluded.", ancestors: true))
        .Add(new TreeFilter("descendants", "That region and all its descendants (id or acronym), the void root excluded.", ancestors: false))
        .Django());

    static readonly Expression<Func<BrainRegion, BrainRegionItem>> Item = r =>
        new BrainRegionItem(r.Id, r.Acronym, r.Name, r.Description, r.ParentId, new List<RelatedDescription>())
        {
            Lft = r.Lft,
            Rght = r.Rght,
            TreeId = r.TreeId,
        };

    public static void MapBrainRegionsApi(this IEndpointRouteBuilder routes)
    {
        new Resource<BrainRegion, BrainRegionItem>
        {
            Path = "brain-regions",
            Model = "BrainRegion",
            IntegerId = r => r.Id,
            Verbs = Verbs.List | Verbs.Retrieve | Verbs.Update | Verbs.PartialUpdate,
            Serializer = Serializer,
            Ordered = db => db.BrainRegions.OrderBy(r => r.TreeId).ThenBy(r => r.Lft),
            Item = Item,
            Enrich = DescribeAsync,
            Filters = Filters.Value,
            Write = w =>
            {
                w.Value<string?>("description", (r, v) => r.Description = v);
                return Task.CompletedTask;
            },
        }.Map(routes);
    }

    /// <summary>
    /// related_descriptions of a page: the described regions are few, so one query reads them all and each region takes its described
    /// ancestors (root first) then descendants (pre-order), itself excluded.
    /// </summary>
    static async Task DescribeAsync(AlyxDb db, List<BrainRegionItem> page, CancellationToken ct)
    {
        var described = await db.BrainRegions.AsNoTracking().Where(r => r.Description != null).OrderBy(r => r.TreeId).ThenBy(r => r.Lft)
            .Select(r => new { r.Id, r.Name, r.Description, r.Level, r.Lft, r.Rght, r.TreeId }).ToListAsync(ct);
        if (described.Count == 0) return;
        foreach (var region in page)
        {
            region.RelatedDescriptions.AddRange(described
                .Where(d => d.TreeId == region.TreeId && d.Lft < region.Lft && d.Rght > region.Rght)
                .Concat(described.Where(d => d.TreeId == region.TreeId && d.Lft > region.Lft && d.Lft < region.Rght))
                .Select(d => new RelatedDescription(d.Id, d.Name, d.Description!, d.Level)));
        }
    }

    /// <summary>Direct children of a region id (django-filter's ModelChoiceFilter: an unknown or malformed id is a 400).</summary>
    sealed class ParentFilter : IFilter<BrainRegion>
    {
        public FilterDoc Doc { get; } = new("parent", "integer", Description: "Children of this region id.");

        public async ValueTask<IQueryable<BrainRegion>> ApplyAsync(FilterContext context, IQueryable<BrainRegion> query, IReadOnlyList<string> values,
            ErrorMap errors)
        {
            if (!int.TryParse(values[^1].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id)
                || !await context.Db.BrainRegions.AnyAsync(r => r.Id == id, context.CancellationToken))
            {
                errors.Add("parent", InvalidChoice);
                return query;
            }
            return query.Where(r => r.ParentId == id);
        }
    }

    /// <summary>
    /// <c>ancestors</c> / <c>descendants</c>: a numeric value is an id, anything else an acronym (exact). The selection replaces what the
    /// other filters chose, as the original's filter methods start over from all regions; region 0 is left out. An unknown region, a
    /// 500 upstream, is a 400 here.
    /// </summary>
    sealed class TreeFilter(string name, string description, bool ancestors) : IFilter<BrainRegion>
    {
        public FilterDoc Doc { get; } = new(name, "string", Description: description);

        public async ValueTask<IQueryable<BrainRegion>> ApplyAsync(FilterContext context, IQueryable<BrainRegion> query, IReadOnlyList<string> values,
            ErrorMap errors)
        {
            var value = values[^1];
            var regions = context.Db.BrainRegions.AsNoTracking();
            var selected = value.All(char.IsAsciiDigit) && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                ? regions.Where(r => r.Id == id)
                : regions.Where(r => r.Acronym == value);
            if (!await selected.AnyAsync(context.CancellationToken))
            {
                errors.Add(name, $"No brain region has the id or acronym “{value}”.");
                return query;
            }
            var tree = ancestors ? regions.WithAncestors(selected) : regions.WithDescendants(selected);
            return tree.Where(r => r.Id != 0).OrderBy(r => r.TreeId).ThenBy(r => r.Lft);
        }
    }
}
