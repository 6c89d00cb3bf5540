using System.Net;
using Alyx.Misc;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Misc;

public sealed class LocationsApiTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<string> SeedAsync()
    {
        var name = AlyxApp.Unique("rig");
        await app.WithDbAsync(async db =>
        {
            db.LabLocations.Add(new LabLocation { Name = name, LabId = await db.Labs.OrderBy(l => l.Name).Select(l => l.Id).FirstAsync() });
            await db.SaveChangesAsync();
        });
        return name;
    }

    [Fact]
    public async Task ListRetrieveLabLocations_KeysAndDetailEqualListItem()
    {
        // Upstream actions.tests_rest test_list_retrieve_lab_locations.
        var name = await SeedAsync();
        var client = await app.ClientForAsync();
        var list = await (await client.GetAsync("/locations?limit=1000", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var item = list["results"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == name)!;
        Assert.Equal(["name", "lab", "json"], item.Keys());
        var detail = await (await client.GetAsync($"/locations/{name}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(item.ToJsonString(), detail.ToJsonString());
        var patched = await (await client.PatchAsync($"/locations/{name}", Json.Body(new { json = new { nested = new { a = 1 } } }), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("{\"nested\":{\"a\":1}}", patched["json"]!.ToJsonString());
    }

    [Fact]
    public async Task Locations_PostAndDelete_AreNotAllowed()
    {
        var name = await SeedAsync();
        var client = await app.ClientForAsync();
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.PostAsync("/locations", Json.Body(new { name = "x" }), Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await client.DeleteAsync($"/locations/{name}", Ct)).StatusCode);
    }

    [Fact]
    public async Task ListLocations_HasNoFilters()
    {
        await SeedAsync();
        var client = await app.ClientForAsync();
        var all = await (await client.GetAsync("/locations", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var filtered = await (await client.GetAsync("/locations?name=nothing&django=name,nothing", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(all["count"]!.GetValue<int>(), filtered["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task PutLocation_UnknownLab_Returns400()
    {
        var name = await SeedAsync();
        var client = await app.ClientForAsync();
        Assert.Equal("{\"lab\":[\"Object with name=nolab does not exist.\"],\"status_code\":400}",
            await (await client.PutAsync($"/locations/{name}", Json.Body(new { name, lab = "nolab" }), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
    }
}
