using System.Text.Json.Serialization;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Data;

public sealed record DataRepositoryTypeItem(string Url, [property: JsonConverter(typeof(RawJsonConverter))] string? Json, string Name) : IHasUrl;

public sealed record DataRepositoryItem(
    string Name,
    string Timezone,
    string GlobusPath,
    string Hostname,
    string? DataUrl,
    string? RepositoryType,
    Guid? GlobusEndpointId,
    bool? GlobusIsPersonal,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json);

public sealed record DataFormatItem(
    Guid Id,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json,
    string Name,
    string Description,
    string FileExtension,
    string MatlabLoaderFunction,
    string PythonLoaderFunction);

public sealed record DatasetTypeItem(Guid Id, string Name, string? CreatedBy, string Description, string FilenamePattern);

public sealed record RevisionItem(
    Guid Id,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json,
    string Name,
    string Description,
    DateTime? CreatedDatetime);

public sealed record TagItem(
    Guid Id,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json,
    string Name,
    string Description,
    bool Protected,
    bool Public,
    string? Hash);

/// <summary>/data-repository-type, /data-repository, /data-formats, /dataset-types, /revisions and /tags (spec 30 §3.1-3.6).</summary>
static class DataApi
{
    static Field Id => new("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" };

    static Field Json => new("json", FieldKind.Json) { Nullable = true, Description = "Structured data, formatted in a user-defined way" };

    static Field Text(string name, int? max = null) => new(name, FieldKind.String) { MaxLength = max };

    static Field RequiredText(string name, int max) => new(name, FieldKind.String) { Required = true, AllowBlank = false, MaxLength = max };

    public static readonly Serializer RepositoryTypeSerializer = new("DataRepositoryType",
        new Field("url", FieldKind.String) { ReadOnly = true, Format = "uri" },
        Json,
        RequiredText("name", 255));

    public static readonly Serializer RepositorySerializer = new("DataRepository",
        RequiredText("name", 255),
        Text("timezone", 64) with { Description = "Timezone of the server (see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones)" },
        Text("globus_path", 1000) with { Description = "absolute path to the repository on the server e.g. /mnt/something/" },
        Text("hostname", 200) with { Pattern = @"^[a-zA-Z0-9.\-_]+\z", PatternMessage = "Invalid hostname", Description = "Host name of the network drive" },
        Text("data_url", 200) with { Nullable = true, Format = "uri", Description = "URL of the data repository, if it is accessible via HTTP" },
        new Field("repository_type", FieldKind.Slug) { Nullable = true },
        new Field("globus_endpoint_id", FieldKind.Uuid) { Nullable = true, Format = "uuid", Description = "UUID of the globus endpoint" },
        new Field("globus_is_personal", FieldKind.Boolean) { Nullable = true, Description = "whether the Globus endpoint is personal or not." },
        Json);

    public static readonly Serializer FormatSerializer = new("DataFormat",
        Id,
        Json,
        RequiredText("name", 255) with { Description = "short identifying name, e.g. 'npy'" },
        Text("description", 255),
        RequiredText("file_extension", 255) with
        {
            Pattern = @"^\.[^\.]+\z",
            PatternMessage = "Invalid file extension, should start with a dot",
            Description = "file extension, starting with a dot.",
        },
        Text("matlab_loader_function", 255),
        Text("python_loader_function", 255));

    public static readonly Serializer DatasetTypeSerializer = new("DatasetType",
        Id,
        Text("name", 255) with { Description = "Short identifying nickname, e.g. 'spikes.times'" },
        new Field("created_by", FieldKind.Slug) { Nullable = true },
        Text("description", 1023),
        Text("filename_pattern", 255) with
        {
            Nullable = true,
            Description = "File name pattern (with wildcards) for this file in ALF naming convention. NB: Case-insensitive matching.",
        });

