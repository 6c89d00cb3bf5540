using System.Net;
using Alyx.Data;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Data;

/// <summary>
/// The page-size cap on /datasets (upstream test_pagination_max_limit; conventions: default 250, at most 1000). A class
/// of its own: the dump has no datasets and no other test writes here, so the seeded rows are every dataset there is.
/// </summary>
public sealed class DatasetsPaginationTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const int Seeded = 1205;

    [Fact]
    public async Task ListDatasets_LimitAboveTheCap_Returns1000RowsCountAllAndNextLink()
    {
        var w = await DataWorld.CreateAsync(app);
        await app.WithDbAsync(async db =>
        {
            var type = await db.DatasetTypes.SingleAsync(t => t.Name == w.Type('a'), Ct);
            var format = await db.DataFormats.SingleAsync(f => f.Name == w.Format(1), Ct);
            // Created one second apart, so the list order (created_datetime, then id) is the order of i.
            db.AddRange(Enumerable.Range(0, Seeded).Select(i => new Dataset
            {
                Name = $"{w.Prefix}a.a.{i:D4}.{w.Ext}1",
                SessionId = w.Session,
                DatasetTypeId = type.Id,
                DataFormatId = format.Id,
                CreatedDatetime = new DateTime(2024, 1, 1).AddSeconds(i),
            }));
            await db.SaveChangesAsync(Ct);
        });
        var client = await app.ClientForAsync("ds_user");
        string NameOf(int i) => $"{w.Prefix}a.a.{i:D4}.{w.Ext}1";

        var first = await (await client.GetAsync("/datasets?limit=5000", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var firstNames = first["results"]!.AsArray().Select(d => d!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(Seeded, first["count"]!.GetValue<int>());
        Assert.Equal(1000, firstNames.Count);
        Assert.Equal("http://localhost/datasets?limit=1000&offset=1000", first["next"]!.GetValue<string>());
        Assert.Null(first["previous"]);
        Assert.Equal(Enumerable.Range(0, 1000).Select(NameOf), firstNames);

        var second = await (await client.GetAsync("/datasets?limit=1000&offset=1000", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(Seeded, second["count"]!.GetValue<int>());
        Assert.Null(second["next"]);
        Assert.Equal("http://localhost/datasets?limit=1000", second["previous"]!.GetValue<string>());
        Assert.Equal(Enumerable.Range(1000, Seeded - 1000).Select(NameOf), second["results"]!.AsArray().Select(d => d!["name"]!.GetValue<string>()));

        // Without a limit: the default page of 250.
        var plain = await (await client.GetAsync("/datasets", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(250, plain["results"]!.AsArray().Count);
        Assert.Equal("http://localhost/datasets?limit=250&offset=250", plain["next"]!.GetValue<string>());
    }
}
