using System.Text;
using Alyx.Actions;
using Alyx.Data;
using Alyx.Database;
using Alyx.Database.Import;
using Alyx.Http;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Data;

/// <summary>
/// The dataset type and data format named <c>unknown</c> (issue 13 item 7): Alyx's field defaults create them when it migrates,
/// so they exist after <c>alyx migrate</c> here too; a dump holding Alyx's own rows of that name takes their place on import.
/// </summary>
public sealed class UnknownRowsTests : IAsyncLifetime
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;
    static readonly AlyxClock Clock = new(TimeProvider.System, TimeZoneInfo.Utc);

    readonly List<IAsyncDisposable> owners = [];
    readonly List<string> files = [];
    string url = "";

    public async ValueTask InitializeAsync()
    {
        var (created, owner) = await TestDatabase.CreateEmptyAsync();
        owners.Add(owner);
        url = created;
        await using var db = TestDatabase.Open(url);
        await DatabaseSetup.MigrateAsync(db, Clock, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var owner in owners) await owner.DisposeAsync();
        foreach (var file in files) File.Delete(file);
    }

    [Fact]
    public async Task Migrate_EmptyDatabase_HasTheUnknownDatasetTypeAndDataFormat_AndStillHoldsNoData()
    {
        await using var db = TestDatabase.Open(url);
        Assert.Equal(["unknown"], await db.DatasetTypes.Select(t => t.Name).ToListAsync(Ct));
        Assert.Equal(["unknown"], await db.DataFormats.Select(f => f.Name).ToListAsync(Ct));
        var type = await db.DatasetTypes.SingleAsync(Ct);
        Assert.Equal(("", (string?)null, (string?)null), (type.Description, type.FilenamePattern, type.Json));
        Assert.False(await DatabaseBackup.HoldsDataAsync(db, Ct));

        // Migrating again adds nothing.
        var id = type.Id;
        await DatabaseSetup.MigrateAsync(db, Clock, Ct);
        Assert.Equal([id], await db.DatasetTypes.Select(t => t.Id).ToListAsync(Ct));
        Assert.Equal(1, await db.DataFormats.CountAsync(Ct));
    }

    [Fact]
    public async Task ImportDump_AlyxsOwnUnknownRows_ReplaceTheMigratedOnes_AndTheirDatasetsFollow()
    {
        Guid dataset;
        await using (var db = TestDatabase.Open(url))
        {
            var subject = new Subject { Nickname = AlyxApp.Unique("mouse"), LabId = DatabaseSetup.DefaultLabId };
            var session = new Session { Subject = subject, StartTime = new DateTime(2024, 1, 2), Number = 1 };
            var row = new Dataset
            {
                Session = session,
                Name = "a.b.npy",
                DatasetTypeId = await db.DatasetTypes.Select(t => t.Id).SingleAsync(Ct),
                DataFormatId = await db.DataFormats.Select(f => f.Id).SingleAsync(Ct),
            };
            db.Add(row);
            await db.SaveChangesAsync(Ct);
            dataset = row.Id;
        }
        Guid type = Guid.NewGuid(), format = Guid.NewGuid();
        var file = Path.Combine(Path.GetTempPath(), $"alyx-unknown-{Guid.NewGuid():N}.json");
        files.Add(file);
        await File.WriteAllTextAsync(file, $$"""
            [{"model": "data.datasettype", "pk": "{{type}}", "fields": {"name": "unknown", "json": null, "created_by": null, "description": "",
              "filename_pattern": ""} },
             {"model": "data.dataformat", "pk": "{{format}}", "fields": {"name": "unknown", "json": null, "description": "", "file_extension": "",
              "matlab_loader_function": "", "python_loader_function": ""} }]
            """, Encoding.UTF8, Ct);

        await using (var db = TestDatabase.Open(url)) await new DumpImporter(db, Clock).ImportAsync([file], Ct);

        await using (var db = TestDatabase.Open(url))
        {
            Assert.Equal([(type, "unknown")], (await db.DatasetTypes.Select(t => new { t.Id, t.Name }).ToListAsync(Ct)).Select(t => (t.Id, t.Name)));
            Assert.Equal([(format, "unknown")], (await db.DataFormats.Select(f => new { f.Id, f.Name }).ToListAsync(Ct)).Select(f => (f.Id, f.Name)));
            var row = await db.Datasets.SingleAsync(d => d.Id == dataset, Ct);
            Assert.Equal((type, format), (row.DatasetTypeId, row.DataFormatId));
        }
        // Importing the same dump again changes nothing.
        await using (var db = TestDatabase.Open(url)) await new DumpImporter(db, Clock).ImportAsync([file], Ct);
        await using (var db = TestDatabase.Open(url)) Assert.Equal([type], await db.DatasetTypes.Select(t => t.Id).ToListAsync(Ct));
    }
}
