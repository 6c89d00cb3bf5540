using System.Net;
using Alyx.Data;
using Alyx.Tests.Data;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Experiments;

/// <summary>
/// Insertions on a database with a server (non-personal) repository: register-file links the files it registers, and the
/// detail only nests datasets with an existing file record on a server, with their download URL.
/// </summary>
public sealed class InsertionServerDatasetsTests(ProbeApp app) : IClassFixture<ProbeApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RegisterFile_LinksToTheInsertionNamedInTheCollection_AndDetailNestsOnlyServedDatasets()
    {
        var client = await app.ClientForAsync();
        var w = await DataWorld.CreateAsync(app);
        var server = new DataRepository { Name = AlyxApp.Unique("flatiron"), GlobusIsPersonal = false, DataUrl = "https://data.example.org/Subjects/" };
        await app.WithDbAsync(async db =>
        {
            db.Add(server);
            await db.SaveChangesAsync(Ct);
        });
        var insertion = await ProbeWorld.PostAsync(client, new { session = w.BaseSession.ToString(), name = "probe00" });
        var id = insertion["id"]!.GetValue<string>();

        var registered = await DataWorld.RegisterAsync(client, new
        {
            path = $"{w.Subject}/2018-01-01/001/alf/probe00",
            filenames = w.File('a'),
            name = server.Name,
        });
        var dataset = registered[0]!["id"]!.GetValue<string>();
        // A dataset of the same collection without any file record: not nested once a server repository exists.
        var unserved = new Dataset
        {
            SessionId = w.BaseSession,
            Name = w.File('b'),
            Collection = "alf/probe00",
            DatasetTypeId = await app.WithDbAsync(db => Task.FromResult(db.DatasetTypes.Single(t => t.Name == w.Type('b')).Id)),
            DataFormatId = await app.WithDbAsync(db => Task.FromResult(db.DataFormats.Single(f => f.Name == w.Format(1)).Id)),
        };
        await app.WithDbAsync(async db =>
        {
            db.Add(unserved);
            await db.SaveChangesAsync(Ct);
        });

        var listed = Assert.Single((await ProbeWorld.ListAsync(client, "id=" + id)).AsArray())!;
        Assert.Equal([dataset], listed["datasets"].Strings());
        var detail = await (await client.GetAsync($"/insertions/{id}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var nested = Assert.Single(detail["datasets"]!.AsArray())!;
        Assert.Equal(dataset, nested["id"]!.GetValue<string>());
        var url = nested["data_url"]!.GetValue<string>();
        Assert.StartsWith($"https://data.example.org/Subjects/{w.Subject}/2018-01-01/001/alf/probe00/", url, StringComparison.Ordinal);
        Assert.Contains(dataset, url, StringComparison.Ordinal);
        Assert.Equal(0, nested["qc"]!.GetValue<int>());
    }
}
