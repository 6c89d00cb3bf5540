using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Alyx.Auth;
using Alyx.Data;
using Alyx.Misc;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Data;

/// <summary>A server whose local data repository is a fresh temporary folder (inside a parent that also holds a file outside it).</summary>
public class DataServerApp : AlyxApp
{
    public DataServerApp() => Directory.CreateDirectory(Root);

    public string Parent { get; } = Path.Combine(Path.GetTempPath(), "alyx-data-" + Guid.NewGuid().ToString("N"));

    public string Root => Path.Combine(Parent, "root");

    protected virtual bool Public => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        Directory.CreateDirectory(Root);
        builder.UseSetting("LOCAL_DATA_ROOT", Root);
        builder.UseSetting("LOCAL_DATA_URL_PATH", "/data");
        builder.UseSetting("LOCAL_DATA_PUBLIC", Public ? "true" : "false");
        builder.UseSetting("TABLES_ROOT", Path.Combine(Parent, "tables"));
    }

    /// <summary>Writes a file below the root (path relative to it, '/'-separated) and returns its bytes.</summary>
    public byte[] WriteFile(string relative, string content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var bytes = Encoding.UTF8.GetBytes(content);
        File.WriteAllBytes(path, bytes);
        return bytes;
    }

    /// <summary>A user with a password (a cheap hash, so tests stay fast).</summary>
    public Task CreateUserAsync(string username, string password, bool active = true) => WithDbAsync(async db =>
    {
        db.Users.Add(new LabMember
        {
            Username = username,
            Password = DjangoPasswordHasher.Hash(password, iterations: 1000),
            IsActive = active,
            DateJoined = new DateTime(2024, 1, 1),
        });
        await db.SaveChangesAsync();
    });

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (Directory.Exists(Parent)) Directory.Delete(Parent, recursive: true);
        GC.SuppressFinalize(this);
    }
}

public sealed class PublicDataServerApp : DataServerApp
{
    protected override bool Public => true;
}

