using System.Net;
using System.Text.Json.Nodes;
using Alyx.Http;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.OpenApi;

/// <summary>/api/schema read the way the ONE client reads it (Accept: application/vnd.oai.openapi+json).</summary>
public sealed class SchemaOneClientTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static readonly string[] Hidden = ["auth-token", "api", ""];

    static readonly string[] WriteActions = ["create", "update", "partial_update"];

    async Task<JsonObject> FetchAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/schema");
        request.Headers.Add("Accept", "application/vnd.oai.openapi+json");
        request.Headers.Add("Accept-Version", "3.0");
        var response = await app.AnonymousClient().SendAsync(request, Ct);
        return (await response.ReadJsonAsync(HttpStatusCode.OK)).AsObject();
    }

    IReadOnlyList<ApiOperation> CatalogOperations() => app.Services.GetRequiredService<ApiCatalog>().Operations;

    [Fact]
    public async Task GetSchema_ParsedAsOne_ListsMappedEndpointsAndHidesAuthTokenAndApi()
    {
        var scheme = new OneRestScheme(await FetchAsync());

        var endpoints = scheme.Endpoints;

        Assert.Contains("users", endpoints);
        Assert.Contains("labs", endpoints);
        Assert.DoesNotContain("auth-token", endpoints);
        Assert.DoesNotContain("api", endpoints);
        var expected = CatalogOperations().Select(o => o.Endpoint).Where(e => !Hidden.Contains(e)).Distinct()
            .OrderBy(e => e, StringComparer.Ordinal).ToList();
        Assert.Equal(expected, endpoints);
    }

    [Fact]
    public async Task GetSchema_ParsedAsOne_UsersHasAllSixActionsWithTheirUrls()
    {
        var catalogue = new OneRestScheme(await FetchAsync()).Catalogue();

        var users = catalogue["users"];

        Assert.Equal(["create", "delete", "list", "partial_update", "read", "update"], users.Keys.OrderBy(k => k, StringComparer.Ordinal));
        Assert.Equal(new OneAction("/users", "get", users["list"].Fields), users["list"]);
        Assert.Equal("/users", users["create"].Url);
        Assert.Equal("/users/{username}", users["read"].Url);
        Assert.Equal("/users/{username}", users["update"].Url);
        Assert.Equal("/users/{username}", users["partial_update"].Url);
        Assert.Equal("/users/{username}", users["delete"].Url);
        Assert.Equal("/labs/{name}", catalogue["labs"]["read"].Url);
    }

    [Fact]
    public async Task GetSchema_ParsedAsOne_EveryCatalogOperationIsAnAction()
    {
        var scheme = new OneRestScheme(await FetchAsync());

        foreach (var op in CatalogOperations().Where(o => !Hidden.Contains(o.Endpoint)))
        {
            var action = OneRestScheme.ActionOf(op.Method, op.Path)!;
            Assert.Contains(action, scheme.Actions(op.Endpoint));
            Assert.Equal(op.Path, scheme.Action(op.Endpoint, action).Url);
        }
    }

    [Fact]
    public async Task GetSchema_ParsedAsOne_UsersListFieldsAreTheFiltersPlusLimitAndOffset()
    {
        var scheme = new OneRestScheme(await FetchAsync());

        var fields = scheme.Action("users", "list").Fields;

        foreach (var name in new[] { "username", "is_active", "email", "django", "limit", "offset" }) Assert.Contains(name, fields);
        Assert.DoesNotContain("lab", fields);
        Assert.DoesNotContain("djangodd", fields);
        Assert.Equal(fields.Order(StringComparer.Ordinal), fields);
    }

    [Fact]
    public async Task GetSchema_ParsedAsOne_ListFieldsMatchTheCatalogFiltersExactly()
    {
        var scheme = new OneRestScheme(await FetchAsync());
        var model = await app.WithDbAsync(db => Task.FromResult(db.Model));

        foreach (var op in CatalogOperations().Where(o => o.Action == "list" && !Hidden.Contains(o.Endpoint)))
        {
            var expected = (op.Filters?.Invoke(model) ?? []).Select(f => f.Name).Append("limit").Append("offset")
                .Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, scheme.Action(op.Endpoint, "list").Fields);
        }
    }

    [Fact]
    public async Task GetSchema_RequestBodies_ResolveToComponentsWithTypedProperties()
    {
        var document = await FetchAsync();
        var scheme = new OneRestScheme(document);
        var schemas = document["components"]!["schemas"]!.AsObject();

        foreach (var endpoint in scheme.Endpoints)
        {
            foreach (var action in WriteActions.Where(a => scheme.Actions(endpoint).Contains(a)))
            {
                var item = document["paths"]![scheme.Action(endpoint, action).Url]!;
                var body = item[scheme.Action(endpoint, action).Method]!["requestBody"]!["content"]!.AsObject();
                var reference = body["application/json"]!["schema"]!["$ref"]!.GetValue<string>();
                Assert.StartsWith("#/components/schemas/", reference, StringComparison.Ordinal);
                Assert.Equal(reference, body["application/x-www-form-urlencoded"]!["schema"]!["$ref"]!.GetValue<string>());
                Assert.Equal(reference, body["multipart/form-data"]!["schema"]!["$ref"]!.GetValue<string>());
                var properties = schemas[reference.Split('/')[^1]]!["properties"]!.AsObject();
                Assert.NotEmpty(properties);
                Assert.All(properties, p => Assert.True(p.Value!["type"] is not null || p.Value["allOf"] is not null
                    || p.Value["oneOf"] is not null || p.Value["nullable"] is not null, $"{reference} {p.Key} has no type"));
            }
        }
        Assert.Contains("username", scheme.Action("users", "create").Fields);
        Assert.Contains("is_stock_manager", scheme.Action("users", "partial_update").Fields);
    }

    [Fact]
    public async Task GetSchema_PathsAreSortedWithoutTrailingSlashAndCollectionBeforeItem()
    {
        var document = await FetchAsync();

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();

        Assert.Equal(paths.Order(StringComparer.Ordinal), paths);
        Assert.All(paths, p => Assert.True(p.StartsWith('/') && (!p.EndsWith('/') || p.StartsWith("/cache/info/", StringComparison.Ordinal)), p));
        Assert.True(paths.IndexOf("/users") < paths.IndexOf("/users/{username}"));
        Assert.Contains("/api/schema", paths);
        Assert.Contains("/auth-token", paths);
    }
}
