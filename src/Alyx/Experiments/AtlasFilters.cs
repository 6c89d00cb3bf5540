using System.Linq.Expressions;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;

namespace Alyx.Experiments;

/// <summary>
/// The brain-region ("atlas") filters <c>atlas_id</c>, <c>atlas_acronym</c> and <c>atlas_name</c> (Alyx:
/// experiments/views.py _filter_qs_with_brain_regions, spec 40 §5): the regions chosen by the value and all their descendants;
/// a row is kept when one of its aligned trajectories (provenance ≥ 70) has a channel in one of them, or (imaging) when the default
/// location of one of its fields of view covers one of them. Everything is one SQL predicate (nested-set ranges,
/// <see cref="BrainTree"/>), and each row comes once (the original repeats rows; quirk fix 8).
/// </summary>
static class AtlasFilters
{
    /// <summary>Adds the three filters; <paramref name="rows"/> turns a trajectory predicate into a predicate on the filtered rows.</summary>
    public static FilterSet<T> Atlas<T>(this FilterSet<T> set, Func<Expression<Func<TrajectoryEstimate, bool>>, Expression<Func<T, bool>>> rows)
        where T : class => set.Atlas<T>((t, _) => rows(t));

    /// <summary>
    /// Adds the three filters; <paramref name="rows"/> turns a trajectory predicate and the FOV locations in the regions (default
    /// locations only) into a predicate on the filtered rows.
    /// </summary>
    public static FilterSet<T> Atlas<T>(this FilterSet<T> set,
        Func<Expression<Func<TrajectoryEstimate, bool>>, IQueryable<FovLocation>, Expression<Func<T, bool>>> rows)
        where T : class => set
        .Add(new AtlasFilter<T>(new FilterDoc("atlas_id", "number", Description: "Brain region id: rows recorded in it or a descendant."), "id", rows))
        .Add(new AtlasFilter<T>(new FilterDoc("atlas_acronym", "string", Description: "Brain region acronym (case-insensitive), with its descendants."),
            "acronym__iexact", rows))
        .Add(new AtlasFilter<T>(new FilterDoc("atlas_name", "string", Description: "Brain region names containing the value (case-insensitive), with their descendants."),
            "name__icontains", rows));

    /// <summary>Aligned trajectories with a channel in one of <paramref name="selected"/> or below.</summary>
    public static Expression<Func<TrajectoryEstimate, bool>> Recorded(IQueryable<BrainRegion> selected) =>
        t => t.Provenance >= Provenance.Aligned && t.Channels.Any(c => c.BrainRegion != null
            && selected.Any(r => r.TreeId == c.BrainRegion.TreeId && c.BrainRegion.Lft >= r.Lft && c.BrainRegion.Lft <= r.Rght));

    /// <summary>The default FOV locations with a brain region in one of <paramref name="selected"/> or below.</summary>
    public static IQueryable<FovLocation> Located(AlyxDb db, IQueryable<BrainRegion> selected) =>
        db.Set<FovLocation>().Where(l => l.DefaultProvenance && l.BrainRegions.Any(b =>
            selected.Any(r => r.TreeId == b.TreeId && b.Lft >= r.Lft && b.Lft <= r.Rght)));

    sealed class AtlasFilter<T>(FilterDoc doc, string lookup,
        Func<Expression<Func<TrajectoryEstimate, bool>>, IQueryable<FovLocation>, Expression<Func<T, bool>>> rows)
        : IFilter<T> where T : class
    {
        public FilterDoc Doc => doc;

        public ValueTask<IQueryable<T>> ApplyAsync(FilterContext context, IQueryable<T> query, IReadOnlyList<string> values, ErrorMap errors)
        {
            var raw = values[^1].Trim();
            var regions = context.Db.BrainRegions;
            IQueryable<BrainRegion> selected;
            if (lookup == "id")
            {
                // django-filter's NumberFilter: a decimal; one that is not a whole number matches no id.
                if (!FilterValues.TryNumber(raw, out var number))
                {
                    errors.Add(doc.Name, "Enter a number.");
                    return ValueTask.FromResult(query);
                }
                if (number != Math.Floor(number) || number > int.MaxValue || number < int.MinValue) return ValueTask.FromResult(query.Where(_ => false));
                var id = (int)number;
                selected = regions.Where(r => r.Id == id);
            }
            else selected = DjangoQuery.Where(regions, context.Db, lookup, new DjangoValue.Str(raw));
            return ValueTask.FromResult(query.Where(rows(Recorded(selected), Located(context.Db, selected))));
        }
    }
}
