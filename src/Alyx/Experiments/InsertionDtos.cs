using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Alyx.Http;

namespace Alyx.Experiments;

/// <summary>The session an insertion belongs to, as the insertion endpoints nest it (<c>session_info</c>).</summary>
public sealed record InsertionSessionInfo(
    string Subject,
    DateTime? StartTime,
    int? Number,
    string? Lab,
    Guid Id,
    List<string> Projects,
    string TaskProtocol);

/// <summary>An insertion in <c>/insertions</c> lists, the POST response and the session detail: datasets as ids.</summary>
public sealed record InsertionListItem(
    Guid Id,
    Guid? Session,
    string? Model,
    InsertionSessionInfo? SessionInfo,
    string Name,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json,
    string Serial,
    DateTime? AutoDatetime,
    Guid? ChronicInsertion,
    List<Guid> Datasets);

/// <summary>A dataset nested in the insertion detail: <c>qc</c> is the integer code here.</summary>
public sealed record InsertionDataset(
    Guid Id,
    string Name,
    string? DatasetType,
    string? DataUrl,
    string Url,
    long? FileSize,
    string Hash,
    string Version,
    string Collection,
    int Qc);

/// <summary>/insertions/{id} and the PUT/PATCH responses: datasets nested, right after <c>session_info</c>.</summary>
public sealed record InsertionDetail(
    Guid Id,
    Guid? Session,
    string? Model,
    InsertionSessionInfo? SessionInfo,
    List<InsertionDataset> Datasets,
    string Name,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json,
    string Serial,
    DateTime? AutoDatetime,
    Guid? ChronicInsertion);

/// <summary>The representations of ProbeInsertionListSerializer and ProbeInsertionDetailSerializer (spec 40 §4.1).</summary>
static class InsertionDtos
{
    public const string UniqueMessage = "The fields name, session must make a unique set.";

    static Field Id => new("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" };

    static Field Session => new("session", FieldKind.Slug) { Required = true, Format = "uuid", Description = "Session id." };

    static Field Model => new("model", FieldKind.Slug) { Description = "Probe model (probe_model, e.g. 3B2)." };

    static Field SessionInfo => new("session_info", FieldKind.Json) { ReadOnly = true, ReadType = "object" };

    static Field[] Own =>
    [
        new Field("name", FieldKind.String) { Required = true, MaxLength = 255, Description = "Long name" },
        new Field("json", FieldKind.Json) { Nullable = true, Description = "Structured data, formatted in a user-defined way" },
        new Field("serial", FieldKind.String) { MaxLength = 255, Description = "Probe serial number" },
        new Field("auto_datetime", FieldKind.DateTime) { ReadOnly = true, Nullable = true },
        new Field("chronic_insertion", FieldKind.Slug) { Nullable = true, Format = "uuid" },
    ];

    public static readonly Serializer List = new("ProbeInsertionList",
        [Id, Session, Model, SessionInfo, .. Own, new Field("datasets", FieldKind.SlugList) { Description = "Linked dataset ids." }]);

    public static readonly Serializer Detail = new("ProbeInsertionDetail",
        [Id, Session, Model, SessionInfo, new Field("datasets", FieldKind.Json) { ReadOnly = true, ReadType = "array" }, .. Own]);

    /// <summary>The list shape, as one projection (the session and its projects, the linked dataset ids).</summary>
    public static readonly Expression<Func<ProbeInsertion, InsertionListItem>> ListItem = p => new InsertionListItem(
        p.Id,
        p.SessionId,
        p.Model == null ? null : p.Model.Model,
        p.Session == null ? null : new InsertionSessionInfo(
            p.Session.Subject!.Nickname,
            p.Session.StartTime,
            p.Session.Number,
            p.Session.Lab == null ? null : p.Session.Lab.Name,
            p.Session.Id,
            p.Session.Projects.OrderBy(x => x.Name).Select(x => x.Name).ToList(),
            p.Session.TaskProtocol),
        p.Name,
        p.Json,
        p.Serial,
        p.AutoDatetime,
        p.ChronicInsertionId,
        p.Datasets.OrderBy(d => d.Collection).ThenBy(d => d.Name).ThenBy(d => d.Id).Select(d => d.Id).ToList());

    public static InsertionDetail ToDetail(InsertionListItem i, List<InsertionDataset> datasets) =>
        new(i.Id, i.Session, i.Model, i.SessionInfo, datasets, i.Name, i.Json, i.Serial, i.AutoDatetime, i.ChronicInsertion);
}
