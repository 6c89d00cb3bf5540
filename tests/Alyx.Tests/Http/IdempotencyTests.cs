using System.Net;
using System.Text;
using Alyx.Http;
using Alyx.Tests.Data;
using Alyx.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Http;

/// <summary>Idempotency-Key on creates (the IETF draft's semantics): replay, 422 on another body, per user, durable, concurrent, expiring.</summary>
public sealed class IdempotencyTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const string Reused = "{\"detail\":\"This Idempotency-Key was already used for a different request.\",\"status_code\":422}";

    static HttpRequestMessage Post(string path, string json, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    static async Task<(HttpStatusCode Status, string Body, string? Location)> SendAsync(HttpClient client, string path, string json, string? key)
    {
        var response = await client.SendAsync(Post(path, json, key), Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct), response.Headers.Location?.ToString());
    }

    Task<int> WaterTypesAsync(string name) => app.WithDbAsync(db => db.Set<Alyx.Actions.WaterType>().CountAsync(t => t.Name == name, Ct));

    Task<int> KeysAsync(string key) => app.WithDbAsync(db => db.Set<IdempotencyKey>().CountAsync(k => k.Key == key, Ct));

    [Fact]
    public async Task SameKeySameBody_ReplaysStatusBodyAndLocation_WithoutASecondRow()
    {
        var client = await app.ClientForAsync(AlyxApp.Unique("idem"));
        var name = AlyxApp.Unique("wt");
        var key = Guid.NewGuid().ToString();
        var json = $"{{\"name\": \"{name}\"}}";
        var first = await SendAsync(client, "/water-type", json, key);
        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal($"http://localhost/water-type/{name}", first.Location);
        // The answer is the one a create without the key gets, byte for byte.
        var twin = AlyxApp.Unique("wt");
        var plainCreate = await SendAsync(client, "/water-type", $"{{\"name\": \"{twin}\"}}", null);
        Assert.Equal((HttpStatusCode.Created, plainCreate.Body.Replace(twin, name, StringComparison.Ordinal), plainCreate.Location!.Replace(twin, name, StringComparison.Ordinal)),
            first);
        Assert.StartsWith($"{{\"url\":\"http://localhost/water-type/{name}\"", first.Body);
        for (var i = 0; i < 3; i++) Assert.Equal(first, await SendAsync(client, "/water-type", json, key));
        Assert.Equal(1, await WaterTypesAsync(name));
        Assert.Equal(1, await KeysAsync(key));
        // Without the header nothing changes: the same body is now a duplicate name.
        var plain = await SendAsync(client, "/water-type", json, null);
        Assert.Equal(HttpStatusCode.BadRequest, plain.Status);
        Assert.Equal("{\"name\":[\"water type with this name already exists.\"],\"status_code\":400}", plain.Body);
    }

    [Fact]
    public async Task SameKeyDifferentBody_Is422_AndWritesNothing()
    {
        var client = await app.ClientForAsync(AlyxApp.Unique("idem"));
        var key = Guid.NewGuid().ToString();
        var (a, b) = (AlyxApp.Unique("wt"), AlyxApp.Unique("wt"));
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, "/water-type", $"{{\"name\": \"{a}\"}}", key)).Status);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, Reused, (string?)null), await SendAsync(client, "/water-type", $"{{\"name\": \"{b}\"}}", key));
        // The same body on another create route is another request too.
        Assert.Equal((HttpStatusCode.UnprocessableEntity, Reused, (string?)null), await SendAsync(client, "/tags", $"{{\"name\": \"{a}\"}}", key));
        Assert.Equal(0, await WaterTypesAsync(b));
        Assert.Equal(0, await app.WithDbAsync(db => db.Tags.CountAsync(t => t.Name == a, Ct)));
    }

    [Fact]
    public async Task KeysArePerUser()
    {
        var alice = await app.ClientForAsync(AlyxApp.Unique("alice"));
        var bob = await app.ClientForAsync(AlyxApp.Unique("bob"));
        var key = Guid.NewGuid().ToString();
        var (a, b) = (AlyxApp.Unique("wt"), AlyxApp.Unique("wt"));
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(alice, "/water-type", $"{{\"name\": \"{a}\"}}", key)).Status);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(bob, "/water-type", $"{{\"name\": \"{b}\"}}", key)).Status);
        Assert.Equal(2, await KeysAsync(key));
    }

    [Fact]
    public async Task RefusedCreate_IsNotStored_TheCorrectedRequestGoesThrough()
    {
        var client = await app.ClientForAsync(AlyxApp.Unique("idem"));
        var key = Guid.NewGuid().ToString();
        var bad = await SendAsync(client, "/water-type", "{\"name\": \"\"}", key);
        Assert.Equal((HttpStatusCode.BadRequest, "{\"name\":[\"This field may not be blank.\"],\"status_code\":400}"), (bad.Status, bad.Body));
        Assert.Equal(0, await KeysAsync(key));
        var name = AlyxApp.Unique("wt");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, "/water-type", $"{{\"name\": \"{name}\"}}", key)).Status);
        Assert.Equal(1, await WaterTypesAsync(name));
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("a\tb")]
    public async Task BlankOrOverlongKey_Is400(string key)
    {
        var client = await app.ClientForAsync(AlyxApp.Unique("idem"));
        const string message = "{\"detail\":\"The Idempotency-Key header must be one value of 1 to 255 printable characters.\",\"status_code\":400}";
        var name = AlyxApp.Unique("wt");
        Assert.Equal((HttpStatusCode.BadRequest, message, (string?)null), await SendAsync(client, "/water-type", $"{{\"name\": \"{name}\"}}", key));
        Assert.Equal((HttpStatusCode.BadRequest, message, (string?)null),
            await SendAsync(client, "/water-type", $"{{\"name\": \"{name}\"}}", new string('k', 256)));
        Assert.Equal(0, await WaterTypesAsync(name));
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, "/water-type", $"{{\"name\": \"{name}\"}}", new string('k', 255))).Status);
    }

    [Fact]
    public async Task StoredAnswers_SurviveARestart()
    {
        var client = await app.ClientForAsync(AlyxApp.Unique("idem"));
        var token = client.DefaultRequestHeaders.Authorization;
        var key = Guid.NewGuid().ToString();
        var json = $"{{\"name\": \"{AlyxApp.Unique("wt")}\"}}";
        var first = await SendAsync(client, "/water-type", json, key);
        Assert.Equal(HttpStatusCode.Created, first.Status);
        // A second host on the same database: new process state (caches, singletons), the same tables.
        await using var restarted = app.WithWebHostBuilder(_ => { });
        var again = restarted.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        again.DefaultRequestHeaders.Authorization = token;
        Assert.Equal(first, await SendAsync(again, "/water-type", json, key));
        Assert.Equal((HttpStatusCode.UnprocessableEntity, Reused, (string?)null), await SendAsync(again, "/water-type", "{\"name\": \"other\"}", key));
    }

    [Fact]
    public async Task ConcurrentRepetitions_MakeOneRow_AndAllGetTheFirstAnswer()
    {
        var client = await app.ClientForAsync(AlyxApp.Unique("idem"));
        var name = AlyxApp.Unique("wt");
        var key = Guid.NewGuid().ToString();
        var json = $"{{\"name\": \"{name}\"}}";
        using var start = new SemaphoreSlim(0);
        var tasks = Enumerable.Range(0, 8).Select(async _ =>
        {
            await start.WaitAsync(Ct);
            return await SendAsync(client, "/water-type", json, key);
        }).ToList();
        start.Release(8);
        var answers = await Task.WhenAll(tasks);
        var created = answers.Where(a => a.Status == HttpStatusCode.Created).ToList();
        Assert.NotEmpty(created);
        Assert.Single(created.Distinct());
        // The draft allows a 409 while the first is in flight; nothing else.
        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.Created or HttpStatusCode.Conflict, $"{a.Status}: {a.Body}"));
        Assert.Equal(1, await WaterTypesAsync(name));
        Assert.Equal(1, await KeysAsync(key));
    }

    [Fact]
    public async Task KeysExpireAfter24Hours()
    {
        var time = new ManualTime(new DateTimeOffset(2030, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var clocked = app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<TimeProvider>(time)));
        var client = clocked.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = (await app.ClientForAsync(AlyxApp.Unique("idem"))).DefaultRequestHeaders.Authorization;
        var key = Guid.NewGuid().ToString();
        var (a, b) = (AlyxApp.Unique("wt"), AlyxApp.Unique("wt"));
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, "/water-type", $"{{\"name\": \"{a}\"}}", key)).Status);
        time.Now += TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await SendAsync(client, "/water-type", $"{{\"name\": \"{b}\"}}", key)).Status);
        time.Now += TimeSpan.FromSeconds(2);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, "/water-type", $"{{\"name\": \"{b}\"}}", key)).Status);
        Assert.Equal((1, 1), (await WaterTypesAsync(a), await WaterTypesAsync(b)));
        // The expired use was replaced: one row for the key, stamped with the new time (server-local naive, TIME_ZONE UTC).
        var stored = await app.WithDbAsync(db => db.Set<IdempotencyKey>().Where(k => k.Key == key).Select(k => k.Created).ToListAsync(Ct));
        Assert.Equal([new DateTime(2030, 3, 2, 12, 0, 1)], stored);
    }

    [Fact]
    public async Task RegisterFile_ReplaysTheRegistration()
    {
        var client = await app.ClientForAsync(AlyxApp.Unique("idem"));
        var w = await DataWorld.CreateAsync(app);
        var key = Guid.NewGuid().ToString();
        var json = $"{{\"path\": \"{w.Subject}/2018-01-01/002\", \"filenames\": \"{w.File('a')}\", \"name\": \"{w.Repository}\"}}";
        var first = await SendAsync(client, "/register-file", json, key);
        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Contains($"\"name\":\"{w.File('a')}\"", first.Body, StringComparison.Ordinal);
        Assert.Equal(first, await SendAsync(client, "/register-file", json, key));
        var other = json.Replace(w.File('a'), w.File('b'), StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, Reused, (string?)null), await SendAsync(client, "/register-file", other, key));
        Assert.Equal(0, await app.WithDbAsync(db => db.Datasets.CountAsync(d => d.Name == w.File('b'), Ct)));
        Assert.Equal(1, await KeysAsync(key));
    }

    /// <summary>
    /// Every create route of the catalogue (each resource with a create, and /register-file) consults the key before anything
    /// else: a key used for one request is 422 on each of them, whatever the body, and nothing is written.
    /// </summary>
    [Fact]
    public async Task EveryCreateRoute_RefusesAKeyUsedForAnotherRequest()
    {
        var client = await app.ClientForAsync(AlyxApp.Unique("idem"));
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, "/water-type", $"{{\"name\": \"{AlyxApp.Unique("wt")}\"}}", key)).Status);
        var catalog = app.Services.GetRequiredService<ApiCatalog>();
        var paths = catalog.Resources.Where(r => r.Served && r.Verbs.HasFlag(Verbs.Create)).Select(r => "/" + r.Path).Append("/register-file").ToList();
        Assert.Contains("/subjects", paths);
        Assert.Contains("/sessions", paths);
        Assert.True(paths.Count >= 20, string.Join(", ", paths));
        var before = await CountsAsync();
        foreach (var path in paths)
        {
            foreach (var json in new[] { "{}", "{\"name\": \"x\"}" })
                Assert.Equal((path, HttpStatusCode.UnprocessableEntity, Reused), (path, (await SendAsync(client, path, json, key)).Status, (await SendAsync(client, path, json, key)).Body));
        }
        Assert.Equal(before, await CountsAsync());
    }

    Task<string> CountsAsync() => app.WithDbAsync(async db =>
    {
        var tables = db.Model.GetEntityTypes().Select(e => e.GetTableName()).OfType<string>().Distinct().Order(StringComparer.Ordinal).ToList();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(Ct);
        var sb = new StringBuilder();
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            sb.Append(table).Append('=').Append(await command.ExecuteScalarAsync(Ct)).Append(';');
        }
        return sb.ToString();
    });
}
