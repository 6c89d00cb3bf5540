using System.Net;
using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Http;

/// <summary>List counts are remembered between pages, and any write committed through this process makes them current again.</summary>
public sealed class CachedCountsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<string> SeedLabsAsync(int n)
    {
        var institution = AlyxApp.Unique("inst");
        await app.WithDbAsync(async db =>
        {
            for (var i = 0; i < n; i++) db.Labs.Add(new Lab { Name = $"{institution}_{i:000}", Institution = institution });
            await db.SaveChangesAsync();
        });
        return institution;
    }

    async Task<int> CountAsync(HttpClient client, string query) =>
        (await (await client.GetAsync(query, Ct)).ReadJsonAsync(HttpStatusCode.OK))["count"]!.GetValue<int>();

    [Fact]
    public async Task Count_AfterAnInsertThroughTheServer_IsCurrent()
    {
        var institution = await SeedLabsAsync(3);
        var client = await app.ClientForAsync();
        Assert.Equal(3, await CountAsync(client, $"/labs?institution={institution}&limit=1"));
        await SeedLabsIntoAsync(institution, "extra");
        Assert.Equal(4, await CountAsync(client, $"/labs?institution={institution}&limit=1"));
        Assert.Equal(4, await CountAsync(client, $"/labs?institution={institution}&limit=1&offset=2"));
    }

    [Fact]
    public async Task Count_OfAValueHoldingAnEscapedQuery_IsItsOwn()
    {
        var institution = await SeedLabsAsync(1);
        var client = await app.ClientForAsync();
        // Decoded, "institution=I%26name%3DI_000" is the pair (institution, "I&name=I_000"): no lab has that institution.
        // Past the last page, so neither count is read off the rows.
        Assert.Equal(1, await CountAsync(client, $"/labs?institution={institution}&name={institution}_000&limit=1&offset=5"));
        Assert.Equal(0, await CountAsync(client, $"/labs?institution={institution}%26name%3D{institution}_000&limit=1&offset=5"));
    }

    async Task SeedLabsIntoAsync(string institution, string suffix) => await app.WithDbAsync(async db =>
    {
        db.Labs.Add(new Lab { Name = $"{institution}_{suffix}", Institution = institution });
        await db.SaveChangesAsync();
    });

    [Fact]
    public async Task Count_AfterABulkDeleteInATransaction_IsCurrent()
    {
        var institution = await SeedLabsAsync(4);
        var client = await app.ClientForAsync();
        Assert.Equal(4, await CountAsync(client, $"/labs?institution={institution}&limit=2"));
        await app.WithDbAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(Ct);
            await db.Labs.Where(l => l.Institution == institution && l.Name.EndsWith("_000")).ExecuteDeleteAsync(Ct);
            await tx.CommitAsync(Ct);
        });
        Assert.Equal(3, await CountAsync(client, $"/labs?institution={institution}&limit=2"));
    }

    [Fact]
    public async Task Count_AfterABulkImport_IsCurrent()
    {
        var institution = await SeedLabsAsync(2);
        var client = await app.ClientForAsync();
        Assert.Equal(2, await CountAsync(client, $"/labs?institution={institution}&limit=1"));
        var file = Path.Combine(Path.GetTempPath(), $"alyx-count-{Guid.NewGuid():N}.json");
        try
        {
            await File.WriteAllTextAsync(file,
                $$$"""[{"model": "misc.lab", "pk": "{{{Guid.NewGuid()}}}", "fields": {"name": "{{{institution}}}_imported", "institution": "{{{institution}}}"}}]""", Ct);
            // The importer on one of the app's contexts: its bulk writes move that context's tracker, the one the app's counts
            // watch (the CLI verb would run in a host of its own, with a tracker of its own).
            await app.WithDbAsync(async db => await new Alyx.Database.Import.DumpImporter(db, new AlyxClock(TimeProvider.System, TimeZoneInfo.Utc))
                .ImportAsync([file], Ct));
        }
        finally
        {
            File.Delete(file);
        }
        Assert.Equal(3, await CountAsync(client, $"/labs?institution={institution}&limit=1"));
    }

    [Fact]
    public async Task ShortFirstPage_CountsItsRows()
    {
        var institution = await SeedLabsAsync(2);
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync($"/labs?institution={institution}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, body["count"]!.GetValue<int>());
        Assert.Equal(2, body["results"]!.AsArray().Count);
    }

    [Fact]
    public async Task PageBeyondTheEnd_StillReportsTheCount()
    {
        var institution = await SeedLabsAsync(3);
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync($"/labs?institution={institution}&limit=2&offset=10", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, body["count"]!.GetValue<int>());
        Assert.Empty(body["results"]!.AsArray());
    }

    [Fact]
    public async Task Cache_WithoutWrites_AnswersFromMemoryUntilItsLifetimeEnds()
    {
        var tracker = new WriteTracker();
        var counts = new ListCounts(TimeSpan.FromMinutes(5), tracker);
        var calls = 0;
        Task<int> Count() => Task.FromResult(++calls);
        Assert.Equal(1, await counts.GetAsync("/labs?x", Count));
        Assert.Equal(1, await counts.GetAsync("/labs?x", Count));
        Assert.Equal(2, await counts.GetAsync("/labs?y", Count));
        tracker.Invalidate();
        Assert.Equal(3, await counts.GetAsync("/labs?x", Count));

        var off = new ListCounts(TimeSpan.Zero, tracker);
        Assert.Equal(4, await off.GetAsync("/labs?x", Count));
        Assert.Equal(5, await off.GetAsync("/labs?x", Count));

        var brief = new ListCounts(TimeSpan.FromMilliseconds(1), tracker);
        Assert.Equal(6, await brief.GetAsync("/labs?x", Count));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal(7, await brief.GetAsync("/labs?x", Count));
    }

    [Fact]
    public void Key_IgnoresLimitOffsetAndParameterOrder()
    {
        var a = ListCounts.Key("/labs", new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>
        {
            ["name"] = "a",
            ["limit"] = "5",
            ["institution"] = "i",
        });
        var b = ListCounts.Key("/labs", new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>
        {
            ["institution"] = "i",
            ["offset"] = "10",
            ["name"] = "a",
        });
        var c = ListCounts.Key("/labs", new Dictionary<string, Microsoft.Extensions.Primitives.StringValues> { ["institution"] = "i" });
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }
}
