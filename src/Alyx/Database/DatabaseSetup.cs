using Alyx.Http;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Database;

/// <summary>Schema set-up: migrations, then the rows Alyx's own migrations create (default lab, content types).</summary>
public static class DatabaseSetup
{
    public static readonly Guid DefaultLabId = Guid.Parse("4027da48-7be3-43ec-a222-f75dffe36872");
    public const string DefaultLabName = "cortexlab";

    public static async Task MigrateAsync(AlyxDb db, AlyxClock clock, CancellationToken ct = default)
    {
        await db.Database.MigrateAsync(ct);
        await SeedAsync(db, clock, ct);
    }

    public static async Task SeedAsync(AlyxDb db, AlyxClock clock, CancellationToken ct = default)
    {
        if (!await db.Labs.AnyAsync(l => l.Name == DefaultLabName, ct) && !await db.Labs.AnyAsync(l => l.Id == DefaultLabId, ct))
            db.Labs.Add(new Lab { Id = DefaultLabId, Name = DefaultLabName, Timezone = clock.Zone.Id });
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