    public static readonly Serializer RevisionSerializer = new("Revision",
        Id,
        Json,
        Text("name", 255) with
        {
            Pattern = @"^[\w.-]+\z",
            PatternMessage = "Revisions must only contain letters, numbers, hyphens, underscores and forward slashes.",
        },
        Text("description", 1023),
        new Field("created_datetime", FieldKind.DateTime) { Nullable = true, Description = "created date" });

    public static readonly Serializer TagSerializer = new("Tag",
        Id,
        Json,
        Text("name", 255),
        Text("description", 1023),
        new Field("protected", FieldKind.Boolean),
        new Field("public", FieldKind.Boolean),
        Text("hash", 64) with { Nullable = true });

    /// <summary>Only the named columns, as django-filter's <c>filterset_fields</c> declare them; no <c>django=</c>.</summary>
    static FilterSet<T> Columns<T>(params (string Name, string Property, Type Type)[] columns) where T : class
    {
        var set = new FilterSet<T>();
        foreach (var (name, property, type) in columns) set.Add(new ColumnFilter<T>(name, property, type));
        return set;
    }

    public static string RepositoryTypeUrl(string root, string name) => root + "/data-repository-type/" + Uri.EscapeDataString(name);

    public static void MapDataApi(this IEndpointRouteBuilder routes)
    {
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        new Resource<DataRepositoryType, DataRepositoryTypeItem>
        {
            Path = "data-repository-type",
            Model = "DataRepositoryType",
            Slug = ("name", t => t.Name),
            Serializer = RepositoryTypeSerializer,
            Unique = [new("name", t => t.Name, "data repository type with this name already exists.")],
            Ordered = db => db.DataRepositoryTypes.OrderBy(t => t.Name).ThenBy(t => t.Id),
            ItemFor = req =>
            {
                var root = ApiUrls.Root(req);
                return t => new DataRepositoryTypeItem(RepositoryTypeUrl(root, t.Name), t.Json, t.Name);
            },
            Location = true,
            Filters = new FilterSet<DataRepositoryType>(),

        }.Map(routes);

        new Resource<DataRepository, DataRepositoryItem>
        {
            Path = "data-repository",
            Model = "DataRepository",
            Slug = ("name", r => r.Name),
            Serializer = RepositorySerializer,
            Unique = [new("name", r => r.Name, "data repository with this name already exists.")],
            Ordered = db => db.DataRepositories.OrderBy(r => r.Name).ThenBy(r => r.Id),
            Item = r => new DataRepositoryItem(r.Name, r.Timezone, r.GlobusPath, r.Hostname, r.DataUrl, r.RepositoryType!.Name,
                r.GlobusEndpointId, r.GlobusIsPersonal, r.Json),
            Filters = Columns<DataRepository>(
                ("name", nameof(DataRepository.Name), typeof(string)),
                ("globus_is_personal", nameof(DataRepository.GlobusIsPersonal), typeof(bool)),
                ("globus_endpoint_id", nameof(DataRepository.GlobusEndpointId), typeof(Guid))),
            Defaults = w => w.Entity.Timezone = clock.Zone.Id,
            Write = async w =>
            {
                w.Text("timezone", (e, v) => e.Timezone = v)
                    .Text("globus_path", (e, v) => e.GlobusPath = v)
                    .Text("hostname", (e, v) => e.Hostname = v)
                    .Value<Guid?>("globus_endpoint_id", (e, v) => e.GlobusEndpointId = v)
                    .Value<bool?>("globus_is_personal", (e, v) => e.GlobusIsPersonal = v);
                if (w.Data.TryGet<string>("data_url", out var url) && !w.Errors.Has("data_url"))
                {
                    if (url is { Length: > 0 } && !DjangoUrl.IsValid(url)) w.Errors.Add("data_url", "Enter a valid URL.");
                    else w.Entity.DataUrl = url;
                }
                await w.RefAsync("repository_type", w.Db.DataRepositoryTypes, t => t.Name, "name", (e, t) => e.RepositoryTypeId = t?.Id);
            },
        }.Map(routes);

        new Resource<DataFormat, DataFormatItem>
        {
            Path = "data-formats",
            Model = "DataFormat",
            Slug = ("name", f => f.Name),
            Serializer = FormatSerializer,
            Unique = [new("name", f => f.Name, "data format with this name already exists.")],
            Ordered = db => db.DataFormats.OrderBy(f => f.Name).ThenBy(f => f.Id),
            Item = f => new DataFormatItem(f.Id, f.Json, f.Name, f.Description, f.FileExtension, f.MatlabLoaderFunction, f.PythonLoaderFunction),
            Filters = new FilterSet<DataFormat>(),
            Write = async w =>
            {
                w.Text("description", (e, v) => e.Description = v)
                    .Text("file_extension", (e, v) => e.FileExtension = v)
                    .Text("matlab_loader_function", (e, v) => e.MatlabLoaderFunction = v)
                    .Text("python_loader_function", (e, v) => e.PythonLoaderFunction = v);
            },
            BeforeDelete = async w =>
            {
                var (db, format, ct) = (w.Db, w.Entity, w.Ct);
                if (!await db.Datasets.AnyAsync(d => d.DataFormatId == format.Id, ct)) return;
                var unknown = await UnknownRows.FormatAsync(db, ct);
                await db.Datasets.Where(d => d.DataFormatId == format.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.DataFormatId, unknown), ct);
            },
        }.Map(routes);

