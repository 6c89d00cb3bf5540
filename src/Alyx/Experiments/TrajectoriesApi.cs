using System.Globalization;
using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Alyx.Filtering;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Experiments;

/// <summary>A trajectory in /trajectories (list and detail alike): <c>session</c> is the insertion's session_info.</summary>
public sealed record TrajectoryItem(
    Guid Id,
    Guid? ProbeInsertion,
    double? X,
    double? Y,
    double? Z,
    double? Depth,
    double? Theta,
    double? Phi,
    double? Roll,
    string Provenance,
    InsertionSessionInfo? Session,
    string? ProbeName,
    string? CoordinateSystem,
    DateTime Datetime,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json,
    Guid? ChronicInsertion);

/// <summary>
/// /trajectories and /trajectories/{id} (Alyx: experiments TrajectoryEstimateList / Detail, spec 40 §4.3). The two insertion keys,
/// when absent or null, are written as null (the original's to_internal_value sets them in the body). One trajectory per provenance
/// and insertion (or, without insertion, per chronic insertion).
/// </summary>
static class TrajectoriesApi
{
    public const string UniqueProbe = "The fields provenance, probe_insertion must make a unique set.";
    public const string UniqueChronic = "The fields provenance, chronic_insertion must make a unique set.";

    static Field Float(string name, bool required) => new(name, FieldKind.Float) { Required = required, Nullable = true };

    public static readonly Serializer Serializer = new("TrajectoryEstimate",
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        new Field("probe_insertion", FieldKind.Slug) { Nullable = true, Format = "uuid", Description = "Probe insertion id." },
        Float("x", true), Float("y", true), Float("z", false), Float("depth", true), Float("theta", true), Float("phi", true), Float("roll", false),
        new Field("provenance", FieldKind.Choice)
        {
            Required = true,
            Choices = Provenance.Labels,
            AllowBlank = false,
            ChoiceMessage = Provenance.ChoicesMessage,
        },
        new Field("session", FieldKind.Json) { ReadOnly = true, ReadType = "object" },
        new Field("probe_name", FieldKind.String) { ReadOnly = true },
        new Field("coordinate_system", FieldKind.Slug) { Description = "Coordinate system name." },
        new Field("datetime", FieldKind.DateTime) { ReadOnly = true },
        new Field("json", FieldKind.Json) { Nullable = true },
        new Field("chronic_insertion", FieldKind.Slug) { Nullable = true, Format = "uuid" });

    public static readonly Expression<Func<TrajectoryEstimate, TrajectoryItem>> Item = t => new TrajectoryItem(
        t.Id, t.ProbeInsertionId, t.X, t.Y, t.Z, t.Depth, t.Theta, t.Phi, t.Roll, Provenance.Label(t.Provenance),
        t.ProbeInsertion == null || t.ProbeInsertion.Session == null ? null : new InsertionSessionInfo(
            t.ProbeInsertion.Session.Subject!.Nickname,
            t.ProbeInsertion.Session.StartTime,
            t.ProbeInsertion.Session.Number,
            t.ProbeInsertion.Session.Lab == null ? null : t.ProbeInsertion.Session.Lab.Name,
            t.ProbeInsertion.Session.Id,
            t.ProbeInsertion.Session.Projects.OrderBy(x => x.Name).Select(x => x.Name).ToList(),
            t.ProbeInsertion.Session.TaskProtocol),
        t.ProbeInsertion != null ? t.ProbeInsertion.Name : t.ChronicInsertion != null ? t.ChronicInsertion.Recording!.Name : null,
        t.CoordinateSystem == null ? null : t.CoordinateSystem.Name,
        t.Datetime, t.Json, t.ChronicInsertionId);

