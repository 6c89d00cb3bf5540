namespace Alyx.Tests.Infrastructure;

/// <summary>
/// Tests of set-up commands that make empty databases of their own (<see cref="TestDatabase.CreateEmptyAsync"/>): each one is
/// removed, with its side files, when the test ends.
/// </summary>
public abstract class EmptyDatabaseTests : IAsyncLifetime
{
    readonly List<IAsyncDisposable> owners = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var owner in owners) await owner.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>A new empty database (no schema), kept until the test ends: its URL.</summary>
    protected async Task<string> CreateEmptyAsync()
    {
        var (url, owner) = await TestDatabase.CreateEmptyAsync();
        owners.Add(owner);
        return url;
    }

    /// <summary>The file of a <c>sqlite:///</c> URL.</summary>
    protected static string FileOf(string url) => url["sqlite:///".Length..];
}
