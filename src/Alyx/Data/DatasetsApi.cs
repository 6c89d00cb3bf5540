using System.Text.RegularExpressions;
using Alyx.Actions;
using Alyx.Auth;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
using Alyx.Misc;
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
        // Unordered in the original; registration time then id keeps pages stable.
        routes.Resource("datasets", "id", uuidLookup: true)
            .List(db => db.WithCollections(db.Datasets).OrderBy(d => d.CreatedDatetime).ThenBy(d => d.Id),
                DatasetDtos.ListItem, DatasetDtos.List, DatasetFilterSet.Value)
            .Create(CreateAsync, DatasetDtos.Detail)
            .Retrieve(GetAsync, DatasetDtos.Detail)
            .Update((Guid id, HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct) => UpdateAsync(id, req, db, clock, false, ct),
                DatasetDtos.Detail)
            .PartialUpdate((Guid id, HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct) => UpdateAsync(id, req, db, clock, true, ct),
                DatasetDtos.Detail)
            .Destroy(DeleteAsync);

        routes.Resource("files", "id", uuidLookup: true)
            .List(db => db.FileRecords.OrderBy(f => f.Id), DatasetDtos.FileItem, DatasetDtos.File, FileFilterSet.Value)
            .Create(CreateFileAsync, DatasetDtos.File)
            .Retrieve(GetFileAsync, DatasetDtos.File)
            .Update((Guid id, HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct) => UpdateFileAsync(id, req, db, clock, false, ct),
                DatasetDtos.File)
            .PartialUpdate((Guid id, HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct) => UpdateFileAsync(id, req, db, clock, true, ct),
                DatasetDtos.File)
            .Destroy((db, id) => db.FileRecords.Where(f => f.Id == Guid.Parse(id)), "FileRecord");
    }

    static async Task<IResult> GetAsync(Guid id, HttpRequest req, AlyxDb db, CancellationToken ct)
    {
        var detail = await DatasetDtos.ReadDetailAsync(db, req, id, ct);
        return detail is null ? AlyxResults.NotFound("Dataset") : AlyxResults.Ok(detail);
    }

    static async Task<IResult> CreateAsync(HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct)
    {
        var dataset = new Dataset();
        var error = await ApplyAsync(dataset, req, db, clock, partial: false, creating: true, ct);
        if (error is not null) return error;
        var detail = (await DatasetDtos.ReadDetailAsync(db, req, dataset.Id, ct))!;
        return AlyxResults.Created(detail, detail.Url);
    }

    static async Task<IResult> UpdateAsync(Guid id, HttpRequest req, AlyxDb db, AlyxClock clock, bool partial, CancellationToken ct)
    {
        var dataset = await db.Datasets.Include(d => d.Tags).SingleOrDefaultAsync(d => d.Id == id, ct);
        if (dataset is null) return AlyxResults.NotFound("Dataset");
        var error = await ApplyAsync(dataset, req, db, clock, partial, creating: false, ct);
        if (error is not null) return error;
        return AlyxResults.Ok((await DatasetDtos.ReadDetailAsync(db, req, dataset.Id, ct))!);
    }

    /// <summary>A dataset carrying a protected tag cannot be deleted through REST (cascades from sessions still delete it).</summary>
    static async Task<IResult> DeleteAsync(Guid id, AlyxDb db, CancellationToken ct)
    {
        var dataset = await db.Datasets.SingleOrDefaultAsync(d => d.Id == id, ct);
        if (dataset is null) return AlyxResults.NotFound("Dataset");
        var protectedTags = await db.Tags.Where(t => t.Protected && t.Datasets.Any(d => d.Id == id)).OrderBy(t => t.Name).Select(t => t.Name).ToListAsync(ct);
        if (protectedTags.Count > 0)
            return AlyxResults.Forbidden($"Failed to delete dataset {dataset.Name} due to protected tag(s) \"{string.Join("\", \"", protectedTags)}\"");
        db.Remove(dataset);
        await db.SaveChangesAsync(ct);
        return AlyxResults.NoContent();
    }

    /// <summary>
    /// DatasetSerializer create/update: field validation, slugs and the session hyperlink, the session from
    /// subject + date + number, the default-revision cascade on create, and Dataset.save (auto_datetime, collection check,
    /// probe insertion links).
    /// </summary>
    static async Task<IResult?> ApplyAsync(Dataset dataset, HttpRequest req, AlyxDb db, AlyxClock clock, bool partial, bool creating,
        CancellationToken ct)
    {
        var (body, bodyError) = await RequestBody.ReadAsync(req, ct);
        if (bodyError is not null) return bodyError;
        var errors = new ErrorMap();
        var data = DatasetDtos.Detail.Validate(body!, partial, errors);

        LabMember? createdBy = null;
        if (data.TryGet<string>("created_by", out var username) && username is not null)
            createdBy = await Slugs.ResolveOneAsync(db.Users, u => u.Username, "username", username, "created_by", errors, ct);
        DatasetType? type = null;
        if (data.TryGet<string>("dataset_type", out var typeName) && typeName is not null)
            type = await Slugs.ResolveOneAsync(db.DatasetTypes, t => t.Name, "name", typeName, "dataset_type", errors, ct);
        DataFormat? format = null;
        if (data.TryGet<string>("data_format", out var formatName) && formatName is not null)
            format = await Slugs.ResolveOneAsync(db.DataFormats, f => f.Name, "name", formatName, "data_format", errors, ct);
        Revision? revision = null;
        if (data.TryGet<string>("revision", out var revisionName) && revisionName is not null)
            revision = await Slugs.ResolveOneAsync(db.Revisions, r => r.Name, "name", revisionName, "revision", errors, ct);
        List<Tag>? tags = null;
        if (data.TryGet<List<string>>("tags", out var tagNames))
            tags = await Slugs.ResolveAsync(db.Tags, t => t.Name, "name", tagNames!, "tags", errors, ct);
        Subjects.Subject? subject = null;
        if (data.TryGet<string>("subject", out var nickname) && nickname is not null)
            subject = await Slugs.ResolveOneAsync(db.Subjects, s => s.Nickname, "nickname", nickname, "subject", errors, ct);
        Guid? sessionId = null;
        if (body!.Fields.TryGetPropertyValue("session", out var sessionNode) && !errors.Has("session"))
        {
            var (id, linkError) = await Hyperlinks.ResolveAsync(sessionNode, "sessions", i => db.Sessions.AnyAsync(s => s.Id == i, ct), nullable: false);
            if (linkError is not null) errors.Add("session", linkError);
            sessionId = id;
        }
        if (data.TryGet<string>("collection", out var collectionText) && collectionText is not null && !Alf.IsCollection(collectionText))
            errors.Add("collection", DatasetDtos.CollectionMessage);
        foreach (var field in new[] { "hash", "version" })
        {
            if (data.TryGet<string>(field, out var text) && text is not null && text.Length > 64)
                errors.Add(field, "Ensure this field has no more than 64 characters.");
        }
        if (errors.Any) return AlyxResults.Validation(errors);

        var caller = await db.Users.SingleAsync(u => u.Id == req.HttpContext.RequiredUser().Id, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (data.Has("name")) dataset.Name = data.Get<string>("name")!;
        if (createdBy is not null) dataset.CreatedById = createdBy.Id;
        else if (!partial) dataset.CreatedById = caller.Id;
        if (data.Has("created_datetime")) dataset.CreatedDatetime = data.Get<DateTime?>("created_datetime");
        else if (creating) dataset.CreatedDatetime = clock.Now;
        if (type is not null) dataset.DatasetTypeId = type.Id;
        if (format is not null) dataset.DataFormatId = format.Id;
        else if (creating) dataset.DataFormatId = await UnknownFormatAsync(db, ct);
        if (data.Has("collection")) dataset.Collection = collectionText ?? "";
        if (data.Has("file_size")) dataset.FileSize = data.Get<long?>("file_size");
        if (data.Has("hash")) dataset.Hash = data.Get<string>("hash") ?? "";
        if (data.Has("version")) dataset.Version = data.Get<string>("version") ?? "";
        if (data.Has("revision")) dataset.RevisionId = revision?.Id;
        if (data.TryGet<string>("qc", out var qc)) dataset.Qc = QcCodes.FromLabel(qc!)!.Value;
        if (data.Has("json")) dataset.Json = data.Get<string>("json");
        if (sessionId is not null) dataset.SessionId = sessionId;
        var defaultGiven = data.TryGet<bool?>("default_dataset", out var defaultFlag);
        if (defaultGiven && defaultFlag is not null) dataset.DefaultDataset = defaultFlag.Value;
        if (tags is not null)
        {
            dataset.Tags.Clear();
            dataset.Tags.AddRange(tags);
        }

        if (creating)
        {
            // The session from subject + date (+ number) when no session link is given (DatasetSerializer.create).
            if (sessionId is null && subject is not null && data.TryGet<DateOnly>("date", out var date))
            {
                var (found, error) = await SessionLocator.FindAsync(db, subject.Id, subject.Nickname, date, data.Has("number") ? data.Get<int>("number") : null, ct);
                if (error is not null) return AlyxResults.BadRequest(error);
                SessionLocator.Attach(found!, createdBy ?? caller);
                dataset.SessionId = found!.Session.Id;
            }
            // Making a session dataset the default clears the flag on its other revisions (quirk 8).
            if (dataset.SessionId is { } session && defaultFlag is not false)
            {
                var collection = dataset.Collection;
                var name = dataset.Name;
                var now = clock.Now;
                await db.Datasets.Where(d => d.SessionId == session && d.Collection == collection && d.Name == name && d.DefaultDataset)
                    .ExecuteUpdateAsync(u => u.SetProperty(d => d.DefaultDataset, false).SetProperty(d => d.AutoDatetime, now), ct);
                dataset.DefaultDataset = true;
            }
            db.Datasets.Add(dataset);
        }
        dataset.AutoDatetime = clock.Now;
        if (await DuplicateAsync(db, dataset, ct)) return AlyxResults.Validation("non_field_errors", DuplicateMessage);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return AlyxResults.Validation("non_field_errors", DuplicateMessage);
        }
        // Dataset.save: a collection like alf/probe00 links the dataset to the session's insertion probe00.
        await Experiments.InsertionLinks.LinkDatasetsAsync(db, [dataset], ct);
        await tx.CommitAsync(ct);
        return null;
    }

    static Task<bool> DuplicateAsync(AlyxDb db, Dataset d, CancellationToken ct) =>
        db.Datasets.AnyAsync(o => o.Id != d.Id && o.SessionId == d.SessionId && o.Collection == d.Collection && o.Name == d.Name
            && o.RevisionId == d.RevisionId && o.ContentTypeId == d.ContentTypeId && o.ObjectId == d.ObjectId, ct);

    /// <summary>The <c>unknown</c> format datasets get when none is given (created on first use, extension <c>''</c>).</summary>
    internal static async Task<Guid> UnknownFormatAsync(AlyxDb db, CancellationToken ct)
    {
        var id = await db.DataFormats.Where(f => f.Name == "unknown").Select(f => (Guid?)f.Id).FirstOrDefaultAsync(ct);
        if (id is not null) return id.Value;
        var format = new DataFormat { Name = "unknown" };
        db.DataFormats.Add(format);
        await db.SaveChangesAsync(ct);
        return format.Id;
    }

    static async Task<IResult> GetFileAsync(Guid id, HttpRequest req, AlyxDb db, CancellationToken ct)
    {
        var item = await db.FileRecords.AsNoTracking().Where(f => f.Id == id).Select(DatasetDtos.FileItem(req)).SingleOrDefaultAsync(ct);
        return item is null ? AlyxResults.NotFound("FileRecord") : AlyxResults.Ok(item);
    }

    static async Task<IResult> CreateFileAsync(HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct)
    {
        var record = new FileRecord();
        var error = await ApplyFileAsync(record, req, db, clock, partial: false, creating: true, ct);
        if (error is not null) return error;
        var item = await db.FileRecords.AsNoTracking().Where(f => f.Id == record.Id).Select(DatasetDtos.FileItem(req)).SingleAsync(ct);
        return AlyxResults.Created(item, item.Url);
    }

    static async Task<IResult> UpdateFileAsync(Guid id, HttpRequest req, AlyxDb db, AlyxClock clock, bool partial, CancellationToken ct)
    {
        var record = await db.FileRecords.SingleOrDefaultAsync(f => f.Id == id, ct);
        if (record is null) return AlyxResults.NotFound("FileRecord");
        var error = await ApplyFileAsync(record, req, db, clock, partial, creating: false, ct);
        if (error is not null) return error;
        return AlyxResults.Ok(await db.FileRecords.AsNoTracking().Where(f => f.Id == id).Select(DatasetDtos.FileItem(req)).SingleAsync(ct));
    }

    /// <summary>FileRecordSerializer create/update: the (repository, relative path) pair is unique; saving bumps the dataset's auto_datetime.</summary>
    static async Task<IResult?> ApplyFileAsync(FileRecord record, HttpRequest req, AlyxDb db, AlyxClock clock, bool partial, bool creating,
        CancellationToken ct)
    {
        var (body, bodyError) = await RequestBody.ReadAsync(req, ct);
        if (bodyError is not null) return bodyError;
        var errors = new ErrorMap();
        var data = DatasetDtos.File.Validate(body!, partial, errors);
        if (body!.Fields.TryGetPropertyValue("dataset", out var datasetNode) && !errors.Has("dataset"))
        {
            var (id, linkError) = await Hyperlinks.ResolveAsync(datasetNode, "datasets", i => db.Datasets.AnyAsync(d => d.Id == i, ct), nullable: false);
            if (linkError is not null) errors.Add("dataset", linkError);
            else record.DatasetId = id!.Value;
        }
        DataRepository? repository = null;
        if (data.TryGet<string>("data_repository", out var repositoryName) && repositoryName is not null)
            repository = await Slugs.ResolveOneAsync(db.DataRepositories, r => r.Name, "name", repositoryName, "data_repository", errors, ct);
        if (errors.Any) return AlyxResults.Validation(errors);

        if (repository is not null) record.DataRepositoryId = repository.Id;
        if (data.TryGet<string>("name", out var name)) record.Name = name ?? "";
        if (data.Has("json")) record.Json = data.Get<string>("json");
        if (data.TryGet<string>("relative_path", out var path)) record.RelativePath = path!;
        if (data.TryGet<bool>("exists", out var exists)) record.Exists = exists;
        if (await db.FileRecords.AnyAsync(f => f.Id != record.Id && f.DataRepositoryId == record.DataRepositoryId && f.RelativePath == record.RelativePath, ct))
            return AlyxResults.Validation("non_field_errors", FileUniqueMessage);
        if (creating) db.FileRecords.Add(record);
        var now = clock.Now;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return AlyxResults.Validation("non_field_errors", FileUniqueMessage);
        }
        var datasetId = record.DatasetId;
        await db.Datasets.Where(d => d.Id == datasetId).ExecuteUpdateAsync(u => u.SetProperty(d => d.AutoDatetime, now), ct);
        return null;
    }

    [GeneratedRegex(@"^[a-zA-Z0-9_][^\\:]+$")]
    internal static partial Regex RelativePathPattern();
}
