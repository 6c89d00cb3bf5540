using Alyx.Database;
using Alyx.Http;
using Microsoft.Extensions.Time.Testing;

namespace Alyx.Tests.Http;

/// <summary>
/// A count being computed is shared by the requests that ask for it meanwhile, never across a write, and one request renews a
/// count near the end of its lifetime while the others are answered from it.
/// </summary>
public sealed class CountSharingTests
{
    static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(10);

    /// <summary>A count whose calls are numbered and which finishes when the test releases it.</summary>
    sealed class GatedCount
    {
        readonly List<TaskCompletionSource<int>> pending = [];
        public int Calls { get; private set; }

        public Task<int> Count()
        {
            lock (pending)
            {
                Calls++;
                var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                pending.Add(gate);
                return gate.Task;
            }
        }

        public void Release(int call, int value)
        {
            lock (pending) pending[call - 1].SetResult(value);
        }

        public void Cancel(int call)
        {
            lock (pending) pending[call - 1].SetCanceled();
        }
    }

    [Fact]
    public async Task ConcurrentRequestsForOneCount_CountOnce()
    {
        var counts = new ListCounts(Lifetime, new WriteTracker(), new FakeTimeProvider());
        var count = new GatedCount();
        var waiting = Enumerable.Range(0, 5).Select(_ => counts.GetAsync("/sessions?django=x", count.Count)).ToList();
        Assert.Equal(1, count.Calls);
        Assert.All(waiting, t => Assert.False(t.IsCompleted));

        count.Release(1, 12588);
        var answers = await Task.WhenAll(waiting);
        Assert.Equal(5, answers.Length);
        Assert.All(answers, a => Assert.Equal(12588, a));
        Assert.Equal(12588, await counts.GetAsync("/sessions?django=x", count.Count));
        Assert.Equal(1, count.Calls);
    }

    [Fact]
    public async Task RequestAfterAWrite_DoesNotWaitForACountStartedBeforeIt()
    {
        var tracker = new WriteTracker();
        var counts = new ListCounts(Lifetime, tracker, new FakeTimeProvider());
        var count = new GatedCount();
        var before = counts.GetAsync("/subjects", count.Count);
        tracker.Invalidate();
        var after = counts.GetAsync("/subjects", count.Count);
        Assert.Equal(2, count.Calls);

        count.Release(2, 11);
        Assert.Equal(11, await after);
        count.Release(1, 10);
        Assert.Equal(10, await before);
        // The count taken before the write is not remembered as current: the next request counts again.
        var next = counts.GetAsync("/subjects", count.Count);
        Assert.Equal(3, count.Calls);
        count.Release(3, 11);
        Assert.Equal(11, await next);
    }

    [Fact]
    public async Task CountThatIsCancelled_LeavesItsWaitersToCountThemselves()
    {
        var counts = new ListCounts(Lifetime, new WriteTracker(), new FakeTimeProvider());
        var count = new GatedCount();
        var first = counts.GetAsync("/datasets?dataset_type=x", count.Count);
        var waiter = counts.GetAsync("/datasets?dataset_type=x", count.Count);
        Assert.Equal(1, count.Calls);

        count.Cancel(1);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        // The waiter goes on on its own once the cancelled count has ended.
        for (var i = 0; i < 500 && count.Calls < 2; i++) await Task.Delay(10, TestContext.Current.CancellationToken);
        Assert.Equal(2, count.Calls);
        count.Release(2, 7);
        Assert.Equal(7, await waiter);
    }

    [Fact]
    public async Task CountNearTheEndOfItsLifetime_IsRenewedByOneRequestWhileTheOthersKeepIt()
    {
        var time = new FakeTimeProvider();
        var counts = new ListCounts(Lifetime, new WriteTracker(), time);
        var count = new GatedCount();
        var first = counts.GetAsync("/sessions", count.Count);
        count.Release(1, 100);
        Assert.Equal(100, await first);

        // Before three quarters of the lifetime: answered from memory.
        time.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(100, await counts.GetAsync("/sessions", count.Count));
        Assert.Equal(1, count.Calls);

        // Past them: the first request counts again, the others meanwhile get the remembered count at once.
        time.Advance(TimeSpan.FromSeconds(1));
        var renewing = counts.GetAsync("/sessions", count.Count);
        Assert.Equal(2, count.Calls);
        Assert.Equal(100, await counts.GetAsync("/sessions", count.Count));
        Assert.Equal(100, await counts.GetAsync("/sessions", count.Count));
        Assert.Equal(2, count.Calls);
        count.Release(2, 101);
        Assert.Equal(101, await renewing);

        // The renewed count has a lifetime of its own from when it was counted.
        time.Advance(TimeSpan.FromSeconds(7));
        Assert.Equal(101, await counts.GetAsync("/sessions", count.Count));
        Assert.Equal(2, count.Calls);
    }

    [Fact]
    public async Task CountPastItsLifetime_IsCountedAgainBeforeAnswering()
    {
        var time = new FakeTimeProvider();
        var counts = new ListCounts(Lifetime, new WriteTracker(), time);
        var count = new GatedCount();
        var first = counts.GetAsync("/sessions", count.Count);
        count.Release(1, 100);
        await first;

        time.Advance(TimeSpan.FromSeconds(10));
        var second = counts.GetAsync("/sessions", count.Count);
        var waiter = counts.GetAsync("/sessions", count.Count);
        Assert.Equal(2, count.Calls);
        Assert.False(waiter.IsCompleted);
        count.Release(2, 90);
        Assert.Equal(90, await second);
        Assert.Equal(90, await waiter);
    }
}
