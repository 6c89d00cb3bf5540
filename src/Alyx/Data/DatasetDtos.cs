using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Alyx.Actions;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Data;

/// <summary>A file record nested in a dataset (DatasetFileRecordsSerializer).</summary>
public sealed record DatasetFileRecord(Guid Id, string DataRepository, string DataRepositoryPath, string RelativePath, string? DataUrl, bool Exists);

/// <summary>A dataset in <c>/datasets</c> lists: the detail plus the counts of protected and public tags.</summary>
public sealed record DatasetListItem(
    string Url,
    string Name,
    string? CreatedBy,
    DateTime? CreatedDatetime,
    string DatasetType,
    string DataFormat,
    string Collection,
    string? Session,
    long? FileSize,
    string Hash,
    string Version,
    int? ExperimentNumber,
    List<DatasetFileRecord> FileRecords,
    DateTime? AutoDatetime,
    string Revision,
    bool DefaultDataset,
    int Protected,
    int Public,
    List<string> Tags,
    string Qc,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json);

/// <summary>/datasets/{id} and the create/update responses: no tag counts (the original only annotates lists).</summary>
public sealed record DatasetDetail(
    string Url,
    string Name,
    string? CreatedBy,
    DateTime? CreatedDatetime,
    string DatasetType,
    string DataFormat,
    string Collection,
    string? Session,
    long? FileSize,
    string Hash,
    string Version,
    int? ExperimentNumber,
    List<DatasetFileRecord> FileRecords,
    DateTime? AutoDatetime,
    string Revision,
    bool DefaultDataset,
    List<string> Tags,
    string Qc,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json) : IHasUrl;

/// <summary>/files and /files/{id} (FileRecordSerializer): the id only appears in <c>url</c>.</summary>
public sealed record FileRecordItem(
    string Url,
    string Dataset,
    string DataRepository,
    string Name,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json,
    string RelativePath,
    bool Exists) : IHasUrl;

static partial class DatasetDtos
{


    public const string CollectionMessage = "Collections must only contain letters, numbers, hyphens, underscores and forward slashes.";

    public const string RelativePathMessage = "Invalid path";

    static readonly Field[] TagCounts =
    [
        new Field("protected", FieldKind.Integer) { ReadOnly = true, Description = "Number of protected tags." },
        new Field("public", FieldKind.Integer) { ReadOnly = true, Description = "Number of public tags." },
    ];

    static Field[] DatasetFields(bool list) =>
    [
        new Field("url", FieldKind.String) { ReadOnly = true, Format = "uri" },
        new Field("name", FieldKind.String) { Required = true, AllowBlank = false, MaxLength = 255 },
        new Field("created_by", FieldKind.Slug) { Description = "Username; defaults to the requesting user." },
        new Field("created_datetime", FieldKind.DateTime) { Nullable = true },
        new Field("dataset_type", FieldKind.Slug) { Required = true },
        new Field("data_format", FieldKind.Slug),
        new Field("collection", FieldKind.String) { Nullable = true, MaxLength = 255 },
        new Field("session", FieldKind.String) { Format = "uri", Description = "URL of the session." },
        new Field("file_size", FieldKind.Integer) { Nullable = true, Int64 = true },
        new Field("hash", FieldKind.String) { Nullable = true },
        new Field("version", FieldKind.String) { Nullable = true },
        new Field("experiment_number", FieldKind.Integer) { ReadOnly = true, Nullable = true },
        new Field("file_records", FieldKind.Json) { ReadOnly = true, ReadType = "array" },
        new Field("subject", FieldKind.Slug) { WriteOnly = true, Description = "Subject nickname, to find the session when none is given." },
        new Field("date", FieldKind.Date) { WriteOnly = true },
        new Field("number", FieldKind.Integer) { WriteOnly = true },
        new Field("auto_datetime", FieldKind.DateTime) { ReadOnly = true, Nullable = true },
        new Field("revision", FieldKind.Slug),
        new Field("default_dataset", FieldKind.Boolean) { Nullable = true },
        .. (list ? TagCounts : Array.Empty<Field>()),
        new Field("tags", FieldKind.SlugList),
        new Field("qc", FieldKind.Choice) { Choices = QcCodes.Labels, AllowBlank = false, ChoiceMessage = QcCodes.ChoicesMessage },
        new Field("json", FieldKind.Json) { Nullable = true, Description = "Structured data, formatted in a user-defined way" },
    ];

    public static readonly Serializer List = new("DatasetList", DatasetFields(list: true));

    public static readonly Serializer Detail = new("Dataset", DatasetFields(list: false));

    public static readonly Serializer File = new("FileRecord",
        new Field("url", FieldKind.String) { ReadOnly = true, Format = "uri" },
        new Field("dataset", FieldKind.String) { Required = true, Format = "uri", Description = "URL of the dataset." },
        new Field("data_repository", FieldKind.Slug) { Required = true },
        new Field("name", FieldKind.String) { MaxLength = 255 },
        new Field("json", FieldKind.Json) { Nullable = true, Description = "Structured data, formatted in a user-defined way" },
        new Field("relative_path", FieldKind.String)
        {
            Required = true,
            MaxLength = 1000,
            Pattern = @"^[a-zA-Z0-9_][^\\:]+$",
            PatternMessage = RelativePathMessage,
        },
        new Field("exists", FieldKind.Boolean));

