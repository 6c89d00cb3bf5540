using System.Net;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Admin;

/// <summary>
/// The admin's group rules (conventions §6.3): the "Lab members" model permissions and their deletion limits, husbandry
/// groups on subjects, litters and breeding pairs, other users' accounts, and staff outside every group.
/// </summary>
public sealed class GroupPermissionsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    Task<string> DescriptionAsync<T>(Guid id) where T : Alyx.Database.AlyxModel =>
        app.WithDbAsync(db => db.Set<T>().Where(e => e.Id == id).Select(e => EF.Property<string>(e, "Description")).SingleAsync(Ct));

    Task<(Guid Litter, Guid Pair)> LitterAsync() => app.WithDbAsync(async db =>
    {
        var pair = new BreedingPair { Name = AlyxApp.Unique("bp") };
        var litter = new Litter { Name = AlyxApp.Unique("litter"), BreedingPairId = pair.Id };
        db.AddRange(pair, litter);
        await db.SaveChangesAsync(Ct);
        return (litter.Id, pair.Id);
    });

    [Fact]
    public async Task StaffWithoutGroups_SeeNoModelAndOpenNoPage()
    {
        var (client, _) = await AdminClient.SignedInAsync(app, AdminRole.StaffWithoutGroups);
        var index = AdminClient.Text(await client.PageAsync("/admin/"));
        Assert.Contains("You don’t have permission to view or edit anything.", index);
        Assert.DoesNotContain("Weighings", index);
        var (subject, _) = await AdminSeed.SubjectAsync(app);
        await client.PageAsync("/admin/subjects/subject/", HttpStatusCode.Forbidden);
        await client.PageAsync("/admin/subjects/", HttpStatusCode.Forbidden);
        await client.PageAsync($"/admin/subjects/subject/{subject}/change/", HttpStatusCode.Forbidden);
        await client.PageAsync("/admin/actions/weighing/add/", HttpStatusCode.Forbidden);
        await client.PageAsync("/admin/autocomplete/subjects/subject/?term=a", HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task LabMember_SeesTheModels()
    {
        var (client, _) = await AdminClient.SignedInAsync(app);
        var index = AdminClient.Text(await client.PageAsync("/admin/"));
        Assert.DoesNotContain("You don’t have permission", index);
        Assert.Contains("Weighings", index);
        await client.PageAsync("/admin/subjects/subject/");
    }

    [Fact]
    public async Task LabMember_ChangesNoLitterNorBreedingPair_HusbandryMemberChangesBoth()
    {
        var (litter, pair) = await LitterAsync();
        var (member, _) = await AdminClient.SignedInAsync(app);
        var (husbandry, _) = await AdminClient.SignedInAsync(app, AdminRole.Husbandry);
        var litterUrl = $"/admin/subjects/litter/{litter}/change/";
        var pairUrl = $"/admin/subjects/breedingpair/{pair}/change/";

        // A litter has no subject of its own (§6.3: no subject, change refused) unless the user is in a husbandry group.
        Assert.Contains("View litter", await member.PageAsync(litterUrl));
        await (await member.SubmitAsync(litterUrl, litterUrl, new() { ["description"] = "member" })).AssertStatusAsync(HttpStatusCode.Forbidden);
        await (await member.SubmitAsync(pairUrl, pairUrl, new() { ["description"] = "member" })).AssertStatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal("", await DescriptionAsync<Litter>(litter));
        Assert.Equal("", await DescriptionAsync<BreedingPair>(pair));

        Assert.Contains("Change litter", await husbandry.PageAsync(litterUrl));
        Assert.Equal(HttpStatusCode.Redirect, (await husbandry.SubmitAsync(litterUrl, litterUrl, new() { ["description"] = "weaned" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await husbandry.SubmitAsync(pairUrl, pairUrl, new() { ["description"] = "paired" })).StatusCode);
        Assert.Equal("weaned", await DescriptionAsync<Litter>(litter));
        Assert.Equal("paired", await DescriptionAsync<BreedingPair>(pair));
    }

    [Fact]
    public async Task HusbandryMember_ChangesAnySubjectButNotTheActionsOfOthersSubjects()
    {
        var owner = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var (subject, _) = await AdminSeed.SubjectAsync(app, owner);
        var weighing = await AdminSeed.WeighingAsync(app, subject, 20, new DateTime(2024, 5, 1, 9, 0, 0));
        var (husbandry, _) = await AdminClient.SignedInAsync(app, AdminRole.Husbandry);
        var url = $"/admin/subjects/subject/{subject}/change/";
        var saved = await husbandry.SubmitAsync(url, url, new() { ["description"] = "cage changed" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("cage changed", await DescriptionAsync<Subject>(subject));

        // Weighings are not among the husbandry models: the subject's owners rule.
        var weighingUrl = $"/admin/actions/weighing/{weighing}/change/";
        var refused = await husbandry.SubmitAsync(weighingUrl, weighingUrl, new() { ["weight"] = "30" });
        await refused.AssertStatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal(20, await app.WithDbAsync(db => db.Set<Alyx.Actions.Weighing>().Where(w => w.Id == weighing).Select(w => w.Weight).SingleAsync(Ct)));
    }

    [Fact]
    public async Task HusbandryMember_WithoutCsrfToken_Is403AndWritesNothing()
    {
        var (subject, _) = await AdminSeed.SubjectAsync(app);
        var (husbandry, _) = await AdminClient.SignedInAsync(app, AdminRole.Husbandry);
        var url = $"/admin/subjects/subject/{subject}/change/";
        var response = await husbandry.PostAsync(url, new Dictionary<string, string> { ["description"] = "no token" });
        Assert.Contains("CSRF verification failed. Request aborted.", await response.AssertStatusAsync(HttpStatusCode.Forbidden));
        Assert.Equal("", await DescriptionAsync<Subject>(subject));
    }

    [Fact]
    public async Task HusbandryMember_InvalidSubject_ShowsTheRestErrorAndWritesNothing()
    {
        var (subject, _) = await AdminSeed.SubjectAsync(app);
        var (husbandry, _) = await AdminClient.SignedInAsync(app, AdminRole.Husbandry);
        var url = $"/admin/subjects/subject/{subject}/change/";
        var response = await husbandry.SubmitAsync(url, url, new() { ["description"] = "bad sex", ["sex"] = "Q" });
        var html = await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains("\"Q\" is not a valid choice.", WebUtility.HtmlDecode(html));
        Assert.Equal("", await DescriptionAsync<Subject>(subject));
    }

    [Fact]
    public async Task HusbandryGroupName_IsMatchedInAnyCase_AndNotByOtherGroups()
    {
        var (subject, _) = await AdminSeed.SubjectAsync(app);
        var (client, username) = await AdminClient.SignedInAsync(app);
        var url = $"/admin/subjects/subject/{subject}/change/";
        await app.WithDbAsync(async db =>
        {
            var user = await db.Users.Include(u => u.Groups).SingleAsync(u => u.Username == username, Ct);
            user.Groups.Add(await AdminClient.GroupAsync(db, "Surgeons"));
            await db.SaveChangesAsync(Ct);
        });
        await (await client.SubmitAsync(url, url, new() { ["description"] = "surgeon" })).AssertStatusAsync(HttpStatusCode.Forbidden);
        await app.WithDbAsync(async db =>
        {
            var user = await db.Users.Include(u => u.Groups).SingleAsync(u => u.Username == username, Ct);
            user.Groups.Add(await AdminClient.GroupAsync(db, "mouse HUSBANDRY"));
            await db.SaveChangesAsync(Ct);
        });
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync(url, url, new() { ["description"] = "husbandry" })).StatusCode);
        Assert.Equal("husbandry", await DescriptionAsync<Subject>(subject));
    }

    [Fact]
    public async Task PublicUser_InLabMembers_NeitherAddsNorChanges_EvenInAHusbandryGroup()
    {
        var (client, username) = await AdminClient.SignedInAsync(app, AdminRole.Public);
        await app.WithDbAsync(async db =>
        {
            var user = await db.Users.Include(u => u.Groups).SingleAsync(u => u.Username == username, Ct);
            user.Groups.Add(await AdminClient.GroupAsync(db, "Animal Husbandry team"));
            await db.SaveChangesAsync(Ct);
        });
        var (litter, _) = await LitterAsync();
        var url = $"/admin/subjects/litter/{litter}/change/";
        Assert.Contains("View litter", await client.PageAsync(url));
        await (await client.SubmitAsync(url, url, new() { ["description"] = "public" })).AssertStatusAsync(HttpStatusCode.Forbidden);
        await client.PageAsync("/admin/subjects/litter/add/", HttpStatusCode.Forbidden);
        Assert.Equal("", await DescriptionAsync<Litter>(litter));
    }

    [Fact]
    public async Task LabMember_DeletesWeighingsButNotLittersNorSubjects_SuperuserDeletesAny()
    {
        var (member, username) = await AdminClient.SignedInAsync(app, AdminRole.Husbandry);
        var (superuser, _) = await AdminClient.SignedInAsync(app, AdminRole.Superuser);
        var (subject, _) = await AdminSeed.SubjectAsync(app, username);
        var weighing = await AdminSeed.WeighingAsync(app, subject, 20, new DateTime(2024, 5, 2));
        var (litter, _) = await LitterAsync();
        await member.PageAsync($"/admin/subjects/subject/{subject}/delete/", HttpStatusCode.Forbidden);
        await member.PageAsync($"/admin/subjects/litter/{litter}/delete/", HttpStatusCode.Forbidden);
        Assert.DoesNotContain("/delete/\"", await member.PageAsync($"/admin/subjects/litter/{litter}/change/"));

        var weighingUrl = $"/admin/actions/weighing/{weighing}/delete/";
        Assert.Equal(HttpStatusCode.Redirect, (await member.SubmitAsync(weighingUrl, weighingUrl, [])).StatusCode);
        Assert.Equal(0, await AdminSeed.WeighingCountAsync(app, subject));

        var litterUrl = $"/admin/subjects/litter/{litter}/delete/";
        Assert.Equal(HttpStatusCode.Redirect, (await superuser.SubmitAsync(litterUrl, litterUrl, [])).StatusCode);
        Assert.False(await app.WithDbAsync(db => db.Litters.AnyAsync(l => l.Id == litter, Ct)));
    }

    [Fact]
    public async Task OtherUsersAccounts_OnlySuperusersChangeThem()
    {
        var other = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var otherId = await app.WithDbAsync(db => db.Users.Where(u => u.Username == other).Select(u => u.Id).SingleAsync(Ct));
        var (husbandry, me) = await AdminClient.SignedInAsync(app, AdminRole.Husbandry);
        var meId = await app.WithDbAsync(db => db.Users.Where(u => u.Username == me).Select(u => u.Id).SingleAsync(Ct));
        var (superuser, _) = await AdminClient.SignedInAsync(app, AdminRole.Superuser);
        string Url(Guid id) => $"/admin/misc/labmember/{id}/change/";
        Task<string> EmailAsync(Guid id) => app.WithDbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.Email).SingleAsync(Ct));

        await (await husbandry.SubmitAsync(Url(otherId), Url(otherId), new() { ["email"] = "x@example.org" })).AssertStatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal("", await EmailAsync(otherId));
        Assert.Equal(HttpStatusCode.Redirect, (await husbandry.SubmitAsync(Url(meId), Url(meId), new() { ["email"] = "me@example.org" })).StatusCode);
        Assert.Equal("me@example.org", await EmailAsync(meId));
        Assert.Equal(HttpStatusCode.Redirect, (await superuser.SubmitAsync(Url(otherId), Url(otherId), new() { ["email"] = "su@example.org" })).StatusCode);
        Assert.Equal("su@example.org", await EmailAsync(otherId));
    }

    [Fact]
    public async Task ResponsibleUser_HusbandryMemberWhoIsNotStockManagerCannotChangeIt()
    {
        var owner = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var (subject, _) = await AdminSeed.SubjectAsync(app, owner);
        var (husbandry, me) = await AdminClient.SignedInAsync(app, AdminRole.Husbandry);
        var url = $"/admin/subjects/subject/{subject}/change/";
        var page = await husbandry.PageAsync(url);
        Assert.Contains($"<div class=\"readonly\" id=\"id_responsible_user\">{owner}</div>", page);
        // The field is not offered, so a posted value is not taken either.
        var saved = await husbandry.SubmitAsync(url, url, new() { ["responsible_user"] = me, ["description"] = "kept" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var stored = await app.WithDbAsync(db => db.Subjects.Where(s => s.Id == subject).Select(s => new { s.Description, s.ResponsibleUser!.Username }).SingleAsync(Ct));
        Assert.Equal(("kept", owner), (stored.Description, stored.Username));
    }
}
