using System.IO.Compression;
using System.Linq.Expressions;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alyx.Actions;
using Alyx.Database;
using Alyx.Http;
using Apache.Arrow;
using Apache.Arrow.Types;
using Microsoft.EntityFrameworkCore;
using ParquetSharp.Arrow;

namespace Alyx.Data;

/// <summary>
/// Where the ONE cache tables live and which repositories count as "online" for the datasets table: names starting with
/// one of ONE_CACHE_REPOSITORIES (default: Alyx's <c>flatiron</c> and <c>aws</c>, and <c>local</c> for the repositories this
/// server serves itself); settings TABLES_ROOT and ONE_CACHE_REPOSITORIES, see <see cref="AlyxSettings"/>.
/// </summary>
public sealed record OneCacheOptions
{
    /// <summary>The folder of the tables (absolute).</summary>
    public string TablesRoot { get; set; } = "";

    public IReadOnlyList<string> OnlineRepositoryPrefixes { get; set; } = [];

    /// <summary>Rows per record batch (and parquet row group): the memory a build holds at once, whatever the number of rows.</summary>
    public int BatchRows { get; init; } = 50_000;

    /// <summary>The folder of the untagged tables, or of one tag's.</summary>
    public string Folder(string? tag) => tag is null ? TablesRoot : Path.Combine(TablesRoot, tag);
}

public sealed record OneCacheResult(string Folder, long Sessions, long Datasets, JsonObject Info);

/// <summary>
/// The sessions and datasets tables ONE loads (spec 31 §9): parquet with the Arrow schema stored (so <c>qc</c> reads back as an
/// ordered categorical), pandas index metadata and <c>one_metadata</c>, zstd-compressed pages; zipped with <c>cache_info.json</c>.
/// Rows stream from the database into fixed-size record batches (datasets through <see cref="Utf8RowReader"/>), so memory does
/// not grow with the number of datasets, except on SQLite for the set of online dataset ids (16 bytes each).
/// </summary>
public static class OneCache
{
    const string MinApiVersion = "2.10";

    static string[] QcCategories => OneCacheBatches.QcCategories;