    public static string DatasetUrl(string root, Guid id) => root + "/datasets/" + id.ToString("D");

    public static string FileUrl(string root, Guid id) => root + "/files/" + id.ToString("D");

    public static Expression<Func<Dataset, DatasetListItem>> ListItem(HttpRequest req)
    {
        var root = ApiUrls.Root(req);
        return d => new DatasetListItem(
            root + "/datasets/" + d.Id,
            d.Name,
            d.CreatedBy == null ? null : d.CreatedBy.Username,
            d.CreatedDatetime,
            d.DatasetType!.Name,
            d.DataFormat!.Name,
            d.Collection,
            d.SessionId == null ? null : root + "/sessions/" + d.SessionId,
            d.FileSize,
            d.Hash,
            d.Version,
            d.Session == null ? null : d.Session.Number,
            d.FileRecords.OrderBy(f => f.DataRepository!.Name).ThenBy(f => f.Id).Select(f => new DatasetFileRecord(
                f.Id, f.DataRepository!.Name, f.DataRepository.GlobusPath, f.RelativePath,
                DataUrls.FileRecordUrl(f.DataRepository.DataUrl, f.RelativePath, f.DatasetId), f.Exists)).ToList(),
            d.AutoDatetime,
            d.Revision == null ? "" : d.Revision.Name,
            d.DefaultDataset,
            d.Tags.Count(t => t.Protected),
            d.Tags.Count(t => t.Public),
            d.Tags.OrderBy(t => t.Name).Select(t => t.Name).ToList(),
            QcCodes.Label(d.Qc),
            d.Json);
    }

    /// <summary>
    /// The dataset's row and the names of its references, without collections: one indexed row (a single statement with the
    /// collections joined makes SQLite materialise every file record to join one dataset's).
    /// </summary>
    static readonly Func<Database.AlyxDb, Guid, string, CancellationToken, Task<DatasetDetail?>> DetailRow =
        EF.CompileAsyncQuery((Database.AlyxDb db, Guid id, string root, CancellationToken ct) => db.Datasets.AsNoTracking()
            .Where(d => d.Id == id)
            .Select(d => new DatasetDetail(
                root + "/datasets/" + d.Id,
                d.Name,
                d.CreatedBy == null ? null : d.CreatedBy.Username,
                d.CreatedDatetime,
                d.DatasetType!.Name,
                d.DataFormat!.Name,
                d.Collection,
                d.SessionId == null ? null : root + "/sessions/" + d.SessionId,
                d.FileSize,
                d.Hash,
                d.Version,
                d.Session == null ? null : d.Session.Number,
                new List<DatasetFileRecord>(),
                d.AutoDatetime,
                d.Revision == null ? "" : d.Revision.Name,
                d.DefaultDataset,
                new List<string>(),
                QcCodes.Label(d.Qc),
                d.Json))
            .FirstOrDefault());

    static readonly Func<Database.AlyxDb, Guid, IAsyncEnumerable<DatasetFileRecord>> DetailFileRecords =
        EF.CompileAsyncQuery((Database.AlyxDb db, Guid id) => db.FileRecords.AsNoTracking().Where(f => f.DatasetId == id)
            .OrderBy(f => f.DataRepository!.Name).ThenBy(f => f.Id)
            .Select(f => new DatasetFileRecord(f.Id, f.DataRepository!.Name, f.DataRepository.GlobusPath, f.RelativePath,
                DataUrls.FileRecordUrl(f.DataRepository.DataUrl, f.RelativePath, f.DatasetId), f.Exists)));

    static readonly Func<Database.AlyxDb, Guid, IAsyncEnumerable<string>> DetailTags =
        EF.CompileAsyncQuery((Database.AlyxDb db, Guid id) => db.Datasets.Where(d => d.Id == id).SelectMany(d => d.Tags)
            .OrderBy(t => t.Name).Select(t => t.Name));

    public static DatasetDetail ToDetail(DatasetListItem i) => new(i.Url, i.Name, i.CreatedBy, i.CreatedDatetime, i.DatasetType, i.DataFormat,
        i.Collection, i.Session, i.FileSize, i.Hash, i.Version, i.ExperimentNumber, i.FileRecords, i.AutoDatetime, i.Revision, i.DefaultDataset,
        i.Tags, i.Qc, i.Json);

    public static async Task<DatasetDetail?> ReadDetailAsync(Database.AlyxDb db, HttpRequest req, Guid id, CancellationToken ct)
    {
        var row = await DetailRow(db, id, ApiUrls.Root(req), ct);
        if (row is null) return null;
        return row with
        {
            FileRecords = await Actions.SessionDtos.ListAsync(DetailFileRecords(db, id), ct),
            Tags = await Actions.SessionDtos.ListAsync(DetailTags(db, id), ct),
        };
    }

    public static Expression<Func<FileRecord, FileRecordItem>> FileItem(HttpRequest req)
    {
        var root = ApiUrls.Root(req);
        return f => new FileRecordItem(root + "/files/" + f.Id, root + "/datasets/" + f.DatasetId, f.DataRepository!.Name, f.Name, f.Json,
            f.RelativePath, f.Exists);
    }
}
