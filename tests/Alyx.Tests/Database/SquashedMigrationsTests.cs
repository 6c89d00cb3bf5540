using System.Data.Common;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Alyx.Database;
using Alyx.Http;
using Alyx.Tests.Cli;
using Alyx.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Database;

/// <summary>
/// Databases made by the development migration chain that the single initial migration replaced: built from that
/// chain's SQL script (Database/OldMigrationChain.*.sql, printed by 'dotnet ef migrations script' before the chain was
/// deleted), on the provider the suite runs on.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class SquashedMigrationsTests
{
    const string Initial = "20261206000000_Initial";
    static readonly string[] SqliteChain = ["20261126022755_Initial", "20261126031411_DataApp", "20261126033842_DatasetIdentity", "20261126061026_Experiments"];
    static readonly string[] PostgresChain = ["20261126022759_Initial", "20261126031416_DataApp", "20261126033856_DatasetIdentity", "20261126061049_Experiments"];
    static string[] Chain => TestDatabase.IsPostgres ? PostgresChain : SqliteChain;

    const string TokenKey = "0ld0c4a1n0ld0c4a1n0ld0c4a1n0ld0c4a1n0ld0";

    // Rows as the old version wrote them, in SQL both providers read (uuids as text, booleans as true/false).
    const string OldRows = """
        INSERT INTO misc_lab (id, institution, address, timezone, reference_weight_pct, zscore_weight_pct, name)
        VALUES ('5f0c3a52-3d55-4c1c-9a77-2f4d2c1b0a01', 'Old Institute', '1 Old Road', 'Europe/London', 0.8, 0, 'oldchainlab');
        INSERT INTO misc_labmember (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active,
            date_joined, is_stock_manager, is_public_user)
        VALUES ('5f0c3a52-3d55-4c1c-9a77-2f4d2c1b0a02', '!', false, 'oldchain_user', 'Old', 'Chain', 'old@example.org', false, true,
            '2020-01-02 03:04:05', false, false);
        INSERT INTO authtoken_token (key, user_id, created)
        VALUES ('0ld0c4a1n0ld0c4a1n0ld0c4a1n0ld0c4a1n0ld0', '5f0c3a52-3d55-4c1c-9a77-2f4d2c1b0a02', '2020-01-02 03:04:05');
        INSERT INTO subjects_subject (id, nickname, sex, birth_date, responsible_user_id, lab_id, ear_mark, protocol_number,
            description, adverse_effects, to_be_genotyped, to_be_culled, name)
        VALUES ('5f0c3a52-3d55-4c1c-9a77-2f4d2c1b0a03', 'OLD001', 'F', '2020-03-04', '5f0c3a52-3d55-4c1c-9a77-2f4d2c1b0a02',
            '5f0c3a52-3d55-4c1c-9a77-2f4d2c1b0a01', '', '3', 'made by the old chain', '', false, false, '');
        """;

    /// <summary>The migrations of this build on the suite's provider: the initial one, then those added after the squash.</summary>
    static string[] Current
    {
        get
        {
            using AlyxDb db = TestDatabase.IsPostgres ? new PostgresDesignFactory().CreateDbContext([]) : new SqliteDesignFactory().CreateDbContext([]);
            return [.. db.Database.GetMigrations()];
        }
    }

    [Fact]
    public void Migrations_StartWithTheOneInitialMigration_SameIdsOnBothProviders()
    {
        using var sqlite = new SqliteDesignFactory().CreateDbContext([]);
        using var postgres = new PostgresDesignFactory().CreateDbContext([]);
        Assert.Equal(Initial, sqlite.Database.GetMigrations().First());
        Assert.Equal(sqlite.Database.GetMigrations(), postgres.Database.GetMigrations());
    }

    [Fact]
    public async Task Serve_DatabaseMadeByTheWholeOldChain_OpensWithTheInitialMigrationOnlyItsRowsAndAFreshSchema()
    {
        var ct = TestContext.Current.CancellationToken;
        var (oldUrl, oldOwner) = await TestDatabase.CreateEmptyAsync();
        var (freshUrl, freshOwner) = await TestDatabase.CreateEmptyAsync();
        await using (oldOwner)
        await using (freshOwner)
        {
            await ExecuteAsync(oldUrl, await OldChainScriptAsync() + "\n" + OldRows, ct);
            Assert.Equal(Chain, await HistoryAsync(oldUrl, ct));

            string subject;
            await using (var server = new ServerOn(oldUrl))
            {
                var client = server.CreateClient();
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Token", TokenKey);
                var response = await client.GetAsync("/subjects/OLD001", ct);
                subject = await response.AssertStatusAsync(HttpStatusCode.OK);
            }

            using var json = JsonDocument.Parse(subject);
            var root = json.RootElement;
            Assert.Equal("OLD001", root.GetProperty("nickname").GetString());
            Assert.Equal("5f0c3a52-3d55-4c1c-9a77-2f4d2c1b0a03", root.GetProperty("id").GetString());
            Assert.Equal("oldchain_user", root.GetProperty("responsible_user").GetString());
            Assert.Equal("oldchainlab", root.GetProperty("lab").GetString());
            Assert.Equal("2020-03-04", root.GetProperty("birth_date").GetString());
            Assert.Equal("made by the old chain", root.GetProperty("description").GetString());
            Assert.Equal(Current, await HistoryAsync(oldUrl, ct));

            await using (var fresh = TestDatabase.Open(freshUrl))
                await DatabaseSetup.MigrateAsync(fresh, new AlyxClock(TimeProvider.System, TimeZoneInfo.Utc), ct);
            Assert.Equal(Current, await HistoryAsync(freshUrl, ct));
            var expected = await SchemaAsync(freshUrl, ct);
            Assert.True(expected.Count > 300, $"schema description too short: {expected.Count} lines");
            Assert.Equal(expected, await SchemaAsync(oldUrl, ct));
        }
    }

    [Fact]
    public async Task Migrate_DatabaseMadeByPartOfTheOldChain_RefusesNamingTheMissingMigrations()
    {
        var ct = TestContext.Current.CancellationToken;
        var (url, owner) = await TestDatabase.CreateEmptyAsync();
        await using (owner)
        {
            await ExecuteAsync(url, OldChainUpTo(await OldChainScriptAsync(), Chain[1]), ct);
            Assert.Equal(Chain[..2], await HistoryAsync(url, ct));

            var (code, error) = await RunCliAsync("migrate", "--database", url);

            Assert.Equal(2, code);
            Assert.Equal(
                "alyx migrate: the database was made by development migrations that 20261206000000_Initial replaced, and only part " +
                $"of them were applied: it lacks {Chain[2]}, {Chain[3]}. Bring it to {Chain[3]} with a build from before " +
                "20261206000000_Initial, or recreate it with 'alyx reset --yes' (which deletes its rows).",
                error.Trim());
            Assert.Equal(Chain[..2], await HistoryAsync(url, ct));
            Assert.DoesNotContain(await SchemaAsync(url, ct), line => line.Contains("experiments_probemodel", StringComparison.Ordinal));
        }
    }

    static async Task<string> OldChainScriptAsync()
    {
        var name = TestDatabase.IsPostgres ? "OldMigrationChain.postgres.sql" : "OldMigrationChain.sqlite.sql";
        await using var stream = typeof(SquashedMigrationsTests).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded resource {name} is missing");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    /// <summary>The script cut after the migration <paramref name="last"/> (SQLite: one transaction per migration;
    /// PostgreSQL: one transaction of guarded blocks, the last block of a migration inserting its history row).</summary>
    static string OldChainUpTo(string script, string last)
    {
        if (!TestDatabase.IsPostgres)
        {
            var commit = script.IndexOf("COMMIT;", script.IndexOf($"'{last}'", StringComparison.Ordinal), StringComparison.Ordinal);
            return script[..(commit + "COMMIT;".Length)];
        }
        var end = script.IndexOf("END $EF$;", script.LastIndexOf($"'{last}'", StringComparison.Ordinal), StringComparison.Ordinal);
        return script[..(end + "END $EF$;".Length)] + "\nCOMMIT;\n";
    }

    static async Task ExecuteAsync(string url, string sql, CancellationToken ct)
    {
        await using var db = TestDatabase.Open(url);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    static async Task<List<string>> HistoryAsync(string url, CancellationToken ct) =>
        await QueryAsync(url, """SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY "MigrationId" """, ct);

    /// <summary>Every table, column, constraint and index, one line each, in a fixed order.</summary>
    static async Task<List<string>> SchemaAsync(string url, CancellationToken ct)
    {
        if (!TestDatabase.IsPostgres)
            return await QueryAsync(url, "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name", ct);
        var lines = new List<string>();
        lines.AddRange(await QueryAsync(url, """
            SELECT table_name, column_name, ordinal_position, data_type, character_maximum_length, numeric_precision,
                   is_nullable, column_default, is_identity, identity_generation, is_generated, generation_expression
            FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position
            """, ct));
        lines.AddRange(await QueryAsync(url, """
            SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)
            FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2
            """, ct));
        lines.AddRange(await QueryAsync(url, "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1, 2", ct));
        lines.AddRange(await QueryAsync(url, "SELECT sequencename, data_type, start_value, increment_by FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1", ct));
        return lines;
    }

    static async Task<List<string>> QueryAsync(string url, string sql, CancellationToken ct)
    {
        await using var db = TestDatabase.Open(url);
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using DbDataReader reader = await command.ExecuteReaderAsync(ct);
        var lines = new List<string>();
        while (await reader.ReadAsync(ct))
            lines.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return lines;
    }

    static async Task<(int Code, string Error)> RunCliAsync(params string[] args)
    {
        var (code, _, error) = await Infrastructure.Cli.RunAsync(args);
        return (code, error);
    }

    /// <summary>The server as 'alyx serve' starts it (migrations on start) on the given database.</summary>
    sealed class ServerOn(string url) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("database", url);
            builder.UseSetting("MIGRATE_ON_START", "true");
            builder.UseSetting("MEDIA_ROOT", Path.Combine(Path.GetTempPath(), "alyx-test-media"));
            builder.ConfigureLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddFilter("Microsoft.EntityFrameworkCore", LogLevel.None));
        }
    }
}
