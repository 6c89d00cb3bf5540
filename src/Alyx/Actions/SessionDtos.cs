using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Alyx.Http;
using Alyx.Misc;

namespace Alyx.Actions;

/// <summary>A session in <c>/sessions</c> lists: the light shape without json, qc, users or nested rows (quirk Q-3).</summary>
public sealed record SessionListItem(
    Guid Id,
    string Subject,
    DateTime? StartTime,
    int? Number,
    string? Lab,
    List<string> Projects,
    string Url,
    string TaskProtocol);

/// <summary>A water administration nested in the session detail (<c>wateradmin_session_related</c>).</summary>
public sealed record SessionWaterAdministration(Guid Id, string Name, string? WaterType, double? WaterAdministered);

/// <summary>A dataset nested in the session detail (<c>data_dataset_session_related</c>).</summary>
public sealed record SessionDataset(
    Guid Id,
    string Name,
    string? DatasetType,
    string? DataUrl,
    string Url,
    long? FileSize,
    string Hash,
    string Version,
    string Collection,
    string Revision,
    string DefaultRevision,
    string Qc);

/// <summary>/sessions/{id} and the POST /sessions response.</summary>
public sealed record SessionDetail(
    string Subject,
    List<string> Users,
    string? Location,
    List<string> Procedures,
    string? Lab,
    List<string> Projects,
    string? Type,
    string TaskProtocol,
    int? Number,
    DateTime? StartTime,
    DateTime? EndTime,
    string Narrative,
    string? ParentSession,
    int? NCorrectTrials,
    int? NTrials,
    string Url,
    [property: JsonConverter(typeof(RawJsonConverter))] string? ExtendedQc,
    string Qc,
    List<SessionWaterAdministration> WateradminSessionRelated,
    List<SessionDataset> DataDatasetSessionRelated,
    DateTime? AutoDatetime,
    Guid Id,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json,
    List<Experiments.InsertionListItem> ProbeInsertion,
    List<System.Text.Json.Nodes.JsonObject> FieldOfView,
    List<NoteItem> Notes) : IHasUrl;

/// <summary>The session row as read from the database for the detail; nested rows are read by separate set-based queries.</summary>
sealed record SessionRow(
    Guid Id,
    string Subject,
    List<string> Users,
    string? Location,
    List<string> Procedures,
    string? Lab,
    List<string> Projects,
    string? Type,
    string TaskProtocol,
    int? Number,
    DateTime? StartTime,
    DateTime? EndTime,
    string Narrative,
    Guid? ParentSession,
    int? NCorrectTrials,
    int? NTrials,
    string? ExtendedQc,
    int Qc,
    DateTime? AutoDatetime,
    string? Json,
    List<SessionWaterAdministration> WaterAdministrations);

static class SessionDtos
{
    public static readonly Serializer List = new("SessionList",
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        new Field("subject", FieldKind.Slug) { ReadOnly = true },
        new Field("start_time", FieldKind.DateTime) { ReadOnly = true, Nullable = true },
        new Field("number", FieldKind.Integer) { ReadOnly = true, Nullable = true },
        new Field("lab", FieldKind.Slug) { ReadOnly = true, Nullable = true },
        new Field("projects", FieldKind.SlugList) { ReadOnly = true },
        new Field("url", FieldKind.String) { ReadOnly = true, Format = "uri" },
        new Field("task_protocol", FieldKind.String) { ReadOnly = true });

