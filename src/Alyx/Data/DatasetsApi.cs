using System.Text.RegularExpressions;
using Alyx.Actions;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Data;

/// <summary>/datasets and /files with their detail routes (Alyx: DatasetList/DatasetDetail, FileRecordList/FileRecordDetail).</summary>
static partial class DatasetsApi
{
    static readonly Lazy<FilterSet<Dataset>> DatasetFilterSet = new(DatasetFilters.Datasets);
    static readonly Lazy<FilterSet<FileRecord>> FileFilterSet = new(DatasetFilters.Files);

    public const string DuplicateMessage = "A dataset with this session, collection, name and revision already exists.";
    public const string FileUniqueMessage = "The fields data_repository, relative_path must make a unique set.";

    public static void MapDatasetsApi(this IEndpointRouteBuilder routes)
    {
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        new Resource<Dataset, DatasetListItem, DatasetDetail>
        {
            Path = "datasets",
            Model = "Dataset",
            Serializer = DatasetDtos.Detail,
            ListSerializer = DatasetDtos.List,
            // Unordered in the original; registration time then id keeps pages stable.
            Ordered = db => db.Datasets.OrderBy(d => d.CreatedDatetime).ThenBy(d => d.Id),
            ItemFor = DatasetDtos.ListItem,
            // File records and tags of the whole page: two statements on its ids.
            Enrich = DatasetDtos.WithCollectionsAsync,
            ReadDetail = DatasetDtos.ReadDetailAsync,
            Filters = DatasetFilterSet.Value,
            Location = true,
            UniqueViolation = ("non_field_errors", DuplicateMessage),
            ForUpdate = q => q.Include(d => d.Tags),
            Defaults = w => w.Entity.CreatedDatetime = clock.Now,
            Write = WriteDatasetAsync,
            BeforeSave = w => BeforeDatasetSaveAsync(w, clock),
            // Dataset.save: a collection like alf/probe00 links the dataset to the session's insertion probe00.
            AfterSave = w => Experiments.InsertionLinks.LinkDatasetsAsync(w.Db, [w.Entity], w.Ct),
            BeforeDelete = RefuseProtectedAsync,
        }.Map(routes);

        new Resource<FileRecord, FileRecordItem>
        {
            Path = "files",
            Model = "FileRecord",
            Serializer = DatasetDtos.File,
            Ordered = db => db.FileRecords.OrderBy(f => f.Id),
            ItemFor = DatasetDtos.FileItem,
            Filters = FileFilterSet.Value,
            Location = true,
            UniqueViolation = ("non_field_errors", FileUniqueMessage),
            Write = WriteFileAsync,
            BeforeSave = async w =>
            {
                var (f, id) = (w.Entity, w.Entity.Id);
                if (await w.Db.FileRecords.AnyAsync(o => o.Id != id && o.DataRepositoryId == f.DataRepositoryId && o.RelativePath == f.RelativePath, w.Ct))
                    w.Errors.Add("non_field_errors", FileUniqueMessage);
            },
            // Saving a file record bumps its dataset's auto_datetime.
            AfterSave = async w =>
            {
                var (datasetId, now) = (w.Entity.DatasetId, clock.Now);
                await w.Db.Datasets.Where(d => d.Id == datasetId).ExecuteUpdateAsync(u => u.SetProperty(d => d.AutoDatetime, now), w.Ct);
            },
        }.Map(routes);
    }

    /// <summary>DatasetSerializer's fields: slugs, the session hyperlink, the collection and the 64-character hash and version columns.</summary>
    static async Task WriteDatasetAsync(ResourceWrite<Dataset> w)
    {
        var (db, data, ct) = (w.Db, w.Data, w.Ct);
        await DataApi.CreatedByAsync(w, (d, id) => d.CreatedById = id);
        await w.RefAsync("dataset_type", db.DatasetTypes, t => t.Name, "name", (d, t) => d.DatasetTypeId = t!.Id);
        await w.RefAsync("data_format", db.DataFormats, f => f.Name, "name", (d, f) => d.DataFormatId = f!.Id);
        await w.RefAsync("revision", db.Revisions, r => r.Name, "name", (d, r) => d.RevisionId = r?.Id);
        await w.RefsAsync("tags", db.Tags, t => t.Name, "name", (d, tags) =>
        {
            d.Tags.Clear();
            d.Tags.AddRange(tags);
        });
        await w.RefAsync("subject", db.Subjects, s => s.Nickname, "nickname");
        if (w.Body.Fields.TryGetPropertyValue("session", out var sessionNode) && !w.Errors.Has("session"))
        {
            var (id, linkError) = await Hyperlinks.ResolveAsync(sessionNode, "sessions", i => db.Sessions.AnyAsync(s => s.Id == i, ct), nullable: false);
            if (linkError is not null) w.Errors.Add("session", linkError);
            else w.Entity.SessionId = id;
        }
        if (data.TryGet<string>("collection", out var collection) && collection is not null && !Alf.IsCollection(collection))
            w.Errors.Add("collection", DatasetDtos.CollectionMessage);
        foreach (var field in new[] { "hash", "version" })
        {
            if (data.TryGet<string>(field, out var text) && text is not null && text.Length > 64)
                w.Errors.Add(field, "Ensure this field has no more than 64 characters.");
        }
        w.Value<DateTime?>("created_datetime", (d, v) => d.CreatedDatetime = v)
            .Text("collection", (d, v) => d.Collection = v)
            .Value<long?>("file_size", (d, v) => d.FileSize = v)
            .Text("hash", (d, v) => d.Hash = v)
            .Text("version", (d, v) => d.Version = v);
        if (data.TryGet<string>("qc", out var qc)) w.Entity.Qc = QcCodes.FromLabel(qc!)!.Value;
        if (data.Get<bool?>("default_dataset") is { } flag) w.Entity.DefaultDataset = flag;
    }

