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
/// server serves itself).
/// </summary>
public sealed record OneCacheOptions(string TablesRoot, IReadOnlyList<string> OnlineRepositoryPrefixes)
{
    public static OneCacheOptions From(IConfiguration config) => new(
        Path.GetFullPath(config["TABLES_ROOT"] ?? config["DJANGO_TABLES_ROOT"] ?? Path.Combine(Directory.GetCurrentDirectory(), "tables")),
        (config["ONE_CACHE_REPOSITORIES"] ?? "flatiron,aws," + LocalDataOptions.RepositoryPrefix).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>The folder of the untagged tables, or of one tag's.</summary>
    public string Folder(string? tag) => tag is null ? TablesRoot : Path.Combine(TablesRoot, tag);
}

public sealed record OneCacheResult(string Folder, long Sessions, long Datasets, JsonObject Info);

/// <summary>
/// The sessions and datasets tables ONE loads (spec 31 §9): parquet with the Arrow schema stored (so <c>qc</c> reads back as an
/// ordered categorical), pandas index metadata and <c>one_metadata</c>; zipped with <c>cache_info.json</c>. Rows stream from the
/// database into fixed-size record batches, so memory does not grow with the number of datasets.
/// </summary>
public static class OneCache
{
    public const int BatchRows = 50_000;
    const string MinApiVersion = "2.10";

    /// <summary>The QC categories in severity order, as ONE's ordered categorical has them.</summary>
    static readonly string[] QcCategories = QcCodes.BySeverity;

    static readonly DictionaryType QcType = new(Int8Type.Default, StringType.Default, true);

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
            var sessions = await WriteSessionsAsync(db, tags, sessionsFile, meta, ct);
            progress?.Invoke($"sessions: {sessions} rows");
            var datasets = await WriteDatasetsAsync(db, options, tags, datasetsFile, meta, n => progress?.Invoke($"datasets: {n} rows"), ct);
            progress?.Invoke($"datasets: {datasets} rows");

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
                foreach (var file in new[] { sessionsFile, datasetsFile, infoFile })
                    zip.CreateEntryFromFile(file, Path.GetFileName(file), CompressionLevel.Optimal);
            }
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

    static IQueryable<Session> TaggedSessions(AlyxDb db, IReadOnlyList<string> tags)
    {
        var sessions = db.Sessions.AsNoTracking();
        return tags.Count == 0 ? sessions : sessions.Where(s => s.Datasets.Any(d => d.Tags.Any(t => tags.Contains(t.Name))));
    }

    static async Task<long> WriteSessionsAsync(AlyxDb db, IReadOnlyList<string> tags, string file, JsonObject meta, CancellationToken ct)
    {
        // Project names of every listed session, sorted and de-duplicated (the original's order is arbitrary).
        var projects = (await TaggedSessions(db, tags).SelectMany(s => s.Projects, (s, p) => new { s.Id, p.Name }).ToListAsync(ct))
            .GroupBy(p => p.Id)
            .ToDictionary(g => g.Key, g => string.Join(',', g.Select(p => p.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)));
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
        var batch = new SessionBatch();
        await foreach (var r in rows.WithCancellation(ct))
        {
            batch.Add(r.Lab, r.Subject, DateOnly.FromDateTime(r.StartTime!.Value), (ushort)r.Number!.Value, r.TaskProtocol,
                projects.GetValueOrDefault(r.Id, ""), r.Id.ToString("D"));
            if (batch.Count == BatchRows) total += Flush(writer, schema, batch);
        }
        total += Flush(writer, schema, batch);
        writer.Close();
        return total;
    }