    static readonly Lazy<FilterSet<TrajectoryEstimate>> Filters = new(() => new FilterSet<TrajectoryEstimate>()
        .Generated()
        .Add(new FilterDoc("provenance", "string", Enum: Provenance.Labels, Description: "Provenance label (case-insensitive)."), (q, raw, errors) =>
        {
            // The original answers an unknown label with a 500.
            if (Provenance.CodeIgnoringCase(raw) is not { } code)
            {
                errors.Add("provenance", Provenance.ChoicesMessage);
                return q;
            }
            return q.Where(t => t.Provenance == code);
        })
        .Add(Text("subject", "probe_insertion__session__subject__nickname", "Subject nickname of the insertion's session."))
        .Add(Text("project", "probe_insertion__session__projects__name", "A project name of the insertion's session."))
        .Add(new FilterDoc("date", "string", "date", Description: "Start date of the insertion's session (YYYY-MM-DD)."), (q, raw, errors) =>
        {
            if (!AlyxFormats.TryParseDate(raw.Trim(), out var date) || date == DateOnly.MaxValue)
            {
                errors.Add("date", "Enter a valid date.");
                return q;
            }
            var from = date.ToDateTime(TimeOnly.MinValue);
            var until = date.AddDays(1).ToDateTime(TimeOnly.MinValue);
            return q.Where(t => t.ProbeInsertion!.Session!.StartTime >= from && t.ProbeInsertion.Session.StartTime < until);
        })
        .Add(new FilterDoc("experiment_number", "integer", Description: "Number of the insertion's session."), (q, raw, errors) =>
        {
            // A 500 upstream for a non-number.
            if (!int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
            {
                errors.Add("experiment_number", "Enter a whole number.");
                return q;
            }
            return q.Where(t => t.ProbeInsertion!.Session!.Number == number);
        })
        .Add(new FilterDoc("session", "string", "uuid", Description: "Id of the insertion's session."), (q, raw, errors) =>
        {
            if (!Guid.TryParse(raw.Trim(), out var id))
            {
                errors.Add("session", "Enter a valid UUID.");
                return q;
            }
            return q.Where(t => t.ProbeInsertion!.SessionId == id);
        })
        .Add(Text("probe", "probe_insertion__name", "Name of the probe insertion."))
        .Django());

    static LookupFilter<TrajectoryEstimate> Text(string name, string path, string description) =>
        new(new FilterDoc(name, "string", Description: description), path);

    public static void MapTrajectoriesApi(this IEndpointRouteBuilder routes)
    {
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        new Resource<TrajectoryEstimate, TrajectoryItem>
        {
            Path = "trajectories",
            Model = "TrajectoryEstimate",
            Serializer = Serializer,
            Ordered = db => db.WithCollections(db.TrajectoryEstimates.OrderBy(t => t.Id)),
            Item = Item,
            Filters = Filters.Value,
            Write = WriteAsync,
            BeforeSave = async w =>
            {
                var t = w.Entity;
                // Alyx: the two conditional UniqueConstraints, as DRF validates them (skipped when a value is null).
                if (t.ProbeInsertionId is { } probe
                    && await w.Db.TrajectoryEstimates.AnyAsync(o => o.Id != t.Id && o.Provenance == t.Provenance && o.ProbeInsertionId == probe, w.Ct))
                    w.Errors.Add("non_field_errors", UniqueProbe);
                else if (t.ProbeInsertionId is null && t.ChronicInsertionId is { } chronic
                    && await w.Db.TrajectoryEstimates.AnyAsync(o => o.Id != t.Id && o.Provenance == t.Provenance && o.ProbeInsertionId == null
                        && o.ChronicInsertionId == chronic, w.Ct))
                    w.Errors.Add("non_field_errors", UniqueChronic);
                t.Datetime = clock.Now; // auto_now
            },
            UniqueViolation = ("non_field_errors", UniqueProbe),
        }.Map(routes);
    }

    static async Task WriteAsync(ResourceWrite<TrajectoryEstimate> w)
    {
        w.Value<double?>("x", (t, v) => t.X = v).Value<double?>("y", (t, v) => t.Y = v).Value<double?>("z", (t, v) => t.Z = v)
            .Value<double?>("depth", (t, v) => t.Depth = v).Value<double?>("theta", (t, v) => t.Theta = v).Value<double?>("phi", (t, v) => t.Phi = v)
            .Value<double?>("roll", (t, v) => t.Roll = v)
            .Text("provenance", (t, v) => t.Provenance = Provenance.Code(v)!.Value)
            .Value<string?>("json", (t, v) => t.Json = v);
        await w.RefAsync("coordinate_system", w.Db.CoordinateSystems, c => c.Name, "name", (t, v) => t.CoordinateSystemId = v?.Id);
        w.Entity.ProbeInsertionId = await KeyAsync(w, "probe_insertion", w.Db.ProbeInsertions.Select(p => p.Id), slug: true);
        w.Entity.ChronicInsertionId = await KeyAsync(w, "chronic_insertion", w.Db.ChronicInsertions.Select(c => c.Id), slug: false);
    }

    /// <summary>
    /// An insertion reference: absent or null is null (the original writes null into the body); otherwise an existing id, with the
    /// messages of DRF's SlugRelatedField (<paramref name="slug"/>) or PrimaryKeyRelatedField.
    /// </summary>
    internal static async Task<Guid?> KeyAsync<TRow>(ResourceWrite<TRow> w, string field, IQueryable<Guid> ids, bool slug) where TRow : class, Database.IEntity
    {
        if (!w.Data.TryGet<string>(field, out var value) || value is null) return null;
        if (!Guid.TryParse(value, out var id))
        {
            w.Errors.Add(field, $"“{value}” is not a valid UUID.");
            return null;
        }
        if (!await ids.AnyAsync(x => x == id, w.Ct))
        {
            w.Errors.Add(field, slug ? $"Object with id={value} does not exist." : $"Invalid pk \"{value}\" - object does not exist.");
            return null;
        }
        return id;
    }
}