/// <summary>The local data repository over HTTP: ONE's downloader's needs (spec 31 §6.2) and the folder's boundaries.</summary>
public sealed class LocalDataServerTests(DataServerApp app) : IClassFixture<DataServerApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static AuthenticationHeaderValue Basic(string user, string password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    async Task<(string User, string Password)> UserAsync()
    {
        var user = AlyxApp.Unique("downloader");
        await app.CreateUserAsync(user, "s3cret:with colon");
        return (user, "s3cret:with colon");
    }

    (string Url, byte[] Bytes) SampleFile(string content = "0123456789abcdefghij")
    {
        var folder = AlyxApp.Unique("lab");
        var bytes = app.WriteFile($"{folder}/Subjects/S1/2024-01-02/001/alf/_ibl_wheel.position.npy", content);
        return ($"/data/{folder}/Subjects/S1/2024-01-02/001/alf/_ibl_wheel.position.npy", bytes);
    }

    [Fact]
    public async Task GetFile_NoCredentials_Returns401WithBasicChallenge()
    {
        var (url, _) = SampleFile();
        var response = await app.AnonymousClient().GetAsync(url, Ct);
        await response.AssertStatusAsync(HttpStatusCode.Unauthorized);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Basic", challenge.Scheme);
        Assert.Contains("realm=\"Alyx data\"", challenge.Parameter);
    }

    [Fact]
    public async Task GetFile_WrongPasswordOrInactiveUser_Returns401()
    {
        var (url, _) = SampleFile();
        var (user, _) = await UserAsync();
        var inactive = AlyxApp.Unique("gone");
        await app.CreateUserAsync(inactive, "pw", active: false);
        foreach (var header in new[] { Basic(user, "wrong"), Basic("nobody_" + user, "x"), Basic(inactive, "pw"), new AuthenticationHeaderValue("Basic", "%%%") })
        {
            var client = app.AnonymousClient();
            client.DefaultRequestHeaders.Authorization = header;
            await (await client.GetAsync(url, Ct)).AssertStatusAsync(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task GetFile_BasicCredentials_ServesBytesWithContentLength()
    {
        var (url, bytes) = SampleFile();
        var (user, password) = await UserAsync();
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = Basic(user, password);
        for (var i = 0; i < 2; i++)
        {
            // The second request is answered from the remembered verification; the answer is the same.
            var response = await client.GetAsync(url, Ct);
            await response.AssertStatusAsync(HttpStatusCode.OK);
            Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
            Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync(Ct));
            Assert.Equal("bytes", Assert.Single(response.Headers.AcceptRanges));
        }
    }

    [Fact]
    public async Task GetFile_TokenHeader_Serves_InvalidToken_Returns403()
    {
        var (url, bytes) = SampleFile();
        var client = await app.ClientForAsync();
        var response = await client.GetAsync(url, Ct);
        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync(Ct));

        var bad = app.AnonymousClient();
        bad.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", "0000000000000000000000000000000000000000");
        var body = await (await bad.GetAsync(url, Ct)).AssertStatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal("{\"detail\":\"Invalid token.\",\"status_code\":403}", body);
    }

    [Fact]
    public async Task GetFile_Range_Returns206WithContentRange()
    {
        var (url, bytes) = SampleFile();
        var client = await app.ClientForAsync();
        foreach (var (from, to, first, last) in new (long?, long?, int, int)[] { (2, 5, 2, 5), (15, null, 15, 19), (null, 3, 17, 19) })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Range = new RangeHeaderValue(from, to);
            var response = await client.SendAsync(request, Ct);
            await response.AssertStatusAsync(HttpStatusCode.PartialContent);
            Assert.Equal($"bytes {first}-{last}/{bytes.Length}", response.Content.Headers.ContentRange!.ToString());
            Assert.Equal(last - first + 1, response.Content.Headers.ContentLength);
            Assert.Equal(bytes[first..(last + 1)], await response.Content.ReadAsByteArrayAsync(Ct));
        }
        using var outside = new HttpRequestMessage(HttpMethod.Get, url);
        outside.Headers.Range = new RangeHeaderValue(100, 200);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, (await client.SendAsync(outside, Ct)).StatusCode);
    }

    [Fact]
    public async Task HeadFile_ContentLengthWithoutBody()
    {
        var (url, bytes) = SampleFile();
        var client = await app.ClientForAsync();
        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url), Ct);
        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    [Fact]
    public async Task GetFile_UuidInNameAndEncodedRevision_ServesThePlainFile()
    {
        var folder = AlyxApp.Unique("lab");
        var bytes = app.WriteFile($"{folder}/Subjects/S1/2024-01-02/001/alf/#2024-05-01#/_ibl_trials.table.pqt", "table bytes");
        var plain = app.WriteFile($"{folder}/Subjects/S1/2024-01-02/001/raw/notes", "no extension");
        var id = Guid.NewGuid();
        var client = await app.ClientForAsync();
        foreach (var (url, expected) in new[]
        {
            ($"/data/{folder}/Subjects/S1/2024-01-02/001/alf/%232024-05-01%23/_ibl_trials.table.{id}.pqt", bytes),
            ($"/data/{folder}/Subjects/S1/2024-01-02/001/alf/%232024-05-01%23/_ibl_trials.table.pqt", bytes),
            ($"/data/{folder}/Subjects/S1/2024-01-02/001/raw/notes.{id}", plain),
        })
        {
            var response = await client.GetAsync(url, Ct);
            await response.AssertStatusAsync(HttpStatusCode.OK);
            Assert.Equal(expected, await response.Content.ReadAsByteArrayAsync(Ct));
        }
        await (await client.GetAsync($"/data/{folder}/Subjects/S1/2024-01-02/001/alf/%232024-05-01%23/_ibl_trials.table.nope.pqt", Ct))
            .AssertStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GetFile_AnyAcceptHeader_IsServed()
    {
        var (url, _) = SampleFile();
        var client = await app.ClientForAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd("application/octet-stream");
        await (await client.SendAsync(request, Ct)).AssertStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task GetPath_TraversalOrDirectory_Refused()
    {
        File.WriteAllText(Path.Combine(app.Parent, "secret.txt"), "outside the root");
        var (url, _) = SampleFile();
        var key = (await app.ClientForAsync()).DefaultRequestHeaders.Authorization!.ToString();
        var folder = url.Split('/')[2];
        // Sent as raw (already decoded) paths: HttpClient would normalise dot segments before they reach the server.
        foreach (var path in new[]
        {
            "/data/../secret.txt", $"/data/{folder}/../../secret.txt", "/data/./secret.txt", "/data//secret.txt", "/data/%2e%2e/secret.txt",
            "/data/..%2Fsecret.txt", "/data/..%2fsecret.txt", "/data/..\\secret.txt", $"/data/{folder}/Subjects", "/data/" + app.Parent + "/secret.txt",
            "/data" + Path.Combine(app.Parent, "secret.txt"),
        })
        {
            var context = await app.Server.SendAsync(c =>
            {
                c.Request.Method = "GET";
                c.Request.Path = path;
                c.Request.Headers.Authorization = key;
            }, Ct);
            Assert.True(context.Response.StatusCode == 404, $"{path} answered {context.Response.StatusCode}");
        }
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.ClientForAsync()).GetAsync("/data/%2e%2e/secret.txt", Ct)).StatusCode);
    }

    [Fact]
    public async Task GetFile_SymlinkLeavingRoot_Refused_SymlinkInside_Served()
    {
        var outside = Path.Combine(app.Parent, "outside");
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "data.npy"), "outside");
        var folder = AlyxApp.Unique("links");
        var inside = app.WriteFile($"{folder}/real/data.npy", "inside");
        var dir = Path.Combine(app.Root, folder);
        File.CreateSymbolicLink(Path.Combine(dir, "escape.npy"), Path.Combine(outside, "data.npy"));
        Directory.CreateSymbolicLink(Path.Combine(dir, "escape_dir"), outside);
        Directory.CreateSymbolicLink(Path.Combine(dir, "relative_escape"), "../../outside");
        File.CreateSymbolicLink(Path.Combine(dir, "alias.npy"), "real/data.npy");
        Directory.CreateSymbolicLink(Path.Combine(dir, "alias_dir"), Path.Combine(dir, "real"));
        File.CreateSymbolicLink(Path.Combine(dir, "loop_a"), Path.Combine(dir, "loop_b"));
        File.CreateSymbolicLink(Path.Combine(dir, "loop_b"), Path.Combine(dir, "loop_a"));
        var client = await app.ClientForAsync();
        foreach (var name in new[] { "escape.npy", "escape_dir/data.npy", "relative_escape/data.npy", "loop_a" })
            await (await client.GetAsync($"/data/{folder}/{name}", Ct)).AssertStatusAsync(HttpStatusCode.NotFound);
        foreach (var name in new[] { "alias.npy", "alias_dir/data.npy" })
        {
            var response = await client.GetAsync($"/data/{folder}/{name}", Ct);
            await response.AssertStatusAsync(HttpStatusCode.OK);
            Assert.Equal(inside, await response.Content.ReadAsByteArrayAsync(Ct));
        }
    }

    [Fact]
    public void Resolve_PathsLeavingTheRoot_AreNull()
    {
        File.WriteAllText(Path.Combine(app.Parent, "secret.txt"), "outside the root");
        app.WriteFile("inside.txt", "inside");
        Assert.Equal(Path.Combine(LocalFiles.RealPath(app.Root)!, "inside.txt"), LocalFiles.Resolve(app.Root, "/inside.txt"));
        foreach (var relative in new[] { "/../secret.txt", "/x/../../secret.txt", "//secret.txt", "/.", "/", "", "secret.txt", "/..\\secret.txt" })
            Assert.Null(LocalFiles.Resolve(app.Root, relative));
    }

    [Theory]
    [InlineData("_ibl_trials.table.pqt", "_ibl_trials.table.pqt")]
    [InlineData("_ibl_trials.table.0b305d2f-04dc-4ef1-be1c-db18931391ac.pqt", "_ibl_trials.table.pqt")]
    [InlineData("imaging.frames.tar.0B305D2F-04DC-4EF1-BE1C-DB18931391AC.bz2", "imaging.frames.tar.bz2")]
    [InlineData("foo.0b305d2f-04dc-4ef1-be1c-db18931391ac", "foo")]
    [InlineData("foo.0b305d2f04dc4ef1be1cdb18931391ac.npy", "foo.0b305d2f04dc4ef1be1cdb18931391ac.npy")]
    [InlineData("0b305d2f-04dc-4ef1-be1c-db18931391ac.npy", "0b305d2f-04dc-4ef1-be1c-db18931391ac.npy")]
    public void WithoutUuid_RemovesTheUuidPartOnly(string name, string expected) => Assert.Equal(expected, LocalFiles.WithoutUuid(name));
}

/// <summary>A repository marked public (LOCAL_DATA_PUBLIC=true) needs no credentials.</summary>
public sealed class PublicLocalDataServerTests(PublicDataServerApp app) : IClassFixture<PublicDataServerApp>
{
    [Fact]
    public async Task GetFile_PublicRepository_NoCredentialsNeeded()
    {
        var bytes = app.WriteFile("lab/Subjects/S1/2024-01-02/001/alf/x.npy", "public bytes");
        var response = await app.AnonymousClient().GetAsync("/data/lab/Subjects/S1/2024-01-02/001/alf/x.npy", TestContext.Current.CancellationToken);
        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
    }
}
