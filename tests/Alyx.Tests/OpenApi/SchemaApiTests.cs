using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Alyx.Tests.Infrastructure;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Alyx.Tests.OpenApi;

/// <summary>Serving /api/schema and /docs/: negotiation, headers, access and the document's structure.</summary>
public sealed class SchemaApiTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<HttpResponseMessage> GetAsync(string url, string? accept = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        return await (client ?? app.AnonymousClient()).SendAsync(request, Ct);
    }

    [Theory]
    [InlineData(null, "application/vnd.oai.openapi; charset=utf-8")]
    [InlineData("*/*", "application/vnd.oai.openapi; charset=utf-8")]
    [InlineData("application/vnd.oai.openapi", "application/vnd.oai.openapi; charset=utf-8")]
    [InlineData("application/yaml", "application/yaml; charset=utf-8")]
    [InlineData("text/html;q=0.9, */*;q=0.8", "application/vnd.oai.openapi; charset=utf-8")]
    public async Task GetSchema_YamlAccept_ReturnsYamlInline(string? accept, string contentType)
    {
        var response = await GetAsync("/api/schema", accept);

        var body = await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.ToString());
        Assert.Equal("inline; filename=\"schema.yaml\"", response.Content.Headers.ContentDisposition!.ToString());
        Assert.StartsWith("openapi: ", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/vnd.oai.openapi+json", "application/vnd.oai.openapi+json")]
    [InlineData("application/json", "application/json")]
    [InlineData("application/json, application/vnd.oai.openapi+json", "application/vnd.oai.openapi+json")]
    public async Task GetSchema_JsonAccept_ReturnsJsonIndentedByFourSpaces(string accept, string contentType)
    {
        var response = await GetAsync("/api/schema", accept);

        var body = await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.ToString());
        Assert.Equal("inline; filename=\"schema.json\"", response.Content.Headers.ContentDisposition!.ToString());
        var lines = body.Split('\n');
        Assert.Equal("{", lines[0]);
        Assert.Equal("    \"openapi\": \"3.0.3\",", lines[1]);
        Assert.Equal("        \"title\": \"\",", lines[3]);
        var document = JsonNode.Parse(body)!;
        Assert.Equal("0.0.0", document["info"]!["version"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/api/schema?format=json", null, "application/vnd.oai.openapi+json")]
    [InlineData("/api/schema?format=json", "application/json", "application/json")]
    [InlineData("/api/schema?format=yaml", null, "application/vnd.oai.openapi; charset=utf-8")]
    [InlineData("/api/schema?format=yaml", "application/yaml", "application/yaml; charset=utf-8")]
    public async Task GetSchema_FormatParameter_OverridesTheDefault(string url, string? accept, string contentType)
    {
        var response = await GetAsync(url, accept);

        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task GetSchema_UnknownFormat_Returns404()
    {
        var response = await GetAsync("/api/schema?format=xml");

        Assert.Equal("{\"detail\":\"Not found.\",\"status_code\":404}", await response.AssertStatusAsync(HttpStatusCode.NotFound));
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/vnd.oai.openapi+json", "/api/schema?format=yaml")]
    public async Task GetSchema_UnsatisfiableAccept_Returns406(string accept, string url = "/api/schema")
    {
        var response = await GetAsync(url, accept);

        Assert.Equal("{\"detail\":\"Could not satisfy the request Accept header.\",\"status_code\":406}",
            await response.AssertStatusAsync(HttpStatusCode.NotAcceptable));
    }

    [Fact]
    public async Task GetSchema_YamlAndJson_AreTheSameDocument()
    {
        var json = JsonNode.Parse(await (await GetAsync("/api/schema?format=json")).AssertStatusAsync(HttpStatusCode.OK));
        var yamlText = await (await GetAsync("/api/schema?format=yaml")).AssertStatusAsync(HttpStatusCode.OK);

        var yaml = new YamlStream();
        yaml.Load(new StringReader(yamlText));

        Assert.True(JsonNode.DeepEquals(json, ToJson(yaml.Documents[0].RootNode)), "YAML and JSON renderings differ");
    }

    /// <summary>YAML to JSON with YAML's core-schema typing of plain scalars; quoted scalars stay strings.</summary>
    static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(p =>
            KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, ToJson(p.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain } s => s.Value switch
        {
            "null" or "~" => null,
            "true" => true,
            "false" => false,
            var v when long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => i,
            var v when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
            var v => v,
        },
        YamlScalarNode s => s.Value,
        _ => throw new InvalidOperationException(node.NodeType.ToString()),
    };

    [Fact]
    public async Task GetSchema_Anonymous_IsAllowed_AndAValidTokenToo()
    {
        await (await GetAsync("/api/schema")).AssertStatusAsync(HttpStatusCode.OK);
        await (await GetAsync("/api/schema", client: await app.ClientForAsync())).AssertStatusAsync(HttpStatusCode.OK);
        await (await GetAsync("/docs/", client: await app.ClientForAsync())).AssertStatusAsync(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("/api/schema")]
    [InlineData("/docs/")]
    public async Task GetSchema_InvalidToken_Returns403InvalidToken(string url)
    {
        var client = app.AnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", "0000000000000000000000000000000000000000");

        var response = await GetAsync(url, client: client);

        Assert.Equal("{\"detail\":\"Invalid token.\",\"status_code\":403}", await response.AssertStatusAsync(HttpStatusCode.Forbidden));
    }

    [Fact]
    public async Task PostSchema_Anonymous_Returns405()
    {
        var response = await app.AnonymousClient().PostAsync("/api/schema", null, Ct);

        Assert.Equal("{\"detail\":\"Method \\\"POST\\\" not allowed.\",\"status_code\":405}",
            await response.AssertStatusAsync(HttpStatusCode.MethodNotAllowed));
    }

    [Fact]
    public async Task GetSchema_Document_HasDrfSpectacularShape()
    {
        var doc = JsonNode.Parse(await (await GetAsync("/api/schema", "application/json")).AssertStatusAsync(HttpStatusCode.OK))!;

        Assert.Equal(["openapi", "info", "paths", "components"], doc.Keys());
        Assert.Equal("", doc["info"]!["title"]!.GetValue<string>());
        var users = doc["paths"]!["/users"]!;
        Assert.Equal("users_list", users["get"]!["operationId"]!.GetValue<string>());
        Assert.Equal("users_create", users["post"]!["operationId"]!.GetValue<string>());
        var item = doc["paths"]!["/users/{username}"]!;
        Assert.Equal(["users_retrieve", "users_update", "users_partial_update", "users_destroy"],
            item.AsObject().Select(p => p.Value!["operationId"]!.GetValue<string>()));
        Assert.Equal(["users"], users["get"]!["tags"].Strings());
        Assert.Equal("[{\"cookieAuth\":[]},{\"tokenAuth\":[]}]", users["get"]!["security"]!.ToJsonString());
        Assert.Equal("{\"in\":\"path\",\"name\":\"username\",\"schema\":{\"type\":\"string\"},\"required\":true}",
            item["get"]!["parameters"]![0]!.ToJsonString());

        var parameters = users["get"]!["parameters"]!.AsArray();
        var names = parameters.Select(p => p!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        var limit = parameters.Single(p => p!["name"]!.GetValue<string>() == "limit")!;
        Assert.Equal("Number of results to return per page.", limit["description"]!.GetValue<string>());
        Assert.False(limit["required"]!.GetValue<bool>());
        Assert.Equal("integer", limit["schema"]!["type"]!.GetValue<string>());
        var offset = parameters.Single(p => p!["name"]!.GetValue<string>() == "offset")!;
        Assert.Equal("The initial index from which to return the results.", offset["description"]!.GetValue<string>());
        var isActive = parameters.Single(p => p!["name"]!.GetValue<string>() == "is_active")!;
        Assert.Equal("{\"type\":\"boolean\"}", isActive["schema"]!.ToJsonString());

        Assert.Equal("#/components/schemas/PaginatedUserList",
            users["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/User",
            users["post"]!["responses"]!["201"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());
        Assert.Equal("No response body", item["delete"]!["responses"]!["204"]!["description"]!.GetValue<string>());
        Assert.Equal("#/components/schemas/PatchedUser",
            item["patch"]!["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>());

        var schemas = doc["components"]!["schemas"]!;
        Assert.Null(schemas["PatchedUser"]!["required"]);
        Assert.Contains("username", schemas["User"]!["required"].Strings());
        Assert.Equal(["count", "results"], schemas["PaginatedUserList"]!["required"].Strings());
        Assert.Equal("{\"type\":\"string\",\"format\":\"uuid\",\"readOnly\":true}", schemas["User"]!["properties"]!["id"]!.ToJsonString());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("{\"type\":\"string\",\"maxLength\":255,\"pattern\":\"^\\\\w+$\"}"),
            schemas["Lab"]!["properties"]!["name"]), schemas["Lab"]!["properties"]!["name"]!.ToJsonString());
        Assert.Equal("{\"type\":\"number\",\"format\":\"double\"}", schemas["Lab"]!["properties"]!["reference_weight_pct"]!.ToJsonString());
        Assert.Null(schemas["Lab"]!["properties"]!["json"]!["type"]);
        Assert.True(schemas["AuthToken"]!["properties"]!["password"]!["writeOnly"]!.GetValue<bool>());
        Assert.True(schemas["AuthToken"]!["properties"]!["token"]!["readOnly"]!.GetValue<bool>());

        var security = doc["components"]!["securitySchemes"]!;
        Assert.Equal("{\"type\":\"apiKey\",\"in\":\"cookie\",\"name\":\"sessionid\"}", security["cookieAuth"]!.ToJsonString());
        Assert.Equal("Authorization", security["tokenAuth"]!["name"]!.GetValue<string>());
        Assert.Equal("[\"json\",\"yaml\"]",
            doc["paths"]!["/api/schema"]!["get"]!["parameters"]![0]!["schema"]!["enum"]!.ToJsonString());
    }

    [Fact]
    public async Task GetDocs_WithoutSlash_RedirectsThenServesSelfContainedHtml()
    {
        var redirect = await GetAsync("/docs");
        Assert.Equal(HttpStatusCode.MovedPermanently, redirect.StatusCode);
        Assert.Equal("/docs/", redirect.Headers.Location!.ToString());

        var response = await GetAsync(redirect.Headers.Location.ToString());

        var html = await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.StartsWith("<!doctype html>", html, StringComparison.Ordinal);
        Assert.Contains("<code>/users/{username}</code>", html, StringComparison.Ordinal);
        Assert.Contains("users_partial_update", html, StringComparison.Ordinal);
        Assert.Contains("<code>is_stock_manager</code>", html, StringComparison.Ordinal);
        foreach (var external in new[] { "src=", "<script", "<link", "@import", "url(", "href=\"http", "href=\"//" })
            Assert.DoesNotContain(external, html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")]
    public async Task GetDocs_AnyAccept_ServesHtml(string? accept)
    {
        var response = await GetAsync("/docs/", accept);

        await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task GetDocs_CoreApiAccept_ServesLegacyCoreApiDocument()
    {
        var response = await GetAsync("/docs/", "application/coreapi+json");

        var doc = await response.ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("document", doc["_type"]!.GetValue<string>());
        var list = doc["users"]!["list"]!;
        Assert.Equal("{\"_type\":\"link\",\"url\":\"/users\",\"action\":\"get\"}",
            new JsonObject(list.AsObject().Where(p => p.Key != "fields").Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))).ToJsonString());
        var fields = list["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("limit", fields);
        Assert.Contains("username", fields);
        var create = doc["users"]!["create"]!["fields"]!.AsArray();
        var username = create.Single(f => f!["name"]!.GetValue<string>() == "username")!;
        Assert.Equal("form", username["location"]!.GetValue<string>());
        Assert.True(username["required"]!.GetValue<bool>());
        Assert.DoesNotContain(create, f => f!["name"]!.GetValue<string>() == "id");
        Assert.Equal("/users/{username}", doc["users"]!["delete"]!["url"]!.GetValue<string>());
    }
}
