using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Alyx.Data;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Data;

/// <summary>A data server holding the demo lab, its repository URL built from TestServer's address.</summary>
public sealed class DemoServerApp : DataServerApp
{
    public const string ServerUrl = "http://localhost";
    public const string Password = "demo-e2e-password";

    readonly SemaphoreSlim gate = new(1, 1);
    string? user;

    /// <summary>Creates the demo lab once per fixture; returns the demo user's name.</summary>
    public async Task<string> DemoUserAsync()
    {
        await gate.WaitAsync();
        try
        {
            if (user is null)
            {
                var name = Unique("demo");
                await WithDbAsync(db => DemoLab.CreateAsync(db, Services.GetRequiredService<LocalDataOptions>(), ServerUrl, name, Password, CancellationToken.None));
                user = name;
            }
            return user;
        }
        finally
        {
            gate.Release();
        }
    }
}

/// <summary>
/// The HTTP conversation ONE has for <c>search</c> → <c>list_datasets</c> → <c>load_dataset</c> in remote mode (spec 31 §4,
/// §5.1, §6), replayed step by step: session list, session detail, the client-side path conversion of each data_url, the
/// URL ONE builds from its HTTP_DATA_SERVER, the Basic challenge and the download.
/// </summary>
public sealed partial class OneDownloadPathTests(DemoServerApp app) : IClassFixture<DemoServerApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const string HttpDataServer = DemoServerApp.ServerUrl + "/data";

    /// <summary>ONE's ALF session part: <c>[lab/Subjects/]subject/YYYY-MM-DD/NNN</c> and what follows it.</summary>
    [GeneratedRegex(@"(?:^|/)(?:(?<lab>[\w.-]+)/Subjects/)?(?<subject>[\w.-]+)/(?<date>\d{4}-\d{2}-\d{2})/(?<number>\d{1,3})/(?<rel>.+)$")]
    private static partial Regex AlfSessionPath();

    /// <summary>one.alf.path.remove_uuid_string: the last dot-part of the stem, when it is a UUID.</summary>
    static string RemoveUuid(string relPath)
    {
        var slash = relPath.LastIndexOf('/');
        var (folder, name) = (relPath[..(slash + 1)], relPath[(slash + 1)..]);
        var dot = name.LastIndexOf('.');
        var (stem, suffix) = dot <= 0 ? (name, "") : (name[..dot], name[dot..]);
        var parts = stem.Split('.');
        return Guid.TryParseExact(parts[^1], "D", out _) ? folder + string.Join('.', parts[..^1]) + suffix : relPath;
    }

    /// <summary>one.alf.path.add_uuid_string: <c>stem.uuid.suffix</c>.</summary>
    static string AddUuid(string relPath, string uuid)
    {
        var slash = relPath.LastIndexOf('/');
        var (folder, name) = (relPath[..(slash + 1)], relPath[(slash + 1)..]);
        var dot = name.LastIndexOf('.');
        var (stem, suffix) = dot <= 0 ? (name, "") : (name[..dot], name[dot..]);
        return $"{folder}{stem}.{uuid}{suffix}";
    }

    /// <summary>urllib.parse.quote of the URL path ('/' kept, '#' and friends encoded), as http_download_file does.</summary>
    static string Quote(string url)
    {
        var start = url.IndexOf('/', url.IndexOf("://", StringComparison.Ordinal) + 3);
        return url[..start] + string.Join('/', url[start..].Split('/').Select(Uri.EscapeDataString));
    }

#pragma warning disable CA5351 // ONE checks downloads against the md5 the server holds.
    static string Md5(byte[] bytes) => Convert.ToHexStringLower(MD5.HashData(bytes));
