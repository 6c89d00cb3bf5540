using Alyx.Data;

namespace Alyx.Tests.Data;

/// <summary>The set of online dataset ids the cache tables are built with on SQLite (<see cref="SortedIdSet"/>).</summary>
public sealed class SortedIdSetTests
{
    /// <summary>Ids from a fixed seed, version-4 style (random bytes), distinct.</summary>
    static List<Guid> Ids(int count)
    {
        var random = new Random(16);
        var bytes = new byte[16];
        var ids = new List<Guid>(count);
        while (ids.Count < count)
        {
            random.NextBytes(bytes);
            ids.Add(new Guid(bytes));
        }
        return ids;
    }

    [Fact]
    public void ManyChunks_EveryAddedIdOnceAndNoOther()
    {
        // 10,000 ids more than two chunks of 4,096; the first 6,000 added, each of the first 500 twice in a row (a dataset's
        // two file records) and the first 100 again at the end (records read apart).
        var ids = Ids(10_000);
        var builder = new SortedIdSet.Builder();
        for (var i = 0; i < 6_000; i++)
        {
            builder.Add(ids[i]);
            if (i < 500) builder.Add(ids[i]);
        }
        for (var i = 0; i < 100; i++) builder.Add(ids[i]);
        var set = builder.Build();

        Assert.Equal(6_000, set.Count);
        Assert.All(ids.Take(6_000), id => Assert.True(set.Contains(id), $"{id} was added"));
        Assert.All(ids.Skip(6_000), id => Assert.False(set.Contains(id), $"{id} was not added"));
    }

    [Fact]
    public void IdsSharingTheirFirstBytes_TellApartByTheRest()
    {
        // Same first field (the lookup's prefix), different last bytes; and the smallest and largest ids.
        Guid a = new("0000abcd-0000-4000-8000-000000000001"), b = new("0000abcd-0000-4000-8000-000000000002"),
            c = new("0000abcd-0000-4000-8000-000000000003"), low = Guid.Empty, high = new("ffffffff-ffff-ffff-ffff-ffffffffffff");
        var builder = new SortedIdSet.Builder();
        foreach (var id in new[] { c, high, a, low }) builder.Add(id);
        var set = builder.Build();

        Assert.Equal(4, set.Count);
        Assert.True(set.Contains(a));
        Assert.False(set.Contains(b));
        Assert.True(set.Contains(c));
        Assert.True(set.Contains(low));
        Assert.True(set.Contains(high));
        Assert.False(set.Contains(new Guid("ffffffff-ffff-ffff-ffff-fffffffffffe")));
    }

    [Fact]
    public void Empty_ContainsNothing()
    {
        var set = new SortedIdSet.Builder().Build();

        Assert.Equal(0, set.Count);
        Assert.False(set.Contains(Guid.Empty));
        Assert.False(set.Contains(new Guid("0000abcd-0000-4000-8000-000000000001")));
    }
}
