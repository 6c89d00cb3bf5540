using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Http;

/// <summary>The server on the anonymised fixture with the clock stopped at 2017-06-08 12:00 UTC (during the fixture's restrictions).</summary>
public sealed class ReplayApp : AlyxApp
{
    public ManualTime Time { get; } = new(new DateTimeOffset(2017, 6, 8, 12, 0, 0, TimeSpan.Zero));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.AddSingleton<TimeProvider>(Time));
    }
}

/// <summary>
/// Replays a recorded set of read requests (Replay/requests.txt) and compares each answer's status and body byte for byte with
/// the answers recorded before the performance work (Replay/answers.json; answers.postgres.json on PostgreSQL): a faster query must not change a single byte.
/// Record again, only for an intended change of the answers: <c>ALYX_UPDATE_GOLDEN=1 dotnet test --filter "FullyQualifiedName~ReplayTests"</c>.
/// </summary>
public sealed class ReplayTests(ReplayApp app) : IClassFixture<ReplayApp>
{
    static string Folder([CallerFilePath] string source = "") => Path.Combine(Path.GetDirectoryName(source)!, "Replay");

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Replay_RecordedRequests_AnswersIdenticalBytes()
    {
        Fixtures.RequireDump();
        var requests = (await File.ReadAllLinesAsync(Path.Combine(Folder(), "requests.txt"), Ct))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var client = await app.ClientForAsync("replay_user");
        var answers = new JsonArray();
        foreach (var path in requests)
        {
            using var response = await client.GetAsync(path, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            answers.Add(new JsonObject { ["request"] = path, ["status"] = (int)response.StatusCode, ["body"] = body });
        }
        // PostgreSQL stores json as jsonb, which orders an object's keys its own way: each provider has its recording.
        var file = Path.Combine(Folder(), TestDatabase.IsPostgres ? "answers.postgres.json" : "answers.json");
        if (Environment.GetEnvironmentVariable("ALYX_UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllTextAsync(file, answers.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n", new UTF8Encoding(false), Ct);
            return;
        }
        var recorded = JsonNode.Parse(await File.ReadAllTextAsync(file, Ct))!.AsArray();
        Assert.Equal(recorded.Count, answers.Count);
        for (var i = 0; i < recorded.Count; i++)
        {
            var expected = recorded[i]!;
            var actual = answers[i]!;
            Assert.Equal(expected["request"]!.GetValue<string>(), actual["request"]!.GetValue<string>());
            Assert.True(expected["status"]!.GetValue<int>() == actual["status"]!.GetValue<int>(),
                $"{actual["request"]}: status {actual["status"]}, recorded {expected["status"]}");
            var want = expected["body"]!.GetValue<string>();
            var got = actual["body"]!.GetValue<string>();
            if (want == got) continue;
            var at = want.Zip(got).TakeWhile(p => p.First == p.Second).Count();
            Assert.Fail($"{actual["request"]}: body differs at character {at}: recorded ...{Around(want, at)}..., now ...{Around(got, at)}...");
        }
    }

    static string Around(string text, int at) => text[Math.Max(0, at - 80)..Math.Min(text.Length, at + 80)];
}
