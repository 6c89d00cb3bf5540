using System.Globalization;
using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Experiments;

/// <summary>A channel in /channels (list and detail alike).</summary>
public sealed record ChannelItem(
    Guid Id,
    Guid? TrajectoryEstimate,
    int? BrainRegion,
    string Name,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json,
    double? Axial,
    double? Lateral,
    double? X,
    double? Y,
    double? Z);

/// <summary>
/// /channels and /channels/{id} (Alyx: experiments ChannelList / ChannelDetail, spec 40 §4.4). POST takes one object or an array of
/// them (bulk). Saving a channel bumps its trajectory's <c>datetime</c> (Channel.save saves the trajectory).
/// </summary>
static class ChannelsApi
{
    public const string UniqueMessage = "The fields axial, lateral, trajectory_estimate must make a unique set.";

    static Field Float(string name) => new(name, FieldKind.Float) { Nullable = true };

    public static readonly Serializer Serializer = new("Channel",
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        new Field("trajectory_estimate", FieldKind.Slug) { Format = "uuid", Description = "Trajectory estimate id (required on create)." },
        new Field("brain_region", FieldKind.Slug) { Description = "Brain region id (default 0, void)." },
        new Field("name", FieldKind.String) { MaxLength = 255 },
        new Field("json", FieldKind.Json) { Nullable = true },
        Float("axial"), Float("lateral"), Float("x"), Float("y"), Float("z"));

    static readonly Expression<Func<Channel, ChannelItem>> Item = c =>
        new ChannelItem(c.Id, c.TrajectoryEstimateId, c.BrainRegionId, c.Name, c.Json, c.Axial, c.Lateral, c.X, c.Y, c.Z);

