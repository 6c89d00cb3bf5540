using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.OpenApi;

/// <summary>
/// The generated document is committed (schema.json next to this file) so every change to the API surface is reviewed.
/// Refresh it after adding or changing endpoints: <c>ALYX_UPDATE_GOLDEN=1 dotnet test tests/Alyx.Tests --filter "FullyQualifiedName~SchemaSnapshot"</c>.
/// </summary>
public sealed class SchemaSnapshotTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static string SnapshotPath([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "schema.json");

    [Fact]
    public async Task GetSchema_Json_MatchesCommittedSnapshot()
    {
        var response = await app.AnonymousClient().GetAsync("/api/schema?format=json", TestContext.Current.CancellationToken);
        var actual = (await response.AssertStatusAsync(HttpStatusCode.OK)).ReplaceLineEndings("\n").TrimEnd() + "\n";
        var path = SnapshotPath();

        if (Environment.GetEnvironmentVariable("ALYX_UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllTextAsync(path, actual, TestContext.Current.CancellationToken);
            return;
        }

        const string refresh = "If the API change is intended, refresh the snapshot with: "
            + "ALYX_UPDATE_GOLDEN=1 dotnet test tests/Alyx.Tests --filter \"FullyQualifiedName~SchemaSnapshot\" and commit tests/Alyx.Tests/OpenApi/schema.json.";
        Assert.True(File.Exists(path), $"Missing {path}. {refresh}");
        var expected = (await File.ReadAllTextAsync(path, TestContext.Current.CancellationToken)).ReplaceLineEndings("\n");
        if (expected == actual) return;
        Assert.Fail($"/api/schema differs from {path}: {FirstDifference(expected, actual)}. {refresh}");
    }

    /// <summary>Where the documents part: the first differing path (or operation), so the message says what changed.</summary>
    static string FirstDifference(string expectedText, string actualText)
    {
        var expected = JsonNode.Parse(expectedText)!;
        var actual = JsonNode.Parse(actualText)!;
        foreach (var section in new[] { "paths", "components" })
        {
            var e = expected[section]?["schemas"] as JsonObject ?? expected[section]?.AsObject();
            var a = actual[section]?["schemas"] as JsonObject ?? actual[section]?.AsObject();
            if (e is null || a is null) continue;
            var added = a.Select(p => p.Key).Except(e.Select(p => p.Key)).ToList();
            var removed = e.Select(p => p.Key).Except(a.Select(p => p.Key)).ToList();
            var changed = e.Where(p => a.ContainsKey(p.Key) && !JsonNode.DeepEquals(p.Value, a[p.Key])).Select(p => p.Key).ToList();
            if (added.Count + removed.Count + changed.Count > 0)
                return $"{section}: added [{string.Join(", ", added)}], removed [{string.Join(", ", removed)}], changed [{string.Join(", ", changed)}]";
        }
        var lineNo = expectedText.Split('\n').Zip(actualText.Split('\n')).TakeWhile(p => p.First == p.Second).Count() + 1;
        return $"text differs from line {lineNo}";
    }
}