    static async Task<long> WriteDatasetsAsync(AlyxDb db, OneCacheOptions options, IReadOnlyList<string> tags, string file, JsonObject meta,
        Action<long> progress, CancellationToken ct)
    {
        var schema = new Schema.Builder()
            .Field(f => f.Name("file_size").DataType(UInt64Type.Default).Nullable(true))
            .Field(f => f.Name("hash").DataType(StringType.Default).Nullable(true))
            .Field(f => f.Name("default_revision").DataType(BooleanType.Default).Nullable(true))
            .Field(f => f.Name("qc").DataType(QcType).Nullable(true))
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

        var datasets = db.Set<Dataset>().AsNoTracking().Where(d => d.SessionId != null).Where(Online(options.OnlineRepositoryPrefixes));
        if (tags.Count > 0) datasets = datasets.Where(d => d.Tags.Any(t => tags.Contains(t.Name)));
        var rows = datasets.OrderBy(d => d.SessionId).ThenBy(d => d.Id)
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
            })
            .AsAsyncEnumerable();

        using var writer = NewWriter(file, schema);
        long total = 0;
        var batch = new DatasetBatch();
        await foreach (var r in rows.WithCancellation(ct))
        {
            batch.Add(r.FileSize, r.Hash, r.DefaultDataset, QcIndex(r.Qc), RelPath(r.Collection, r.Revision, r.Name),
                r.SessionId!.Value.ToString("D"), r.Id.ToString("D"));
            if (batch.Count == BatchRows)
            {
                total += Flush(writer, schema, batch);
                progress(total);
            }
        }
        total += Flush(writer, schema, batch);
        writer.Close();
        return total;
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

    static sbyte QcIndex(int code) => (sbyte)Math.Max(0, System.Array.IndexOf(QcCategories, QcCodes.Label(code)));

    static FileWriter NewWriter(string file, Schema schema)
    {
        using var properties = new ParquetSharp.WriterPropertiesBuilder().Compression(ParquetSharp.Compression.Snappy).Build();
        using var arrow = new ArrowWriterPropertiesBuilder().StoreSchema().Build();
        return new FileWriter(file, schema, properties, arrow);
    }

    interface IBatch
    {
        int Count { get; }

        IArrowArray[] Build();
    }

    static long Flush(FileWriter writer, Schema schema, IBatch batch)
    {
        var count = batch.Count;
        if (count == 0) return 0;
        using var record = new RecordBatch(schema, batch.Build(), count);
        writer.WriteRecordBatch(record);
        return count;
    }

    sealed class SessionBatch : IBatch
    {
        StringArray.Builder lab = new(), subject = new(), protocol = new(), projects = new(), id = new();
        Date32Array.Builder date = new();
        UInt16Array.Builder number = new();

        public int Count { get; private set; }

        public void Add(string lab, string subject, DateOnly date, ushort number, string protocol, string projects, string id)
        {
            this.lab.Append(lab);
            this.subject.Append(subject);
            this.date.Append(date);
            this.number.Append(number);
            this.protocol.Append(protocol);
            this.projects.Append(projects);
            this.id.Append(id);
            Count++;
        }

        public IArrowArray[] Build()
        {
            IArrowArray[] arrays = [lab.Build(), subject.Build(), date.Build(), number.Build(), protocol.Build(), projects.Build(), id.Build()];
            (lab, subject, protocol, projects, id, date, number) = (new(), new(), new(), new(), new(), new(), new());
            Count = 0;
            return arrays;
        }
    }

    sealed class DatasetBatch : IBatch
    {
        UInt64Array.Builder size = new();
        StringArray.Builder hash = new(), relPath = new(), eid = new(), id = new();
        BooleanArray.Builder defaultRevision = new(), exists = new();
        Int8Array.Builder qc = new();

        public int Count { get; private set; }

        public void Add(long? size, string hash, bool defaultRevision, sbyte qc, string relPath, string eid, string id)
        {
            if (size is { } s && s >= 0) this.size.Append((ulong)s);
            else this.size.AppendNull();
            this.hash.Append(hash);
            this.defaultRevision.Append(defaultRevision);
            this.qc.Append(qc);
            exists.Append(true);
            this.relPath.Append(relPath);
            this.eid.Append(eid);
            this.id.Append(id);
            Count++;
        }

        public IArrowArray[] Build()
        {
            var categories = new StringArray.Builder().AppendRange(QcCategories).Build();
            IArrowArray[] arrays =
            [
                size.Build(), hash.Build(), defaultRevision.Build(), new DictionaryArray(QcType, qc.Build(), categories), exists.Build(),
                relPath.Build(), eid.Build(), id.Build(),
            ];
            (size, hash, relPath, eid, id, defaultRevision, exists, qc) = (new(), new(), new(), new(), new(), new(), new(), new());
            Count = 0;
            return arrays;
        }
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
