using System.Net;
using System.Text.Json.Nodes;
using Alyx.Data;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Experiments;

/// <summary>
/// Insertion ↔ dataset links (spec 40 §6) and the filters that use them (upstream test_probe_insertion_dataset_interaction,
/// test_dataset_filters). No repository is made here, so every dataset counts as served.
/// </summary>
public sealed class InsertionDatasetLinksTests(ProbeApp app) : IClassFixture<ProbeApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>POST /datasets the way a client registers one: subject, date and number find the session; the save hook links it.</summary>
    static async Task<Guid> PostDatasetAsync(HttpClient client, ProbeWorld w, string name, string type, string collection, string qc = "NOT_SET",
        string[]? tags = null)
    {
        var body = await (await client.PostAsync("/datasets", Json.Body(new
        {
            name,
            dataset_type = type,
            data_format = w.FormatName,
            file_size = 1234,
            collection,
            subject = w.Subject,
            date = "2024-03-05",
            number = 1,
            qc,
            tags = tags ?? [],
        }), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        return Guid.Parse(body["url"]!.GetValue<string>().Split('/')[^1]);
    }

    async Task<List<Guid>> LinkedAsync(JsonNode insertion) => await app.WithDbAsync(db => db.ProbeInsertions
        .Where(p => p.Id == Guid.Parse(insertion["id"]!.GetValue<string>())).SelectMany(p => p.Datasets).Select(d => d.Id).ToListAsync(Ct));

    async Task<(ProbeWorld World, string Type0, string Type1)> WorldAsync()
    {
        var w = await ProbeWorld.CreateAsync(app);
        string type0 = AlyxApp.Unique("dset0"), type1 = AlyxApp.Unique("dset1");
        await app.WithDbAsync(async db =>
        {
            db.DatasetTypes.AddRange(new DatasetType { Name = type0 }, new DatasetType { Name = type1 });
            await db.SaveChangesAsync(Ct);
        });
        return (w, type0, type1);
    }

    [Fact]
    public async Task DatasetsSavedWithAProbeCollection_AreLinked_AndInsertionsCreatedLaterFindThem()
    {
        var client = await app.ClientForAsync();
        var (w, type0, type1) = await WorldAsync();
        var probe00 = await w.InsertAsync(client, "probe00");
        var probe01 = await w.InsertAsync(client, "probe01");
        var a = await PostDatasetAsync(client, w, "dset0", type0, "alf/probe00");
        var b = await PostDatasetAsync(client, w, "dset1", type1, "alf/probe00/pykilosort");
        var c = await PostDatasetAsync(client, w, "dset0", type0, "alf/probe01");
        var d = await PostDatasetAsync(client, w, "dset0", type0, "alf/probe02");
        Assert.Equal(new[] { a, b }.Order(), (await LinkedAsync(probe00)).Order());
        Assert.Equal([c], await LinkedAsync(probe01));

        // An insertion created afterwards links the session's datasets whose collection contains its name.
        var probe02 = await w.InsertAsync(client, "probe02");
        Assert.Equal([d.ToString()], probe02["datasets"].Strings());

        var detail = await (await client.GetAsync($"/insertions/{probe00["id"]}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, detail["datasets"]!.AsArray().Count);
        var page = await (await client.GetAsync($"/datasets?probe_insertion={probe00["id"]}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, page["count"]!.GetValue<int>());

        // A dataset moved to another probe's collection follows it; one moved out of any probe collection keeps its links.
        await (await client.PatchAsync($"/datasets/{b}", Json.Body(new { collection = "alf/probe01" }), Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal(new[] { b, c }.Order(), (await LinkedAsync(probe01)).Order());
        Assert.Equal([a], await LinkedAsync(probe00));
        await (await client.PatchAsync($"/datasets/{a}", Json.Body(new { collection = "alf" }), Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal([a], await LinkedAsync(probe00));
    }

    [Fact]
    public async Task DatasetsFilterOnProbeInsertion_UsesTheCollectionNotTheLinks_AndRefusesUnknownIds()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        var probe = await w.InsertAsync(client, "probe0");
        // Made directly: no links, but the filter matches collections containing the name in any case.
        var x = await w.DatasetAsync(app, "x.npy", "alf/PROBE00");
        await w.DatasetAsync(app, "y.npy", "alf/other");
        Assert.Empty(await LinkedAsync(probe));
        var page = await (await client.GetAsync($"/datasets?probe_insertion={probe["id"]}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal([$"http://localhost/datasets/{x.Id}"], page["results"]!.AsArray().Select(r => r!["url"]!.GetValue<string>()).ToList());

        var unknown = await (await client.GetAsync($"/datasets?probe_insertion={Guid.NewGuid()}", Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Single(unknown["probe_insertion"]!.AsArray());
        var bad = await (await client.GetAsync("/datasets?probe_insertion=nope", Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["Enter a valid UUID."], bad["probe_insertion"].Strings());
    }

    [Fact]
    public async Task ExplicitDatasetsOnCreate_ReplaceTheAutomaticLinks()
    {
        var client = await app.ClientForAsync();
        var w = await ProbeWorld.CreateAsync(app);
        await w.DatasetAsync(app, "a.npy", "alf/probe00");
        var other = await w.DatasetAsync(app, "b.npy", "alf");
        var created = await ProbeWorld.PostAsync(client, new { session = w.Session.ToString(), name = "probe00", datasets = new[] { other.Id } });
        Assert.Equal([other.Id.ToString()], created["datasets"].Strings());
        // The detail nests by collection, whatever the links say.
        var detail = await (await client.GetAsync($"/insertions/{created["id"]}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["a.npy"], detail["datasets"]!.AsArray().Select(d => d!["name"]!.GetValue<string>()).ToList());
    }

    [Fact]
    public async Task InsertionFilters_OnLinkedDatasetTypesNamesQcAndTags()
    {
        var client = await app.ClientForAsync();
        var (w, spikesTimes, clustersAmps) = await WorldAsync();
        var tag = AlyxApp.Unique("tag_test");
        await app.WithDbAsync(async db =>
        {
            db.Tags.Add(new Tag { Name = tag });
            await db.SaveChangesAsync(Ct);
        });
        var probe = await w.InsertAsync(client, "probe_00");
        await PostDatasetAsync(client, w, "spikes.times.npy", spikesTimes, "alf/probe_00", qc: "WARNING", tags: [tag]);
        await PostDatasetAsync(client, w, "clusters.amps.npy", clustersAmps, "alf/probe_00", qc: "FAIL");
        var id = probe["id"]!.GetValue<string>();
        var q = "subject=" + w.Subject;

        async Task<List<string>> Found(string query) => ProbeWorld.Ids(await ProbeWorld.ListAsync(client, q + "&" + query));

        Assert.Equal([id], await Found("dataset_types=" + spikesTimes));
        Assert.Equal([id], await Found($"dataset_types={spikesTimes},{clustersAmps}"));
        Assert.Empty(await Found($"dataset_types={spikesTimes},{clustersAmps},spikes.amps"));
        Assert.Equal([id], await Found("datasets=spikes.times.npy"));
        Assert.Empty(await Found("datasets=clusters.amps"));
        Assert.Equal([id], await Found("datasets=spikes.times.npy,clusters.amps.npy&dataset_qc_lte=FAIL"));
        Assert.Empty(await Found("datasets=spikes.times.npy,clusters.amps.npy&dataset_qc_lte=WARNING"));
        Assert.Equal([id], await Found("datasets=spikes.times.npy&dataset_qc_lte=30"));
        Assert.Equal([id], await Found("dataset_qc_lte=WARNING"));
        Assert.Empty(await Found("dataset_qc_lte=10"));
        Assert.Equal([id], await Found("tag=" + tag.ToUpperInvariant()));
        Assert.Empty(await Found("tag=" + AlyxApp.Unique("none")));
        Assert.Equal([id], await Found("django=datasets__name__icontains,SPIKES.times"));
    }
}
