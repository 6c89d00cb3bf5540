using System.Text.Json.Nodes;
using Alyx.Data;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Data;

/// <summary>
/// GET /datasets/{id} sends a fixed number of statements whatever the dataset's file records and tags (issue 16): one compiled
/// statement each for the row with its references, the file records and the tags.
/// </summary>
public sealed class DatasetDetailStatementsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A dataset with <paramref name="n"/> file records (repositories r0_… &lt; r1_…) and tags (t0_… &lt; t1_…), entered in reverse.</summary>
    async Task<(Guid Id, string Name, List<string> Repositories, List<string> Tags)> DatasetAsync(int n)
    {
        var type = new DatasetType { Name = AlyxApp.Unique("type") };
        var format = new DataFormat { Name = AlyxApp.Unique("fmt") };
        var dataset = new Dataset { Name = AlyxApp.Unique("spikes") + ".npy", DatasetTypeId = type.Id, DataFormatId = format.Id, Collection = "alf" };
        var repositories = new List<string>();
        var tags = new List<string>();
        await app.WithDbAsync(async db =>
        {
            db.AddRange(type, format, dataset);
            var stem = Guid.NewGuid().ToString("N");
            for (var i = n - 1; i >= 0; i--)
            {
                var repository = new DataRepository { Name = $"r{i}_{stem}", DataUrl = $"https://r{i}.example/" };
                repositories.Insert(0, repository.Name);
                db.Add(repository);
                db.Add(new FileRecord { DatasetId = dataset.Id, DataRepositoryId = repository.Id, RelativePath = "alf/" + dataset.Name, Exists = i % 2 == 0 });
                var tag = new Tag { Name = $"t{i}_{stem}", Protected = i == 0 };
                tags.Insert(0, tag.Name);
                dataset.Tags.Add(tag);
            }
            await db.SaveChangesAsync(Ct);
        });
        return (dataset.Id, dataset.Name, repositories, tags);
    }

    Task<(int Commands, JsonNode Body)> DetailAsync(HttpClient client, Guid id) => app.Commands.GetJsonAsync(client, $"/datasets/{id}", Ct);

    [Fact]
    public async Task DatasetDetail_ManyFileRecordsAndTags_SendsAsManyStatementsAsOne()
    {
        var client = await app.ClientForAsync("stmt_user");
        var shortOne = await DatasetAsync(1);
        var longOne = await DatasetAsync(5);
        await DetailAsync(client, shortOne.Id); // the token lookup is remembered after the first request

        var (few, shortBody) = await DetailAsync(client, shortOne.Id);
        var (many, longBody) = await DetailAsync(client, longOne.Id);

        Assert.Equal(few, many);
        // The row, the file records, the tags.
        Assert.Equal(3, many);
        Assert.Single(shortBody["file_records"]!.AsArray());
        var records = longBody["file_records"]!.AsArray();
        Assert.Equal(longOne.Repositories, records.Select(r => r!["data_repository"]!.GetValue<string>()));
        Assert.Equal($"https://r4.example/alf/{longOne.Name[..^4]}.{longOne.Id:D}.npy", records[4]!["data_url"]!.GetValue<string>());
        Assert.Equal([true, false, true, false, true], records.Select(r => r!["exists"]!.GetValue<bool>()));
        Assert.Equal(longOne.Tags, longBody["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Null(longBody["protected"]);
    }
}
