using Alyx.Database;
using Npgsql;

namespace Alyx.Tests.Database;

/// <summary>The server's PostgreSQL connections: statements kept prepared, no reset when a connection goes back to the pool.</summary>
public sealed class ServerConnectionStringTests
{
    [Fact]
    public void Postgres_KeepsStatementsPrepared_AndSkipsThePoolReset()
    {
        var server = new NpgsqlConnectionStringBuilder(DatabaseUrl.Parse("postgres://alyx:secret@db.example:6543/lab").ForServer().ConnectionString);
        Assert.Equal(256, server.MaxAutoPrepare);
        Assert.Equal(2, server.AutoPrepareMinUsages);
        Assert.True(server.NoResetOnClose);
        Assert.Equal(("db.example", 6543, "lab", "alyx", "secret"), (server.Host, server.Port, server.Database, server.Username, server.Password));
    }

    [Fact]
    public void Postgres_TheUrlsOwnSettingsWin()
    {
        var url = DatabaseUrl.Parse("postgres://alyx@db.example/lab?No%20Reset%20On%20Close=false&Max%20Auto%20Prepare=10&Auto%20Prepare%20Min%20Usages=7");
        var server = new NpgsqlConnectionStringBuilder(url.ForServer().ConnectionString);
        Assert.Equal((10, 7, false), (server.MaxAutoPrepare, server.AutoPrepareMinUsages, server.NoResetOnClose));
    }

    [Fact]
    public void Sqlite_IsUnchanged()
    {
        var url = DatabaseUrl.Parse("sqlite:////tmp/lab.db");
        Assert.Equal(url.ConnectionString, url.ForServer().ConnectionString);
    }
}