    public static async Task<OneCacheResult> GenerateAsync(AlyxDb db, AlyxClock clock, OneCacheOptions options, IReadOnlyList<string> tags,
        string origin, Action<string>? progress, CancellationToken ct)
    {
        var folder = options.Folder(tags.Count == 0 ? null : tags[0]);
        Directory.CreateDirectory(folder);
        var meta = new JsonObject
        {
            ["date_created"] = clock.Now.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            ["origin"] = origin,
            ["min_api_version"] = MinApiVersion,
        };
        if (tags.Count > 0) meta["database_tags"] = new JsonArray([.. tags.Select(t => (JsonNode)t)]);

        var work = Path.Combine(folder, $".cache-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var sessionsFile = Path.Combine(work, "sessions.pqt");
            var datasetsFile = Path.Combine(work, "datasets.pqt");
            var clockTime = System.Diagnostics.Stopwatch.StartNew();
            string At() => $"{clockTime.Elapsed.TotalSeconds:F1} s";
            long sessions, datasets;
            await db.Database.OpenConnectionAsync(ct);
            try
            {
                await using var snapshot = await ReadSnapshotAsync(db, ct);
                // SQLite: the online datasets are read on a second connection while the sessions table is written.
                var online = db.Provider == DatabaseProvider.Sqlite ? await OnlineDatasetsAsync(db, options.OnlineRepositoryPrefixes, ct) : null;
                try
                {
                    sessions = await WriteSessionsAsync(db, options.BatchRows, tags, sessionsFile, meta, ct);
                    progress?.Invoke($"sessions: {sessions} rows ({At()})");
                    datasets = await WriteDatasetsAsync(db, options, online, tags, datasetsFile, meta,
                        n => progress?.Invoke($"datasets: {n} rows ({At()})"), ct);
                }
                finally
                {
                    if (online is not null) await online.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                }
                progress?.Invoke($"datasets: {datasets} rows ({At()})");
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }

            var info = meta.DeepClone().AsObject();
            info["tables"] = new JsonObject
            {
                ["sessions"] = new JsonObject { ["nrecs"] = sessions, ["size"] = new FileInfo(sessionsFile).Length },
                ["datasets"] = new JsonObject { ["nrecs"] = datasets, ["size"] = new FileInfo(datasetsFile).Length },
            };
            var infoText = info.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 1 });
            var infoFile = Path.Combine(work, "cache_info.json");
            await File.WriteAllTextAsync(infoFile, infoText, ct);
            var zipFile = Path.Combine(work, "cache.zip");
            using (var zip = ZipFile.Open(zipFile, ZipArchiveMode.Create))
            {
                // The tables are compressed already (zstd pages): stored as they are, deflate would spend seconds to gain little.
                foreach (var file in new[] { sessionsFile, datasetsFile, infoFile })
                    zip.CreateEntryFromFile(file, Path.GetFileName(file), file == infoFile ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
            }
            progress?.Invoke($"cache.zip: {new FileInfo(zipFile).Length} bytes ({At()})");
            // Readers of /cache.zip and /cache/info only ever see complete files: each is renamed into place.
            foreach (var name in new[] { "sessions.pqt", "datasets.pqt", "cache.zip", "cache_info.json" })
                File.Move(Path.Combine(work, name), Path.Combine(folder, name), overwrite: true);
            return new OneCacheResult(folder, sessions, datasets, info);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// PostgreSQL: both tables from one snapshot (a read-only repeatable-read transaction), with room for the datasets
    /// query to sort and hash in memory (64 MB per sort or hash instead of 4 MB) and no JIT compilation. Nothing on SQLite.
    /// </summary>
    static async Task<IAsyncDisposable?> ReadSnapshotAsync(AlyxDb db, CancellationToken ct)
    {
        if (db.Provider != DatabaseProvider.Postgres) return null;
        var tx = await db.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await db.Database.ExecuteSqlRawAsync("SET TRANSACTION READ ONLY; SET LOCAL work_mem = '64MB'; SET LOCAL jit = off", ct);
        return tx;
    }

    static IQueryable<Session> TaggedSessions(AlyxDb db, IReadOnlyList<string> tags)
    {
        var sessions = db.Sessions.AsNoTracking();
        return tags.Count == 0 ? sessions : sessions.Where(s => s.Datasets.Any(d => d.Tags.Any(t => tags.Contains(t.Name))));
    }

    static async Task<long> WriteSessionsAsync(AlyxDb db, int batchRows, IReadOnlyList<string> tags, string file, JsonObject meta, CancellationToken ct)
    {
        // Project names of every listed session, sorted and de-duplicated (the original's order is arbitrary).
        var projects = await ProjectsAsync(db, tags, ct);
        var schema = new Schema.Builder()
            .Field(f => f.Name("lab").DataType(StringType.Default).Nullable(true))
            .Field(f => f.Name("subject").DataType(StringType.Default).Nullable(true))
            .Field(f => f.Name("date").DataType(Date32Type.Default).Nullable(true))
            .Field(f => f.Name("number").DataType(UInt16Type.Default).Nullable(true))
            .Field(f => f.Name("task_protocol").DataType(StringType.Default).Nullable(true))
            .Field(f => f.Name("projects").DataType(StringType.Default).Nullable(true))
            .Field(f => f.Name("id").DataType(StringType.Default).Nullable(true))
            .Metadata("one_metadata", meta.ToJsonString())
            .Metadata("pandas", PandasMetadata(["id"],
                ("lab", "unicode", "object", null), ("subject", "unicode", "object", null), ("date", "date", "object", null),
                ("number", "uint16", "uint16", null), ("task_protocol", "unicode", "object", null), ("projects", "unicode", "object", null),
                ("id", "unicode", "object", null)))
            .Build();
        // Rows without number, date or lab are left out, as the original drops them.
        var rows = TaggedSessions(db, tags)
            .Where(s => s.Number != null && s.StartTime != null && s.LabId != null && s.Number >= 0 && s.Number <= ushort.MaxValue)
            .OrderByDescending(s => s.StartTime!.Value.Date).ThenByDescending(s => s.Subject!.Nickname).ThenByDescending(s => s.Number)
            .ThenBy(s => s.Id)
            .Select(s => new { s.Id, Lab = s.Lab!.Name, Subject = s.Subject!.Nickname, s.StartTime, s.Number, s.TaskProtocol })
            .AsAsyncEnumerable();

        using var writer = NewWriter(file, schema);
        long total = 0;
        var batch = new OneCacheBatches.Sessions();
        await foreach (var r in rows.WithCancellation(ct))
        {
            batch.Add(r.Lab, r.Subject, DateOnly.FromDateTime(r.StartTime!.Value), (ushort)r.Number!.Value, r.TaskProtocol,
                projects.GetValueOrDefault(r.Id, ""), r.Id);
            if (batch.Count == batchRows) total += Flush(writer, schema, batch);
        }
        total += Flush(writer, schema, batch);
        writer.Close();
        return total;
    }

    /// <summary>
    /// Project names of every listed session, sorted and de-duplicated, comma-separated (the original's order is arbitrary).
    /// The pairs stream in session order, so only the finished map is held, each distinct text once (a lab has few projects).
    /// </summary>
    static async Task<Dictionary<Guid, string>> ProjectsAsync(AlyxDb db, IReadOnlyList<string> tags, CancellationToken ct)
    {
        var pairs = TaggedSessions(db, tags).SelectMany(s => s.Projects, (s, p) => new { s.Id, p.Name }).OrderBy(p => p.Id).AsAsyncEnumerable();
        var projects = new Dictionary<Guid, string>();
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new List<string>();
        Guid? session = null;
        void Finish()
        {
            if (session is null) return;
            names.Sort(StringComparer.Ordinal);
            var text = names.Count == 1 ? names[0] : string.Join(',', names.Distinct(StringComparer.Ordinal));
            projects[session.Value] = texts.TryGetValue(text, out var kept) ? kept : texts[text] = text;
            names.Clear();
        }
        await foreach (var pair in pairs.WithCancellation(ct))
        {
            if (pair.Id != session)
            {
                Finish();
                session = pair.Id;
            }
            names.Add(pair.Name);
        }
        Finish();
        return projects;
    }

    /// <summary>
    /// Ids of the datasets with an existing file record on an online repository, read in one pass over the file records
    /// (16 bytes per dataset, <see cref="SortedIdSet"/>): SQLite has no hash join, and checking each dataset's file records as it is listed cost
    /// an index probe per dataset (12 s for a million). The pass runs on a connection of its own (SQLite in WAL mode lets
    /// readers run side by side), started here and awaited when the datasets are listed.
    /// </summary>
    static async Task<Task<SortedIdSet>> OnlineDatasetsAsync(AlyxDb db, IReadOnlyList<string> prefixes, CancellationToken ct)
    {
        var repositories = await db.Set<DataRepository>().AsNoTracking().Where(OnlineRepository(prefixes)).Select(r => r.Id).ToListAsync(ct);
        if (repositories.Count == 0) return Task.FromResult(new SortedIdSet.Builder().Build());
        var query = db.Set<FileRecord>().AsNoTracking().Where(f => f.Exists && repositories.Contains(f.DataRepositoryId)).Select(f => f.DatasetId);
        var command = query.CreateDbCommand();
        var connectionString = db.Database.GetConnectionString();
        return Task.Run(async () =>
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
            await connection.OpenAsync(ct);
            command.Connection = connection;
            command.Transaction = null;
            var online = new SortedIdSet.Builder();
            await using (var ids = await Utf8RowReader.OpenAsync(command, ct))
                while (await ids.ReadAsync(ct)) online.Add(ids.Guid(0));
            return online.Build();
        }, ct);
    }

