using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Database;

/// <summary>One slug reference resolved by a compiled query kept per query shape: its rows and DRF's messages.</summary>
public sealed class SlugsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SetsOfOneShape_ShareOneCompiledLookup_AndEachResolvesItsValue()
    {
        var (first, second) = (AlyxApp.Unique("lab"), AlyxApp.Unique("lab"));
        await app.WithDbAsync(async db =>
        {
            db.Labs.AddRange(new Lab { Name = first }, new Lab { Name = second });
            await db.SaveChangesAsync(Ct);
        });

        var (one, two, lookups) = await app.WithDbAsync(async db =>
        {
            var errors = new ErrorMap();
            // Two trees built apart, as two requests build them: equal in shape, not the same objects.
            var one = await Slugs.ResolveOneAsync(db, db.Labs.AsNoTracking(), l => l.Name, "name", first, "lab", errors, Ct);
            var two = await Slugs.ResolveOneAsync(db, db.Labs.AsNoTracking(), lab => lab.Name, "name", second, "lab", errors, Ct);
            Assert.False(errors.Any);
            return (one, two, (Slugs.Lookup(db.Labs.AsNoTracking(), l => l.Name), Slugs.Lookup(db.Labs.AsNoTracking(), l => l.Name)));
        });

        Assert.Equal(first, one!.Name);
        Assert.Equal(second, two!.Name);
        Assert.Same(lookups.Item1, lookups.Item2);
    }

    [Fact]
    public async Task MissingAndAmbiguousValues_AnswerDrfsMessages()
    {
        // Lab locations may share a name (unique per lab only): two of them make the name ambiguous.
        var (lab, other, name) = (AlyxApp.Unique("lab"), AlyxApp.Unique("lab"), AlyxApp.Unique("rig"));
        await app.WithDbAsync(async db =>
        {
            var labs = new[] { new Lab { Name = lab }, new Lab { Name = other } };
            db.Labs.AddRange(labs);
            db.LabLocations.AddRange(new LabLocation { Name = name, Lab = labs[0] }, new LabLocation { Name = name, Lab = labs[1] });
            await db.SaveChangesAsync(Ct);
        });

        var errors = await app.WithDbAsync(async db =>
        {
            var errors = new ErrorMap();
            Assert.Null(await Slugs.ResolveOneAsync(db, db.LabLocations.AsNoTracking(), l => l.Name, "name", name, "location", errors, Ct));
            Assert.Null(await Slugs.ResolveOneAsync(db, db.Labs.AsNoTracking(), l => l.Name, "name", "no-such-lab", "lab", errors, Ct));
            return errors;
        });

        var body = errors.ToBody();
        Assert.Equal([$"More than one object with name={name} exists."], body["location"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal(["Object with name=no-such-lab does not exist."], body["lab"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Fact]
    public async Task SetFilteredByACapturedValue_FindsOnlyItsRows()
    {
        var (lab, other, name) = (AlyxApp.Unique("lab"), AlyxApp.Unique("lab"), AlyxApp.Unique("rig"));
        var labIds = await app.WithDbAsync(async db =>
        {
            var labs = new[] { new Lab { Name = lab }, new Lab { Name = other } };
            db.Labs.AddRange(labs);
            db.LabLocations.Add(new LabLocation { Name = name, Lab = labs[0] });
            await db.SaveChangesAsync(Ct);
            return labs.Select(l => l.Id).ToArray();
        });

        var found = await app.WithDbAsync(async db =>
        {
            var results = new List<LabLocation?>();
            foreach (var id in labIds)
                results.Add(await Slugs.ResolveOneAsync(db, db.LabLocations.AsNoTracking().Where(l => l.LabId == id), l => l.Name, "name", name, "location", new ErrorMap(), Ct));
            return results;
        });

        Assert.Equal(labIds[0], found[0]!.LabId);
        Assert.Null(found[1]);
    }
}
