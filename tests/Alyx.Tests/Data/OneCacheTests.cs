using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using Alyx.Actions;
using Alyx.Data;
using Alyx.Http;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Apache.Arrow;
using Apache.Arrow.Types;
using Microsoft.EntityFrameworkCore;
using ParquetSharp.Arrow;

namespace Alyx.Tests.Data;

/// <summary>A server whose TABLES_ROOT is a fresh temporary folder.</summary>
public sealed class CacheApp : AlyxApp
{
    public string TablesRoot { get; } = Path.Combine(Path.GetTempPath(), "alyx-tables-" + Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("TABLES_ROOT", TablesRoot);
        builder.UseSetting("ONE_CACHE_REPOSITORIES", "flatiron,aws");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(TablesRoot)) Directory.Delete(TablesRoot, recursive: true);
    }
}

/// <summary>The ONE cache tables (spec 31 §9-10), read back with a parquet reader and checked column by column.</summary>
public sealed class OneCacheTests(CacheApp app) : IClassFixture<CacheApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    sealed record Scenario(string Lab, string Subject, Guid Session, Guid Older, Guid Dataset, Guid Revisioned, Guid Offline, string Tag);

    /// <summary>
    /// One lab, one subject, three sessions (one without number); datasets on a "flatiron" repository, one only on a personal rig,
    /// one with a revision and a collection, and a tag on one dataset.
    /// </summary>
    async Task<Scenario> SeedAsync()
    {
        var lab = new Alyx.Misc.Lab { Name = AlyxApp.Unique("cachelab") };
        var subject = new Subject { Nickname = AlyxApp.Unique("ZM"), LabId = lab.Id };
        var p1 = new Project { Name = AlyxApp.Unique("zeta") };
        var p2 = new Project { Name = AlyxApp.Unique("alpha") };
        var session = new Session { SubjectId = subject.Id, LabId = lab.Id, Number = 2, StartTime = new DateTime(2024, 5, 2, 10, 0, 0), TaskProtocol = "choice", Projects = [p1, p2] };
        var older = new Session { SubjectId = subject.Id, LabId = lab.Id, Number = 1, StartTime = new DateTime(2024, 5, 1, 9, 0, 0) };
        var unnumbered = new Session { SubjectId = subject.Id, LabId = lab.Id, StartTime = new DateTime(2024, 5, 3) };
        var flatiron = new DataRepository { Name = AlyxApp.Unique("flatiron_cache"), GlobusIsPersonal = false };
        var rig = new DataRepository { Name = AlyxApp.Unique("rig"), GlobusIsPersonal = true };
        var type = new DatasetType { Name = AlyxApp.Unique("trials.table") };
        var format = new DataFormat { Name = AlyxApp.Unique("pqt") };
        var revision = new Revision { Name = "2024-05-01" + AlyxApp.Unique("") };
        var tag = new Tag { Name = AlyxApp.Unique("Release") };
        Dataset New(Guid sessionId, string name, int qc, string collection = "alf") =>
            new() { SessionId = sessionId, Name = name, Qc = qc, Collection = collection, DatasetTypeId = type.Id, DataFormatId = format.Id, Hash = "h" + name };
        var dataset = New(session.Id, "_ibl_trials.table.pqt", 10);
        dataset.FileSize = 1234;
        dataset.Tags = [tag];
        var revisioned = New(session.Id, "spikes.times.npy", 50);
        revisioned.RevisionId = revision.Id;
        revisioned.DefaultDataset = false;
        var olderDataset = New(older.Id, "wheel.position.npy", 30, collection: "");
        var offline = New(session.Id, "camera.times.npy", 0);
        await app.WithDbAsync(async db =>
        {
            db.AddRange(lab, subject, p1, p2, session, older, unnumbered, flatiron, rig, type, format, revision, tag);
            db.AddRange(dataset, revisioned, olderDataset, offline);
            foreach (var d in new[] { dataset, revisioned, olderDataset })
                db.Add(new FileRecord { DatasetId = d.Id, DataRepositoryId = flatiron.Id, Exists = true, RelativePath = AlyxApp.Unique("p") });
            db.Add(new FileRecord { DatasetId = offline.Id, DataRepositoryId = rig.Id, Exists = true, RelativePath = AlyxApp.Unique("p") });
            db.Add(new FileRecord { DatasetId = offline.Id, DataRepositoryId = flatiron.Id, Exists = false, RelativePath = AlyxApp.Unique("p") });
            await db.SaveChangesAsync(Ct);
        });
        return new Scenario(lab.Name, subject.Nickname, session.Id, older.Id, dataset.Id, revisioned.Id, offline.Id, tag.Name);
    }

    Task<OneCacheResult> GenerateAsync(params string[] tags) => GenerateAsync(app.Services.GetRequiredService<OneCacheOptions>(), tags);

    Task<OneCacheResult> GenerateAsync(OneCacheOptions options, params string[] tags) => app.WithDbAsync(db => OneCache.GenerateAsync(db,
        app.Services.GetRequiredService<AlyxClock>(), options, tags, "alyx_test", null, Ct));

    static (Schema Schema, List<RecordBatch> Batches) Read(string file)
    {
        using var reader = new FileReader(file);
        using var batches = reader.GetRecordBatchReader();
        var list = new List<RecordBatch>();
        while (batches.ReadNextRecordBatchAsync().AsTask().GetAwaiter().GetResult() is { } batch) list.Add(batch);
        return (reader.Schema, list);
    }

    static List<string> Strings(List<RecordBatch> batches, string column) =>
        batches.SelectMany(b => Enumerable.Range(0, b.Length).Select(i => ((StringArray)b.Column(column)).GetString(i))).ToList();

    [Fact]
    public async Task SessionsTable_ColumnsTypesOrderAndRows()
    {
        var s = await SeedAsync();
        var result = await GenerateAsync();
        var (schema, batches) = Read(Path.Combine(result.Folder, "sessions.pqt"));
        Assert.Equal(["lab", "subject", "date", "number", "task_protocol", "projects", "id"], schema.FieldsList.Select(f => f.Name).ToList());
        Assert.IsType<StringType>(schema.GetFieldByName("lab").DataType);
        Assert.IsType<Date32Type>(schema.GetFieldByName("date").DataType);
        Assert.IsType<UInt16Type>(schema.GetFieldByName("number").DataType);
        var ids = Strings(batches, "id");
        var mine = new[] { s.Session.ToString(), s.Older.ToString() };
        Assert.Equal(mine, ids.Where(i => mine.Contains(i)).ToList());
        var row = ids.IndexOf(s.Session.ToString());
        var batch = batches.Single();
        Assert.Equal(s.Lab, ((StringArray)batch.Column("lab")).GetString(row));
        Assert.Equal(s.Subject, ((StringArray)batch.Column("subject")).GetString(row));
        Assert.Equal(new DateOnly(2024, 5, 2), ((Date32Array)batch.Column("date")).GetDateOnly(row));
        Assert.Equal((ushort)2, ((UInt16Array)batch.Column("number")).GetValue(row));
        Assert.Equal("choice", ((StringArray)batch.Column("task_protocol")).GetString(row));
        var projects = ((StringArray)batch.Column("projects")).GetString(row).Split(',');
        Assert.Equal(projects.Order(StringComparer.Ordinal), projects);
        Assert.Equal(2, projects.Length);
        Assert.Equal("", ((StringArray)batch.Column("projects")).GetString(ids.IndexOf(s.Older.ToString())));
        // Sessions without number are left out; the imported dump's sessions have neither number nor lab.
        Assert.Equal(result.Sessions, ids.Count);
        var pandas = JsonNode.Parse(schema.Metadata["pandas"])!;
        Assert.Equal(["id"], pandas["index_columns"].Strings());
    }

    [Fact]
    public async Task DatasetsTable_OnlineRowsOrderedCategoricalQcAndRelPaths()
    {
        var s = await SeedAsync();
        var result = await GenerateAsync();
        var (schema, batches) = Read(Path.Combine(result.Folder, "datasets.pqt"));
        Assert.Equal(["file_size", "hash", "default_revision", "qc", "exists", "rel_path", "eid", "id"], schema.FieldsList.Select(f => f.Name).ToList());
        Assert.IsType<UInt64Type>(schema.GetFieldByName("file_size").DataType);
        Assert.IsType<BooleanType>(schema.GetFieldByName("default_revision").DataType);
        var qcType = Assert.IsType<DictionaryType>(schema.GetFieldByName("qc").DataType);
        Assert.True(qcType.Ordered);
        Assert.IsType<StringType>(qcType.ValueType);

        var batch = batches.Single();
        var ids = Strings(batches, "id");
        Assert.DoesNotContain(s.Offline.ToString(), ids);
        var eids = Strings(batches, "eid");
        var keys = eids.Zip(ids, (e, i) => e + "/" + i).ToList();
        Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
        var qc = (DictionaryArray)batch.Column("qc");
        Assert.Equal(["NOT_SET", "PASS", "WARNING", "FAIL", "CRITICAL"],
            Enumerable.Range(0, qc.Dictionary.Length).Select(i => ((StringArray)qc.Dictionary).GetString(i)).ToList());
        string Qc(int row) => ((StringArray)qc.Dictionary).GetString(((Int8Array)qc.Indices).GetValue(row)!.Value);
        var row = ids.IndexOf(s.Dataset.ToString());
        Assert.Equal("PASS", Qc(row));
        Assert.Equal(s.Session.ToString(), eids[row]);
        Assert.Equal(1234UL, ((UInt64Array)batch.Column("file_size")).GetValue(row));
        Assert.Equal("alf/_ibl_trials.table.pqt", ((StringArray)batch.Column("rel_path")).GetString(row));
        Assert.True(((BooleanArray)batch.Column("exists")).GetValue(row));
        Assert.True(((BooleanArray)batch.Column("default_revision")).GetValue(row));
        var revisioned = ids.IndexOf(s.Revisioned.ToString());
        Assert.Equal("CRITICAL", Qc(revisioned));
        Assert.False(((BooleanArray)batch.Column("default_revision")).GetValue(revisioned));
        Assert.Matches(@"^alf/#2024-05-01.*#/spikes\.times\.npy$", ((StringArray)batch.Column("rel_path")).GetString(revisioned));
        Assert.Null(((UInt64Array)batch.Column("file_size")).GetValue(revisioned));
        Assert.Equal("wheel.position.npy", ((StringArray)batch.Column("rel_path")).GetString(ids.IndexOf(
            (await app.WithDbAsync(db => db.Set<Dataset>().Where(d => d.SessionId == s.Older).Select(d => d.Id).SingleAsync(Ct))).ToString())));

        var meta = JsonNode.Parse(schema.Metadata["one_metadata"])!;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$", meta["date_created"]!.GetValue<string>());
        Assert.Equal("alyx_test", meta["origin"]!.GetValue<string>());
        Assert.Equal("2.10", meta["min_api_version"]!.GetValue<string>());
        var pandas = JsonNode.Parse(schema.Metadata["pandas"])!;
        Assert.Equal(["eid", "id"], pandas["index_columns"].Strings());
        var qcColumn = pandas["columns"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "qc")!;
        Assert.Equal("categorical", qcColumn["pandas_type"]!.GetValue<string>());
        Assert.True(qcColumn["metadata"]!["ordered"]!.GetValue<bool>());
    }

    [Fact]
    public async Task CacheZipAndInfo_ServedWithAndWithoutSlash()
    {
        await SeedAsync();
        var result = await GenerateAsync();
        var client = await app.ClientForAsync();
        foreach (var path in new[] { "/cache/info", "/cache/info/" })
        {
            var info = await (await client.GetAsync(path, Ct)).ReadJsonAsync(HttpStatusCode.OK);
            Assert.Equal(result.Sessions, info["tables"]!["sessions"]!["nrecs"]!.GetValue<long>());
            Assert.Equal(result.Datasets, info["tables"]!["datasets"]!["nrecs"]!.GetValue<long>());
            Assert.Null(info["database_tags"]);
        }
        var zip = await client.GetAsync("/cache.zip", Ct);
        Assert.Equal(HttpStatusCode.OK, zip.StatusCode);
        Assert.Equal("application/zip", zip.Content.Headers.ContentType!.MediaType);
        Assert.NotNull(zip.Content.Headers.ContentLength);
        using var archive = new ZipArchive(await zip.Content.ReadAsStreamAsync(Ct));
        Assert.Equal(["cache_info.json", "datasets.pqt", "sessions.pqt"], archive.Entries.Select(e => e.FullName).Order().ToList());
        Assert.Equal(HttpStatusCode.Forbidden, (await app.AnonymousClient().GetAsync("/cache.zip", Ct)).StatusCode);
    }

    [Fact]
    public async Task TagCache_OnlyTaggedRowsAndItsOwnLocation()
    {
        var s = await SeedAsync();
        var result = await GenerateAsync(s.Tag);
        Assert.Equal(1, result.Datasets);
        Assert.Equal(1, result.Sessions);
        var client = await app.ClientForAsync();
        var info = await (await client.GetAsync($"/cache/info/{s.Tag}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([s.Tag], info["database_tags"].Strings());
        Assert.Equal($"http://localhost/cache/{s.Tag}/cache.zip", info["location"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/cache/{s.Tag}/cache.zip", Ct)).StatusCode);
        var missing = await client.GetAsync("/cache/info/no_such_tag", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("Tag matching query does not exist.", await missing.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task CacheZip_HoldsTheTablesAsWrittenZstdPagesStored()
    {
        await SeedAsync();
        var result = await GenerateAsync();
        using var archive = ZipFile.OpenRead(Path.Combine(result.Folder, "cache.zip"));
        foreach (var name in new[] { "sessions.pqt", "datasets.pqt" })
        {
            var entry = archive.GetEntry(name)!;
            Assert.Equal(entry.Length, entry.CompressedLength);
            using var copy = new MemoryStream();
            await using (var stream = await entry.OpenAsync(Ct)) await stream.CopyToAsync(copy, Ct);
            Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(result.Folder, name), Ct), copy.ToArray());
            using var reader = new ParquetSharp.ParquetFileReader(Path.Combine(result.Folder, name));
            using var rowGroup = reader.RowGroup(0);
            Assert.Equal(ParquetSharp.Compression.Zstd, rowGroup.MetaData.GetColumnChunkMetaData(0).Compression);
        }
    }

    /// <summary>Each row of a table read back, as its batch and its index in it.</summary>
    static List<(RecordBatch Batch, int Row)> Rows(List<RecordBatch> batches) =>
        [.. batches.SelectMany(b => Enumerable.Range(0, b.Length).Select(i => (b, i)))];

    static string Text(RecordBatch batch, int row, string column) => ((StringArray)batch.Column(column)).GetString(row);

    [Fact]
    public async Task BatchesOfOneRow_EachRowItsOwnValues()
    {
        // One row per batch and row group: every row is its own batch, after the batches of the rows before it.
        var s = await SeedAsync();
        var options = app.Services.GetRequiredService<OneCacheOptions>() with { BatchRows = 1 };
        var result = await GenerateAsync(options);
        foreach (var (table, rows) in new[] { ("sessions.pqt", result.Sessions), ("datasets.pqt", result.Datasets) })
        {
            using var file = new ParquetSharp.ParquetFileReader(Path.Combine(result.Folder, table));
            Assert.Equal(rows, file.FileMetaData.NumRowGroups);
        }

        var sessions = Rows(Read(Path.Combine(result.Folder, "sessions.pqt")).Batches).ToDictionary(r => Text(r.Batch, r.Row, "id"));
        var (b, i) = sessions[s.Session.ToString()];
        Assert.Equal(s.Lab, Text(b, i, "lab"));
        Assert.Equal(s.Subject, Text(b, i, "subject"));
        Assert.Equal(new DateOnly(2024, 5, 2), ((Date32Array)b.Column("date")).GetDateOnly(i));
        Assert.Equal((ushort)2, ((UInt16Array)b.Column("number")).GetValue(i));
        Assert.Equal("choice", Text(b, i, "task_protocol"));
        Assert.Equal(2, Text(b, i, "projects").Split(',').Length);
        (b, i) = sessions[s.Older.ToString()];
        Assert.Equal((ushort)1, ((UInt16Array)b.Column("number")).GetValue(i));
        Assert.Equal(new DateOnly(2024, 5, 1), ((Date32Array)b.Column("date")).GetDateOnly(i));
        Assert.Equal("", Text(b, i, "projects"));

        var datasets = Rows(Read(Path.Combine(result.Folder, "datasets.pqt")).Batches).ToDictionary(r => Text(r.Batch, r.Row, "id"));
        Assert.DoesNotContain(s.Offline.ToString(), datasets.Keys);
        (b, i) = datasets[s.Dataset.ToString()];
        Assert.Equal(s.Session.ToString(), Text(b, i, "eid"));
        Assert.Equal("alf/_ibl_trials.table.pqt", Text(b, i, "rel_path"));
        Assert.Equal("h_ibl_trials.table.pqt", Text(b, i, "hash"));
        Assert.Equal(1234UL, ((UInt64Array)b.Column("file_size")).GetValue(i));
        Assert.True(((BooleanArray)b.Column("default_revision")).GetValue(i));
        (b, i) = datasets[s.Revisioned.ToString()];
        Assert.Matches(@"^alf/#2024-05-01.*#/spikes\.times\.npy$", Text(b, i, "rel_path"));
        Assert.Equal("hspikes.times.npy", Text(b, i, "hash"));
        Assert.Null(((UInt64Array)b.Column("file_size")).GetValue(i));
        Assert.False(((BooleanArray)b.Column("default_revision")).GetValue(i));
        var qc = (DictionaryArray)b.Column("qc");
        Assert.Equal("CRITICAL", ((StringArray)qc.Dictionary).GetString(((Int8Array)qc.Indices).GetValue(i)!.Value));
        (b, i) = datasets.Values.Single(r => Text(r.Batch, r.Row, "eid") == s.Older.ToString());
        Assert.Equal("wheel.position.npy", Text(b, i, "rel_path"));
        Assert.Equal("hwheel.position.npy", Text(b, i, "hash"));
    }
}
