using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Alyx.Tests.Cli;

/// <summary><c>alyx demo</c> on a fresh SQLite file: rows, files on disk, cache tables; refusal of a database holding lab data.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class DemoCommandTests : IDisposable
{
    readonly string folder = Path.Combine(Path.GetTempPath(), $"alyx-demo-{Guid.NewGuid():N}");

    string Database => $"sqlite:///{Path.Combine(folder, "alyx.db")}";

    string DataRoot => Path.Combine(folder, "data");

    string TablesRoot => Path.Combine(folder, "tables");

    public DemoCommandTests() => Directory.CreateDirectory(folder);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    Task<(int Code, string Out, string Err)> RunDemoAsync(params string[] extra) => RunDemoAtAsync("http://127.0.0.1:9911", extra);

    Task<(int Code, string Out, string Err)> RunDemoAtAsync(string url, params string[] extra) =>
        Infrastructure.Cli.RunAsync(["demo", "--database", Database, "--data-root", DataRoot, "--tables-root", TablesRoot, "--url", url,
            "--password", "pw", .. extra]);

    async Task<List<(string Id, string Hash, long Size, string Path, string DataUrl)>> DatasetsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "alyx.db")}");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT d.id, d.hash, d.file_size, f.relative_path, r.data_url FROM data_dataset d
            JOIN data_filerecord f ON f.dataset_id = d.id JOIN data_datarepository r ON r.id = f.data_repository_id
            WHERE f."exists" ORDER BY d.id
            """;
        var rows = new List<(string, string, long, string, string)>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4)));
        return rows;
    }

#pragma warning disable CA5351 // the md5 ONE compares files with
    static string Md5(string file) => Convert.ToHexStringLower(MD5.HashData(File.ReadAllBytes(file)));
#pragma warning restore CA5351

    [Fact]
    public async Task Demo_EmptyDatabase_FillsRowsFilesAndCacheTables_ThenRefusesUnlessForced()
    {
        var (code, output, error) = await RunDemoAsync();
        Assert.True(code == 0, error);
        Assert.Contains("3 subjects, 6 sessions, 19 datasets", output);
        Assert.Contains("User 'demo' has the password 'pw'.", output);

        var datasets = await DatasetsAsync();
        Assert.Equal(19, datasets.Count);
        foreach (var d in datasets)
        {
            Assert.Equal("http://127.0.0.1:9911/data/demolab/Subjects/", d.DataUrl);
            var file = Path.Combine(DataRoot, "demolab", "Subjects", d.Path);
            Assert.True(File.Exists(file), file);
            Assert.Equal(d.Size, new FileInfo(file).Length);
            Assert.Equal(d.Hash, Md5(file));
        }
        Assert.Contains(datasets, d => d.Path == "DM001/2024-03-05/001/alf/#2024-04-01#/_ibl_trials.table.pqt");
        var info = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(TablesRoot, "cache_info.json"), TestContext.Current.CancellationToken))!;
        Assert.Equal(6, info["tables"]!["sessions"]!["nrecs"]!.GetValue<int>());
        Assert.Equal(19, info["tables"]!["datasets"]!["nrecs"]!.GetValue<int>());
        Assert.True(File.Exists(Path.Combine(TablesRoot, "cache.zip")));

        var refused = await RunDemoAsync();
        Assert.Equal(2, refused.Code);
        Assert.Contains("--force", refused.Err);
        Assert.Equal(datasets, await DatasetsAsync());

        var forced = await RunDemoAsync("--force");
        Assert.True(forced.Code == 0, forced.Err);
        // Same ids, same bytes: the demo is deterministic, and a forced run replaces its earlier rows.
        Assert.Equal(datasets, await DatasetsAsync());
    }

    [Fact]
    public async Task Demo_BadUrl_ExitsWithMessage()
    {
        var (code, _, error) = await RunDemoAtAsync("ftp://x");
        Assert.Equal(2, code);
        Assert.Contains("--url must be the server's http(s) address", error);
    }
}