        new Resource<DatasetType, DatasetTypeItem>
        {
            Path = "dataset-types",
            Model = "DatasetType",
            Slug = ("name", t => t.Name),
            Serializer = DatasetTypeSerializer,
            Unique = [new("name", t => t.Name, "dataset type with this name already exists.")],
            Ordered = db => db.DatasetTypes.OrderBy(t => t.Name).ThenBy(t => t.Id),
            Item = t => new DatasetTypeItem(t.Id, t.Name, t.CreatedBy!.Username, t.Description, t.FilenamePattern ?? ""),
            Filters = new FilterSet<DatasetType>(),
            Write = async w =>
            {
                w.Text("description", (e, v) => e.Description = v);
                await CreatedByAsync(w, (e, id) => e.CreatedById = id);
                if (w.Data.TryGet<string>("filename_pattern", out var pattern) && !w.Errors.Has("filename_pattern"))
                {
                    // Stored lower-case (Alyx's save hook); blank is NULL, so any number of types may have no pattern.
                    var stored = string.IsNullOrEmpty(pattern) ? null : pattern.ToLowerInvariant();
                    var id = w.Entity.Id;
                    if (stored is not null && await w.Db.DatasetTypes.AnyAsync(t => t.FilenamePattern == stored && t.Id != id, w.Ct))
                        w.Errors.Add("filename_pattern", "dataset type with this filename pattern already exists.");
                    w.Entity.FilenamePattern = stored;
                }
            },
            BeforeDelete = async w =>
            {
                var (db, type, ct) = (w.Db, w.Entity, w.Ct);
                if (!await db.Datasets.AnyAsync(d => d.DatasetTypeId == type.Id, ct)) return;
                var unknown = await UnknownRows.DatasetTypeAsync(db, ct);
                await db.Datasets.Where(d => d.DatasetTypeId == type.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.DatasetTypeId, unknown), ct);
            },
        }.Map(routes);

        new Resource<Revision, RevisionItem>
        {
            Path = "revisions",
            Model = "Revision",
            Slug = ("name", r => r.Name),
            Serializer = RevisionSerializer,
            Unique = [new("name", r => r.Name, "revision with this name already exists.")],
            Ordered = db => db.Revisions.OrderBy(r => r.Name).ThenBy(r => r.Id),
            Item = r => new RevisionItem(r.Id, r.Json, r.Name, r.Description, r.CreatedDatetime),
            Filters = Columns<Revision>(("name", nameof(Revision.Name), typeof(string))),
            Defaults = w => w.Entity.CreatedDatetime = clock.Now,
            Write = async w =>
            {
                // A revision is a folder of file paths (#name#): "." and ".." would leave the collection (the pattern refuses separators).
                if (w.Data.TryGet<string>("name", out var name) && name is "." or "..")
                    w.Errors.Add("name", "Revision names \".\" and \"..\" are not allowed.");
                w.Text("description", (e, v) => e.Description = v).Value<DateTime?>("created_datetime", (e, v) => e.CreatedDatetime = v);
            },
        }.Map(routes);

        new Resource<Tag, TagItem>
        {
            Path = "tags",
            Model = "Tag",
            Slug = ("name", t => t.Name),
            Serializer = TagSerializer,
            Unique = [new("name", t => t.Name, "tag with this name already exists.")],
            Ordered = db => db.Tags.OrderBy(t => t.Name).ThenBy(t => t.Id),
            Item = t => new TagItem(t.Id, t.Json, t.Name, t.Description, t.Protected, t.Public, t.Hash),
            Filters = Columns<Tag>(("name", nameof(Tag.Name), typeof(string))),
            Write = async w =>
            {
                w.Text("description", (e, v) => e.Description = v)
                    .Value<bool>("protected", (e, v) => e.Protected = v)
                    .Value<bool>("public", (e, v) => e.Public = v)
                    .Value<string?>("hash", (e, v) => e.Hash = v);
            },
        }.Map(routes);
    }

    /// <summary>
    /// A <c>created_by</c> username (null allowed); DRF's CurrentUserDefault fills it with the caller on create and PUT
    /// when the key is absent, never on PATCH.
    /// </summary>
    public static async Task CreatedByAsync<T>(ResourceWrite<T> w, Action<T, Guid?> set) where T : AlyxModel
    {
        if (w.Data.Has("created_by"))
        {
            await w.RefAsync("created_by", w.Db.Users, u => u.Username, "username", (e, u) => set(e, u?.Id));
            return;
        }
        if (!w.Partial) set(w.Entity, w.User.Id);
    }
}

