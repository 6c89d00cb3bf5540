using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using Alyx.Cli;
using Alyx.Database;
using Alyx.Database.Import;
using Alyx.Http;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Database;

/// <summary><c>alyx import-dump</c> and <see cref="DumpImporter"/> (conventions §18) on the suite's provider.</summary>
public sealed class ImportDumpTests : IAsyncLifetime
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly AlyxClock Clock = new(TimeProvider.System, TimeZoneInfo.Utc);
    const string DefaultLab = "4027da48-7be3-43ec-a222-f75dffe36872";

    readonly List<string> tempFiles = [];
    readonly List<IAsyncDisposable> owners = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var owner in owners) await owner.DisposeAsync();
        foreach (var file in tempFiles) File.Delete(file);
    }

    async Task<string> EmptyDatabaseAsync()
    {
        var (url, owner) = await TestDatabase.CreateEmptyAsync();
        owners.Add(owner);
        return url;
    }

    /// <summary>A migrated database with the template's contents (the shared dump, when present).</summary>
    async Task<string> TemplateDatabaseAsync()
    {
        var (url, owner) = await TestDatabase.CreateAsync();
        owners.Add(owner);
        return url;
    }

    async Task<string> WriteDumpAsync(string json, string extension = ".json", bool gzip = false)
    {
        var file = Path.Combine(Path.GetTempPath(), $"alyx-import-test-{Guid.NewGuid():N}{extension}");
        tempFiles.Add(file);
        var bytes = Encoding.UTF8.GetBytes(json);
        if (gzip)
        {
            await using var gz = new GZipStream(File.Create(file), CompressionLevel.Fastest);
            await gz.WriteAsync(bytes, Ct);
        }
        else await File.WriteAllBytesAsync(file, bytes, Ct);
        return file;
    }

    static Task<int> CliImportAsync(string url, params string[] files) => AlyxCli.RunAsync(["import-dump", .. files, "--database", url]);

    static async Task<T> WithDbAsync<T>(string url, Func<AlyxDb, Task<T>> work)
    {
        await using var db = TestDatabase.Open(url);
        return await work(db);
    }

    static string Uuid() => Guid.NewGuid().ToString();

    static string User(string pk, string username, string extra = "") =>
        $$$"""{"model": "misc.labmember", "pk": "{{{pk}}}", "fields": {"password": "", "username": "{{{username}}}", "date_joined": "2020-01-01T00:00:00"{{{extra}}}}}""";

    static string Location(string pk, string name, string lab = DefaultLab) =>
        $$$"""{"model": "misc.lablocation", "pk": "{{{pk}}}", "fields": {"name": "{{{name}}}", "json": null, "lab": "{{{lab}}}"}}""";

    /// <summary>Every row of every table of the model, as sorted text: "identical results" means identical tables.</summary>
    internal static async Task<string> SnapshotAsync(string url) => await WithDbAsync(url, async db =>
    {
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().Order(StringComparer.Ordinal);
        var conn = db.Database.GetDbConnection();
        await conn.OpenAsync(Ct);
        var text = new StringBuilder();
        foreach (var table in tables)
        {
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await cmd.ExecuteReaderAsync(Ct);
            var rows = new List<string>();
            while (await reader.ReadAsync(Ct))
            {
                rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount)
                    .Select(i => $"{reader.GetName(i)}={Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)}")));
            }
            text.Append(CultureInfo.InvariantCulture, $"## {table} ({rows.Count})\n");
            foreach (var row in rows.Order(StringComparer.Ordinal)) text.Append(row).Append('\n');
        }
        return text.ToString();
    });

    [Fact]
    public async Task ImportDump_SharedDumpIntoFreshDatabase_LoadsUsersLabAndLocations()
    {
        var dump = Fixtures.RequireDump();
        var url = await EmptyDatabaseAsync();

        Assert.Equal(0, await CliImportAsync(url, dump));

        await WithDbAsync(url, async db =>
        {
            Assert.Equal(29, await db.Users.CountAsync(Ct));
            var lab = Assert.Single(await db.Labs.ToListAsync(Ct));
            Assert.Equal(Guid.Parse(DefaultLab), lab.Id);
            Assert.Equal("Africa/Djibouti", lab.Timezone);
            Assert.Equal("somelab", lab.Name);
            Assert.Null(lab.Json);
            Assert.Equal(6, await db.LabLocations.CountAsync(l => l.LabId == lab.Id, Ct));
            var user = await db.Users.SingleAsync(u => u.Username == "11", Ct);
            Assert.Equal(Guid.Parse("20e9a1ac-d0ff-4d76-a097-1e26d1723e3f"), user.Id);
            Assert.Equal(("11", "11", "", ""), (user.FirstName, user.LastName, user.Email, user.Password));
            Assert.Equal(new DateTime(2017, 6, 19, 18, 3, 35, 598), user.LastLogin);
            Assert.Equal(new DateTime(2017, 3, 1, 17, 9, 20), user.DateJoined);
            Assert.True(user.IsStaff && user.IsActive && !user.IsSuperuser);
            var five = await db.Users.SingleAsync(u => u.Username == "5", Ct);
            Assert.True(five.IsSuperuser && five.IsStockManager);
            return true;
        });
    }

    [Fact]
    public async Task ImportDump_SharedDumpTwice_LeavesIdenticalTables()
    {
        var dump = Fixtures.RequireDump();
        var url = await EmptyDatabaseAsync();
        Assert.Equal(0, await CliImportAsync(url, dump));
        var first = await SnapshotAsync(url);

        Assert.Equal(0, await CliImportAsync(url, dump));

        Assert.Equal(first, await SnapshotAsync(url));
        Assert.Contains("## misc_labmember (29)", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportDump_SharedDump_ReportsEveryUnsupportedModelAsSkippedWithItsCount()
    {
        var dump = Fixtures.RequireDump();
        var url = await EmptyDatabaseAsync();
        // Counts of conventions §18.3; a model is either imported (rows) or skipped (records), never both.
        var expected = new Dictionary<string, int>
        {
            ["misc.lab"] = 1,
            ["misc.labmember"] = 29,
            ["misc.lablocation"] = 6,
            ["subjects.species"] = 1,
            ["subjects.strain"] = 9,
            ["subjects.source"] = 3,
            ["subjects.allele"] = 26,
            ["subjects.sequence"] = 18,
            ["subjects.line"] = 32,
            ["subjects.breedingpair"] = 58,
            ["subjects.litter"] = 185,
            ["subjects.subjectrequest"] = 16,
            ["subjects.subject"] = 968,
            ["subjects.zygosity"] = 50,
            ["subjects.genotypetest"] = 50,
            ["actions.proceduretype"] = 21,
            ["actions.weighing"] = 50,
            ["actions.watertype"] = 2,
            ["actions.wateradministration"] = 50,
            ["actions.surgery"] = 121,
            ["actions.session"] = 337,
            ["actions.waterrestriction"] = 63,
            ["actions.cull"] = 24,
        };

        var report = await WithDbAsync(url, async db =>
        {
            await DatabaseSetup.MigrateAsync(db, Clock, Ct);
            return await new DumpImporter(db, Clock).ImportAsync([dump], Ct);
        });

        Assert.Equal(2120, report.Records);
        var seen = report.Imported.Select(i => (i.Model, Count: i.Rows)).Concat(report.Skipped.Select(s => (s.Model, Count: s.Records)));
        Assert.Equal(expected.OrderBy(e => e.Key), seen.ToDictionary(s => s.Model, s => s.Count).OrderBy(e => e.Key));
        Assert.Contains(("misc.labmember", 29), report.Imported);
        var printed = new StringWriter();
        report.Print(printed);
        foreach (var (model, records) in report.Skipped) Assert.Matches($@"\n  {model.Replace(".", @"\.", StringComparison.Ordinal)} +{records}\n", printed.ToString());
        Assert.Contains("records/s", printed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportDump_UnknownModels_AreSkippedAndCounted()
    {
        var url = await TemplateDatabaseAsync();
        var file = await WriteDumpAsync($$$"""
            [{"model": "auth.permission", "pk": 1, "fields": {"name": "Can add lab", "content_type": ["misc", "lab"], "codename": "add_lab"}},
             {{{Location(Uuid(), "room_x")}}},
             {"model": "zoo.animal", "pk": "a", "fields": {}},
             {"model": "zoo.animal", "pk": "b", "fields": {}}]
            """);

        var report = await WithDbAsync(url, db => new DumpImporter(db, Clock).ImportAsync([file], Ct));

        Assert.Equal([("auth.permission", 1), ("zoo.animal", 2)], report.Skipped);
        Assert.Equal([("misc.lablocation", 1)], report.Imported);
    }

    [Fact]
    public async Task ImportDump_DanglingReferenceInLastRecord_FailsNamingItAndLeavesDatabaseUnchanged()
    {
        var url = await TemplateDatabaseAsync();
        var before = await SnapshotAsync(url);
        var missingLab = Uuid();
        var badLocation = Uuid();
        var file = await WriteDumpAsync($$$"""
            [{"model": "misc.lab", "pk": "{{{DefaultLab}}}", "fields": {"name": "changed_lab", "timezone": "Europe/Paris"}},
             {{{User(Uuid(), AlyxApp.Unique("u"))}}},
             {{{Location(Uuid(), "fine")}}},
             {{{Location(badLocation, "dangling", missingLab)}}}]
            """);

        Assert.Equal(1, await CliImportAsync(url, file));
        var error = await Assert.ThrowsAsync<DumpImportException>(() => WithDbAsync(url, db => new DumpImporter(db, Clock).ImportAsync([file], Ct)));

        Assert.Contains("record 4", error.Message, StringComparison.Ordinal);
        Assert.Contains($"misc.lablocation pk={badLocation}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"field 'lab' refers to misc.lab pk={missingLab}", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(url));
    }

    [Fact]
    public async Task ImportDump_DatabaseRejectsLastRecord_RollsBackRowsAlreadyWritten()
    {
        var url = await TemplateDatabaseAsync();
        var before = await SnapshotAsync(url);
        var username = AlyxApp.Unique("dup");
        // Labs and locations are written before users; the second user breaks the username unique index.
        var file = await WriteDumpAsync($$$"""
            [{"model": "misc.lab", "pk": "{{{DefaultLab}}}", "fields": {"name": "changed_lab", "timezone": "Europe/Paris"}},
             {{{Location(Uuid(), "written_then_rolled_back")}}},
             {{{User(Uuid(), username)}}},
             {{{User(Uuid(), username)}}}]
            """);

        var error = await Assert.ThrowsAsync<DumpImportException>(() => WithDbAsync(url, db => new DumpImporter(db, Clock).ImportAsync([file], Ct)));

        Assert.Contains("writing misc.labmember", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(url));
        Assert.Equal(1, await CliImportAsync(url, file));
        Assert.Equal(before, await SnapshotAsync(url));
    }

    [Fact]
    public async Task ImportDump_BadValueInLastRecord_FailsNamingRecordAndField()
    {
        var url = await TemplateDatabaseAsync();
        var before = await SnapshotAsync(url);
        var pk = Uuid();
        var file = await WriteDumpAsync($"[{Location(Uuid(), "ok")}, {User(pk, AlyxApp.Unique("u"), ", \"is_staff\": \"maybe\"")}]");

        var error = await Assert.ThrowsAsync<DumpImportException>(() => WithDbAsync(url, db => new DumpImporter(db, Clock).ImportAsync([file], Ct)));

        Assert.Contains($"record 2 (misc.labmember pk=\"{pk}\"): field 'is_staff': \"maybe\" is not a valid boolean", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, await CliImportAsync(url, file));
        Assert.Equal(before, await SnapshotAsync(url));
    }

    [Fact]
    public async Task ImportDump_ForwardReferences_ResolveAfterAllRows()
    {
        var url = await TemplateDatabaseAsync();
        string a = Uuid(), b = Uuid(), c = Uuid(), lab = Uuid(), location = Uuid(), repo = Uuid(), repoType = Uuid();
        var labName = AlyxApp.Unique("lab");
        // Every reference points at a record further down the file.
        var file = await WriteDumpAsync($$$"""
            [{{{User(a, AlyxApp.Unique("a"), $", \"allowed_users\": [\"{b}\", \"{c}\"]")}}},
             {{{Location(location, "bench", lab)}}},
             {"model": "misc.lab", "pk": "{{{lab}}}", "fields": {"name": "{{{labName}}}", "repositories": ["{{{repo}}}"]}},
             {"model": "data.datarepository", "pk": "{{{repo}}}", "fields": {"name": "{{{AlyxApp.Unique("repo")}}}", "repository_type": "{{{repoType}}}", "hostname": "h", "globus_is_personal": null}},
             {"model": "data.datarepositorytype", "pk": "{{{repoType}}}", "fields": {"name": "{{{AlyxApp.Unique("type")}}}", "json": ""}},
             {{{User(b, AlyxApp.Unique("b"), $", \"allowed_users\": [\"{a}\"]")}}},
             {{{User(c, AlyxApp.Unique("c"))}}}]
            """);

        Assert.Equal(0, await CliImportAsync(url, file));

        await WithDbAsync(url, async db =>
        {
            var userA = await db.Users.Include(u => u.AllowedUsers).SingleAsync(u => u.Id == Guid.Parse(a), Ct);
            Assert.Equal(new[] { b, c }.Order(), userA.AllowedUsers.Select(u => u.Id.ToString()).Order());
            var userB = await db.Users.Include(u => u.AllowedUsers).SingleAsync(u => u.Id == Guid.Parse(b), Ct);
            Assert.Equal([a], userB.AllowedUsers.Select(u => u.Id.ToString()));
            var importedLab = await db.Labs.Include(l => l.Repositories).ThenInclude(r => r.RepositoryType).SingleAsync(l => l.Id == Guid.Parse(lab), Ct);
            Assert.Equal(labName, importedLab.Name);
            var repository = Assert.Single(importedLab.Repositories);
            Assert.Equal(Guid.Parse(repoType), repository.RepositoryType!.Id);
            Assert.Equal("\"\"", repository.RepositoryType.Json);
            Assert.Equal(Guid.Parse(lab), (await db.LabLocations.SingleAsync(l => l.Id == Guid.Parse(location), Ct)).LabId);
            return true;
        });
    }

    [Fact]
    public async Task ImportDump_ReplaceByPk_LaterRecordsWinAndMissingKeysTakeDefaults()
    {
        var url = await TemplateDatabaseAsync();
        string pk = Uuid(), delegateUser = Uuid(), location = Uuid();
        var username = AlyxApp.Unique("u");
        var first = await WriteDumpAsync($$$"""
            [{{{User(delegateUser, AlyxApp.Unique("d"))}}},
             {{{User(pk, username, $", \"is_staff\": true, \"is_active\": false, \"first_name\": \"Old\", \"allowed_users\": [\"{delegateUser}\"]")}}},
             {{{Location(location, "first")}}}, {{{Location(location, "second")}}}]
            """);
        // The second file has no allowed_users key (links kept), no is_active (default true), aware datetimes (to UTC).
        var second = await WriteDumpAsync($$$"""
            [{"model": "misc.labmember", "pk": "{{{pk}}}", "fields": {"username": "{{{username}}}", "date_joined": "2021-03-04T05:06:07.123+02:00", "last_login": "2021-03-04T05:06:07Z"}}]
            """);

        Assert.Equal(0, await CliImportAsync(url, first, second));

        await WithDbAsync(url, async db =>
        {
            var user = await db.Users.Include(u => u.AllowedUsers).SingleAsync(u => u.Id == Guid.Parse(pk), Ct);
            Assert.Equal(("", false, true), (user.FirstName, user.IsStaff, user.IsActive));
            Assert.Equal(new DateTime(2021, 3, 4, 3, 6, 7, 123), user.DateJoined);
            Assert.Equal(new DateTime(2021, 3, 4, 5, 6, 7), user.LastLogin);
            Assert.Equal([Guid.Parse(delegateUser)], user.AllowedUsers.Select(u => u.Id));
            Assert.Equal("second", (await db.LabLocations.SingleAsync(l => l.Id == Guid.Parse(location), Ct)).Name);
            return true;
        });
    }

    [Fact]
    public async Task ImportDump_UncompressedJsonAndGzipUnderAnyName_BothLoad()
    {
        var url = await TemplateDatabaseAsync();
        string plain = Uuid(), zipped = Uuid();
        var plainFile = await WriteDumpAsync($"[{Location(plain, "plain")}]");
        var zippedFile = await WriteDumpAsync($"[{Location(zipped, "zipped")}]", extension: ".json", gzip: true);

        Assert.Equal(0, await CliImportAsync(url, plainFile, zippedFile));

        var names = await WithDbAsync(url, db => db.LabLocations.Where(l => l.Id == Guid.Parse(plain) || l.Id == Guid.Parse(zipped))
            .OrderBy(l => l.Name).Select(l => l.Name).ToListAsync(Ct));
        Assert.Equal(["plain", "zipped"], names);
    }

    [Fact]
    public async Task ImportDump_MissingFile_ExitsNonZeroWithoutTouchingTheDatabase()
    {
        var url = await EmptyDatabaseAsync();

        var code = await CliImportAsync(url, Path.Combine(Path.GetTempPath(), $"no-such-dump-{Guid.NewGuid():N}.json.gz"));

        Assert.NotEqual(0, code);
        if (!TestDatabase.IsPostgres) Assert.False(File.Exists(url["sqlite:///".Length..]));
    }

    [Theory]
    [InlineData("[{\"model\": \"misc.lablocation\", \"pk\": ")]
    [InlineData("{\"model\": \"misc.lablocation\"}")]
    [InlineData("[1, 2]")]
    [InlineData("")]
    public async Task ImportDump_InvalidJson_ExitsNonZeroAndLeavesDatabaseUnchanged(string content)
    {
        var url = await TemplateDatabaseAsync();
        var before = await SnapshotAsync(url);
        var file = await WriteDumpAsync($"[{Location(Uuid(), "valid_first")}," + content);

        Assert.NotEqual(0, await CliImportAsync(url, file));

        Assert.Equal(before, await SnapshotAsync(url));
        await Assert.ThrowsAsync<DumpImportException>(() => WithDbAsync(url, db => new DumpImporter(db, Clock).ReadAsync([file], Ct)));
    }

    [Fact]
    public void Registry_MiscDataAndAuthModels_AreRegisteredParentsFirst()
    {
        using var db = TestDatabase.Open(TestDatabase.IsPostgres ? TestDatabase.PostgresUrl! : "sqlite::memory:registry");
        var order = new DumpImporter(db, Clock).SupportedModels.ToList();

        foreach (var label in new[] { "misc.lab", "misc.labmember", "misc.lablocation", "misc.labmembership", "misc.cagetype",
                     "misc.enrichment", "misc.food", "data.datarepositorytype", "data.datarepository", "authtoken.token" })
            Assert.Contains(label, order);
        Assert.True(order.IndexOf("misc.lab") < order.IndexOf("misc.lablocation"));
        Assert.True(order.IndexOf("misc.cagetype") < order.IndexOf("misc.lab"));
        Assert.True(order.IndexOf("misc.labmember") < order.IndexOf("authtoken.token"));
        Assert.True(order.IndexOf("data.datarepositorytype") < order.IndexOf("data.datarepository"));
    }
}

/// <summary>Imported users keep their Django password hashes.</summary>
public sealed class ImportDumpLoginTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ImportDump_UserWithPbkdf2Hash_ObtainsTokenWithOldPassword()
    {
        var client = app.AnonymousClient();
        var username = AlyxApp.Unique("imported");
        // pbkdf2_sha256 of "old-secret-pw", salt "Jq3Xh1c9v2Lm", 1000 rounds (Python hashlib.pbkdf2_hmac, as Django computes it).
        var file = Path.Combine(Path.GetTempPath(), $"alyx-import-login-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, $$$"""
            [{"model": "misc.labmember", "pk": "{{{Guid.NewGuid()}}}", "fields": {
              "password": "pbkdf2_sha256$1000$Jq3Xh1c9v2Lm$L88dWDg+7iIScXgd3XBbABDvcITci/FswvdVt/XkLAo=",
              "username": "{{{username}}}", "is_active": true, "date_joined": "2019-01-01T00:00:00",
              "groups": [], "user_permissions": [], "allowed_users": []}}]
            """, Ct);
        try
        {
            Assert.Equal(0, await AlyxCli.RunAsync(["import-dump", file, "--database", app.DatabaseUrl]));
        }
        finally
        {
            File.Delete(file);
        }

        var ok = await client.PostAsync("/auth-token", Json.Body(new { username, password = "old-secret-pw" }), Ct);
        var body = await ok.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Matches("^[0-9a-f]{40}$", body["token"]!.GetValue<string>());
        var wrong = await client.PostAsync("/auth-token", Json.Body(new { username, password = "other" }), Ct);
        await wrong.AssertStatusAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TestTemplate_WithFixtures_HoldsTheSharedDump()
    {
        Fixtures.RequireDump();

        var (users, timezone) = await app.WithDbAsync(async db =>
            (await db.Users.CountAsync(u => u.Username == "11", Ct), await db.Labs.Where(l => l.Id == DatabaseSetup.DefaultLabId).Select(l => l.Timezone).SingleAsync(Ct)));

        Assert.Equal(1, users);
        Assert.Equal("Africa/Djibouti", timezone);
    }
}
