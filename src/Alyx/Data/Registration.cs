using System.Text.Json.Nodes;
using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Data;

/// <summary>A registered dataset in the register-file response (session mode).</summary>
public sealed record RegisteredSessionDataset(
    Guid Id, string Name, long? FileSize, string? Subject, string? CreatedBy, DateTime? CreatedDatetime, string DatasetType, string DataFormat,
    Guid Session, int? SessionNumber, string SessionUsers, DateTime? SessionStartTime,
    string Collection, string Revision, bool Default, int Qc, List<RegisteredFileRecord> FileRecords);

/// <summary>A registered dataset in the register-file response (aggregate mode: a content type and object id instead of a session).</summary>
public sealed record RegisteredAggregateDataset(
    Guid Id, string Name, long? FileSize, string? Subject, string? CreatedBy, DateTime? CreatedDatetime, string DatasetType, string DataFormat,
    string ContentType, Guid ObjectId, string Collection, string Revision, bool Default, int Qc, List<RegisteredFileRecord> FileRecords);

public sealed record RegisteredFileRecord(Guid Id, string DataRepository, string RelativePath, bool Exists);

/// <summary>
/// Register-file (spec 30 §3.9) and the protection check (§3.10), set-based: the request is resolved and validated with a
/// handful of queries, then every write happens in one <c>SaveChanges</c>. Nothing is written when any file is invalid.
/// Dataset identity is unique in the database, so identical concurrent requests cannot duplicate rows: the loser of a race
/// retries and updates the winner's rows.
/// </summary>
sealed class Registration(AlyxDb db, AlyxClock clock)
{
    const int MaxAttempts = 12;

    /// <summary>The scope every dataset of a request shares: a session, or a content type and object (aggregate datasets).</summary>
    sealed record Scope(Guid? SessionId, int? ContentTypeId, Guid? ObjectId);

    /// <summary>What the request resolved to before anything is written.</summary>
    sealed record Resolved(Scope Scope, List<AlfLocation> Files, SessionLocator.Located? Session, Subjects.Subject? Subject, ContentType? ContentType);

    /// <summary>A 4xx answer: the status and the original's body.</summary>
    public sealed record Failure(int Status, JsonObject Body)
    {
        public IResult ToResult() => new AlyxJsonResult(Body, Status);
    }

    static Failure Bad(string key, string message) => new(400, new JsonObject { ["status_code"] = 400, [key] = message });

    public async Task<(List<object>? Datasets, Failure? Failure)> RegisterAsync(RegisterFileRequest request, Guid callerId, CancellationToken ct)
    {
        var (datasets, failure, _) = await RegisterAsync(request, callerId, null, ct);
        return (datasets, failure);
    }

