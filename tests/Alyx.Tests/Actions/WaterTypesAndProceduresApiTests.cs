using System.Net;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Actions;

public sealed class WaterTypesAndProceduresApiTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListProcedures_Returns200()
    {
        // Upstream actions.tests_rest test_procedures.
        var client = await app.ClientForAsync();
        var page = await (await client.GetAsync("/procedures", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["count", "next", "previous", "results"], page.Keys());
    }

    [Fact]
    public async Task CreateProcedure_NameRequired_NotUnique()
    {
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("Histology");
        var response = await client.PostAsync("/procedures", Json.Body(new { name, description = "slices", json = new { a = 1 } }), Ct);
        var json = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["id", "name", "json", "description"], json.Keys());
        Assert.Equal("slices", json["description"]!.GetValue<string>());
        await (await client.PostAsync("/procedures", Json.Body(new { name }), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        var page = await (await client.GetAsync("/procedures?limit=1000", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, page["results"]!.AsArray().Count(p => p!["name"]!.GetValue<string>() == name));
        Assert.Equal("{\"name\":[\"This field may not be blank.\"],\"status_code\":400}",
            await (await client.PostAsync("/procedures", Json.Body(new { name = "" }), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal("{\"name\":[\"This field is required.\"],\"status_code\":400}",
            await (await client.PostAsync("/procedures", Json.Body(new { description = "x" }), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/procedures/{name}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.DeleteAsync("/procedures", Ct)).StatusCode);
    }

    [Fact]
    public async Task CreateWaterType_UrlQuotesName_AndNameIsUnique()
    {
        var client = await app.ClientForAsync();
        var name = AlyxApp.Unique("Water 15% Sucrose");
        var response = await client.PostAsync("/water-type", Json.Body(new { name }), Ct);
        var json = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["url", "json", "name"], json.Keys());
        // Django's reverse(): '%' and ' ' are quoted.
        Assert.Equal("http://localhost/water-type/Water%2015%25%20Sucrose" + name["Water 15% Sucrose".Length..], json["url"]!.GetValue<string>());
        Assert.Equal(json["url"]!.GetValue<string>(), response.Headers.Location!.OriginalString);
        var again = await client.PostAsync("/water-type", Json.Body(new { name }), Ct);
        Assert.Equal("{\"name\":[\"water type with this name already exists.\"],\"status_code\":400}", await again.AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal("{\"name\":[\"Ensure this field has no more than 128 characters.\"],\"status_code\":400}",
            await (await client.PostAsync("/water-type", Json.Body(new { name = new string('w', 129) }), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task WaterTypeDetailPath_IsTheList_AndCreates()
    {
        // Q-7: /water-type/{name} is the list view again.
        var client = await app.ClientForAsync();
        var list = await (await client.GetAsync("/water-type", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(list, await (await client.GetAsync("/water-type/Water", Ct)).AssertStatusAsync(HttpStatusCode.OK));
        Assert.Equal(list, await (await client.GetAsync("/water-type?name=nothing&django=name,nothing", Ct)).AssertStatusAsync(HttpStatusCode.OK));
        var name = AlyxApp.Unique("Citric");
        var created = await (await client.PostAsync("/water-type/anything", Json.Body(new { name, json = new { pct = 5 } }), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal($"{{\"url\":\"http://localhost/water-type/{name}\",\"json\":{{\"pct\":5}},\"name\":\"{name}\"}}", created.ToJsonString());
        var page = await (await client.GetAsync("/water-type/whatever?limit=1000", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Contains(page["results"]!.AsArray(), t => t!["name"]!.GetValue<string>() == name);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.DeleteAsync("/water-type/Water", Ct)).StatusCode);
    }
}
