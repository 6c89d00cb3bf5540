using Alyx.Database;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Database;

public sealed class MigrationsTests
{
    [Fact]
    public void SqliteMigrations_MatchTheModel()
    {
        using var db = new SqliteDesignFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(),
            "The SQLite model snapshot is out of date: run 'dotnet ef migrations add <Name> --context SqliteAlyxDb --output-dir Database/Migrations/Sqlite --namespace Alyx.Database.Migrations.Sqlite' in src/Alyx.");
    }

    [Fact]
    public void PostgresMigrations_MatchTheModel()
    {
        using var db = new PostgresDesignFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(),
            "The PostgreSQL model snapshot is out of date: run 'dotnet ef migrations add <Name> --context PostgresAlyxDb --output-dir Database/Migrations/Postgres --namespace Alyx.Database.Migrations.Postgres' in src/Alyx.");
    }

    [Fact]
    public void Model_TablesAndColumns_FollowDjangoNames()
    {
        using var db = new SqliteDesignFactory().CreateDbContext([]);
        var user = db.Model.FindEntityType(typeof(Alyx.Misc.LabMember))!;
        Assert.Equal("misc_labmember", user.GetTableName());
        Assert.Equal("is_public_user", user.FindProperty(nameof(Alyx.Misc.LabMember.IsPublicUser))!.GetColumnName());
        var lab = db.Model.FindEntityType(typeof(Alyx.Misc.Lab))!;
        Assert.Equal("cage_type_id", lab.FindProperty(nameof(Alyx.Misc.Lab.CageTypeId))!.GetColumnName());
    }
}