#pragma warning restore CA5351

    [Fact]
    public async Task SearchListDownload_AsOneDoesIt_BytesAndHashesMatch()
    {
        var user = await app.DemoUserAsync();
        var client = await app.ClientForAsync(user);

        // one.search(subject='DM001', date_range=['2024-03-04', '2024-03-05'])
        var page = await (await client.GetAsync("/sessions?subject=DM001&date_range=2024-03-04,2024-03-05", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var sessions = page["results"]!.AsArray().Where(s => s!["lab"]!.GetValue<string>() == DemoLab.LabName).ToList();
        Assert.Equal(3, sessions.Count);

        var downloaded = 0;
        var anonymous = app.AnonymousClient();
        foreach (var session in sessions)
        {
            var eid = session!["id"]!.GetValue<string>();
            var lab = session["lab"]!.GetValue<string>();
            var subject = session["subject"]!.GetValue<string>();
            var date = session["start_time"]!.GetValue<string>()[..10];
            var number = session["number"]!.GetValue<int>();

            // one.list_datasets(eid): the session detail's nested datasets, data_url turned into rel_path
            var detail = await (await client.GetAsync($"/sessions/{eid}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
            var datasets = detail["data_dataset_session_related"]!.AsArray();
            Assert.NotEmpty(datasets);
            foreach (var dataset in datasets)
            {
                var id = dataset!["id"]!.GetValue<string>();
                var dataUrl = dataset["data_url"]!.GetValue<string>();
                var urlPath = dataUrl[dataUrl.IndexOf('/', dataUrl.IndexOf("://", StringComparison.Ordinal) + 3)..].Trim('/');
                var match = AlfSessionPath().Match(RemoveUuid(urlPath));
                Assert.True(match.Success, dataUrl);
                Assert.Equal((lab, subject, date, number), (match.Groups["lab"].Value, match.Groups["subject"].Value, match.Groups["date"].Value,
                    int.Parse(match.Groups["number"].Value, System.Globalization.CultureInfo.InvariantCulture)));
                var relPath = match.Groups["rel"].Value;
                var collection = dataset["collection"]!.GetValue<string>();
                Assert.StartsWith(collection + "/", relPath);
                Assert.EndsWith("/" + dataset["name"]!.GetValue<string>(), relPath);

                // one.load_dataset: the URL ONE builds itself (§6.1) is the one the server advertises.
                var url = $"{HttpDataServer}/{lab}/Subjects/{subject}/{date}/{number:000}/{AddUuid(relPath, id)}";
                Assert.Equal(dataUrl, url);
                var quoted = Quote(url);

                // urllib's HTTPBasicAuthHandler: a bare request, the 401 challenge, then the credentials.
                var challenge = await anonymous.GetAsync(quoted, Ct);
                Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
                Assert.Equal("Basic", Assert.Single(challenge.Headers.WwwAuthenticate).Scheme);
                using var request = new HttpRequestMessage(HttpMethod.Get, quoted);
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{DemoServerApp.Password}")));
                var response = await anonymous.SendAsync(request, Ct);
                await response.AssertStatusAsync(HttpStatusCode.OK);
                var bytes = await response.Content.ReadAsByteArrayAsync(Ct);

                var onDisk = await File.ReadAllBytesAsync(Path.Combine(app.Root, lab, "Subjects", subject, date, number.ToString("000",
                    System.Globalization.CultureInfo.InvariantCulture), relPath), Ct);
                Assert.Equal(onDisk, bytes);
                Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
                Assert.Equal(dataset["file_size"]!.GetValue<long>(), bytes.Length);
                Assert.Equal(dataset["hash"]!.GetValue<string>(), Md5(bytes));
                downloaded++;
            }
        }
        // Three sessions of three datasets each, plus the re-extracted trials table of 2024-03-05/001.
        Assert.Equal(10, downloaded);
    }

    [Fact]
    public async Task SessionDetail_RevisionedDataset_DefaultRevisionStringAndEncodedUrlServed()
    {
        var user = await app.DemoUserAsync();
        var client = await app.ClientForAsync(user);
        var page = await (await client.GetAsync("/sessions?subject=DM001&date_range=2024-03-05,2024-03-05&number=1", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var eid = page["results"]!.AsArray().Single(s => s!["lab"]!.GetValue<string>() == DemoLab.LabName)!["id"]!.GetValue<string>();
        var detail = await (await client.GetAsync($"/sessions/{eid}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var trials = detail["data_dataset_session_related"]!.AsArray()
            .Where(d => d!["name"]!.GetValue<string>() == "_ibl_trials.table.pqt").ToList();
        Assert.Equal(2, trials.Count);
        var revisioned = trials.Single(d => d!["data_url"]!.GetValue<string>().Contains($"/#{DemoLab.RevisionName}#/", StringComparison.Ordinal))!;
        var original = trials.Single(d => d != revisioned)!;
        Assert.Equal("True", revisioned["default_revision"]!.GetValue<string>());
        Assert.Equal("False", original["default_revision"]!.GetValue<string>());
        Assert.Equal("PASS", revisioned["qc"]!.GetValue<string>());
        Assert.NotEqual(revisioned["hash"]!.GetValue<string>(), original["hash"]!.GetValue<string>());

        // The token works too (a client that sends its Alyx token to the data server).
        var response = await client.GetAsync(Quote(revisioned["data_url"]!.GetValue<string>()), Ct);
        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(revisioned["hash"]!.GetValue<string>(), Md5(await response.Content.ReadAsByteArrayAsync(Ct)));
    }

    [Fact]
    public async Task DemoFiles_NpyArraysAndParquetTable_AreWellFormed()
    {
        await app.DemoUserAsync();
        var folder = Path.Combine(app.Root, DemoLab.LabName, "Subjects", "DM002", "2024-03-04", "001", "alf");
        var position = await File.ReadAllBytesAsync(Path.Combine(folder, "_ibl_wheel.position.npy"), Ct);
        var timestamps = await File.ReadAllBytesAsync(Path.Combine(folder, "_ibl_wheel.timestamps.npy"), Ct);
        foreach (var npy in new[] { position, timestamps })
        {
            Assert.Equal([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0], npy[..8]);
            var headerLength = BitConverter.ToUInt16(npy, 8);
            Assert.Equal(0, (10 + headerLength) % 64);
            Assert.Matches(@"^\{'descr': '<f8', 'fortran_order': False, 'shape': \(\d+,\), \} *\n$", Encoding.ASCII.GetString(npy, 10, headerLength));
        }
        Assert.Equal(position.Length, timestamps.Length);
        var data = 10 + BitConverter.ToUInt16(timestamps, 8);
        var times = new double[(timestamps.Length - data) / 8];
        Buffer.BlockCopy(timestamps, data, times, 0, times.Length * 8);
        Assert.Equal(times.Order(), times);

        using var reader = new ParquetSharp.Arrow.FileReader(Path.Combine(folder, "_ibl_trials.table.pqt"));
        var names = reader.Schema.FieldsList.Select(f => f.Name).ToList();
        foreach (var column in new[] { "intervals_0", "intervals_1", "stimOn_times", "goCue_times", "feedback_times", "choice", "feedbackType",
            "contrastLeft", "contrastRight", "probabilityLeft", "rewardVolume" })
            Assert.Contains(column, names);
        Assert.InRange(reader.ParquetReader.FileMetaData.NumRows, 40, 69);
    }

    [Fact]
    public async Task DemoRows_DeterministicIds_AndOneCacheCountsTheLocalRepository()
    {
        await app.DemoUserAsync();
        var id = DemoLab.Id("session:DM001/2024-03-04/001");
        Assert.Equal(id, DemoLab.Id("session:DM001/2024-03-04/001"));
        Assert.Equal('4', id.ToString()[14]);
        var result = await app.WithDbAsync(db => OneCache.GenerateAsync(db, app.Services.GetRequiredService<Alyx.Http.AlyxClock>(),
            app.Services.GetRequiredService<OneCacheOptions>(), [], "alyx_test", null, Ct));
        Assert.Contains(LocalDataOptions.RepositoryPrefix, app.Services.GetRequiredService<OneCacheOptions>().OnlineRepositoryPrefixes);
        using var reader = new ParquetSharp.Arrow.FileReader(Path.Combine(result.Folder, "datasets.pqt"));
        using var batches = reader.GetRecordBatchReader();
        var eids = new List<string>();
        while (await batches.ReadNextRecordBatchAsync(Ct) is { } batch)
            eids.AddRange(Enumerable.Range(0, batch.Length).Select(i => ((Apache.Arrow.StringArray)batch.Column("eid")).GetString(i)));
        Assert.Equal(4, eids.Count(e => e == DemoLab.Id("session:DM001/2024-03-05/001").ToString()));
        var info = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(result.Folder, "cache_info.json"), Ct))!;
        Assert.True(info["tables"]!["datasets"]!["nrecs"]!.GetValue<long>() >= 19);
    }
}