    static async Task<long> WriteDatasetsAsync(AlyxDb db, OneCacheOptions options, Task<SortedIdSet>? onlineSet, IReadOnlyList<string> tags,
        string file, JsonObject meta, Action<long> progress, CancellationToken ct)
    {
        var schema = new Schema.Builder()
            .Field(f => f.Name("file_size").DataType(UInt64Type.Default).Nullable(true))
            .Field(f => f.Name("hash").DataType(StringType.Default).Nullable(true))
            .Field(f => f.Name("default_revision").DataType(BooleanType.Default).Nullable(true))
            .Field(f => f.Name("qc").DataType(OneCacheBatches.QcType).Nullable(true))
            .Field(f => f.Name("exists").DataType(BooleanType.Default).Nullable(true))
            .Field(f => f.Name("rel_path").DataType(StringType.Default).Nullable(true))
            .Field(f => f.Name("eid").DataType(StringType.Default).Nullable(true))
            .Field(f => f.Name("id").DataType(StringType.Default).Nullable(true))
            .Metadata("one_metadata", meta.ToJsonString())
            .Metadata("pandas", PandasMetadata(["eid", "id"],
                ("file_size", "uint64", "UInt64", null), ("hash", "unicode", "object", null), ("default_revision", "bool", "bool", null),
                ("qc", "categorical", "int8", new JsonObject { ["num_categories"] = QcCategories.Length, ["ordered"] = true }),
                ("exists", "bool", "bool", null), ("rel_path", "unicode", "object", null), ("eid", "unicode", "object", null),
                ("id", "unicode", "object", null)))
            .Build();

        // PostgreSQL checks each dataset's file records in the query (a hash semi-join); SQLite, which would probe an index per
        // dataset, gets the set of online datasets first.
        var online = onlineSet is null ? null : await onlineSet;
        // What the start-up, the sessions table and the online set's chunks left behind goes back to the system before the
        // datasets' batches (a full compacting collection of a heap that holds little else, tens of milliseconds): the GC
        // would otherwise keep that memory committed for the rest of the build.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var datasets = db.Set<Dataset>().AsNoTracking().Where(d => d.SessionId != null);
        if (online is null) datasets = datasets.Where(Online(options.OnlineRepositoryPrefixes));
        if (tags.Count > 0) datasets = datasets.Where(d => d.Tags.Any(t => tags.Contains(t.Name)));
        var query = datasets.OrderBy(d => d.SessionId).ThenBy(d => d.Id)
            .Select(d => new
            {
                d.SessionId,
                d.Id,
                d.FileSize,
                d.Hash,
                d.DefaultDataset,
                d.Qc,
                d.Collection,
                Revision = d.Revision == null ? null : d.Revision.Name,
                d.Name,
            });

        using var writer = NewWriter(file, schema);
        long total = 0;
        var batch = new OneCacheBatches.Datasets();
        await using var rows = await Utf8RowReader.OpenAsync(query, ct);
        int session = rows.Ordinal("SessionId"), id = rows.Ordinal("Id"), size = rows.Ordinal("FileSize"), hash = rows.Ordinal("Hash"),
            isDefault = rows.Ordinal("DefaultDataset"), qc = rows.Ordinal("Qc"), collection = rows.Ordinal("Collection"),
            revision = rows.Ordinal("Revision"), name = rows.Ordinal("Name");
        while (await rows.ReadAsync(ct))
        {
            var datasetId = rows.Guid(id);
            if (online is not null && !online.Contains(datasetId)) continue;
            batch.Add(rows.IsNull(size) ? null : rows.Int64(size), rows.Text(hash), rows.Boolean(isDefault), rows.Int32(qc), rows.Text(collection),
                rows.Text(revision), rows.Text(name), rows.Guid(session), datasetId);
            if (batch.Count == options.BatchRows)
            {
                total += Flush(writer, schema, batch);
                progress(total);
            }
        }
        total += Flush(writer, schema, batch);
        writer.Close();
        return total;
    }

