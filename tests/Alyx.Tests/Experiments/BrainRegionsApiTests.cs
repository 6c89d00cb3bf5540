using System.Net;
using System.Text.Json.Nodes;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Experiments;

/// <summary>
/// /brain-regions (spec 40 §4.5; upstream test_brain_regions_rest and test_brain_regions_rest_filter): the tree shipped by
/// load-reference-data, its filters against sets computed from the fixture's parent pointers, and the description as the only
/// writable field.
/// </summary>
public sealed class BrainRegionsApiTests(ProbeApp app) : IClassFixture<ProbeApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<JsonNode> GetAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var client = await app.ClientForAsync();
        return await (await client.GetAsync(url, Ct)).ReadJsonAsync(expected);
    }

    static List<int> Ids(JsonNode page) => page["results"]!.AsArray().Select(r => r!["id"]!.GetValue<int>()).ToList();

    [Fact]
    public async Task LoadReferenceData_BrainRegions_EqualTheFixtureTable()
    {
        var expected = FixtureAtlas.Regions;
        var stored = await app.WithDbAsync(db => db.BrainRegions.AsNoTracking().ToListAsync(Ct));

        Assert.Equal(expected.Count, stored.Count);
        foreach (var r in stored)
        {
            var f = expected[r.Id];
            Assert.Equal((f.Acronym, f.Name, f.Parent, f.Lft, f.Rght, f.TreeId, f.Level, (string?)null),
                (r.Acronym, r.Name, r.ParentId, r.Lft, r.Rght, r.TreeId, r.Level, r.Ontology));
        }
    }

    [Theory]
    [InlineData("688")]
    [InlineData("CTX")]
    public async Task ListBrainRegions_Ancestors_AreTheRegionAndItsAncestorsButVoid_InTreeOrder(string value)
    {
        var page = await GetAsync($"/brain-regions?ancestors={value}&limit=100");

        // Hand-checked in the spec: 997 root, 8 grey, 567 Cerebrum, 688 Cerebral cortex.
        Assert.Equal([997, 8, 567, 688], Ids(page));
        Assert.Equal(FixtureAtlas.SelfAndAncestors(688).Where(id => id != 0).Order(), Ids(page).Order());
    }

    [Fact]
    public async Task ListBrainRegions_Descendants_CountAndSetFromTheParentPointers()
    {
        var page = await GetAsync("/brain-regions?descendants=688&limit=1000");

        Assert.Equal(567, page["count"]!.GetValue<int>());
        var expected = FixtureAtlas.SelfAndDescendants(688);
        Assert.Equal(expected.Order(), Ids(page).Order());
        // Tree (pre-order) order: every region after its parent.
        var ids = Ids(page);
        Assert.All(ids.Skip(1), id => Assert.True(ids.IndexOf(FixtureAtlas.Regions[id].Parent!.Value) < ids.IndexOf(id)));
    }

    [Fact]
    public async Task ListBrainRegions_DescendantsOfVoid_LeaveVoidOut_AndReplaceOtherFilters()
    {
        var page = await GetAsync("/brain-regions?descendants=0&acronym=CTX&limit=1");

        Assert.Equal(FixtureAtlas.Regions.Count - 1, page["count"]!.GetValue<int>());
        Assert.Equal([997], Ids(page));
    }

    [Fact]
    public async Task ListBrainRegions_IdNameParentAcronym_FilterAsTheOriginal()
    {
        var byId = await GetAsync("/brain-regions?id=687");
        Assert.Equal([687], Ids(byId));

        var byName = await GetAsync("/brain-regions?name=RETROSPLENIAL&limit=1000");
        var retrosplenial = FixtureAtlas.Regions.Values.Where(r => r.Name.Contains("retrosplenial", StringComparison.OrdinalIgnoreCase)).Select(r => r.Id);
        Assert.True(Ids(byName).Count > 15);
        Assert.Equal(retrosplenial.Order(), Ids(byName).Order());

        var children = await GetAsync("/brain-regions?parent=315&limit=1000");
        Assert.Equal(FixtureAtlas.Regions.Values.Where(r => r.Parent == 315).Select(r => r.Id).Order(), Ids(children).Order());
        Assert.All(children["results"]!.AsArray(), r => Assert.Equal(315, r!["parent"]!.GetValue<int>()));

        var byAcronym = await GetAsync("/brain-regions?acronym=rspv5");
        Assert.Equal([FixtureAtlas.IdOf("RSPv5")], Ids(byAcronym));
    }

    [Fact]
    public async Task ListBrainRegions_UnknownRegionOrParent_Answer400()
    {
        var ancestors = await GetAsync("/brain-regions?ancestors=NOPE", HttpStatusCode.BadRequest);
        Assert.Equal("""{"ancestors":["No brain region has the id or acronym “NOPE”."],"status_code":400}""", ancestors.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        var descendants = await GetAsync("/brain-regions?descendants=123456789", HttpStatusCode.BadRequest);
        Assert.True(descendants["descendants"] is JsonArray);
        var parent = await GetAsync("/brain-regions?parent=123456789", HttpStatusCode.BadRequest);
        Assert.Equal("Select a valid choice. That choice is not one of the available choices.", parent["parent"]![0]!.GetValue<string>());
        var id = await GetAsync("/brain-regions?id=abc", HttpStatusCode.BadRequest);
        Assert.Equal("Enter a number.", id["id"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task GetBrainRegion_Detail_IsTheListItem_KeysInOrder()
    {
        var list = await GetAsync("/brain-regions?id=687");
        var detail = await GetAsync("/brain-regions/687");

        Assert.True(JsonNode.DeepEquals(list["results"]![0], detail));
        Assert.Equal(["id", "acronym", "name", "description", "parent", "related_descriptions"], detail.Keys());
        var f = FixtureAtlas.Regions[687];
        Assert.Equal((f.Acronym, f.Name, f.Parent), (detail["acronym"]!.GetValue<string>(), detail["name"]!.GetValue<string>(), detail["parent"]!.GetValue<int?>()));
    }

    [Fact]
    public async Task GetBrainRegion_UnknownOrNotANumber_Answer404()
    {
        var unknown = await GetAsync("/brain-regions/123456789", HttpStatusCode.NotFound);
        Assert.Equal("No BrainRegion matches the given query.", unknown["detail"]!.GetValue<string>());
        await GetAsync("/brain-regions/abc", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PatchBrainRegion_Description_IsSaved_OtherKeysIgnored_AndRelatedDescriptionsFollow()
    {
        // A leaf, its parent and its grandparent, taken from the fixture; the subtree is only this test's.
        var leaf = FixtureAtlas.Regions[FixtureAtlas.IdOf("RSPagl6a")];
        var parent = FixtureAtlas.Regions[leaf.Parent!.Value];
        var grandpa = FixtureAtlas.Regions[parent.Parent!.Value];
        var client = await app.ClientForAsync();

        var patched = await (await client.PatchAsync($"/brain-regions/{leaf.Id}", Json.Body("""{"description": "I was there", "acronym": "tutu", "name": "x"}"""), Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        await (await client.PatchAsync($"/brain-regions/{grandpa.Id}", Json.Body("""{"description": "grandpa"}"""), Ct)).ReadJsonAsync(HttpStatusCode.OK);

        Assert.Equal(("I was there", leaf.Acronym, leaf.Name), (patched["description"]!.GetValue<string>(), patched["acronym"]!.GetValue<string>(),
            patched["name"]!.GetValue<string>()));
        var middle = await GetAsync($"/brain-regions/{parent.Id}");
        Assert.Null(middle["description"]);
        Assert.Equal($$"""[{"id":{{grandpa.Id}},"name":"{{grandpa.Name}}","description":"grandpa","level":{{grandpa.Level}}},{"id":{{leaf.Id}},"name":"{{leaf.Name}}","description":"I was there","level":{{leaf.Level}}}]""",
            middle["related_descriptions"]!.ToJsonString());
        var stored = await GetAsync($"/brain-regions/{leaf.Id}");
        Assert.Equal(leaf.Acronym, stored["acronym"]!.GetValue<string>());

        // A PUT with only the description is accepted too; null clears it.
        var put = await (await client.PutAsync($"/brain-regions/{grandpa.Id}", Json.Body("""{"description": null}"""), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Null(put["description"]);
    }

    [Fact]
    public async Task BrainRegions_CreateAndDelete_AreNotOffered()
    {
        var client = await app.ClientForAsync();
        var post = await client.PostAsync("/brain-regions", Json.Body("""{"description": "x"}"""), Ct);
        var delete = await client.DeleteAsync("/brain-regions/687", Ct);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, delete.StatusCode);
    }

    [Fact]
    public async Task ListBrainRegions_CommandCount_DoesNotGrowWithThePageSize()
    {
        var client = await app.ClientForAsync();
        await app.WithDbAsync(async db =>
        {
            // Described regions make related_descriptions non-empty on some rows of the pages.
            await db.BrainRegions.Where(r => r.Acronym == "MOp" || r.Acronym == "MOp5").ExecuteUpdateAsync(s => s.SetProperty(r => r.Description, "motor"), Ct);
        });
        await client.GetAsync("/brain-regions?limit=1", Ct);

        var small = await app.Commands.CountAsync(async () => await (await client.GetAsync("/brain-regions?limit=5&offset=5", Ct)).ReadJsonAsync(HttpStatusCode.OK));
        var large = await app.Commands.CountAsync(async () => await (await client.GetAsync("/brain-regions?limit=500&offset=5", Ct)).ReadJsonAsync(HttpStatusCode.OK));
        var detail = await app.Commands.CountAsync(async () => await (await client.GetAsync("/brain-regions/985", Ct)).ReadJsonAsync(HttpStatusCode.OK));

        // Token, page, count and the described regions at most, whatever the page size.
        Assert.InRange(small, 1, 4);
        Assert.InRange(large, 1, 4);
        Assert.InRange(detail, 1, 3);
    }
}
