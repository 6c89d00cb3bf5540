using System.Text.Json.Nodes;
using Alyx.Data;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Data;

/// <summary>
/// GET /datasets sends a fixed number of statements whatever its page holds (issue 16): the page's rows with their references'
/// names, then the file records and the tags of the whole page, each one statement on the page's ids. A page that is shorter than
/// its limit tells its count, so these pages send no count.
/// </summary>
public sealed class DatasetListStatementsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    sealed record Made(string Type, List<Guid> Ids, List<string> Names, List<string> Repositories, List<string> Tags);

    /// <summary>
    /// <paramref name="datasets"/> datasets of a type of their own, registered a minute apart, each with a file record on each of
    /// <paramref name="repositories"/> repositories (r0_… &lt; r1_… &lt; …, entered in reverse; those of the odd ones do not exist,
    /// and r0 has no data URL); the first dataset carries the tags t0_… (protected), t1_… (public), t2_… (both), entered in reverse.
    /// </summary>
    async Task<Made> DatasetsAsync(int datasets, int repositories)
    {
        var stem = Guid.NewGuid().ToString("N")[..12];
        var type = new DatasetType { Name = "type_" + stem };
        var format = new DataFormat { Name = "fmt_" + stem };
        var made = new Made(type.Name, [], [], [], []);
        await app.WithDbAsync(async db =>
        {
            db.AddRange(type, format);
            var repos = new List<DataRepository>();
            for (var r = repositories - 1; r >= 0; r--)
            {
                var repository = new DataRepository { Name = $"r{r}_{stem}", DataUrl = r == 0 ? null : $"https://r{r}.example/data/", GlobusPath = $"/g{r}/" };
                repos.Insert(0, repository);
                made.Repositories.Insert(0, repository.Name);
            }
            db.AddRange(repos);
            var tags = new[]
            {
                new Tag { Name = $"t2_{stem}", Protected = true, Public = true },
                new Tag { Name = $"t1_{stem}", Public = true },
                new Tag { Name = $"t0_{stem}", Protected = true },
            };
            made.Tags.AddRange(tags.Select(t => t.Name).Reverse());
            for (var i = 0; i < datasets; i++)
            {
                var dataset = new Dataset
                {
                    Name = $"s{stem}_spikes{i}.times.npy",
                    DatasetTypeId = type.Id,
                    DataFormatId = format.Id,
                    Collection = "alf",
                    CreatedDatetime = new DateTime(2021, 3, 4, 10, i, 0),
                };
                if (i == 0) dataset.Tags.AddRange(tags);
                db.Add(dataset);
                made.Ids.Add(dataset.Id);
                made.Names.Add(dataset.Name);
                foreach (var repository in Enumerable.Reverse(repos))
                {
                    db.Add(new FileRecord { DatasetId = dataset.Id, DataRepositoryId = repository.Id, RelativePath = $"lab/Subjects/S1/2021-03-04/001/alf/{dataset.Name}", Exists = i % 2 == 0 });
                }
            }
            await db.SaveChangesAsync(Ct);
        });
        return made;
    }

    Task<(int Commands, JsonNode Body)> ListAsync(HttpClient client, string type) => app.Commands.GetJsonAsync(client, $"/datasets?dataset_type={type}&limit=50", Ct);

    [Fact]
    public async Task ListDatasets_ManyDatasetsFileRecordsAndTags_SendsAsManyStatementsAsOne()
    {
        var client = await app.ClientForAsync("list_stmt_user");
        var small = await DatasetsAsync(1, 1);
        var large = await DatasetsAsync(4, 3);
        await ListAsync(client, small.Type); // the token lookup is remembered after the first request

        var (few, smallBody) = await ListAsync(client, small.Type);
        var (many, largeBody) = await ListAsync(client, large.Type);

        Assert.Equal(few, many);
        // The page, its file records, its tags.
        Assert.Equal(3, many);
        Assert.Equal(1, smallBody["count"]!.GetValue<int>());
        Assert.Single(smallBody["results"]![0]!["file_records"]!.AsArray());
        Assert.Equal(4, largeBody["count"]!.GetValue<int>());
        var results = largeBody["results"]!.AsArray();
        Assert.Equal(large.Names, results.Select(r => r!["name"]!.GetValue<string>()));
        Assert.All(results, r => Assert.Equal(large.Repositories, r!["file_records"]!.AsArray().Select(f => f!["data_repository"]!.GetValue<string>())));
    }

    [Fact]
    public async Task ListDatasets_PageOfDatasets_EachCarriesItsOwnFileRecordsAndTags()
    {
        var client = await app.ClientForAsync("list_stmt_user");
        var made = await DatasetsAsync(3, 3);

        var (_, body) = await ListAsync(client, made.Type);

        var results = body["results"]!.AsArray();
        Assert.Equal(3, results.Count);
        var first = results[0]!;
        Assert.Equal($"http://localhost/datasets/{made.Ids[0]:D}", first["url"]!.GetValue<string>());
        Assert.Equal(made.Tags, first["tags"]!.AsArray().Select(t => t!.GetValue<string>()));
        Assert.Equal(2, first["protected"]!.GetValue<int>());
        Assert.Equal(2, first["public"]!.GetValue<int>());
        var records = first["file_records"]!.AsArray();
        Assert.Equal(3, records.Count);
        Assert.Equal(made.Repositories[0], records[0]!["data_repository"]!.GetValue<string>());
        Assert.Equal("/g0/", records[0]!["data_repository_path"]!.GetValue<string>());
        Assert.Null(records[0]!["data_url"]);
        Assert.Equal($"https://r2.example/data/lab/Subjects/S1/2021-03-04/001/alf/{made.Names[0][..^4]}.{made.Ids[0]:D}.npy",
            records[2]!["data_url"]!.GetValue<string>());
        Assert.All(records, r => Assert.True(r!["exists"]!.GetValue<bool>()));
        for (var i = 1; i < 3; i++)
        {
            var other = results[i]!;
            Assert.Equal($"http://localhost/datasets/{made.Ids[i]:D}", other["url"]!.GetValue<string>());
            Assert.Empty(other["tags"]!.AsArray());
            Assert.Equal(0, other["protected"]!.GetValue<int>());
            Assert.Equal(0, other["public"]!.GetValue<int>());
            var own = other["file_records"]!.AsArray();
            Assert.Equal(made.Repositories, own.Select(f => f!["data_repository"]!.GetValue<string>()));
            Assert.All(own, f => Assert.Equal($"lab/Subjects/S1/2021-03-04/001/alf/{made.Names[i]}", f!["relative_path"]!.GetValue<string>()));
            Assert.All(own, f => Assert.Equal(i % 2 == 0, f!["exists"]!.GetValue<bool>()));
            Assert.Equal($"https://r1.example/data/lab/Subjects/S1/2021-03-04/001/alf/{made.Names[i][..^4]}.{made.Ids[i]:D}.npy", own[1]!["data_url"]!.GetValue<string>());
        }
    }
}
