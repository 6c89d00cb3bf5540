using Alyx.Actions;
using Alyx.Tests.Infrastructure;
using static Alyx.Tests.Actions.ActionsSeed;

namespace Alyx.Tests.Admin;

/// <summary>The subject's change page carries its weight plot and the start / end water restriction buttons.</summary>
public sealed class SubjectWaterSectionTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SubjectPage_ShowsThePlot_AndTheButtonForItsRestrictionState()
    {
        var (client, username) = await AdminClient.SignedInAsync(app);
        var restricted = await SubjectAsync(app, responsible: username);
        var free = await SubjectAsync(app, responsible: username);
        await app.WithDbAsync(async db =>
        {
            db.AddRange(
                new WaterRestriction { SubjectId = restricted.Id, StartTime = T(2024, 3, 1, 10), ReferenceWeight = 20 },
                new Weighing { SubjectId = restricted.Id, Weight = 19, DateTime = T(2024, 3, 2, 10) },
                new Weighing { SubjectId = free.Id, Weight = 23.5, DateTime = T(2024, 3, 2, 10) });
            await db.SaveChangesAsync(Ct);
        });

        var page = await client.PageAsync($"/admin/subjects/subject/{restricted.Id}/change/");
        Assert.Contains("Weight and water", AdminClient.Text(page));
        Assert.Contains("<svg", page);
        Assert.Contains("End water restriction", page);
        Assert.DoesNotContain("Start water restriction", page);
        Assert.Contains($"href=\"/admin-actions/water-history/{restricted.Id}\"", page);

        var other = await client.PageAsync($"/admin/subjects/subject/{free.Id}/change/");
        Assert.Contains("Start water restriction", other);
        Assert.DoesNotContain("End water restriction", other);
        // Read-only figures read as a person writes them: 4 % of 23.5 g is 0.94 mL (0.9400000000000001 in binary).
        Assert.Contains("Expected water: 0.94 ", AdminClient.Text(other));
        Assert.DoesNotContain("0.9400000000000001", other);
    }
}
