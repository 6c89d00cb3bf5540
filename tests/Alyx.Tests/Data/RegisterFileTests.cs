using System.Net;
using System.Text.Json.Nodes;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Data;

/// <summary>/register-file (upstream test_register_* in alyx/data/tests_rest.py, and the safety rules of this server).</summary>
public sealed class RegisterFileTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    Task<int> DatasetCountAsync(string name) => app.WithDbAsync(db => db.Datasets.CountAsync(d => d.Name == name, Ct));

    Task<int> RecordCountAsync(string name) => app.WithDbAsync(db => db.FileRecords.CountAsync(f => f.Dataset!.Name == name, Ct));

    [Fact]
    public async Task Register_RecordsOnEveryLabRepositoryPlusTheNamedOne_WithoutDuplicatesOnRepeat()
    {
        var client = await app.ClientForAsync("reg_user");
        var w = await DataWorld.CreateAsync(app);
        var (labA, _) = await DataWorld.LabWithRepositoriesAsync(app, null, null);
        var (labB, reposB) = await DataWorld.LabWithRepositoriesAsync(app, null, null);
        // A comma string of files and a list of labs; the hostname's repository is not a lab repository: 3 records.
        var body = new { path = $"{w.Subject}/2018-01-01/2/dir", filenames = $"{w.File('a')},{w.File('b')}", hostname = w.Hostname, labs = new[] { labA } };
        await DataWorld.RegisterAsync(client, body);
        Assert.Equal(3, await RecordCountAsync(w.File('a')));
        await DataWorld.RegisterAsync(client, body);
        Assert.Equal(3, await RecordCountAsync(w.File('a')));
        Assert.Equal(1, await DatasetCountAsync(w.File('a')));

        // Registered on a lab repository first (2 records), then again naming another repository: a third record.
        await DataWorld.RegisterAsync(client, new { path = $"{w.Subject}/2018-01-01/2/dir", filenames = w.File('c'), name = reposB[0], labs = new[] { labB } });
        Assert.Equal(2, await RecordCountAsync(w.File('c')));
        await DataWorld.RegisterAsync(client, new { path = $"{w.Subject}/2018-01-01/2/dir", filenames = w.File('c'), name = w.Repository, labs = new[] { labB } });
        Assert.Equal(3, await RecordCountAsync(w.File('c')));

        // Another user re-registering becomes created_by.
        await app.ClientForAsync("reg_other");
        var again = await DataWorld.RegisterAsync(client, new
        {
            path = $"{w.Subject}/2018-01-01/2/dir",
            filenames = w.File('c'),
            name = w.Repository,
            labs = new[] { labB },
            created_by = "reg_other",
        });
        Assert.Equal("reg_other", again[0]!["created_by"]!.GetValue<string>());
    }

    [Fact]
    public async Task Register_WithoutLabs_UsesTheSubjectLab_SubCollectionsAreOtherDatasets()
    {
        var client = await app.ClientForAsync("reg_user");
        var w = await DataWorld.CreateAsync(app);
        var body = new Dictionary<string, object> { ["path"] = $"{w.Subject}/2018-01-01/002/dir", ["filenames"] = w.File('b'), ["name"] = w.Repository };
        var first = await DataWorld.RegisterAsync(client, body);
        Assert.Equal("dir", first[0]!["collection"]!.GetValue<string>());
        Assert.Equal($"{w.Subject}/2018-01-01/002/dir/{w.File('b')}", first[0]!["file_records"]![0]!["relative_path"]!.GetValue<string>());
        await DataWorld.RegisterAsync(client, body);
        Assert.Equal(1, await DatasetCountAsync(w.File('b')));
        body["filenames"] = $"alf/titi/{w.File('b')}";
        await DataWorld.RegisterAsync(client, body);
        Assert.Equal(2, await DatasetCountAsync(w.File('b')));
        // The collection may be given in the path or in the file name.
        body["path"] = $"{w.Subject}/2018-01-01/002";
        body["filenames"] = $"dir/{w.File('b')}";
        await DataWorld.RegisterAsync(client, body);
        Assert.Equal(2, await DatasetCountAsync(w.File('b')));
    }

    [Fact]
    public async Task Register_LabsAndProjectsAlias_ResponseShapeAndValues()
    {
        var client = await app.ClientForAsync("reg_user");
        var w = await DataWorld.CreateAsync(app);
        var (labA, reposA) = await DataWorld.LabWithRepositoriesAsync(app, null, null);
        var (labB, reposB) = await DataWorld.LabWithRepositoriesAsync(app, null, null);
        var r = await DataWorld.RegisterAsync(client, new
        {
            created_by = "reg_user",
            path = $"{w.Subject}/2018-01-01/002",
            filenames = new[] { $"alf/titi/{w.File('d')}" },
            hashes = new[] { "4de9d239cd78c77c9cc7660220cb7673" },
            filesizes = new[] { 2264 },
            name = reposA[0],
            exists = false,
            server_only = false,
            @default = true,
            versions = new[] { "3.3.0" },
            check_protected = true,
            labs = $"{labA},",
            projects = labB,
        });
        var d = r[0]!;
        Assert.Equal(["id", "name", "file_size", "subject", "created_by", "created_datetime", "dataset_type", "data_format", "session",
            "session_number", "session_users", "session_start_time", "collection", "revision", "default", "qc", "file_records"], d.Keys());
        Assert.Equal(reposA.Concat(reposB).Order(), d["file_records"]!.AsArray().Select(f => f!["data_repository"]!.GetValue<string>()).Order());
        Assert.All(d["file_records"]!.AsArray(), f => Assert.False(f!["exists"]!.GetValue<bool>()));
        Assert.Equal(["id", "data_repository", "relative_path", "exists"], d["file_records"]![0]!.Keys());
        Assert.Equal(w.Subject, d["subject"]!.GetValue<string>());
        Assert.Equal(w.Session.ToString(), d["session"]!.GetValue<string>());
        Assert.Equal(2, d["session_number"]!.GetValue<int>());
        Assert.Equal("reg_user", d["session_users"]!.GetValue<string>());
        Assert.Equal("2018-01-01T12:00:00", d["session_start_time"]!.GetValue<string>());
        Assert.Equal(2264, d["file_size"]!.GetValue<long>());
        Assert.Equal(w.Type('d'), d["dataset_type"]!.GetValue<string>());
        Assert.Equal(w.Format(1), d["data_format"]!.GetValue<string>());
        Assert.Equal("alf/titi", d["collection"]!.GetValue<string>());
        Assert.Equal("", d["revision"]!.GetValue<string>());
        Assert.Equal(0, d["qc"]!.GetValue<int>());
        Assert.True(d["default"]!.GetValue<bool>());
        var stored = await app.WithDbAsync(db => db.Datasets.SingleAsync(x => x.Id == Guid.Parse(d["id"]!.GetValue<string>()), Ct));
        Assert.Equal(("4de9d239cd78c77c9cc7660220cb7673", "3.3.0"), (stored.Hash, stored.Version));
        // The user joins the session's and the base session's users.
        var users = await app.WithDbAsync(db => db.Sessions.Where(s => s.Id == w.Session || s.Id == w.BaseSession)
            .Select(s => s.Users.Count(u => u.Username == "reg_user")).ToListAsync(Ct));
        Assert.Equal([1, 1], users);
    }

    [Fact]
    public async Task Register_ByHostname_CommaSeparatedHashesSizesVersions()
    {
        var client = await app.ClientForAsync("reg_user");
        var w = await DataWorld.CreateAsync(app);
        var r = await DataWorld.RegisterAsync(client, new
        {
            path = $"{w.Subject}/2018-01-01/2/dir",
            filenames = $"{w.File('b')},{w.File('c', 2)}",
            hostname = w.Hostname,
            hashes = "71f920fa275127a7b60fa4d4d41432a3,71f920fa275127a7b60fa4d4d41432a1",
            filesizes = "14564,45686",
            versions = "1.1.1,2.2.2",
        });
        Assert.Equal([w.File('b'), w.File('c', 2)], r.AsArray().Select(x => x!["name"]!.GetValue<string>()));
        Assert.Equal([w.Type('b'), w.Type('c')], r.AsArray().Select(x => x!["dataset_type"]!.GetValue<string>()));
        Assert.Equal([w.Format(1), w.Format(2)], r.AsArray().Select(x => x!["data_format"]!.GetValue<string>()));
        Assert.Equal(w.Repository, r[0]!["file_records"]![0]!["data_repository"]!.GetValue<string>());
        Assert.Equal($"{w.Subject}/2018-01-01/2/dir/{w.File('b')}", r[0]!["file_records"]![0]!["relative_path"]!.GetValue<string>());
        var rows = await app.WithDbAsync(db => db.Datasets.Where(d => d.Name == w.File('b') || d.Name == w.File('c', 2)).OrderBy(d => d.FileSize)
            .Select(d => new { d.Hash, d.FileSize, d.Version }).ToListAsync(Ct));
        Assert.Equal(("71f920fa275127a7b60fa4d4d41432a3", 14564L, "1.1.1"), (rows[0].Hash, rows[0].FileSize!.Value, rows[0].Version));
        Assert.Equal(("71f920fa275127a7b60fa4d4d41432a1", 45686L, "2.2.2"), (rows[1].Hash, rows[1].FileSize!.Value, rows[1].Version));
    }

    [Fact]
    public async Task Register_QcLabelsAndCodes_OneValueAppliesToAll_InvalidIs400()
    {
        var client = await app.ClientForAsync("reg_user");
        var w = await DataWorld.CreateAsync(app);
        var body = new Dictionary<string, object>
        {
            ["path"] = $"{w.Subject}/2018-01-01/2/dir",
            ["filenames"] = $"{w.File('b')},{w.File('c', 2)}",
            ["hostname"] = w.Hostname,
            ["qc"] = "10,critical",
        };
        var r = await DataWorld.RegisterAsync(client, body);
        Assert.Equal([10, 50], r.AsArray().Select(x => x!["qc"]!.GetValue<int>()));
        body["qc"] = "FAIL";
        r = await DataWorld.RegisterAsync(client, body);
        Assert.Equal([40, 40], r.AsArray().Select(x => x!["qc"]!.GetValue<int>()));
        body["qc"] = "15";
        var error = await DataWorld.RegisterAsync(client, body, HttpStatusCode.BadRequest);
        Assert.Equal($"Invalid QC value \"15\" for dataset \"{w.Subject}/2018-01-01/2/dir/{w.File('b')}\"", error["detail"]!.GetValue<string>());
        // Nothing changed by the refused request.
        var qcs = await app.WithDbAsync(db => db.Datasets.Where(d => d.Name == w.File('b')).Select(d => d.Qc).ToListAsync(Ct));
        Assert.Equal([40], qcs);
    }

    [Fact]
    public async Task Validation_Returns400WithTheOriginalsBodies()
    {
        var client = await app.ClientForAsync("reg_user");
        var w = await DataWorld.CreateAsync(app);
        var path = $"{w.Subject}/2018-01-01/2/dir";
        async Task<JsonNode> BadAsync(object body) => await DataWorld.RegisterAsync(client, body, HttpStatusCode.BadRequest);

        Assert.Equal("The specified repository does not exist.", (await BadAsync(new { name = "invalid", path, filenames = new[] { w.File('c') } }))["detail"]!.GetValue<string>());
        Assert.Equal("The specified repository does not exist.", (await BadAsync(new { hostname = "does-not-exist", path, filenames = w.File('b') }))["detail"]!.GetValue<string>());
        Assert.Equal("One or more of the specified labs do not exist.",
            (await BadAsync(new { name = w.Repository, path, filenames = w.File('b'), labs = "does-not-exist" }))["detail"]!.GetValue<string>());
        Assert.Equal("Invalid ALF path. There must be only 1 revision and it cannot containsub folders. A revision folder must be surrounded by pound signs (#).",
            (await BadAsync(new { name = w.Repository, path = $"{w.Subject}/2018-01-01/2/#v1#/sub", filenames = w.File('b') }))["detail"]!.GetValue<string>());
        Assert.StartsWith($"Invalid dataset \"{path}/{w.File('d')}\": {{'hash'",
            (await BadAsync(new { name = w.Repository, path, filenames = w.File('d'), hashes = new string('a', 65) }))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.StartsWith($"Invalid file record \"{path}/{w.Prefix}a.c.x:y.{w.Ext}1\"",
            (await BadAsync(new { name = w.Repository, path, filenames = $"{w.Prefix}a.c.x:y.{w.Ext}1" }))["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var noPath = await BadAsync(new { name = w.Repository, filenames = w.File('b') });
        Assert.Equal("The path argument is required.", noPath["detail"]!.GetValue<string>());
        var badPath = await BadAsync(new { name = w.Repository, path = "nope", filenames = w.File('b') });
        Assert.Equal("The path nope should be `nickname/YYYY-MM-DD/n/...", badPath["error"]!.GetValue<string>());
        var noSubject = await BadAsync(new { name = w.Repository, path = "ghost_mouse/2018-01-01/001", filenames = w.File('b') });
        Assert.Equal("A subject with nickname \"ghost_mouse\" does not exist.", noSubject["error"]!.GetValue<string>());
        var noBase = await BadAsync(new { name = w.Repository, path = $"{w.Subject}/2019-01-01/001", filenames = w.File('b') });
        Assert.Equal($"A base session for {w.Subject} on 2019-01-01 does not exist", noBase["error"]!.GetValue<string>());
        var noSession = await BadAsync(new { name = w.Repository, path = $"{w.Subject}/2018-01-01/007", filenames = w.File('b') });
        Assert.Equal($"A session for {w.Subject}/7 on 2018-01-01 does not exist", noSession["error"]!.GetValue<string>());
        var noType = await BadAsync(new { name = w.Repository, path, filenames = $"{w.Prefix}zz.top.{w.Ext}1" });
        Assert.Equal($"No dataset type found for filename \"{w.Prefix}zz.top.{w.Ext}1\"", noType["detail"]!.GetValue<string>());
        var noFormat = await BadAsync(new { name = w.Repository, path, filenames = $"{w.Prefix}a.b.{w.Ext}9" });
        Assert.Equal("DataFormat matching query does not exist.", noFormat["detail"]!.GetValue<string>());
        var user = await BadAsync(new { name = w.Repository, path, filenames = w.File('b'), created_by = "nobody_here" });
        Assert.Equal("LabMember matching query does not exist.", user["detail"]!.GetValue<string>());
        Assert.Equal(0, await app.WithDbAsync(db => db.Datasets.CountAsync(d => d.Name.StartsWith(w.Prefix), Ct)));
    }

    [Theory]
    [InlineData("../a", "'..' segments are not allowed")]
    [InlineData("alf/../../x", "'..' segments are not allowed")]
    [InlineData("/abs/x", "absolute paths are not allowed")]
    [InlineData("alf\\x", "backslashes are not allowed")]
    [InlineData("alf/x\u0000", "control characters are not allowed")]
    [InlineData("alf/\u0007", "control characters are not allowed")]
    public async Task UnsafeFileNames_Are400NamingTheFile_AndNothingIsWritten(string folder, string reason)
    {
        var client = await app.ClientForAsync("reg_user");
        var w = await DataWorld.CreateAsync(app);
        var bad = folder + "/" + w.File('a');
        var error = await DataWorld.RegisterAsync(client, new { name = w.Repository, path = $"{w.Subject}/2018-01-01/2", filenames = new[] { w.File('b'), bad } },
            HttpStatusCode.BadRequest);
        Assert.Equal($"Invalid file name \"{bad}\": {reason}.", error["detail"]!.GetValue<string>());
        Assert.Equal(0, await app.WithDbAsync(db => db.Datasets.CountAsync(d => d.Name.StartsWith(w.Prefix), Ct)));
    }

    [Theory]
    [InlineData("dir+x")]
    [InlineData("alf/dir+x")]
    [InlineData("alf/x y")]
    public async Task InvalidCollectionFolders_Are400NamingTheFile_WhereTheOriginalIgnoredThem(string folder)
    {
        var client = await app.ClientForAsync("reg_user");
        var w = await DataWorld.CreateAsync(app);
        var bad = folder + "/" + w.File('a');
        var error = await DataWorld.RegisterAsync(client, new { name = w.Repository, path = $"{w.Subject}/2018-01-01/2", filenames = new[] { w.File('b'), bad } },
            HttpStatusCode.BadRequest);
        Assert.StartsWith($"Invalid ALF path \"{bad}\"", error["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Datasets.CountAsync(d => d.Name.StartsWith(w.Prefix), Ct)));
    }

    [Fact]
    public async Task ExistenceOptions_FollowTheUpstreamMatrix()
    {
        var client = await app.ClientForAsync("reg_user");
        var w = await DataWorld.CreateAsync(app);
        var (lab, repos) = await DataWorld.LabWithRepositoriesAsync(app, true, true, false);
        var (ibl1, ibl3) = (repos[0], repos[2]);
        async Task<Dictionary<string, bool>> RecordsAsync(string file, Dictionary<string, object> extra)
        {
            var body = new Dictionary<string, object> { ["path"] = $"{w.Subject}/2018-01-01/002/dir", ["filenames"] = file, ["labs"] = new[] { lab } };
            foreach (var (k, v) in extra) body[k] = v;
            var r = await DataWorld.RegisterAsync(client, body);
            return r[0]!["file_records"]!.AsArray().ToDictionary(f => f!["data_repository"]!.GetValue<string>(), f => f!["exists"]!.GetValue<bool>());
        }
        var case1 = await RecordsAsync(w.File('a'), new() { ["server_only"] = false });
        Assert.Equal(3, case1.Count);
        Assert.All(case1.Values, Assert.False);
        var case2 = await RecordsAsync(w.File('a', 2), new() { ["server_only"] = true });
        Assert.Equal(new Dictionary<string, bool> { [ibl3] = true }, case2);
        var case3 = await RecordsAsync(w.File('b'), new() { ["name"] = ibl1, ["server_only"] = false });
        Assert.Equal(3, case3.Count);
        Assert.All(case3, p => Assert.Equal(p.Key == ibl1, p.Value));
        var case4 = await RecordsAsync(w.File('b', 2), new() { ["name"] = ibl1, ["server_only"] = false, ["exists"] = false });
        Assert.Equal(3, case4.Count);
        Assert.All(case4.Values, Assert.False);
        var case5 = await RecordsAsync(w.File('c'), new() { ["name"] = ibl1, ["server_only"] = true });
        Assert.Equal(new Dictionary<string, bool> { [ibl1] = true, [ibl3] = true }, case5);
        var case6 = await RecordsAsync(w.File('c', 2), new() { ["name"] = ibl1, ["server_only"] = true, ["exists"] = false });
        Assert.Equal(new Dictionary<string, bool> { [ibl1] = false, [ibl3] = false }, case6);
        // A string flag is true only when it is exactly "True": "true" means false.
        var lower = await RecordsAsync(w.File('d'), new() { ["server_only"] = "true" });
        Assert.Equal(3, lower.Count);
    }

    [Fact]
    public async Task Revisions_FromThePathOrTheFileName_OnlyOneAndLast()
    {
        var client = await app.ClientForAsync("reg_user");
        var w = await DataWorld.CreateAsync(app);
        var v1 = AlyxApp.Unique("v1");
        var v2 = AlyxApp.Unique("v2");
        async Task<JsonNode> OkAsync(string path, string files) =>
            await DataWorld.RegisterAsync(client, new { path = $"{w.Subject}/2018-01-01/002{path}", filenames = files, name = w.Repository });
        async Task BadAsync(string path, string files) =>
            await DataWorld.RegisterAsync(client, new { path = $"{w.Subject}/2018-01-01/002{path}", filenames = files, name = w.Repository },
                HttpStatusCode.BadRequest);

        var plain = (await OkAsync("/dir", w.File('d')))[0]!;
        Assert.Equal(("", "dir"), (plain["revision"]!.GetValue<string>(), plain["collection"]!.GetValue<string>()));
        var inPath = (await OkAsync($"/dir/#{v1}#", w.File('d')))[0]!;
        Assert.Equal((v1, "dir"), (inPath["revision"]!.GetValue<string>(), inPath["collection"]!.GetValue<string>()));
        Assert.Contains($"#{v1}#", inPath["file_records"]![0]!["relative_path"]!.GetValue<string>(), StringComparison.Ordinal);
        var inName = (await OkAsync("/dir", $"dir1/#{v1}#/{w.File('d')}"))[0]!;
        Assert.Equal((v1, "dir/dir1"), (inName["revision"]!.GetValue<string>(), inName["collection"]!.GetValue<string>()));
        await BadAsync("/dir", $"#dir1#/#{v2}#/{w.File('d')}");
        await BadAsync("/dir", $"#{v2}#/dir1/{w.File('d')}");
        var two = await OkAsync("", $"dir2/#{v1}#/{w.File('d')},#{v2}#/{w.File('c')}");
        Assert.Equal((v1, "dir2"), (two[0]!["revision"]!.GetValue<string>(), two[0]!["collection"]!.GetValue<string>()));
        Assert.Equal((v2, ""), (two[1]!["revision"]!.GetValue<string>(), two[1]!["collection"]!.GetValue<string>()));
        await BadAsync($"/#{v1}#", $"#{v2}#/{w.File('d')}");
        await BadAsync("/dir2", $"#{v1}#/alf/{w.File('d')}");
        // The revision rows were created once, with a creation time.
        Assert.Equal(1, await app.WithDbAsync(db => db.Revisions.CountAsync(r => r.Name == v1 && r.CreatedDatetime != null, Ct)));
    }

    [Fact]
    public async Task ProtectedTags_RefuseReRegistration_FileSizesUpdateOtherwise()
    {
        var client = await app.ClientForAsync("reg_user");
        var w = await DataWorld.CreateAsync(app);
        var body = new Dictionary<string, object>
        {
            ["path"] = $"{w.Subject}/2018-01-01/002/",
            ["filenames"] = $"test/v1/{w.File('d', 2)},test/v1/{w.File('d')},",
            ["name"] = w.Repository,
            ["filesizes"] = "14564,24564",
        };
        var r = await DataWorld.RegisterAsync(client, body);
        Assert.Equal([14564L, 24564L], r.AsArray().Select(x => x!["file_size"]!.GetValue<long>()));
        var open = new Alyx.Data.Tag { Name = AlyxApp.Unique("tag1") };
        var locked = new Alyx.Data.Tag { Name = AlyxApp.Unique("tag2"), Protected = true };
        var ids = r.AsArray().Select(x => Guid.Parse(x!["id"]!.GetValue<string>())).ToList();
        await app.WithDbAsync(async db =>
        {
            db.AddRange(open, locked);
            foreach (var d in await db.Datasets.Include(d => d.Tags).Where(d => ids.Contains(d.Id)).ToListAsync(Ct)) d.Tags.Add(open);
            await db.SaveChangesAsync(Ct);
        });
        body["filesizes"] = "20000,30000";
        r = await DataWorld.RegisterAsync(client, body);
        Assert.Equal([20000L, 30000L], r.AsArray().Select(x => x!["file_size"]!.GetValue<long>()));
        await app.WithDbAsync(async db =>
        {
            var d = await db.Datasets.Include(d => d.Tags).SingleAsync(d => d.Id == ids[1], Ct);
            d.Tags.Add(await db.Tags.SingleAsync(t => t.Id == locked.Id, Ct));
            await db.SaveChangesAsync(Ct);
        });
        body["filesizes"] = "22456,40506";
        var refused = await DataWorld.RegisterAsync(client, body, HttpStatusCode.Forbidden);
        Assert.Equal($"Dataset {ids[1]} is protected, cannot patch", refused["detail"]!.GetValue<string>());
        // The whole request was refused: the first dataset kept its size.
        Assert.Equal(20000L, await app.WithDbAsync(db => db.Datasets.Where(d => d.Id == ids[0]).Select(d => d.FileSize!.Value).SingleAsync(Ct)));
    }

    [Fact]
    public async Task DefaultRevision_MovesToTheLatestRegistration()
    {
        var client = await app.ClientForAsync("reg_user");
        var w = await DataWorld.CreateAsync(app);
        var v1 = AlyxApp.Unique("v1");
        async Task<JsonNode> RegisterAsync(string files, bool? @default = null)
        {
            var body = new Dictionary<string, object> { ["path"] = $"{w.Subject}/2018-01-01/002/", ["filenames"] = files, ["name"] = w.Repository };
            if (@default is not null) body["default"] = @default.Value;
            return (await DataWorld.RegisterAsync(client, body))[0]!;
        }
        async Task<bool> DefaultAsync(string id) =>
            (await (await client.GetAsync($"/datasets?id={id}", Ct)).ReadJsonAsync(HttpStatusCode.OK))["results"]![0]!["default_dataset"]!.GetValue<bool>();

        var first = await RegisterAsync($"test_default/#{v1}#/{w.File('d', 2)}", true);
        Assert.True(first["default"]!.GetValue<bool>());
        var second = await RegisterAsync($"test_default/{w.File('d', 2)}");
        Assert.True(second["default"]!.GetValue<bool>());
        Assert.False(await DefaultAsync(first["id"]!.GetValue<string>()));
        var again = await RegisterAsync($"test_default/#{v1}#/{w.File('d', 2)}");
        Assert.Equal(first["id"]!.GetValue<string>(), again["id"]!.GetValue<string>());
        Assert.False(await DefaultAsync(second["id"]!.GetValue<string>()));
        var notDefault = await RegisterAsync($"test_default/{w.File('d', 2)}", false);
        Assert.False(notDefault["default"]!.GetValue<bool>());
        Assert.True(await DefaultAsync(first["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task DefaultFlag_IsClearedWithinTheSameCollectionOnly_AndByLaterFilesOfTheSameRequest()
    {
        var client = await app.ClientForAsync("reg_user");
        var w = await DataWorld.CreateAsync(app);
        var (v1, v2) = (AlyxApp.Unique("v1"), AlyxApp.Unique("v2"));
        async Task<JsonArray> RegisterAsync(string files) => (JsonArray)await DataWorld.RegisterAsync(client,
            new Dictionary<string, object> { ["path"] = $"{w.Subject}/2018-01-01/002/", ["filenames"] = files, ["name"] = w.Repository });
        async Task<bool> DefaultAsync(JsonNode dataset) => (await (await client.GetAsync($"/datasets?id={dataset["id"]}", Ct))
            .ReadJsonAsync(HttpStatusCode.OK))["results"]![0]!["default_dataset"]!.GetValue<bool>();

        var inA = (await RegisterAsync($"coll_a/{w.File('d', 2)}"))[0]!;
        var inB = (await RegisterAsync($"coll_b/{w.File('d', 2)}"))[0]!;
        // Another collection of the same name leaves the first one's flag alone.
        Assert.True(await DefaultAsync(inA));
        Assert.True(await DefaultAsync(inB));

        // Two revisions in one request: each file clears the flag of the earlier ones of its collection, so the last stays default.
        var both = await RegisterAsync($"coll_a/#{v1}#/{w.File('d', 2)},coll_a/#{v2}#/{w.File('d', 2)}");
        Assert.Equal(2, both.Count);
        Assert.False(await DefaultAsync(inA));
        Assert.False(await DefaultAsync(both[0]!));
        Assert.True(await DefaultAsync(both[1]!));
        Assert.True(await DefaultAsync(inB));
    }

    [Fact]
    public async Task CheckProtectedFlag_Answers403WithTheDetailsOneParses()
    {
        var client = await app.ClientForAsync("reg_user");
        var w = await DataWorld.CreateAsync(app);
        var r = await DataWorld.RegisterAsync(client, new
        {
            path = $"{w.Subject}/2018-01-01/002/",
            filenames = $"test_prot/{w.File('d', 2)},test_prot/{w.File('d')},",
            name = w.Repository,
        });
        await ProtectAsync(app, Guid.Parse(r[0]!["id"]!.GetValue<string>()));
        var refused = await DataWorld.RegisterAsync(client, new
        {
            path = $"{w.Subject}/2018-01-01/002/",
            filenames = $"test_prot/{w.File('d', 2)},test_prot/{w.File('d')},test_prot/{w.File('b')}",
            name = w.Repository,
            check_protected = true,
        }, HttpStatusCode.Forbidden);
        var expected = new JsonObject
        {
            ["status_code"] = 403,
            ["error"] = "One or more datasets is protected",
            ["details"] = new JsonArray(
                new JsonObject { [$"test_prot/{w.File('d', 2)}"] = new JsonArray(new JsonObject { [""] = true }) },
                new JsonObject { [$"test_prot/{w.File('d')}"] = new JsonArray(new JsonObject { [""] = false }) },
                new JsonObject { [$"test_prot/{w.File('b')}"] = new JsonArray() }),
        };
        Assert.True(JsonNode.DeepEquals(expected, refused), refused.ToJsonString());
        Assert.Equal(0, await DatasetCountAsync(w.File('b')));
    }

    internal static async Task ProtectAsync(AlyxApp app, Guid dataset)
    {
        await app.WithDbAsync(async db =>
        {
            var d = await db.Datasets.Include(x => x.Tags).SingleAsync(x => x.Id == dataset, Ct);
            d.Tags.Add(new Alyx.Data.Tag { Name = AlyxApp.Unique("locked"), Protected = true });
            await db.SaveChangesAsync(Ct);
        });
    }

    [Fact]
    public async Task Aggregate_RegistersAgainstAnObject_WithTheOriginalsChecks()
    {
        var client = await app.ClientForAsync("reg_user");
        var w = await DataWorld.CreateAsync(app);
        var body = new Dictionary<string, object>
        {
            ["path"] = $"Subjects/laba/{w.Subject}",
            ["filenames"] = $"{w.File('a')},{w.File('b')}",
            ["hostname"] = w.Hostname,
            ["object_id"] = w.SubjectId.ToString(),
            ["content_type"] = "subject",
            ["check_protected"] = true,
        };
        var r = await DataWorld.RegisterAsync(client, body);
        Assert.Equal(w.Subject, r[0]!["subject"]!.GetValue<string>());
        Assert.Equal(1, await RecordCountAsync(w.File('a')));
        body["content_type"] = "subjects.subject";
        r = await DataWorld.RegisterAsync(client, body);
        Assert.Equal(1, await RecordCountAsync(w.File('a')));
        Assert.Equal(["id", "name", "file_size", "subject", "created_by", "created_datetime", "dataset_type", "data_format", "content_type",
            "object_id", "collection", "revision", "default", "qc", "file_records"], r[0]!.Keys());
        Assert.Equal("subjects.subject", r[0]!["content_type"]!.GetValue<string>());
        Assert.Equal(w.SubjectId.ToString(), r[0]!["object_id"]!.GetValue<string>());
        Assert.Equal($"Subjects/laba/{w.Subject}", r[0]!["collection"]!.GetValue<string>());

        var first = Guid.Parse(r[0]!["id"]!.GetValue<string>());
        await ProtectAsync(app, first);
        var refused = await DataWorld.RegisterAsync(client, body, HttpStatusCode.Forbidden);
        Assert.Equal("One or more datasets is protected", refused["error"]!.GetValue<string>());
        Assert.Equal($"[{{\"{w.File('a')}\":[{{\"\":true}}]}},{{\"{w.File('b')}\":[{{\"\":false}}]}}]", refused["details"]!.ToJsonString());
        body["check_protected"] = false;
        Assert.Equal($"Dataset {first} is protected, cannot patch",
            (await DataWorld.RegisterAsync(client, body, HttpStatusCode.Forbidden))["detail"]!.GetValue<string>());

        body["filenames"] = $"#2026-01-01#/{w.File('a')}";
        var revised = (await DataWorld.RegisterAsync(client, body))[0]!;
        Assert.Equal(("2026-01-01", $"Subjects/laba/{w.Subject}"), (revised["revision"]!.GetValue<string>(), revised["collection"]!.GetValue<string>()));
        Assert.Equal($"Subjects/laba/{w.Subject}/#2026-01-01#/{w.File('a')}", revised["file_records"]![0]!["relative_path"]!.GetValue<string>());

        body.Remove("content_type");
        Assert.Equal("Both content_type and object_id should be provided together.",
            (await DataWorld.RegisterAsync(client, body, HttpStatusCode.BadRequest))["error"]!.GetValue<string>());
        body["content_type"] = "subject";
        body.Remove("hostname");
        Assert.Equal("A valid repository name or hostname must be provided for non-session datasets.",
            (await DataWorld.RegisterAsync(client, body, HttpStatusCode.BadRequest))["detail"]!.GetValue<string>());
        body["hostname"] = w.Hostname;
        body["content_type"] = "incorrect";
        Assert.Equal("Invalid content type: incorrect", (await DataWorld.RegisterAsync(client, body, HttpStatusCode.BadRequest))["detail"]!.GetValue<string>());
        body["content_type"] = "subject";
        body["object_id"] = "incorrect";
        Assert.Equal("Invalid object ID: incorrect", (await DataWorld.RegisterAsync(client, body, HttpStatusCode.BadRequest))["detail"]!.GetValue<string>());
        body["object_id"] = w.SubjectId.ToString();
        body["path"] = $"Subjects/l+ba/{w.Subject}";
        Assert.Equal("Invalid ALF path. Only letters, numbers, hyphen and underscores allowed. A revision folder must be surrounded by pound signs (#).", (await DataWorld.RegisterAsync(client, body, HttpStatusCode.BadRequest))["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task FileRecordOfAnotherDataset_AtTheSamePath_Is400()
    {
        var client = await app.ClientForAsync("reg_user");
        var w = await DataWorld.CreateAsync(app);
        var (lab1, lab2) = (new Alyx.Misc.Lab { Name = AlyxApp.Unique("collide") }, new Alyx.Misc.Lab { Name = AlyxApp.Unique("collide") });
        await app.WithDbAsync(async db =>
        {
            db.AddRange(lab1, lab2);
            await db.SaveChangesAsync(Ct);
        });
        var body = new Dictionary<string, object>
        {
            ["path"] = $"Subjects/{w.Prefix}",
            ["filenames"] = w.File('b'),
            ["name"] = w.Repository,
            ["content_type"] = "lab",
            ["object_id"] = lab1.Id.ToString(),
        };
        await DataWorld.RegisterAsync(client, body);
        body["object_id"] = lab2.Id.ToString();
        var error = await DataWorld.RegisterAsync(client, body, HttpStatusCode.BadRequest);
        Assert.Equal($"A file record for \"Subjects/{w.Prefix}/{w.File('b')}\" already exists on repository \"{w.Repository}\" for a different dataset.",
            error["detail"]!.GetValue<string>());
        Assert.Equal(1, await DatasetCountAsync(w.File('b')));
    }

    [Fact]
    public async Task ManyFiles_RegisterOnce_AndAgainWithoutDuplicates()
    {
        var client = await app.ClientForAsync("reg_user");
        var w = await DataWorld.CreateAsync(app);
        var (lab, _) = await DataWorld.LabWithRepositoriesAsync(app, true, false);
        var files = Enumerable.Range(0, 300).Select(i => $"alf/p{i % 7}/{w.Prefix}a.{"abcd"[i % 4]}.n{i}.{w.Ext}1").ToList();
        var body = new { path = $"{w.Subject}/2018-01-01/002", filenames = files, labs = lab, hashes = files.Select(_ => "abc").ToList() };
        var first = await DataWorld.RegisterAsync(client, body);
        var second = await DataWorld.RegisterAsync(client, body);
        Assert.Equal(300, first.AsArray().Count);
        Assert.Equal(first.AsArray().Select(d => d!["id"]!.GetValue<string>()), second.AsArray().Select(d => d!["id"]!.GetValue<string>()));
        var (datasets, records) = await app.WithDbAsync(async db => (
            await db.Datasets.CountAsync(d => d.SessionId == w.Session && d.Name.StartsWith(w.Prefix), Ct),
            await db.FileRecords.CountAsync(f => f.Dataset!.SessionId == w.Session && f.Dataset.Name.StartsWith(w.Prefix), Ct)));
        Assert.Equal((300, 600), (datasets, records));
    }

    [Fact]
    public async Task EightConcurrentIdenticalRegistrations_AllSucceedWithTheSameRows()
    {
        var w = await DataWorld.CreateAsync(app);
        var (lab, _) = await DataWorld.LabWithRepositoriesAsync(app, true, false);
        var clients = new List<HttpClient>();
        for (var i = 0; i < 8; i++) clients.Add(await app.ClientForAsync($"racer{i}"));
        for (var round = 0; round < 3; round++)
        {
            var revision = AlyxApp.Unique("rev");
            var files = new[] { $"alf/{w.File('a')}", $"alf/#{revision}#/{w.File('b')}", $"raw/r{round}/{w.File('c')}" };
            var body = new { path = $"{w.Subject}/2018-01-01/002", filenames = files, labs = lab, name = w.Repository };
            using var start = new SemaphoreSlim(0);
            var tasks = clients.Select(async c =>
            {
                await start.WaitAsync(Ct);
                var response = await c.PostAsync("/register-file", Json.Body(body), Ct);
                return await response.ReadJsonAsync(HttpStatusCode.Created);
            }).ToList();
            start.Release(clients.Count);
            var results = await Task.WhenAll(tasks);
            var ids = results.Select(r => string.Join(",", r.AsArray().Select(d => d!["id"]!.GetValue<string>()))).Distinct().ToList();
            Assert.Single(ids);
            var counts = await app.WithDbAsync(async db => (
                Datasets: await db.Datasets.Where(d => d.SessionId == w.Session && d.Name.StartsWith(w.Prefix))
                    .GroupBy(d => new { d.Collection, d.Name, d.RevisionId }).CountAsync(g => g.Count() > 1, Ct),
                Revisions: await db.Revisions.CountAsync(r => r.Name == revision, Ct),
                Records: await db.FileRecords.Where(f => f.Dataset!.SessionId == w.Session)
                    .GroupBy(f => new { f.DataRepositoryId, f.RelativePath }).CountAsync(g => g.Count() > 1, Ct)));
            Assert.Equal((0, 1, 0), counts);
        }
        // One dataset in alf, one per round revision, one per round collection.
        Assert.Equal(7, await app.WithDbAsync(db => db.Datasets.CountAsync(d => d.SessionId == w.Session && d.Name.StartsWith(w.Prefix), Ct)));
    }

    [Fact]
    public async Task PublicUsers_CannotRegister()
    {
        var client = await app.ClientForAsync("reg_public", isPublic: true);
        var w = await DataWorld.CreateAsync(app);
        await DataWorld.RegisterAsync(client, new { path = $"{w.Subject}/2018-01-01/002", filenames = w.File('a'), name = w.Repository }, HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Forbidden, (await app.AnonymousClient().PostAsync("/register-file", Json.Body(new { }), Ct)).StatusCode);
    }
}