/// <summary>The <c>unknown</c> dataset type and data format Alyx creates on first use (its field defaults and SET_DEFAULT target).</summary>
static class UnknownRows
{
    public const string Name = DatabaseSetup.UnknownName;

    public static async Task<Guid> DatasetTypeAsync(AlyxDb db, CancellationToken ct)
    {
        var id = await db.DatasetTypes.Where(t => t.Name == Name).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct);
        if (id is { } existing) return existing;
        var type = new DatasetType { Name = Name };
        db.DatasetTypes.Add(type);
        await db.SaveChangesAsync(ct);
        return type.Id;
    }

    public static async Task<Guid> FormatAsync(AlyxDb db, CancellationToken ct)
    {
        var id = await db.DataFormats.Where(f => f.Name == Name).Select(f => (Guid?)f.Id).FirstOrDefaultAsync(ct);
        if (id is { } existing) return existing;
        var format = new DataFormat { Name = Name };
        db.DataFormats.Add(format);
        await db.SaveChangesAsync(ct);
        return format.Id;
    }
}

/// <summary>Django's URLValidator, for the schemes Alyx accepts (http, https, ftp, ftps) and a dotted host, localhost or an IP.</summary>
static class DjangoUrl
{
    static readonly string[] Schemes = ["http", "https", "ftp", "ftps"];

    public static bool IsValid(string value)
    {
        if (value.Any(char.IsWhiteSpace) || !Uri.TryCreate(value, UriKind.Absolute, out var uri)) return false;
        if (!Schemes.Contains(uri.Scheme, StringComparer.OrdinalIgnoreCase)) return false;
        var host = uri.IdnHost;
        return uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
            || host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (host.Contains('.', StringComparison.Ordinal) && !host.EndsWith('.') && !host.StartsWith('.'));
    }
}
