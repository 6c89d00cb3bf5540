using Alyx.Database;
using Alyx.Http;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Database;

/// <summary>
/// SQLite statements kept prepared across commands and connection opens: reused for the same SQL on the same native
/// connection, answering with the values bound each time, following schema changes, holding no read lock while idle, and
/// finalized when their connection closes.
/// </summary>
public sealed class SqliteStatementCacheTests : IDisposable
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    readonly string file = Path.Combine(Path.GetTempPath(), $"alyx-statements-{Guid.NewGuid():N}.db");

    public SqliteStatementCacheTests() => SqliteStatementCache.Install();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" }) File.Delete(file + suffix);
    }

    SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={file}");
        connection.Open();
        return connection;
    }

    static List<object?> Column(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        using var reader = command.ExecuteReader();
        var values = new List<object?>();
        while (reader.Read()) values.Add(reader.IsDBNull(0) ? null : reader.GetValue(0));
        return values;
    }

    void Setup()
    {
        using var connection = Open();
        Column(connection, "PRAGMA journal_mode = WAL");
        Column(connection, "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO t (name) VALUES ('a'), ('b'), ('c')");
    }

    [Fact]
    public void SameSqlOnOneConnection_ReusesOneStatement_WithTheValuesBoundEachTime()
    {
        Setup();
        using var connection = Open();
        var handle = connection.Handle!;
        var before = SqliteStatementCache.Idle(handle);

        Assert.Equal(["a"], Column(connection, "SELECT name FROM t WHERE id = $id", ("$id", 1)));
        Assert.Equal(before + 1, SqliteStatementCache.Idle(handle));
        Assert.Equal(["c"], Column(connection, "SELECT name FROM t WHERE id = $id", ("$id", 3)));
        // Taken and given back: still one idle statement for that text.
        Assert.Equal(before + 1, SqliteStatementCache.Idle(handle));
        Assert.Equal([3L], Column(connection, "SELECT count(*) FROM t"));
        Assert.Equal(before + 2, SqliteStatementCache.Idle(handle));
    }

    [Fact]
    public async Task ListPages_AreNotPreparedAgain_PageAfterPage()
    {
        // SQLite plans with a bound LIMIT's value and expires the statement whenever that parameter is bound again: a page of
        // a list must keep its statement from one offset to the next.
        await using var db = DatabaseUrl.Parse("sqlite:///" + file).Open();
        await db.Database.MigrateAsync(Ct);
        await db.Database.OpenConnectionAsync(Ct);
        var handle = ((SqliteConnection)db.Database.GetDbConnection()).Handle!;
        foreach (var offset in new[] { 0, 100, 200, 100 })
            await new PageRequest(100, offset).Of(db.Subjects.OrderBy(s => s.Nickname), DatabaseProvider.Sqlite).ToListAsync(Ct);
        Assert.Equal((1, 0), SqliteStatementCache.Kept(handle, "FROM \"subjects_subject\""));
    }

    [Fact]
    public void PooledConnectionReopened_KeepsItsStatements()
    {
        Setup();
        SQLitePCL.sqlite3 handle;
        using (var first = Open())
        {
            handle = first.Handle!;
            Assert.Equal(["b"], Column(first, "SELECT name FROM t WHERE id = $id", ("$id", 2)));
        }
        var idle = SqliteStatementCache.Idle(handle);

        using var again = Open();
        Assert.Same(handle, again.Handle);
        Assert.Equal(["a"], Column(again, "SELECT name FROM t WHERE id = $id", ("$id", 1)));
        Assert.Equal(idle, SqliteStatementCache.Idle(handle));
    }

    [Fact]
    public void KeptStatement_FollowsASchemaChange()
    {
        Setup();
        using var connection = Open();
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT * FROM t WHERE id = 1";
            using var reader = command.ExecuteReader();
            Assert.Equal(2, reader.FieldCount);
        }
        Column(connection, "ALTER TABLE t ADD COLUMN extra TEXT DEFAULT 'x'");

        using var again = connection.CreateCommand();
        again.CommandText = "SELECT * FROM t WHERE id = 1";
        using var rows = again.ExecuteReader();
        Assert.True(rows.Read());
        Assert.Equal(3, rows.FieldCount);
        Assert.Equal("x", rows.GetString(2));
    }

    [Fact]
    public void StatementLeftMidRows_HoldsNoReadLock_OnceItsCommandEnds()
    {
        Setup();
        using var reading = Open();
        using (var command = reading.CreateCommand())
        {
            command.CommandText = "SELECT name FROM t ORDER BY id";
            using var reader = command.ExecuteReader();
            Assert.True(reader.Read());
        }
        // A statement finalized mid-rows without a reader to reset it (the provider's call itself): kept reset all the same.
        Assert.Equal(SQLitePCL.raw.SQLITE_OK, SQLitePCL.raw.sqlite3_prepare_v2(reading.Handle!, "SELECT name FROM t ORDER BY id DESC", out var stmt));
        Assert.Equal(SQLitePCL.raw.SQLITE_ROW, SQLitePCL.raw.sqlite3_step(stmt));
        stmt.Dispose();
        Assert.True(SqliteStatementCache.Idle(reading.Handle!) >= 2);

        // A write, then a checkpoint that must wait for no reader to move the whole log into the file and truncate it.
        using var writing = new SqliteConnection($"Data Source={file};Pooling=False");
        writing.Open();
        Column(writing, "INSERT INTO t (name) VALUES ('d')");
        using var checkpoint = writing.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
        using var result = checkpoint.ExecuteReader();
        Assert.True(result.Read());
        Assert.Equal(0L, result.GetInt64(0));
        Assert.Equal(0L, new FileInfo(file + "-wal").Length);
    }

    [Fact]
    public void ClosedConnection_FinalizesItsStatements_AndLeavesNoLogBehind()
    {
        Setup();
        using (var connection = Open())
        {
            Column(connection, "INSERT INTO t (name) VALUES ('e')");
            Assert.Equal([4L], Column(connection, "SELECT count(*) FROM t"));
            Assert.True(SqliteStatementCache.Idle(connection.Handle!) >= 2);
        }
        Assert.True(File.Exists(file + "-wal"));

        SqliteConnection.ClearAllPools();

        // The last connection of a WAL file closing checkpoints it and removes the log: a statement left unfinalized keeps
        // the connection open (a zombie) and the log with it.
        Assert.False(File.Exists(file + "-wal"));
    }

    [Fact]
    public void MoreDistinctStatementsThanKept_AllAnswer_AndTheOldestAreFinalized()
    {
        Setup();
        using var connection = Open();
        var handle = connection.Handle!;
        for (var i = 0; i < SqliteStatementCache.PerConnection + 20; i++)
            Assert.Equal([(long)i], Column(connection, $"SELECT {i}"));
        Assert.Equal(SqliteStatementCache.PerConnection, SqliteStatementCache.Idle(handle));
        Assert.Equal([7L], Column(connection, "SELECT 7"));
    }
}
