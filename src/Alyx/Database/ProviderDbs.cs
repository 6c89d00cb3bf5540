using Alyx.Filtering;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Alyx.Database;

/// <summary>SQLite: the embedded default. UUIDs are stored as lowercase text, as a person reading the file expects.</summary>
public sealed class SqliteAlyxDb(DbContextOptions<SqliteAlyxDb> options) : AlyxDb(options)
{
    /// <summary>
    /// EF rebuilds a SQLite table (to add a foreign key) inside the migration's transaction, between two <c>PRAGMA foreign_keys</c>
    /// statements that SQLite cannot run in one; the pragma is per connection, so an interrupted rebuild leaves nothing
    /// half-applied in the file, and EF's warning about it is not shown to users.
    /// </summary>
    internal static void MigrationWarnings(Microsoft.EntityFrameworkCore.Diagnostics.WarningsConfigurationBuilder w) =>
        w.Ignore(Microsoft.EntityFrameworkCore.Diagnostics.RelationalEventId.NonTransactionalMigrationOperationWarning);

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        JsonSql.RegisterSqlite(modelBuilder);
        // SQLite has no NULLS NOT DISTINCT: the nullable parts of a dataset's identity go through a generated key column.
        modelBuilder.Entity<Data.Dataset>(b =>
        {
            b.Property<string>(Data.DatasetIdentity.SqliteKeyColumn).HasComputedColumnSql(
                "coalesce(session_id, '') || ' ' || coalesce(content_type_id, '') || ' ' || coalesce(object_id, '') || ' ' || coalesce(revision_id, '')",
                stored: false);
            b.HasIndex(Data.DatasetIdentity.SqliteKeyColumn, nameof(Data.Dataset.Collection), nameof(Data.Dataset.Name))
                .IsUnique().HasDatabaseName(Data.DatasetIdentity.IndexName);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<Guid>().HaveConversion<LowerGuidConverter>();
    }

    sealed class LowerGuidConverter() : ValueConverter<Guid, string>(g => g.ToString("D"), s => Guid.Parse(s));
}

/// <summary>PostgreSQL: naive timestamps and jsonb, as Alyx's own schema has them.</summary>
public sealed class PostgresAlyxDb(DbContextOptions<PostgresAlyxDb> options) : AlyxDb(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.IsJsonColumn()) property.SetColumnType("jsonb");
            }
        }
        JsonSql.RegisterPostgres(modelBuilder);
        modelBuilder.Entity<Data.Dataset>().HasIndex(d => new { d.SessionId, d.Collection, d.Name, d.RevisionId, d.ContentTypeId, d.ObjectId })
            .IsUnique().AreNullsDistinct(false).HasDatabaseName(Data.DatasetIdentity.IndexName);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTime>().HaveColumnType("timestamp without time zone");
    }
}

public sealed class SqliteDesignFactory : IDesignTimeDbContextFactory<SqliteAlyxDb>
{
    public SqliteAlyxDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAlyxDb>().UseSqlite("Data Source=design.db").Options);
}

public sealed class PostgresDesignFactory : IDesignTimeDbContextFactory<PostgresAlyxDb>
{
    public PostgresAlyxDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAlyxDb>().UseNpgsql("Host=localhost;Database=alyx_design").Options);
}