    /// <summary>Repositories whose name starts with one of the prefixes.</summary>
    static Expression<Func<DataRepository, bool>> OnlineRepository(IReadOnlyList<string> prefixes)
    {
        var repository = Expression.Parameter(typeof(DataRepository), "r");
        var name = Expression.Property(repository, nameof(DataRepository.Name));
        var startsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
        Expression any = Expression.Constant(false);
        foreach (var prefix in prefixes)
            any = Expression.OrElse(any, Expression.Call(name, startsWith, Filtering.Expr.Param(prefix, typeof(string))));
        return Expression.Lambda<Func<DataRepository, bool>>(any, repository);
    }

    /// <summary>Datasets with an existing file record on a repository whose name starts with one of the prefixes.</summary>
    static Expression<Func<Dataset, bool>> Online(IReadOnlyList<string> prefixes)
    {
        var record = Expression.Parameter(typeof(FileRecord), "f");
        var name = Expression.Property(Expression.Property(record, nameof(FileRecord.DataRepository)), nameof(DataRepository.Name));
        var startsWith = typeof(string).GetMethod(nameof(string.StartsWith), [typeof(string)])!;
        Expression any = Expression.Constant(false);
        foreach (var prefix in prefixes)
            any = Expression.OrElse(any, Expression.Call(name, startsWith, Filtering.Expr.Param(prefix, typeof(string))));
        var body = Expression.AndAlso(Expression.Property(record, nameof(FileRecord.Exists)), any);
        var predicate = Expression.Lambda<Func<FileRecord, bool>>(body, record);
        Expression<Func<Dataset, IEnumerable<FileRecord>>> records = d => d.FileRecords;
        var dataset = records.Parameters[0];
        var call = Expression.Call(typeof(Enumerable), nameof(Enumerable.Any), [typeof(FileRecord)], records.Body, predicate);
        return Expression.Lambda<Func<Dataset, bool>>(call, dataset);
    }