    public static readonly Serializer Detail = new("SessionDetail",
        new Field("subject", FieldKind.Slug) { Required = true },
        new Field("users", FieldKind.SlugList),
        new Field("location", FieldKind.Slug) { Nullable = true },
        new Field("procedures", FieldKind.SlugList),
        new Field("lab", FieldKind.Slug),
        new Field("projects", FieldKind.SlugList),
        new Field("type", FieldKind.String) { Nullable = true, MaxLength = 255 },
        new Field("task_protocol", FieldKind.String) { MaxLength = 1023 },
        new Field("number", FieldKind.Integer) { Nullable = true },
        new Field("start_time", FieldKind.DateTime) { Nullable = true },
        new Field("end_time", FieldKind.DateTime) { Nullable = true },
        new Field("narrative", FieldKind.String),
        new Field("parent_session", FieldKind.String) { Nullable = true, Format = "uri", Description = "URL of the parent session." },
        new Field("n_correct_trials", FieldKind.Integer) { Nullable = true },
        new Field("n_trials", FieldKind.Integer) { Nullable = true },
        new Field("url", FieldKind.String) { ReadOnly = true, Format = "uri" },
        new Field("extended_qc", FieldKind.Json) { Nullable = true },
        new Field("qc", FieldKind.Choice) { Choices = QcCodes.Labels, AllowBlank = false, ChoiceMessage = QcCodes.ChoicesMessage },
        new Field("wateradmin_session_related", FieldKind.Json) { ReadOnly = true, ReadType = "array" },
        new Field("data_dataset_session_related", FieldKind.Json) { ReadOnly = true, ReadType = "array" },
        new Field("auto_datetime", FieldKind.DateTime) { ReadOnly = true, Nullable = true },
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        new Field("json", FieldKind.Json) { Nullable = true, Description = "Structured data, formatted in a user-defined way" },
        new Field("probe_insertion", FieldKind.Json) { ReadOnly = true, ReadType = "array" },
        new Field("field_of_view", FieldKind.Json) { ReadOnly = true, ReadType = "array" },
        new Field("notes", FieldKind.Json) { ReadOnly = true, ReadType = "array" });

    public static string Url(string root, Guid id) => root + "/sessions/" + id.ToString("D");

    public static Expression<Func<Session, SessionListItem>> ListItem(HttpRequest req)
    {
        var root = ApiUrls.Root(req) + "/sessions/";
        return s => new SessionListItem(s.Id, s.Subject!.Nickname, s.StartTime, s.Number, s.Lab == null ? null : s.Lab.Name,
            s.Projects.Select(p => p.Name).ToList(), root + s.Id, s.TaskProtocol);
    }

    public static readonly Expression<Func<Session, SessionRow>> Row = s => new SessionRow(
        s.Id,
        s.Subject!.Nickname,
        s.Users.OrderBy(u => u.Username).Select(u => u.Username).ToList(),
        s.Location == null ? null : s.Location.Name,
        s.Procedures.Select(p => p.Name).ToList(),
        s.Lab == null ? null : s.Lab.Name,
        s.Projects.Select(p => p.Name).ToList(),
        s.Type,
        s.TaskProtocol,
        s.Number,
        s.StartTime,
        s.EndTime,
        s.Narrative,
        s.ParentSessionId,
        s.NCorrectTrials,
        s.NTrials,
        s.ExtendedQc,
        s.Qc,
        s.AutoDatetime,
        s.Json,
        s.WaterAdministrations.OrderBy(w => w.DateTime).ThenBy(w => w.Id)
            .Select(w => new SessionWaterAdministration(w.Id, w.Name, w.WaterType == null ? null : w.WaterType.Name, w.WaterAdministered))
            .ToList());

    public static SessionDetail ToDetail(SessionRow r, string root, List<SessionDataset> datasets, List<Experiments.InsertionListItem> insertions,
        List<NoteItem> notes) => new(
        r.Subject, r.Users, r.Location, r.Procedures, r.Lab, r.Projects, r.Type, r.TaskProtocol, r.Number, r.StartTime, r.EndTime,
        r.Narrative, r.ParentSession is { } parent ? Url(root, parent) : null, r.NCorrectTrials, r.NTrials, Url(root, r.Id), r.ExtendedQc,
        QcCodes.Label(r.Qc), r.WaterAdministrations, datasets, r.AutoDatetime, r.Id, r.Json, insertions, [], notes);
}