    /// <summary>
    /// The registration; with an <c>Idempotency-Key</c> the key is taken first in the transaction and the answer (201) stored
    /// before the commit, and <c>Answer</c> is what to send (a replay when another request held the key).
    /// </summary>
    public async Task<(List<object>? Datasets, Failure? Failure, IResult? Answer)> RegisterAsync(RegisterFileRequest request, Guid callerId,
        IdempotentCreate? idempotent, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            // One snapshot for every read (PostgreSQL's default READ COMMITTED would let a concurrent request's commit appear
            // between two of them); SQLite transactions are serializable and take the write lock up front.
            await using var tx = db.Provider == DatabaseProvider.Postgres
                ? await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct)
                : await db.Database.BeginTransactionAsync(ct);
            try
            {
                if (idempotent is not null && !await idempotent.ClaimAsync(db, ct))
                {
                    await tx.RollbackAsync(ct);
                    return (null, null, await idempotent.AfterLostClaimAsync(db, ct));
                }
                var (result, failure) = await RegisterOnceAsync(request, callerId, ct);
                if (failure is not null)
                {
                    await tx.RollbackAsync(ct);
                    return (null, failure, null);
                }
                var answer = idempotent is null ? null : await idempotent.CompleteAsync(db, StatusCodes.Status201Created, result, null, ct);
                await tx.CommitAsync(ct);
                return (result, null, answer);
            }
            catch (Exception e) when (attempt < MaxAttempts && DbErrors.IsRetryable(e))
            {
                // Another request registered (some of) the same rows first: start again and find them.
                await tx.RollbackAsync(CancellationToken.None);
                await Task.Delay(Random.Shared.Next(5, 20 * attempt), ct);
            }
        }
    }

    /// <summary>S1-S4: user, repository, mode, session or object, and the parsed files.</summary>
    async Task<(Resolved? Resolved, LabMember? User, DataRepository? Repository, Failure? Failure)> ResolveAsync(
        string? createdBy, string? repositoryName, string? hostname, string path, List<string> filenames, string? contentType, string? objectId,
        Guid callerId, CancellationToken ct)
    {
        var user = createdBy is null
            ? await db.Users.SingleAsync(u => u.Id == callerId, ct)
            : await db.Users.FirstOrDefaultAsync(u => u.Username == createdBy, ct);
        if (user is null) return (null, null, null, Bad("detail", "LabMember matching query does not exist."));
        DataRepository? repository = null;
        if (repositoryName is not null || hostname is not null)
        {
            repository = repositoryName is not null
                ? await db.DataRepositories.FirstOrDefaultAsync(r => r.Name == repositoryName, ct)
                : await db.DataRepositories.OrderBy(r => r.Name).FirstOrDefaultAsync(r => r.Hostname == hostname, ct);
            if (repository is null) return (null, user, null, Bad("detail", "The specified repository does not exist."));
        }
        if (path.Length == 0) return (null, user, repository, Bad("detail", "The path argument is required."));
        if (Alf.UnsafeReason(path) is { } pathReason) return (null, user, repository, Bad("detail", $"Invalid path \"{path}\": {pathReason}."));
        foreach (var file in filenames)
        {
            if (Alf.UnsafeReason(file) is { } reason) return (null, user, repository, Bad("detail", $"Invalid file name \"{file}\": {reason}."));
        }

        if (contentType is not null && objectId is not null)
        {
            var (type, typeFailure) = await ContentTypeAsync(contentType, objectId, ct);
            if (typeFailure is not null) return (null, user, repository, typeFailure);
            var files = new List<AlfLocation>();
            foreach (var file in filenames)
            {
                var (location, error) = Alf.ParseAggregateFile(path, file);
                if (error is not null) return (null, user, repository, Bad("detail", error.Message));
                files.Add(location!);
            }
            Subjects.Subject? subject = type!.Model == "subject" ? await db.Subjects.FirstOrDefaultAsync(s => s.Id == Guid.Parse(objectId), ct) : null;
            return (new Resolved(new Scope(null, type.Id, Guid.Parse(objectId)), files, null, subject, type), user, repository, null);
        }
        if (contentType is not null || objectId is not null)
            return (null, user, repository, Bad("error", "Both content_type and object_id should be provided together."));

        var sessionPath = Alf.ParseSessionPath(path);
        if (sessionPath is null) return (null, user, repository, Bad("error", $"The path {path} should be `nickname/YYYY-MM-DD/n/..."));
        var subjects = await db.Subjects.Where(s => s.Nickname == sessionPath.Subject).TakeInline(2).ToListAsync(ct);
        if (subjects.Count == 0)
            return (null, user, repository, Bad("error", $"A subject with nickname \"{path.Split('/')[0]}\" does not exist."));
        if (subjects.Count > 1) return (null, user, repository, Bad("error", "get() returned more than one Subject -- it returned 2!"));
        var owner = subjects[0];
        if (!AlyxFormats.TryParseDate(sessionPath.Date, out var date))
            return (null, user, repository, Bad("error", $"A base session for {owner.Nickname} on {sessionPath.Date} does not exist"));
        var (located, sessionError) = await SessionLocator.FindAsync(db, owner.Id, owner.Nickname, date, sessionPath.Number, ct);
        if (sessionError is not null) return (null, user, repository, Bad("error", sessionError));
        var parsed = new List<AlfLocation>();
        foreach (var file in filenames)
        {
            var (location, error) = Alf.ParseSessionFile(path, file);
            if (error is not null) return (null, user, repository, Bad("detail", error.Message));
            parsed.Add(location!);
        }
        return (new Resolved(new Scope(located!.Session.Id, null, null), parsed, located, owner, null), user, repository, null);
    }

    /// <summary>S4a.1-2: <c>model</c> or <c>app_label.model</c>, and an existing object of that model.</summary>
    async Task<(ContentType? Type, Failure? Failure)> ContentTypeAsync(string text, string objectId, CancellationToken ct)
    {
        var parts = text.Split('.');
        var candidates = parts.Length switch
        {
            1 => await db.ContentTypes.Where(c => c.Model == text).TakeInline(2).ToListAsync(ct),
            2 => await db.ContentTypes.Where(c => c.AppLabel == parts[0] && c.Model == parts[1]).TakeInline(2).ToListAsync(ct),
            _ => [],
        };
        var entity = candidates.Count == 1 ? Rows.ByLabel(db, candidates[0].AppLabel, candidates[0].Model) : null;
        // Datasets point at their object by UUID: a model keyed otherwise (users' groups, content types, tokens) holds none.
        if (entity?.FindPrimaryKey()?.Properties is not [{ Name: "Id" } key] || key.ClrType != typeof(Guid)) entity = null;
        if (entity is null) return (null, Bad("detail", $"Invalid content type: {text}"));
        if (!Guid.TryParse(objectId, out var id) || !await Rows.ExistsAsync(db, entity, id, ct))
            return (null, Bad("detail", $"Invalid object ID: {objectId}"));
        return (candidates[0], null);
    }

    /// <summary>The protection info of each file: <c>{revision or '': protected}</c>, latest revision first, unrevisioned last.</summary>
    async Task<(List<JsonObject> Details, bool Any)> ProtectionAsync(Scope scope, List<string> filenames, List<AlfLocation> files, CancellationToken ct)
    {
        var names = files.Select(f => f.FileName).Distinct().ToList();
        var rows = await InScope(db.Datasets.AsNoTracking(), scope).Where(d => names.Contains(d.Name))
            .Select(d => new
            {
                d.Id,
                d.Collection,
                d.Name,
                Revision = d.Revision == null ? null : d.Revision.Name,
                Created = d.Revision == null ? null : d.Revision.CreatedDatetime,
                Protected = d.Tags.Any(t => t.Protected),
            })
            .ToListAsync(ct);
        var details = new List<JsonObject>();
        var any = false;
        foreach (var (filename, file) in filenames.Zip(files))
        {
            var info = rows.Where(r => r.Collection == file.Collection && r.Name == file.FileName)
                .OrderBy(r => r.Revision is null || r.Created is null ? 1 : 0).ThenByDescending(r => r.Created).ThenBy(r => r.Id)
                .Select(r => (JsonNode)new JsonObject { [r.Revision ?? ""] = r.Protected })
                .ToArray();
            any |= rows.Any(r => r.Collection == file.Collection && r.Name == file.FileName && r.Protected);
            details.Add(new JsonObject { [filename] = new JsonArray(info) });
        }
        return (details, any);
    }

    static Failure ProtectedFailure(List<JsonObject> details) => new(403, new JsonObject
    {
        ["status_code"] = 403,
        ["error"] = "One or more datasets is protected",
        ["details"] = new JsonArray([.. details]),
    });

    static IQueryable<Dataset> InScope(IQueryable<Dataset> query, Scope scope) => scope.SessionId is { } session
        ? query.Where(d => d.SessionId == session && d.ContentTypeId == null && d.ObjectId == null)
        : query.Where(d => d.SessionId == null && d.ContentTypeId == scope.ContentTypeId && d.ObjectId == scope.ObjectId);

    /// <summary>/check-protected: the same resolution as register-file (read-only), then the protection info.</summary>
    public async Task<(JsonObject? Body, Failure? Failure)> CheckProtectedAsync(RegisterFileRequest request, Guid callerId, CancellationToken ct)
    {
        var (resolved, _, _, failure) = await ResolveAsync(request.CreatedBy, null, null, request.Path, request.Filenames, request.ContentType,
            request.ObjectId, callerId, ct);
        if (failure is not null) return (null, failure);
        var (details, any) = await ProtectionAsync(resolved!.Scope, request.Filenames, resolved.Files, ct);
        return any
            ? (ProtectedFailure(details).Body, null)
            : (new JsonObject { ["status_code"] = 200, ["details"] = "None of the datasets are protected" }, null);
    }

    sealed record FilePlan(AlfLocation Location, string RelativePath, DatasetType Type, DataFormat Format, string Hash, long? Size, string Version, int Qc);

    async Task<(List<object>? Datasets, Failure? Failure)> RegisterOnceAsync(RegisterFileRequest request, Guid callerId, CancellationToken ct)
    {
        var (resolved, user, repository, failure) = await ResolveAsync(request.CreatedBy, request.RepositoryName, request.Hostname, request.Path,
            request.Filenames, request.ContentType, request.ObjectId, callerId, ct);
        if (failure is not null) return (null, failure);
        var scope = resolved!.Scope;

        // S4a.3 / S4b.4-5 / S5: the repositories that get a file record.
        List<DataRepository> repositories;
        if (resolved.ContentType is not null)
        {
            if (repository is null)
                return (null, Bad("detail", "A valid repository name or hostname must be provided for non-session datasets."));
            repositories = [repository];
        }
        else
        {
            var labNames = request.Labs.Distinct().ToList();
            var labIds = new List<Guid>();
            if (labNames.Count > 0)
            {
                var labs = await db.Labs.Where(l => labNames.Contains(l.Name)).Select(l => new { l.Id, l.Name }).ToListAsync(ct);
                if (labNames.Any(n => labs.All(l => l.Name != n)))
                    return (null, Bad("detail", "One or more of the specified labs do not exist."));
                labIds = [.. labs.Select(l => l.Id)];
            }
            else if (resolved.Subject!.LabId is { } lab) labIds = [lab];
            var serverOnly = request.ServerOnly;
            repositories = await db.DataRepositories
                .Where(r => r.Labs.Any(l => labIds.Contains(l.Id)) && (!serverOnly || r.GlobusIsPersonal == false))
                .OrderBy(r => r.Name).ToListAsync(ct);
        }
        if (repository is not null && repositories.All(r => r.Id != repository.Id)) repositories.Add(repository);
        // S6-S7: where the files exist.
        HashSet<Guid> existsIn = !request.Exists ? [] : request.ServerOnly ? repositories.Select(r => r.Id).ToHashSet()
            : repository is null ? [] : new HashSet<Guid> { repository.Id };

        // S8: refuse protected datasets up front when asked (ONE moves such files to a new revision and retries).
        if (request.CheckProtected)
        {
            var (details, anyProtected) = await ProtectionAsync(scope, request.Filenames, resolved.Files, ct);
            if (anyProtected) return (null, ProtectedFailure(details));
        }

        // S9, validated for every file before anything is written.
        var count = new[] { resolved.Files.Count, request.Hashes.Count, request.Filesizes.Count, request.Versions.Count, request.Qcs.Count }.Min();
        var types = await db.DatasetTypes.AsNoTracking().ToListAsync(ct);
        var formats = await db.DataFormats.AsNoTracking().ToListAsync(ct);
        var plans = new List<FilePlan>();
        // The files of a request share a few names across many collections: each name is matched against the types once.
        var matchingByName = new Dictionary<string, List<DatasetType>>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var file = resolved.Files[i];
            var relativePath = file.RelativePath;
            if (!matchingByName.TryGetValue(file.FileName, out var matching))
            {
                matching = Alf.MatchingTypes(file.FileName, types, t => t.Name, t => t.FilenamePattern);
                matchingByName[file.FileName] = matching;
            }
            if (matching.Count == 0) return (null, Bad("detail", $"No dataset type found for filename \"{file.FileName}\""));
            if (matching.Count > 1)
                return (null, Bad("detail", $"Multiple matching dataset types found for filename \"{file.FileName}\": \n{string.Join(", ", matching.Select(t => t.Name))}"));
            var extension = Alf.Extension(file.FileName);
            var format = formats.Where(f => f.FileExtension == extension).Take(2).ToList();
            if (format.Count == 0) return (null, Bad("detail", "DataFormat matching query does not exist."));
            if (format.Count > 1)
                return (null, Bad("detail", $"get() returned more than one DataFormat -- it returned {formats.Count(f => f.FileExtension == extension)}!"));
            if (RegisterFileRequest.Qc(request.Qcs[i]) is not { } qc)
                return (null, Bad("detail", $"Invalid QC value \"{RegisterFileRequest.Text(request.Qcs[i])}\" for dataset \"{relativePath}\""));
            if (!RegisterFileRequest.TrySize(request.Filesizes[i], out var size))
                return (null, Bad("detail", $"Invalid dataset \"{relativePath}\": {{'file_size': ['“{RegisterFileRequest.Text(request.Filesizes[i])}” value must be an integer.']}}"));
            var hash = request.Hashes[i] ?? "";
            var version = request.Versions[i] ?? "";
            var invalid = new List<string>();
            if (file.FileName.Length > 255) invalid.Add($"'name': ['Ensure this value has at most 255 characters (it has {file.FileName.Length}).']");
            if (hash.Length > 64) invalid.Add($"'hash': ['Ensure this value has at most 64 characters (it has {hash.Length}).']");
            if (version.Length > 64) invalid.Add($"'version': ['Ensure this value has at most 64 characters (it has {version.Length}).']");
            if (file.Collection.Length > 255) invalid.Add($"'collection': ['Ensure this value has at most 255 characters (it has {file.Collection.Length}).']");
            if (invalid.Count > 0) return (null, Bad("detail", $"Invalid dataset \"{relativePath}\": {{{string.Join(", ", invalid)}}}"));
            if (repositories.Count > 0 && (relativePath.Length > 1000 || !DatasetsApi.RelativePathPattern().IsMatch(relativePath)))
            {
                var message = relativePath.Length > 1000
                    ? $"Ensure this value has at most 1000 characters (it has {relativePath.Length})."
                    : DatasetDtos.RelativePathMessage;
                return (null, Bad("detail", $"Invalid file record \"{relativePath}\": {{'relative_path': ['{message}']}}"));
            }
            plans.Add(new FilePlan(file, relativePath, matching[0], format[0], hash, size, version, qc));
        }

        // Existing rows, one query each: datasets of the same collections and names in scope (every revision, for the default
        // cascade), which of them are protected, and the file records at the target paths. Names and collections are filtered
        // separately in SQL (their pairs are checked here), so a session's other collections of the same names are not read.
        var names = plans.Select(p => p.Location.FileName).Distinct().ToList();
        var collections = plans.Select(p => p.Location.Collection).Distinct().ToList();
        var pairs = plans.Select(p => (p.Location.Collection, p.Location.FileName)).ToHashSet();
        var existing = (await InScope(db.Datasets, scope).Include(d => d.Revision)
                .Where(d => names.Contains(d.Name) && collections.Contains(d.Collection)).ToListAsync(ct))
            .Where(d => pairs.Contains((d.Collection, d.Name))).ToList();
        var protectedIds = (await InScope(db.Datasets, scope)
            .Where(d => names.Contains(d.Name) && collections.Contains(d.Collection) && d.Tags.Any(t => t.Protected))
            .Select(d => d.Id).ToListAsync(ct)).ToHashSet();
        var sameFile = existing.ToLookup(d => (d.Collection, d.Name)).ToDictionary(g => g.Key, g => g.ToList());
        var revisionNames = plans.Select(p => p.Location.Revision).Where(r => r.Length > 0).Distinct().ToList();
        var revisions = await db.Revisions.Where(r => revisionNames.Contains(r.Name)).ToDictionaryAsync(r => r.Name, ct);
        var repositoryIds = repositories.Select(r => r.Id).ToList();
        var paths = plans.Select(p => p.RelativePath).Distinct().ToList();
        var records = repositoryIds.Count == 0 || paths.Count == 0 ? []
            : await db.FileRecords.Where(f => repositoryIds.Contains(f.DataRepositoryId) && paths.Contains(f.RelativePath)).ToListAsync(ct);
        var recordAt = records.ToDictionary(f => (f.DataRepositoryId, f.RelativePath));

        var now = clock.Now;
        var byIdentity = existing.ToDictionary(d => (d.Collection, d.Name, Revision: d.Revision?.Name ?? ""));
        var registered = new List<Dataset>();
        foreach (var plan in plans)
        {
            var location = plan.Location;
            var revision = location.Revision.Length == 0 ? null : revisions.GetValueOrDefault(location.Revision);
            if (location.Revision.Length > 0 && revision is null)
            {
                revision = new Revision { Name = location.Revision, CreatedDatetime = now };
                db.Revisions.Add(revision);
                revisions[revision.Name] = revision;
            }
            // Making it the default clears the flag on the other datasets of this collection and name, any revision.
            if (request.DefaultCascade && sameFile.TryGetValue((location.Collection, location.FileName), out var others))
            {
                foreach (var other in others.Where(d => d.DefaultDataset))
                {
                    other.DefaultDataset = false;
                    other.AutoDatetime = now;
                }
            }
            var key = (location.Collection, location.FileName, location.Revision);
            if (!byIdentity.TryGetValue(key, out var dataset))
            {
                dataset = new Dataset
                {
                    Name = location.FileName,
                    Collection = location.Collection,
                    SessionId = scope.SessionId,
                    ContentTypeId = scope.ContentTypeId,
                    ObjectId = scope.ObjectId,
                    Revision = revision,
                    CreatedDatetime = now,
                };
                db.Datasets.Add(dataset);
                byIdentity[key] = dataset;
                if (sameFile.TryGetValue((location.Collection, location.FileName), out var list)) list.Add(dataset);
                else sameFile[(location.Collection, location.FileName)] = [dataset];
            }
            else if (protectedIds.Contains(dataset.Id))
            {
                return (null, new Failure(403, new JsonObject { ["status_code"] = 403, ["detail"] = $"Dataset {dataset.Id} is protected, cannot patch" }));
            }
            dataset.DatasetTypeId = plan.Type.Id;
            dataset.DataFormatId = plan.Format.Id;
            dataset.DefaultDataset = request.DefaultFlag;
            dataset.Qc = plan.Qc;
            dataset.CreatedById = user!.Id;
            if (plan.Version.Length > 0) dataset.Version = plan.Version;
            var patched = !(plan.Hash.Length > 0 && dataset.Hash.Length > 0 && dataset.Hash == plan.Hash);
            if (plan.Hash.Length > 0) dataset.Hash = plan.Hash;
            if (plan.Size is not null) dataset.FileSize = plan.Size;
            dataset.AutoDatetime = now;

            foreach (var repo in repositories)
            {
                if (recordAt.TryGetValue((repo.Id, plan.RelativePath), out var record))
                {
                    if (record.DatasetId != dataset.Id)
                    {
                        return (null, Bad("detail",
                            $"A file record for \"{plan.RelativePath}\" already exists on repository \"{repo.Name}\" for a different dataset."));
                    }
                    if (!patched) continue;
                }
                else
                {
                    record = new FileRecord { DatasetId = dataset.Id, DataRepositoryId = repo.Id, RelativePath = plan.RelativePath };
                    db.FileRecords.Add(record);
                    recordAt[(repo.Id, plan.RelativePath)] = record;
                }
                record.Exists = existsIn.Contains(repo.Id);
                record.Json = null;
            }
            registered.Add(dataset);
        }
        if (resolved.Session is not null) SessionLocator.Attach(resolved.Session, user);
        await db.SaveChangesAsync(ct);
        // Dataset.save: collections like alf/probe00 link the datasets to the session's insertion probe00.
        await Experiments.InsertionLinks.LinkDatasetsAsync(db, registered, ct);
        return (await ResponseAsync(registered, resolved, user!, ct), null);
    }

    /// <summary>S10: one object per registered file, in input order, with all the file records of each dataset.</summary>
    async Task<List<object>> ResponseAsync(List<Dataset> registered, Resolved resolved, LabMember user, CancellationToken ct)
    {
        var ids = registered.Select(d => d.Id).Distinct().ToList();
        var records = (await db.FileRecords.AsNoTracking().Where(f => ids.Contains(f.DatasetId))
                .OrderBy(f => f.DataRepository!.Name).ThenBy(f => f.RelativePath)
                .Select(f => new { f.DatasetId, Record = new RegisteredFileRecord(f.Id, f.DataRepository!.Name, f.RelativePath, f.Exists) })
                .ToListAsync(ct))
            .ToLookup(f => f.DatasetId, f => f.Record);
        var typeIds = registered.Select(d => d.DatasetTypeId).Distinct().ToList();
        var typeNames = await db.DatasetTypes.Where(t => typeIds.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var formatIds = registered.Select(d => d.DataFormatId).Distinct().ToList();
        var formatNames = await db.DataFormats.Where(f => formatIds.Contains(f.Id)).ToDictionaryAsync(f => f.Id, f => f.Name, ct);
        var session = resolved.Session?.Session;
        var sessionUsers = session is null ? "" : string.Join(',', session.Users.Select(u => u.Username).Order(StringComparer.Ordinal));
        var result = new List<object>();
        foreach (var d in registered)
        {
            var fileRecords = records[d.Id].ToList();
            var revision = d.Revision?.Name ?? "";
            result.Add(session is not null
                ? new RegisteredSessionDataset(d.Id, d.Name, d.FileSize, resolved.Subject?.Nickname, user.Username, d.CreatedDatetime,
                    typeNames[d.DatasetTypeId], formatNames[d.DataFormatId], session.Id, session.Number, sessionUsers, session.StartTime,
                    d.Collection, revision, d.DefaultDataset, d.Qc, fileRecords)
                : new RegisteredAggregateDataset(d.Id, d.Name, d.FileSize, resolved.Subject?.Nickname, user.Username, d.CreatedDatetime,
                    typeNames[d.DatasetTypeId], formatNames[d.DataFormatId], $"{resolved.ContentType!.AppLabel}.{resolved.ContentType.Model}",
                    d.ObjectId!.Value, d.Collection, revision, d.DefaultDataset, d.Qc, fileRecords));
        }
        return result;
    }
}