    /// <summary>
    /// DatasetSerializer.create and Dataset.save: the unknown format when none is given, the session from subject + date (+ number)
    /// when no session link is, the default-revision cascade, auto_datetime, then the (session, collection, name, revision) check.
    /// </summary>
    static async Task BeforeDatasetSaveAsync(ResourceWrite<Dataset> w, AlyxClock clock)
    {
        var (db, data, dataset, ct) = (w.Db, w.Data, w.Entity, w.Ct);
        if (w.Creating)
        {
            if (!data.Has("data_format")) dataset.DataFormatId = await UnknownRows.FormatAsync(db, ct);
            if (dataset.SessionId is null && data.Get<string>("subject") is { } nickname && data.TryGet<DateOnly>("date", out var date))
            {
                var subject = (await Slugs.ResolveOneAsync(db, db.Subjects.AsNoTracking(), s => s.Nickname, "nickname", nickname, "subject", new ErrorMap(), ct))!;
                var (found, error) = await SessionLocator.FindAsync(db, subject.Id, subject.Nickname, date, data.Has("number") ? data.Get<int>("number") : null, ct);
                if (error is not null)
                {
                    w.Refuse(error);
                    return;
                }
                SessionLocator.Attach(found!, await db.Users.FindAsync([dataset.CreatedById], ct));
                dataset.SessionId = found!.Session.Id;
            }
            // Making a session dataset the default clears the flag on its other revisions (quirk 8).
            if (dataset.SessionId is { } session && data.Get<bool?>("default_dataset") is not false)
            {
                var (collection, name, now) = (dataset.Collection, dataset.Name, clock.Now);
                await db.Datasets.Where(d => d.SessionId == session && d.Collection == collection && d.Name == name && d.DefaultDataset)
                    .ExecuteUpdateAsync(u => u.SetProperty(d => d.DefaultDataset, false).SetProperty(d => d.AutoDatetime, now), ct);
                dataset.DefaultDataset = true;
            }
        }
        dataset.AutoDatetime = clock.Now;
        var o = dataset;
        if (await db.Datasets.AnyAsync(d => d.Id != o.Id && d.SessionId == o.SessionId && d.Collection == o.Collection && d.Name == o.Name
            && d.RevisionId == o.RevisionId && d.ContentTypeId == o.ContentTypeId && d.ObjectId == o.ObjectId, ct))
            w.Errors.Add("non_field_errors", DuplicateMessage);
    }

    /// <summary>A dataset carrying a protected tag cannot be deleted through REST (cascades from sessions still delete it).</summary>
    static async Task RefuseProtectedAsync(ResourceWrite<Dataset> w)
    {
        var id = w.Entity.Id;
        var tags = await w.Db.Tags.Where(t => t.Protected && t.Datasets.Any(d => d.Id == id)).OrderBy(t => t.Name).Select(t => t.Name).ToListAsync(w.Ct);
        if (tags.Count > 0) w.Refuse($"Failed to delete dataset {w.Entity.Name} due to protected tag(s) \"{string.Join("\", \"", tags)}\"", 403);
    }

    /// <summary>FileRecordSerializer's fields: the dataset hyperlink and the repository slug.</summary>
    static async Task WriteFileAsync(ResourceWrite<FileRecord> w)
    {
        var (db, ct) = (w.Db, w.Ct);
        if (w.Body.Fields.TryGetPropertyValue("dataset", out var datasetNode) && !w.Errors.Has("dataset"))
        {
            var (id, linkError) = await Hyperlinks.ResolveAsync(datasetNode, "datasets", i => db.Datasets.AnyAsync(d => d.Id == i, ct), nullable: false);
            if (linkError is not null) w.Errors.Add("dataset", linkError);
            else w.Entity.DatasetId = id!.Value;
        }
        await w.RefAsync("data_repository", db.DataRepositories, r => r.Name, "name", (f, r) => f.DataRepositoryId = r!.Id);
        w.Text("relative_path", (f, v) => f.RelativePath = v).Value<bool>("exists", (f, v) => f.Exists = v);
    }

    [GeneratedRegex(@"^[a-zA-Z0-9_][^\\:]+$")]
    internal static partial Regex RelativePathPattern();
}
