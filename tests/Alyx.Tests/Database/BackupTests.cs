using System.Globalization;
using System.Text.RegularExpressions;
using Alyx.Actions;
using Alyx.Database;
using Alyx.Subjects;
using Alyx.Tests.Cli;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Database;

/// <summary>
/// <c>alyx backup</c> under concurrent writes and <c>alyx restore</c>: the restored database holds every table as the source had it
/// at one instant (all rows that existed before, a prefix of the concurrent two-row transactions, never half of one).
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed partial class BackupTests : IAsyncLifetime
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly Guid SubjectId = Guid.Parse("b4c0e7a2-0000-4000-8000-000000000001");
    const string RefusedMessage = "alyx restore: the database already holds data; nothing was restored. Run again with --force to replace its contents.";

    readonly List<string> tempFiles = [];
    readonly List<IAsyncDisposable> owners = [];
    int committed;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var owner in owners) await owner.DisposeAsync();
        foreach (var file in tempFiles) File.Delete(file);
    }

    string BackupFile()
    {
        var file = Path.Combine(Path.GetTempPath(), $"alyx-backup-test-{Guid.NewGuid():N}{(TestDatabase.IsPostgres ? ".json.gz" : ".db")}");
        tempFiles.Add(file);
        return file;
    }

    async Task<string> EmptyDatabaseAsync()
    {
        var (url, owner) = await TestDatabase.CreateEmptyAsync();
        owners.Add(owner);
        return url;
    }

    static Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => Infrastructure.Cli.RunAsync(args);

    /// <summary>A database file (or PostgreSQL database) with a user, a subject and its weighings 1 to 20 g.</summary>
    async Task<string> SourceAsync()
    {
        var url = await EmptyDatabaseAsync();
        Assert.Equal(0, (await RunAsync("migrate", "--database", url)).Code);
        Assert.Equal(0, (await RunAsync("create-user", "keeper", "--password", "pw-1234", "--database", url)).Code);
        await using var db = TestDatabase.Open(url);
        var user = await db.Users.SingleAsync(u => u.Username == "keeper", Ct);
        db.Subjects.Add(new Subject { Id = SubjectId, Nickname = "BK001", LabId = DatabaseSetup.DefaultLabId, ResponsibleUserId = user.Id });
        for (var i = 1; i <= 20; i++)
            db.Set<Weighing>().Add(new Weighing { SubjectId = SubjectId, UserId = user.Id, Weight = i, DateTime = new DateTime(2026, 1, i, 9, 0, 0) });
        await db.SaveChangesAsync(Ct);
        return url;
    }

    /// <summary>
    /// Until stopped: transactions k = 0, 1, ... each adding subject CWkkkk and two weighings of it, 1000+2k and 1001+2k g, in two
    /// tables (a copy read table by table at different instants would hold weighings of a subject it lacks, or the reverse);
    /// <see cref="committed"/> counts them.
    /// </summary>
    async Task WriteAsync(string url, CancellationToken stop)
    {
        await using var db = TestDatabase.Open(url);
        for (var k = 0; !stop.IsCancellationRequested; k++)
        {
            var at = new DateTime(2026, 2, 1, 0, 0, 0).AddMinutes(k);
            var subject = new Subject { Nickname = $"CW{k:D4}", LabId = DatabaseSetup.DefaultLabId };
            db.Subjects.Add(subject);
            db.Set<Weighing>().Add(new Weighing { SubjectId = subject.Id, Weight = 1000 + 2 * k, DateTime = at });
            db.Set<Weighing>().Add(new Weighing { SubjectId = subject.Id, Weight = 1001 + 2 * k, DateTime = at });
            await db.SaveChangesAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            Interlocked.Increment(ref committed);
        }
    }

    /// <summary>The snapshot text cut into its tables: name → sorted row lines.</summary>
    static Dictionary<string, List<string>> Tables(string snapshot)
    {
        var tables = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? rows = null;
        foreach (var line in snapshot.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("## ", StringComparison.Ordinal)) tables[line[3..line.IndexOf(" (", StringComparison.Ordinal)]] = rows = [];
            else rows!.Add(line);
        }
        return tables;
    }

    [GeneratedRegex(@"(?:^| \| )weight=([^|]+?)(?: \||$)")]
    private static partial Regex WeightColumn();

    [GeneratedRegex(@"(?:^| \| )nickname=([^|]+?)(?: \||$)")]
    private static partial Regex NicknameColumn();

    static string NicknameOf(string row) => NicknameColumn().Match(row).Groups[1].Value;

    static double WeightOf(string row) => double.Parse(WeightColumn().Match(row).Groups[1].Value, CultureInfo.InvariantCulture);

    [Fact]
    public async Task Backup_UnderConcurrentWrites_RestoresEveryTableAsOfOneInstant()
    {
        var source = await SourceAsync();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() => WriteAsync(source, stop.Token), Ct);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Volatile.Read(ref committed) < 5 && !writer.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(5, Ct);
        var before = Volatile.Read(ref committed);
        Assert.True(before >= 5, "the concurrent writer did not get going");
        var file = BackupFile();
        var (code, output, error) = await RunAsync("backup", file, "--database", source);
        var after = Volatile.Read(ref committed);
        await stop.CancelAsync();
        await writer;
        Assert.True(code == 0, error);
        Assert.StartsWith($"Backup written to {file} (", output, StringComparison.Ordinal);

        var copy = await EmptyDatabaseAsync();
        (code, _, error) = await RunAsync("restore", file, "--database", copy);
        Assert.True(code == 0, error);

        var expected = Tables(await ImportDumpTests.SnapshotAsync(source));
        var restored = Tables(await ImportDumpTests.SnapshotAsync(copy));
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), restored.Keys.Order(StringComparer.Ordinal));
        string[] written = ["actions_weighing", "subjects_subject"];
        foreach (var table in expected.Keys.Except(written)) Assert.Equal(expected[table], restored[table]);
        Assert.Contains("username=keeper", string.Join("\n", restored["misc_labmember"]), StringComparison.Ordinal);

        // The 20 weighings and the subject that were there before, then the first k transactions whole, k between the
        // counts seen when the backup started and when it ended.
        var subjects = restored["subjects_subject"];
        var k = subjects.Count - 1;
        Assert.InRange(k, before, after);
        var nicknames = new[] { "BK001" }.Concat(Enumerable.Range(0, k).Select(i => $"CW{i:D4}")).ToHashSet();
        Assert.Equal(nicknames.Order(StringComparer.Ordinal), subjects.Select(NicknameOf).Order(StringComparer.Ordinal));
        var weighings = restored["actions_weighing"];
        var weights = new HashSet<double>(Enumerable.Range(1, 20).Select(i => (double)i).Concat(Enumerable.Range(1000, 2 * k).Select(w => (double)w)));
        Assert.Equal(weights.Order(), weighings.Select(WeightOf).Order());
        // The source went on past the backup; the rows the backup holds are the source's rows, column for column.
        Assert.True(expected["subjects_subject"].Count >= subjects.Count);
        Assert.Equal(expected["subjects_subject"].Where(r => nicknames.Contains(NicknameOf(r))), subjects);
        Assert.Equal(expected["actions_weighing"].Where(r => weights.Contains(WeightOf(r))), weighings);
    }

    [Fact]
    public async Task Restore_RefusesADatabaseWithDataUnlessForce_ThenReplacesIt()
    {
        var source = await SourceAsync();
        var file = BackupFile();
        var (code, _, error) = await RunAsync("backup", file, "--database", source);
        Assert.True(code == 0, error);
        var atBackup = await ImportDumpTests.SnapshotAsync(source);

        // A freshly migrated database only holds what migrating creates: it is empty, no --force needed.
        var migrated = await EmptyDatabaseAsync();
        Assert.Equal(0, (await RunAsync("migrate", "--database", migrated)).Code);
        (code, _, error) = await RunAsync("restore", file, "--database", migrated);
        Assert.True(code == 0, error);
        Assert.Equal(atBackup, await ImportDumpTests.SnapshotAsync(migrated));

        // The source moves on: one more subject, one more weighing.
        await using (var db = TestDatabase.Open(source))
        {
            db.Subjects.Add(new Subject { Nickname = "BK002", LabId = DatabaseSetup.DefaultLabId });
            db.Set<Weighing>().Add(new Weighing { SubjectId = SubjectId, Weight = 77.5, DateTime = new DateTime(2026, 3, 1, 9, 0, 0) });
            await db.SaveChangesAsync(Ct);
        }
        var changed = await ImportDumpTests.SnapshotAsync(source);
        Assert.NotEqual(atBackup, changed);

        (code, var output, error) = await RunAsync("restore", file, "--database", source);
        Assert.Equal(2, code);
        Assert.Equal(RefusedMessage + Environment.NewLine, error);
        Assert.Equal("", output);
        Assert.Equal(changed, await ImportDumpTests.SnapshotAsync(source));

        (code, _, error) = await RunAsync("restore", file, "--force", "--database", source);
        Assert.True(code == 0, error);
        var replaced = await ImportDumpTests.SnapshotAsync(source);
        Assert.Equal(atBackup, replaced);
        Assert.DoesNotContain("BK002", replaced, StringComparison.Ordinal);
        Assert.DoesNotContain("weight=77.5", replaced, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsBackupAndRestoreWithTheirUsage()
    {
        var (code, output, _) = await RunAsync("--help");
        Assert.Equal(0, code);
        Assert.Contains("\n  backup               Write a consistent copy of the database while the server keeps serving", output, StringComparison.Ordinal);
        Assert.Contains("\n  restore              Load a backup made by 'alyx backup'", output, StringComparison.Ordinal);
        (code, output, _) = await RunAsync("backup", "--help");
        Assert.Equal(0, code);
        Assert.StartsWith("usage: alyx backup FILE [--database URL]\n", output, StringComparison.Ordinal);
        (code, output, _) = await RunAsync("restore", "--help");
        Assert.Equal(0, code);
        Assert.StartsWith("usage: alyx restore FILE [--force] [--database URL]\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_MissingFileOrNotABackup_ExitsNonZeroAndChangesNothing()
    {
        var target = await EmptyDatabaseAsync();
        var (code, _, error) = await RunAsync("restore", "/nonexistent/alyx-backup.db", "--database", target);
        Assert.Equal(2, code);
        Assert.Equal("alyx restore: /nonexistent/alyx-backup.db: no such file; nothing was restored." + Environment.NewLine, error);
        var bogus = BackupFile();
        await File.WriteAllTextAsync(bogus, "not a backup", Ct);
        (code, _, error) = await RunAsync("restore", bogus, "--database", target);
        Assert.Equal(1, code);
        Assert.EndsWith("Nothing was restored; the database is unchanged." + Environment.NewLine, error, StringComparison.Ordinal);
    }
}
