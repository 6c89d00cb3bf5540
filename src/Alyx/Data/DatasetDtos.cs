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
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json)
{
    /// <summary>The dataset's id, to attach its collections (not on the wire: <c>url</c> carries it).</summary>
    [JsonIgnore]
    public Guid Id { get; init; }
}

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

    /// <summary>
    /// A dataset's own columns and the names of its references, one row per dataset, with its collections (file records, tags and
    /// their counts) left empty: <see cref="WithCollectionsAsync"/> fills them for a whole page in two statements. The list and the
    /// detail share it (the detail bound into a compiled query). A page read with its collections in the same query cost most of
    /// a list's CPU on the synthetic lab: a split query repeats the page's joins for each collection and reads every join key
    /// back, a single query sends each dataset's columns once per file record, and either builds the nested rows' materialiser
    /// anew for every dataset.
    /// </summary>
    static readonly Expression<Func<Dataset, string, DatasetListItem>> Row = (d, root) => new DatasetListItem(
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
        0,
        0,
        new List<string>(),
        QcCodes.Label(d.Qc),
        d.Json)
    { Id = d.Id };

    /// <summary>The list's rows (<see cref="Row"/>) with the request's API root; the collections come from <see cref="WithCollectionsAsync"/>.</summary>
    public static Expression<Func<Dataset, DatasetListItem>> ListItem(HttpRequest req) => Projections.Bind(Row, ApiUrls.Root(req));

    static readonly Func<Database.AlyxDb, Guid, string, CancellationToken, Task<DatasetListItem?>> DetailRow =
        EF.CompileAsyncQuery(Projections.Inline<Func<Database.AlyxDb, Guid, string, CancellationToken, DatasetListItem?>>((db, id, root, ct) =>
            db.Datasets.AsNoTracking().Where(d => d.Id == id).Select(d => Projections.Expand(Row, d, root)).FirstOrDefault()));

    /// <summary>A file record of one of a page's datasets.</summary>
    sealed record PageFileRecord(Guid DatasetId, DatasetFileRecord Record);

    /// <summary>A tag of one of a page's datasets (read from the link table and the tags, without the datasets' rows).</summary>
    sealed record PageTag(Guid DatasetId, string Name, bool Protected, bool Public);

    static readonly Func<Database.AlyxDb, List<Guid>, IAsyncEnumerable<PageFileRecord>> PageFileRecords =
        EF.CompileAsyncQuery((Database.AlyxDb db, List<Guid> ids) => db.FileRecords.AsNoTracking().Where(f => ids.Contains(f.DatasetId))
            .OrderBy(f => f.DataRepository!.Name).ThenBy(f => f.Id)
            .Select(f => new PageFileRecord(f.DatasetId, new DatasetFileRecord(f.Id, f.DataRepository!.Name, f.DataRepository.GlobusPath,
                f.RelativePath, DataUrls.FileRecordUrl(f.DataRepository.DataUrl, f.RelativePath, f.DatasetId), f.Exists))));

    static readonly Func<Database.AlyxDb, List<Guid>, IAsyncEnumerable<PageTag>> PageTags =
        EF.CompileAsyncQuery((Database.AlyxDb db, List<Guid> ids) => db.Set<Dictionary<string, object>>("data_dataset_tags")
            .Where(x => ids.Contains(EF.Property<Guid>(x, "dataset_id")))
            .Join(db.Tags, x => EF.Property<Guid>(x, "tag_id"), t => t.Id, (x, t) => new { DatasetId = EF.Property<Guid>(x, "dataset_id"), t.Name, t.Protected, t.Public })
            .OrderBy(x => x.Name)
            .Select(x => new PageTag(x.DatasetId, x.Name, x.Protected, x.Public)));

    /// <summary>
    /// The file records (by repository name, then id) and tags (by name; <c>protected</c> and <c>public</c> count them) of a page of
    /// datasets: two statements on the page's ids whatever the page holds. The items are replaced by their completed copies.
    /// </summary>
    public static async Task WithCollectionsAsync(Database.AlyxDb db, List<DatasetListItem> items, CancellationToken ct)
    {
        if (items.Count == 0) return;
        var ids = items.ConvertAll(i => i.Id);
        var files = new Dictionary<Guid, List<DatasetFileRecord>>(items.Count);
        await foreach (var f in PageFileRecords(db, ids).WithCancellation(ct))
        {
            if (!files.TryGetValue(f.DatasetId, out var list)) files[f.DatasetId] = list = [];
            list.Add(f.Record);
        }
        var tags = new Dictionary<Guid, List<PageTag>>();
        await foreach (var t in PageTags(db, ids).WithCancellation(ct))
        {
            if (!tags.TryGetValue(t.DatasetId, out var list)) tags[t.DatasetId] = list = [];
            list.Add(t);
        }
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var own = tags.GetValueOrDefault(item.Id);
            items[i] = item with
            {
                FileRecords = files.GetValueOrDefault(item.Id) ?? [],
                Protected = own?.Count(t => t.Protected) ?? 0,
                Public = own?.Count(t => t.Public) ?? 0,
                Tags = own?.ConvertAll(t => t.Name) ?? [],
            };
        }
    }

    public static DatasetDetail ToDetail(DatasetListItem i) => new(i.Url, i.Name, i.CreatedBy, i.CreatedDatetime, i.DatasetType, i.DataFormat,
        i.Collection, i.Session, i.FileSize, i.Hash, i.Version, i.ExperimentNumber, i.FileRecords, i.AutoDatetime, i.Revision, i.DefaultDataset,
        i.Tags, i.Qc, i.Json);

    /// <summary>The detail: the list's row and collections (three compiled statements whatever the dataset holds), without the tag counts.</summary>
    public static async Task<DatasetDetail?> ReadDetailAsync(Database.AlyxDb db, HttpRequest req, Guid id, CancellationToken ct)
    {
        if (await DetailRow(db, id, ApiUrls.Root(req), ct) is not { } row) return null;
        var page = new List<DatasetListItem> { row };
        await WithCollectionsAsync(db, page, ct);
        return ToDetail(page[0]);
    }

    public static Expression<Func<FileRecord, FileRecordItem>> FileItem(HttpRequest req)
    {
        var root = ApiUrls.Root(req);
        return f => new FileRecordItem(root + "/files/" + f.Id, root + "/datasets/" + f.DatasetId, f.DataRepository!.Name, f.Name, f.Json,
            f.RelativePath, f.Exists);
    }
}
