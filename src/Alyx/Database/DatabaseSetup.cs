using System.Data;
using System.Data.Common;
using Alyx.Http;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Alyx.Database;

/// <summary>Schema set-up: migrations, then the rows Alyx's own migrations create (default lab, content types).</summary>
public static class DatabaseSetup
{
    public static readonly Guid DefaultLabId = Guid.Parse("4027da48-7be3-43ec-a222-f75dffe36872");
    public const string DefaultLabName = "cortexlab";

    /// <summary>The name of the dataset type and data format every migrated database has (Alyx: data.models.default_dataset_type).</summary>
    public const string UnknownName = "unknown";

    /// <summary>Fixed keys for those rows, so that every migrated database (and every synthetic lab) is the same.</summary>
    public static readonly Guid UnknownDatasetTypeId = Guid.Parse("2f0cb1a4-3c55-4d1e-9b61-6e0d3b9c7a01");

    public static readonly Guid UnknownDataFormatId = Guid.Parse("2f0cb1a4-3c55-4d1e-9b61-6e0d3b9c7a02");

    /// <summary>The one migration of each provider: the whole schema.</summary>
    public const string InitialMigration = "20261206000000_Initial";

    /// <summary>
    /// The development migrations, oldest first, that <see cref="InitialMigration"/> replaced (never released). A
    /// database made by all of them has exactly the schema <see cref="InitialMigration"/> makes.
    /// </summary>
    public static IReadOnlyList<string> SquashedMigrations(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => ["20261126022755_Initial", "20261126031411_DataApp", "20261126033842_DatasetIdentity", "20261126061026_Experiments"],
        DatabaseProvider.Postgres => ["20261126022759_Initial", "20261126031416_DataApp", "20261126033856_DatasetIdentity", "20261126061049_Experiments"],
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    public static async Task MigrateAsync(AlyxDb db, AlyxClock clock, CancellationToken ct = default)
    {
        await using var migrating = await SqliteMigrationLock.TakeAsync(db, ct);
        await AdoptSquashedHistoryAsync(db, ct);
        // EF's migrator reads the history table before creating it, and logs that failed read on a new PostgreSQL database.
        await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), ct);
        await db.Database.MigrateAsync(ct);
        await SeedAsync(db, clock, ct);
    }

    static async Task CreatePostgresDatabaseAsync(string connectionString, CancellationToken ct)
    {
        var target = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var name = target.Database!;
        var maintenance = new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new Npgsql.NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        try
        {
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (Npgsql.PostgresException e) when (e.SqlState == "42P04")
        {
            // Created meanwhile by another process.
        }
    }

    /// <summary>
    /// A database made by the whole <see cref="SquashedMigrations"/> chain gets, in one transaction, the history row of
    /// <see cref="InitialMigration"/> in place of the chain's rows, so that migrating leaves its schema and rows alone.
    /// A database made by only part of the chain is refused with <see cref="MigrationHistoryException"/>.
    /// </summary>
    static async Task AdoptSquashedHistoryAsync(AlyxDb db, CancellationToken ct)
    {
        // Read on the bare connection: EF's own history read logs a failed command when the table is missing (new database).
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != ConnectionState.Open;
        try
        {
            if (opened) await connection.OpenAsync(ct);
        }
        catch (DbException e) when (e.SqlState == "3D000")
        {
            // A PostgreSQL database not created yet: created here, through the server's maintenance database, so that
            // EF's migrator does not first fail (and log an error) on it.
            await CreatePostgresDatabaseAsync(connection.ConnectionString, ct);
            return;
        }
        try
        {
            var applied = await AppliedMigrationsAsync(connection, db.Provider, ct);
            var chain = SquashedMigrations(db.Provider);
            if (!applied.Intersect(chain).Any()) return;
            var missing = chain.Except(applied).ToList();
            if (missing.Count > 0)
            {
                throw new MigrationHistoryException(
                    $"the database was made by development migrations that {InitialMigration} replaced, and only part of them were " +
                    $"applied: it lacks {string.Join(", ", missing)}. Bring it to {chain[^1]} with a build from before " +
                    $"{InitialMigration}, or recreate it with 'alyx reset --yes' (which deletes its rows).");
            }
            var history = db.GetService<IHistoryRepository>();
            await using var tx = await connection.BeginTransactionAsync(ct);
            var deleted = 0;
            foreach (var id in chain) deleted += await ExecuteAsync(tx, history.GetDeleteScript(id), ct);
            // Fewer rows than read: another process converted the history in the meantime (the transaction rolls back).
            if (deleted != chain.Count) return;
            if (!applied.Contains(InitialMigration))
                await ExecuteAsync(tx, history.GetInsertScript(new HistoryRow(InitialMigration, ProductInfo.GetVersion())), ct);
            await tx.CommitAsync(ct);
        }
        finally
        {
            if (opened) await connection.CloseAsync();
        }
    }

    /// <summary>The ids in EF's history table (its default name, which Alyx keeps), none when the table is missing.</summary>
    static async Task<List<string>> AppliedMigrationsAsync(DbConnection connection, DatabaseProvider provider, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = provider == DatabaseProvider.Postgres
            ? """SELECT to_regclass('"__EFMigrationsHistory"') IS NOT NULL"""
            : "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory')";
        if (await command.ExecuteScalarAsync(ct) is not (true or 1L)) return [];
        command.CommandText = """SELECT "MigrationId" FROM "__EFMigrationsHistory" """;
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) ids.Add(reader.GetString(0));
        return ids;
    }

    static async Task<int> ExecuteAsync(DbTransaction tx, string sql, CancellationToken ct)
    {
        await using var command = tx.Connection!.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync(ct);
    }

    public static async Task SeedAsync(AlyxDb db, AlyxClock clock, CancellationToken ct = default)
    {
        if (!await db.Labs.AnyAsync(l => l.Name == DefaultLabName, ct) && !await db.Labs.AnyAsync(l => l.Id == DefaultLabId, ct))
            db.Labs.Add(new Lab { Id = DefaultLabId, Name = DefaultLabName, Timezone = clock.Zone.Id });
        // Alyx's Dataset.dataset_type and data_format defaults create these rows when it migrates; its datasets fall back to them.
        if (!await db.DatasetTypes.AnyAsync(t => t.Name == UnknownName, ct)) db.DatasetTypes.Add(new Data.DatasetType { Id = UnknownDatasetTypeId, Name = UnknownName });
        if (!await db.DataFormats.AnyAsync(f => f.Name == UnknownName, ct)) db.DataFormats.Add(new Data.DataFormat { Id = UnknownDataFormatId, Name = UnknownName });
        var existing = await db.ContentTypes.Select(c => c.AppLabel + "." + c.Model).ToListAsync(ct);
        foreach (var label in db.Model.GetEntityTypes().Select(e => e.ModelLabelOf()).OfType<string>().Except(existing).Order(StringComparer.Ordinal))
        {
            var parts = label.Split('.');
            db.ContentTypes.Add(new ContentType { AppLabel = parts[0], Model = parts[1] });
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Drops every table of the database, then recreates the schema.</summary>
    public static async Task ResetAsync(AlyxDb db, AlyxClock clock, CancellationToken ct = default)
    {
        await db.Database.EnsureDeletedAsync(ct);
        await MigrateAsync(db, clock, ct);
    }
}

/// <summary>The database's migration history cannot be brought to the current migrations.</summary>
public sealed class MigrationHistoryException(string message) : Exception(message);
