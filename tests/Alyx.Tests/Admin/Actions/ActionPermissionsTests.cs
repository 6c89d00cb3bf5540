using System.Net;
using Alyx.Actions;
using Alyx.Http;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Alyx.Tests.Actions.ActionsSeed;

namespace Alyx.Tests.Admin.Actions;

/// <summary>
/// The writes of the /admin-actions pages follow the generic pages' object rules (conventions §6.3): today's weight and
/// water entry, start and end of a water restriction, each for a husbandry member, the owner (responsible user), one of the
/// users the owner allows, and a superuser (all written), and a lab member who is none of these (refused, nothing written).
/// The read pages need the "Lab members" model permission, as the generic pages do.
/// </summary>
public sealed class ActionPermissionsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    DateTime Now => app.Services.GetRequiredService<AlyxClock>().Now;

    public enum Who
    {
        Husbandry,
        Owner,
        Allowed,
        Superuser,
        OtherMember,
    }

    /// <summary>A subject owned by a new staff user, a client signed in as <paramref name="who"/>.</summary>
    async Task<(Mouse Mouse, AdminClient Client)> SetUpAsync(Who who)
    {
        var owner = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var mouse = await SubjectAsync(app, responsible: owner);
        string username;
        if (who == Who.Owner) username = owner;
        else
        {
            username = await AdminClient.CreateUserAsync(app, who switch
            {
                Who.Husbandry => AdminRole.Husbandry,
                Who.Superuser => AdminRole.Superuser,
                _ => AdminRole.Staff,
            });
            if (who == Who.Allowed)
                await app.WithDbAsync(async db =>
                {
                    var o = await db.Users.Include(u => u.AllowedUsers).SingleAsync(u => u.Username == owner, Ct);
                    o.AllowedUsers.Add(await db.Users.SingleAsync(u => u.Username == username, Ct));
                    await db.SaveChangesAsync(Ct);
                });
        }
        var client = AdminClient.Anonymous(app);
        Assert.Equal(HttpStatusCode.Redirect, (await client.LoginAsync(username, AdminClient.Password)).StatusCode);
        return (mouse, client);
    }

    static bool Allowed(Who who) => who != Who.OtherMember;

    Task OpenRestrictionAsync(Guid subject) => app.WithDbAsync(async db =>
    {
        db.Add(new WaterRestriction { SubjectId = subject, StartTime = Now.AddDays(-1), ReferenceWeight = 20 });
        await db.SaveChangesAsync(Ct);
    });

    Task<int> WeighingsAsync(Guid subject) => app.WithDbAsync(db => db.Set<Weighing>().CountAsync(w => w.SubjectId == subject, Ct));

    Task<int> WatersAsync(Guid subject) => app.WithDbAsync(db => db.Set<WaterAdministration>().CountAsync(w => w.SubjectId == subject, Ct));

    Task<List<DateTime?>> RestrictionEndsAsync(Guid subject) =>
        app.WithDbAsync(db => db.Set<WaterRestriction>().Where(r => r.SubjectId == subject).Select(r => r.EndTime).ToListAsync(Ct));

    [Theory]
    [InlineData(Who.Husbandry)]
    [InlineData(Who.Owner)]
    [InlineData(Who.Allowed)]
    [InlineData(Who.Superuser)]
    [InlineData(Who.OtherMember)]
    public async Task Today_WeightAndWater(Who who)
    {
        var (mouse, client) = await SetUpAsync(who);
        await OpenRestrictionAsync(mouse.Id);
        var page = await client.PageAsync($"/admin-actions/today/?user={mouse.Responsible}");
        Assert.Contains($"data-subject=\"{mouse.Nickname}\"", page);
        // The entry form is offered only where the post is allowed.
        Assert.Equal(Allowed(who), page.Contains($"data-entry-for=\"{mouse.Nickname}\"", StringComparison.Ordinal));

        var response = await client.SubmitAsync("/admin-actions/today/", "/admin-actions/today/",
            new() { ["subject_id"] = mouse.Id.ToString(), ["weight"] = "19.5", ["water_administered"] = "0.4" });
        if (Allowed(who))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(1, await WeighingsAsync(mouse.Id));
            Assert.Equal(1, await WatersAsync(mouse.Id));
        }
        else
        {
            Assert.Contains("Permission denied", await response.AssertStatusAsync(HttpStatusCode.Forbidden));
            Assert.Equal(0, await WeighingsAsync(mouse.Id));
            Assert.Equal(0, await WatersAsync(mouse.Id));
        }
    }

    [Theory]
    [InlineData(Who.Husbandry)]
    [InlineData(Who.Owner)]
    [InlineData(Who.Allowed)]
    [InlineData(Who.Superuser)]
    [InlineData(Who.OtherMember)]
    public async Task StartAndEndWaterRestriction(Who who)
    {
        var (mouse, client) = await SetUpAsync(who);
        var changePage = $"/admin/subjects/subject/{mouse.Id}/change/";
        var page = await client.PageAsync(changePage);
        Assert.Equal(Allowed(who), page.Contains("Start water restriction", StringComparison.Ordinal));
        Assert.Equal(Allowed(who), (await client.PageAsync($"/admin-actions/water-history/{mouse.Id}")).Contains("Start water restriction", StringComparison.Ordinal));

        var start = await client.SubmitAsync(changePage, $"/admin-actions/water-restriction/{mouse.Id}/start", new() { ["next"] = changePage });
        if (Allowed(who))
        {
            Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
            Assert.Equal([null], await RestrictionEndsAsync(mouse.Id));
        }
        else
        {
            Assert.Contains("Permission denied", await start.AssertStatusAsync(HttpStatusCode.Forbidden));
            Assert.Empty(await RestrictionEndsAsync(mouse.Id));
            // The owner starts it; the other member may not end it either.
            await OpenRestrictionAsync(mouse.Id);
        }
        var end = await client.SubmitAsync(changePage, $"/admin-actions/water-restriction/{mouse.Id}/end", new() { ["next"] = changePage });
        if (Allowed(who))
        {
            Assert.Equal(HttpStatusCode.Redirect, end.StatusCode);
            Assert.NotNull(Assert.Single(await RestrictionEndsAsync(mouse.Id)));
        }
        else
        {
            Assert.Contains("Permission denied", await end.AssertStatusAsync(HttpStatusCode.Forbidden));
            Assert.Null(Assert.Single(await RestrictionEndsAsync(mouse.Id)));
        }
    }

    [Fact]
    public async Task ARestrictionsOwnUser_MayEndIt_ButNotStartOne()
    {
        var owner = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var mouse = await SubjectAsync(app, responsible: owner);
        var helper = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        // Alyx's BaseAdmin: the object's own users may change it (here the restriction), not the subject.
        await app.WithDbAsync(async db =>
        {
            var restriction = new WaterRestriction { SubjectId = mouse.Id, StartTime = Now.AddDays(-1), ReferenceWeight = 20 };
            restriction.Users.Add(await db.Users.SingleAsync(u => u.Username == helper, Ct));
            db.Add(restriction);
            await db.SaveChangesAsync(Ct);
        });
        var client = AdminClient.Anonymous(app);
        Assert.Equal(HttpStatusCode.Redirect, (await client.LoginAsync(helper, AdminClient.Password)).StatusCode);
        var changePage = $"/admin/subjects/subject/{mouse.Id}/change/";

        var end = await client.SubmitAsync(changePage, $"/admin-actions/water-restriction/{mouse.Id}/end", new() { ["next"] = changePage });
        Assert.Equal(HttpStatusCode.Redirect, end.StatusCode);
        Assert.NotNull(Assert.Single(await RestrictionEndsAsync(mouse.Id)));
        var start = await client.SubmitAsync(changePage, $"/admin-actions/water-restriction/{mouse.Id}/start", new() { ["next"] = changePage });
        await start.AssertStatusAsync(HttpStatusCode.Forbidden);
        Assert.Single(await RestrictionEndsAsync(mouse.Id));
    }

    [Theory]
    [InlineData("/admin-actions/training/")]
    [InlineData("/admin-actions/today/")]
    [InlineData("/admin-actions/water-history/{0}")]
    [InlineData("/admin-actions/weighing-plot/{0}")]
    [InlineData("/admin-actions/subject-history/{0}")]
    public async Task ReadPages_NeedTheLabMembersModelPermission(string url)
    {
        var (mouse, member) = await SetUpAsync(Who.OtherMember);
        var path = string.Format(System.Globalization.CultureInfo.InvariantCulture, url, mouse.Id);
        await member.PageAsync(path);
        var (outsider, _) = await AdminClient.SignedInAsync(app, AdminRole.StaffWithoutGroups);
        await outsider.PageAsync(path, HttpStatusCode.Forbidden);
    }
}