    static readonly Lazy<FilterSet<Channel>> Filters = new(() => new FilterSet<Channel>()
        .Generated("brain_region")
        .Add(new FilterDoc("brain_region", "integer", Description: "Brain region id."), (q, raw, errors) =>
        {
            if (!int.TryParse(raw.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
            {
                errors.Add("brain_region", BrainRegionsApi.InvalidChoice);
                return q;
            }
            return q.Where(c => c.BrainRegionId == id);
        })
        .Add(InsertionFilter.ById("session", id => p => p.SessionId == id))
        .Add(InsertionFilter.ById("probe_insertion", id => p => p.Id == id))
        .Add(InsertionFilter.BySession("subject", "Subject nickname of the insertion's session.", v => s => s.Subject!.Nickname == v))
        .Add(InsertionFilter.BySession("lab", "Lab name of the insertion's session.", v => s => s.Lab!.Name == v))
        .Django());

    /// <summary>
    /// A filter on the insertion a channel's trajectory belongs to (exact value; a malformed UUID is a 400, as django-filter's
    /// UUIDFilter). Written from the insertions' side, as nested <c>IN</c> lists (channels of trajectories of the insertions that
    /// match), not as the joins of the channel's relations: SQLite keeps the order of left joins, so those joins made it read
    /// every channel up to the session and subject to find the few that match; this reads the matching rows through each
    /// table's foreign-key index.
    /// </summary>
    sealed record InsertionFilter(FilterDoc Doc, Func<AlyxDb, string, ErrorMap, IQueryable<ProbeInsertion>?> Insertions) : IFilter<Channel>
    {
        /// <summary>By a UUID, parsed once here (a malformed one is a 400), so that the query holds it as a parameter.</summary>
        public static InsertionFilter ById(string name, Func<Guid, Expression<Func<ProbeInsertion, bool>>> match) =>
            new(new FilterDoc(name, "string", "uuid"), (db, value, errors) =>
            {
                if (Guid.TryParse(value, out var id)) return db.ProbeInsertions.Where(match(id));
                errors.Add(name, "Enter a valid UUID.");
                return null;
            });

        /// <summary>By the insertion's session: the sessions that match, then their insertions.</summary>
        public static InsertionFilter BySession(string name, string description, Func<string, Expression<Func<Actions.Session, bool>>> match) =>
            new(new FilterDoc(name, "string", Description: description), (db, value, _) =>
            {
                var sessions = db.Sessions.Where(match(value)).Select(s => (Guid?)s.Id);
                return db.ProbeInsertions.Where(p => sessions.Contains(p.SessionId));
            });

        public ValueTask<IQueryable<Channel>> ApplyAsync(FilterContext context, IQueryable<Channel> query, IReadOnlyList<string> values, ErrorMap errors)
        {
            if (Insertions(context.Db, values[^1].Trim(), errors) is not { } matching) return ValueTask.FromResult(query);
            var insertions = matching.Select(p => (Guid?)p.Id);
            var trajectories = context.Db.TrajectoryEstimates.Where(t => insertions.Contains(t.ProbeInsertionId)).Select(t => (Guid?)t.Id);
            return ValueTask.FromResult(query.Where(c => trajectories.Contains(c.TrajectoryEstimateId)));
        }
    }

    public static void MapChannelsApi(this IEndpointRouteBuilder routes)
    {
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        new Resource<Channel, ChannelItem>
        {
            Path = "channels",
            Model = "Channel",
            Serializer = Serializer,
            BulkCreate = true,
            Ordered = db => db.Channels.OrderBy(c => c.Id),
            Item = Item,
            Filters = Filters.Value,
            Write = WriteAsync,
            BeforeSave = async w =>
            {
                var c = w.Entity;
                if (c.Axial is not null && c.Lateral is not null && c.TrajectoryEstimateId is not null
                    && await w.Db.Channels.AnyAsync(o => o.Id != c.Id && o.Axial == c.Axial && o.Lateral == c.Lateral
                        && o.TrajectoryEstimateId == c.TrajectoryEstimateId, w.Ct))
                    w.Errors.Add("non_field_errors", UniqueMessage);
            },
            // Channel.save saves its trajectory: auto_now bumps the trajectory's datetime.
            AfterSave = async w =>
            {
                var now = clock.Now;
                if (w.Entity.TrajectoryEstimateId is { } trajectory)
                    await w.Db.TrajectoryEstimates.Where(t => t.Id == trajectory).ExecuteUpdateAsync(s => s.SetProperty(t => t.Datetime, now), w.Ct);
            },
            UniqueViolation = ("non_field_errors", UniqueMessage),
        }.Map(routes);
    }

    static async Task WriteAsync(ResourceWrite<Channel> w)
    {
        w.Value<double?>("axial", (c, v) => c.Axial = v).Value<double?>("lateral", (c, v) => c.Lateral = v)
            .Value<double?>("x", (c, v) => c.X = v).Value<double?>("y", (c, v) => c.Y = v).Value<double?>("z", (c, v) => c.Z = v);
        // The unique-together validator makes the trajectory required on create.
        if (w.Creating && !w.Data.Has("trajectory_estimate")) w.Errors.Add("trajectory_estimate", "This field is required.");
        if (w.Data.TryGet<string>("trajectory_estimate", out var trajectory) && trajectory is not null)
        {
            if (!Guid.TryParse(trajectory, out var id)) w.Errors.Add("trajectory_estimate", $"“{trajectory}” is not a valid UUID.");
            else if (!await w.Db.TrajectoryEstimates.AnyAsync(t => t.Id == id, w.Ct))
                w.Errors.Add("trajectory_estimate", $"Object with id={trajectory} does not exist.");
            else w.Entity.TrajectoryEstimateId = id;
        }
        if (w.Data.TryGet<string>("brain_region", out var region) && region is not null)
        {
            if (!int.TryParse(region, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id)
                || !await w.Db.BrainRegions.AnyAsync(r => r.Id == id, w.Ct))
                w.Errors.Add("brain_region", $"Object with id={region} does not exist.");
            else w.Entity.BrainRegionId = id;
        }
    }
}
