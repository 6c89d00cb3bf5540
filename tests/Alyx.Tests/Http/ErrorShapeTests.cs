using System.Net;
using System.Text;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Http;

public sealed class ErrorShapeTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/labs/")]
    [InlineData("/users/")]
    [InlineData("/labs/cortexlab/")]
    [InlineData("/no-such-endpoint")]
    [InlineData("/notes/6915B95B-C6D4-45A6-80C3-324675723D3E")]
    [InlineData("/notes/6915b95bc6d445a680c3324675723d3e")]
    public async Task UnroutedPath_ReturnsHtml404(string path)
    {
        var client = await app.ClientForAsync();
        var response = await client.GetAsync(path, Ct);
        var body = await response.AssertStatusAsync(HttpStatusCode.NotFound);
        Assert.StartsWith("text/html", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("The requested resource was not found on this server.", body);
        Assert.DoesNotContain("status_code", body);
    }

    [Fact]
    public async Task DetailLookup_Unknown_ReturnsJson404WithModelName()
    {
        var client = await app.ClientForAsync();
        Assert.Equal("{\"detail\":\"No Lab matches the given query.\",\"status_code\":404}",
            await (await client.GetAsync("/labs/nosuchlab", Ct)).AssertStatusAsync(HttpStatusCode.NotFound));
        Assert.Equal("{\"detail\":\"No LabMember matches the given query.\",\"status_code\":404}",
            await (await client.GetAsync("/users/nosuchuser", Ct)).AssertStatusAsync(HttpStatusCode.NotFound));
        Assert.Equal("{\"detail\":\"No Note matches the given query.\",\"status_code\":404}",
            await (await client.GetAsync($"/notes/{Guid.NewGuid()}", Ct)).AssertStatusAsync(HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task WrongMethod_Returns405WithAllowHeader()
    {
        var client = await app.ClientForAsync();
        var response = await client.DeleteAsync("/labs", Ct);
        Assert.Equal("{\"detail\":\"Method \\\"DELETE\\\" not allowed.\",\"status_code\":405}", await response.AssertStatusAsync(HttpStatusCode.MethodNotAllowed));
        Assert.Equal("GET, POST, HEAD, OPTIONS", string.Join(", ", response.Content.Headers.Allow));
    }

    [Fact]
    public async Task UnacceptableAccept_Returns406()
    {
        var client = await app.ClientForAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/labs");
        request.Headers.Add("Accept", "application/xml");
        Assert.Equal("{\"detail\":\"Could not satisfy the request Accept header.\",\"status_code\":406}",
            await (await client.SendAsync(request, Ct)).AssertStatusAsync(HttpStatusCode.NotAcceptable));
    }

    [Fact]
    public async Task UnsupportedContentType_Returns415()
    {
        var client = await app.ClientForAsync();
        var response = await client.PostAsync("/labs", new StringContent("<lab/>", Encoding.UTF8, "application/xml"), Ct);
        Assert.Equal("{\"detail\":\"Unsupported media type \\\"application/xml; charset=utf-8\\\" in request.\",\"status_code\":415}",
            await response.AssertStatusAsync(HttpStatusCode.UnsupportedMediaType));
    }

    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("{name: 1}")]
    [InlineData("{\"name\": NaN}")]
    [InlineData("{\"reference_weight_pct\": Infinity}")]
    public async Task MalformedJson_Returns400ParseError(string json)
    {
        var client = await app.ClientForAsync();
        var body = await (await client.PostAsync("/labs", Json.Body(json), Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("JSON parse error - ", body["detail"]!.GetValue<string>());
        Assert.Equal(400, body["status_code"]!.GetValue<int>());
    }

    [Fact]
    public async Task DeeplyNestedJson_Returns400()
    {
        var client = await app.ClientForAsync();
        var json = "{\"json\":" + new string('[', 5000) + new string(']', 5000) + "}";
        var body = await (await client.PostAsync("/labs", Json.Body(json), Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.StartsWith("JSON parse error", body["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task JsonArrayBody_Returns400NonFieldError()
    {
        var client = await app.ClientForAsync();
        Assert.Equal("{\"non_field_errors\":[\"Invalid data. Expected a dictionary, but got list.\"],\"status_code\":400}",
            await (await client.PostAsync("/labs", Json.Body("[1,2]"), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task OversizeBody_Returns413AndWritesNothing()
    {
        using var small = app.WithWebHostBuilder(b => b.UseSetting("MAX_REQUEST_BODY_BYTES", "1000"));
        var key = (await app.ClientForAsync()).DefaultRequestHeaders.Authorization!.Parameter!;
        var client = small.CreateClient();
        client.DefaultRequestHeaders.Add("Authorization", "Token " + key);
        var name = AlyxApp.Unique("big");
        var response = await client.PostAsync("/labs", Json.Body(new { name, address = new string('x', 5000) }), Ct);
        Assert.Equal("{\"detail\":\"Request body too large.\",\"status_code\":413}", await response.AssertStatusAsync(HttpStatusCode.RequestEntityTooLarge));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/labs/{name}", Ct)).StatusCode);
    }

    [Fact]
    public async Task UnknownQueryParameters_AreIgnored()
    {
        var client = await app.ClientForAsync();
        var all = await (await client.GetAsync("/labs", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var withUnknown = await (await client.GetAsync("/labs?&bogus=1&Name=x", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(all["count"]!.GetValue<int>(), withUnknown["count"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("/labs?id=not-a-uuid", "{\"id\":[\"Enter a valid UUID.\"],\"status_code\":400}")]
    [InlineData("/labs?reference_weight_pct=heavy", "{\"reference_weight_pct\":[\"Enter a number.\"],\"status_code\":400}")]
    [InlineData("/labs?cage_type=nope", "{\"cage_type\":[\"“nope” is not a valid UUID.\"],\"status_code\":400}")]
    [InlineData("/labs?light_cycle=7", "{\"light_cycle\":[\"Select a valid choice. 7 is not one of the available choices.\"],\"status_code\":400}")]
    [InlineData("/users?date_joined=yesterday", "{\"date_joined\":[\"Enter a valid date/time.\"],\"status_code\":400}")]
    [InlineData("/labs?repositories=zz", "{\"repositories\":[\"“zz” is not a valid UUID.\"],\"status_code\":400}")]
    public async Task InvalidFilterValue_Returns400NamingTheFilter(string path, string expected)
    {
        var client = await app.ClientForAsync();
        Assert.Equal(expected, await (await client.GetAsync(path, Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task InvalidFilterValues_AreReportedTogether()
    {
        var client = await app.ClientForAsync();
        Assert.Equal("{\"id\":[\"Enter a valid UUID.\"],\"zscore_weight_pct\":[\"Enter a number.\"],\"status_code\":400}",
            await (await client.GetAsync("/labs?zscore_weight_pct=x&id=y", Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Root_RedirectsToAdmin()
    {
        var response = await app.AnonymousClient().GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin", response.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Options_ReturnsMetadata()
    {
        var client = await app.ClientForAsync();
        var body = await (await client.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/labs"), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["name", "description", "renders", "parses"], body.Keys());
    }
}
