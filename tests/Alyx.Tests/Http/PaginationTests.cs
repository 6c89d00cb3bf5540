using System.Net;
using System.Text.Json.Nodes;
using Alyx.Misc;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Http;

public sealed class PaginationTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Creates <paramref name="n"/> labs sharing a unique institution, so a filter isolates them.</summary>
    async Task<string> SeedLabsAsync(int n)
    {
        var institution = AlyxApp.Unique("inst");
        await app.WithDbAsync(async db =>
        {
            for (var i = 0; i < n; i++) db.Labs.Add(new Lab { Name = $"{institution}_{i:000}", Institution = institution });
            await db.SaveChangesAsync();
        });
        return institution;
    }

    [Fact]
    public async Task List_Envelope_HasKeysInDrfOrder()
    {
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync("/labs", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["count", "next", "previous", "results"], body.Keys());
    }

    [Fact]
    public async Task List_SecondPage_LinksAreAbsoluteWithSortedQuery()
    {
        var institution = await SeedLabsAsync(5);
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync($"/labs?institution={institution}&limit=2&offset=2", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(5, body["count"]!.GetValue<int>());
        Assert.Equal($"http://localhost/labs?institution={institution}&limit=2&offset=4", body["next"]!.GetValue<string>());
        Assert.Equal($"http://localhost/labs?institution={institution}&limit=2", body["previous"]!.GetValue<string>());
        Assert.Equal([$"{institution}_002", $"{institution}_003"], body["results"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task List_LastPage_HasNoNextAndPreviousKeepsOffset()
    {
        var institution = await SeedLabsAsync(5);
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync($"/labs?limit=2&offset=4&institution={institution}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Null(body["next"]);
        Assert.Equal($"http://localhost/labs?institution={institution}&limit=2&offset=2", body["previous"]!.GetValue<string>());
        Assert.Single(body["results"]!.AsArray());
    }

    [Fact]
    public async Task List_OffsetBeyondCount_ReturnsEmptyResultsWithCount()
    {
        var institution = await SeedLabsAsync(2);
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync($"/labs?offset=10&institution={institution}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, body["count"]!.GetValue<int>());
        Assert.Empty(body["results"]!.AsArray());
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0")]
    [InlineData("-5")]
    public async Task List_BadLimit_UsesDefaultPageSize(string limit)
    {
        var institution = await SeedLabsAsync(3);
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync($"/labs?limit={limit}&institution={institution}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, body["results"]!.AsArray().Count);
        Assert.Null(body["next"]);
    }

    [Fact]
    public async Task List_LimitAboveCap_IsCappedAtThousand()
    {
        var institution = await SeedLabsAsync(1002);
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync($"/labs?limit=5000&institution={institution}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(1000, body["results"]!.AsArray().Count);
        Assert.Equal($"http://localhost/labs?institution={institution}&limit=1000&offset=1000", body["next"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_DefaultPageSize_Is250()
    {
        var institution = await SeedLabsAsync(251);
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync($"/labs?institution={institution}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(250, body["results"]!.AsArray().Count);
        Assert.Equal($"http://localhost/labs?institution={institution}&limit=250&offset=250", body["next"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_LinkValues_AreFormEncoded()
    {
        var institution = await SeedLabsAsync(2);
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync($"/labs?limit=1&institution={institution}&address=&zz=a%20b%2C%5B", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal($"http://localhost/labs?address=&institution={institution}&limit=1&offset=1&zz=a+b%2C%5B", body["next"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_BehindProxy_LinksUseForwardedSchemeAndHost()
    {
        using var proxied = app.WithWebHostBuilder(b => b.UseSetting("FORWARDED_HEADERS", "true"));
        var institution = await SeedLabsAsync(2);
        var key = (await app.ClientForAsync("proxy_user")).DefaultRequestHeaders.Authorization!.Parameter!;
        var client = proxied.CreateClient();
        client.DefaultRequestHeaders.Add("Authorization", "Token " + key);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-Host", "alyx.example.org");
        var body = await (await client.GetAsync($"/labs?limit=1&institution={institution}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.StartsWith("https://alyx.example.org/labs?", body["next"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_Json_IsCompactUtf8WithoutCharset()
    {
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("lab");
        await client.PostAsync("/labs", Json.Body(new { name, address = "Zürich — ünïcode" }), Ct);
        var response = await client.GetAsync($"/labs/{name}", Ct);
        var text = await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("\"address\":\"Zürich — ünïcode\"", text);
        Assert.Contains("\"reference_weight_pct\":0.0,", text);
        Assert.NotNull(JsonNode.Parse(text));
    }
}