    /// <summary><c>collection/#revision#/name</c> with empty parts left out.</summary>
    public static string RelPath(string? collection, string? revision, string name)
    {
        var parts = new List<string>(3);
        if (!string.IsNullOrEmpty(collection)) parts.Add(collection);
        if (!string.IsNullOrEmpty(revision)) parts.Add($"#{revision}#");
        parts.Add(name);
        return string.Join('/', parts);
    }

    static FileWriter NewWriter(string file, Schema schema)
    {
        // zstd: entropy-coded pages, so the zip need not deflate them again (pyarrow and ONE read it as they read snappy).
        using var properties = new ParquetSharp.WriterPropertiesBuilder().Compression(ParquetSharp.Compression.Zstd).Build();
        using var arrow = new ArrowWriterPropertiesBuilder().StoreSchema().Build();
        return new FileWriter(file, schema, properties, arrow);
    }

    static long Flush(FileWriter writer, Schema schema, OneCacheBatches.IBatch batch)
    {
        var count = batch.Count;
        if (count == 0) return 0;
        using var record = new RecordBatch(schema, batch.Build(), count);
        writer.WriteRecordBatch(record);
        return count;
    }

    /// <summary>The <c>pandas</c> schema metadata pyarrow writes from a DataFrame: which columns are the index, and each dtype.</summary>
    static string PandasMetadata(string[] index, params (string Name, string PandasType, string NumpyType, JsonObject? Metadata)[] columns) =>
        new JsonObject
        {
            ["index_columns"] = new JsonArray([.. index.Select(i => (JsonNode)i)]),
            ["column_indexes"] = new JsonArray(new JsonObject
            {
                ["name"] = null,
                ["field_name"] = null,
                ["pandas_type"] = "unicode",
                ["numpy_type"] = "object",
                ["metadata"] = new JsonObject { ["encoding"] = "UTF-8" },
            }),
            ["columns"] = new JsonArray([.. columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name, ["field_name"] = c.Name, ["pandas_type"] = c.PandasType, ["numpy_type"] = c.NumpyType, ["metadata"] = c.Metadata,
            })]),
            ["creator"] = new JsonObject { ["library"] = "alyx", ["version"] = "1" },
            ["pandas_version"] = "2.1.0",
        }.ToJsonString();
}
