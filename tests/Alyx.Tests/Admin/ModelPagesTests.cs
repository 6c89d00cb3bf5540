using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Alyx.Actions;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Admin;

/// <summary>The generic model pages over HTTP: list (search, filters, sort, counts), lookup, add, change, delete, permissions, CSRF.</summary>
public sealed class ModelPagesTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static Dictionary<string, string> WeighingForm(string subject, string weight, string user) => new()
    {
        ["subject"] = subject,
        ["date_time"] = "2024-05-06T07:08:09",
        ["weight"] = weight,
        ["user"] = user,
    };

    [Fact]
    public async Task List_Search_FindsTheSubjectAndCountsIt()
    {
        var (client, _) = await AdminClient.SignedInAsync(app);
        var (id, nickname) = await AdminSeed.SubjectAsync(app);
        var html = await client.PageAsync($"/admin/subjects/subject/?q={nickname.ToUpperInvariant()}");
        Assert.Contains($"<a href=\"/admin/subjects/subject/{id}/change/\">{nickname}</a>", html);
        Assert.Contains("1 subject", AdminClient.Text(html));
    }

    [Fact]
    public async Task List_RestFilterAndSort_OrderTheSubjectsWeighings()
    {
        var (client, _) = await AdminClient.SignedInAsync(app);
        var (subject, nickname) = await AdminSeed.SubjectAsync(app);
        await AdminSeed.WeighingAsync(app, subject, 21.5, new DateTime(2024, 3, 1, 9, 0, 0));
        await AdminSeed.WeighingAsync(app, subject, 19.25, new DateTime(2024, 3, 2, 9, 0, 0));
        await AdminSeed.WeighingAsync(app, subject, 23, new DateTime(2024, 3, 3, 9, 0, 0));

        var html = await client.PageAsync($"/admin/actions/weighing/?subject={nickname}&o=-weight");
        Assert.Contains("3 weighings", AdminClient.Text(html));
        // Floats read as the REST API writes them (Python's repr).
        var weights = new[] { "23.0", "21.5", "19.25" }.Select(w => html.IndexOf($"<td class=\"num\">{w}</td>", StringComparison.Ordinal)).ToList();
        Assert.All(weights, i => Assert.True(i > 0));
        Assert.Equal(weights.Order().ToList(), weights);

        var ascending = await client.PageAsync($"/admin/actions/weighing/?subject={nickname}&o=weight");
        Assert.True(ascending.IndexOf(">19.25<", StringComparison.Ordinal) < ascending.IndexOf(">23.0<", StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_Pagination_IsDoneInPagesOf100WithLinks()
    {
        var (client, _) = await AdminClient.SignedInAsync(app);
        var (subject, nickname) = await AdminSeed.SubjectAsync(app);
        await app.WithDbAsync(async db =>
        {
            for (var i = 0; i < 101; i++) db.Add(new Weighing { SubjectId = subject, Weight = 10 + i, DateTime = new DateTime(2024, 1, 1).AddHours(i) });
            await db.SaveChangesAsync(Ct);
        });
        var first = await client.PageAsync($"/admin/actions/weighing/?subject={nickname}");
        Assert.Contains("101 weighings", AdminClient.Text(first));
        Assert.Contains("Page 1 of 2", AdminClient.Text(first));
        Assert.Equal(100, CountRows(first));
        var second = await client.PageAsync($"/admin/actions/weighing/?subject={nickname}&p=2");
        Assert.Equal(1, CountRows(second));
        // The default order is newest first: the last page holds the oldest, 10 g.
        Assert.Contains("<td class=\"num\">10.0</td>", second);
    }

    static int CountRows(string html) => html.Split("<tbody>")[1].Split("</tbody>")[0].Split("<tr>").Length - 1;

    [Fact]
    public async Task Lookup_SearchesPageByPage()
    {
        var (client, _) = await AdminClient.SignedInAsync(app);
        var prefix = AlyxApp.Unique("lk");
        for (var i = 0; i < 21; i++) await AdminSeed.SubjectAsync(app, nickname: $"{prefix}_{i:00}");
        var page1 = JsonNode.Parse(await client.PageAsync($"/admin/autocomplete/subjects/subject/?term={prefix}"))!;
        Assert.Equal(20, page1["results"]!.AsArray().Count);
        Assert.Equal($"{prefix}_00", page1["results"]![0]!["id"]!.GetValue<string>());
        Assert.True(page1["more"]!.GetValue<bool>());
        var page2 = JsonNode.Parse(await client.PageAsync($"/admin/autocomplete/subjects/subject/?term={prefix}&page=2"))!;
        Assert.Equal($"{prefix}_20", Assert.Single(page2["results"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.False(page2["more"]!.GetValue<bool>());
    }

    [Fact]
    public async Task AddForm_ReferenceFieldsSearchAsYouType()
    {
        var (client, _) = await AdminClient.SignedInAsync(app);
        var html = await client.PageAsync("/admin/actions/weighing/add/?subject=abc");
        Assert.Contains("name=\"subject\" value=\"abc\"", html);
        Assert.Contains("data-lookup=\"/admin/autocomplete/subjects/subject/\"", html);
        Assert.Contains("data-lookup=\"/admin/autocomplete/misc/labmember/\"", html);
        Assert.DoesNotContain("<select id=\"id_subject\"", html);
    }

    [Fact]
    public async Task Add_Weighing_GoesThroughTheWritePath()
    {
        var (client, username) = await AdminClient.SignedInAsync(app);
        var (subject, nickname) = await AdminSeed.SubjectAsync(app, username);
        var response = await client.SubmitAsync("/admin/actions/weighing/add/", "/admin/actions/weighing/add/", WeighingForm(nickname, "24.5", username));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/admin/actions/weighing/", response.Headers.Location!.OriginalString);
        var stored = await app.WithDbAsync(db => db.Set<Weighing>().Where(w => w.SubjectId == subject).Select(w => new { w.Weight, w.DateTime, w.User!.Username }).SingleAsync(Ct));
        Assert.Equal(24.5, stored.Weight);
        Assert.Equal(new DateTime(2024, 5, 6, 7, 8, 9), stored.DateTime);
        Assert.Equal(username, stored.Username);
        var list = AdminClient.Text(await client.PageAsync(response.Headers.Location!.OriginalString));
        Assert.Contains($"The weighing “{nickname} 2024-05-06 07:08:09 24.5” was added successfully.", list);
    }

    [Fact]
    public async Task Add_InvalidWeighing_ShowsTheRestErrorsByTheirFieldsAndWritesNothing()
    {
        var (client, username) = await AdminClient.SignedInAsync(app);
        var (subject, nickname) = await AdminSeed.SubjectAsync(app, username);
        var response = await client.SubmitAsync("/admin/actions/weighing/add/", "/admin/actions/weighing/add/", WeighingForm(nickname, "heavy", username));
        var html = await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains("<ul class=\"errorlist\" id=\"id_weight_error\"><li>A valid number is required.</li></ul>", html);
        Assert.Contains("value=\"heavy\"", html);
        var unknown = await client.SubmitAsync("/admin/actions/weighing/add/", "/admin/actions/weighing/add/", WeighingForm("no_such_mouse_x", "20", username));
        Assert.Contains("<li>Object with nickname=no_such_mouse_x does not exist.</li>", await unknown.AssertStatusAsync(HttpStatusCode.OK));
        Assert.Equal(0, await AdminSeed.WeighingCountAsync(app, subject));
    }

    [Fact]
    public async Task Add_WithoutCsrfToken_Is403AndWritesNothing()
    {
        var (client, username) = await AdminClient.SignedInAsync(app);
        var (subject, nickname) = await AdminSeed.SubjectAsync(app, username);
        var response = await client.PostAsync("/admin/actions/weighing/add/", WeighingForm(nickname, "20", username));
        Assert.Contains("CSRF verification failed. Request aborted.", await response.AssertStatusAsync(HttpStatusCode.Forbidden));
        Assert.Equal(0, await AdminSeed.WeighingCountAsync(app, subject));
    }

    [Fact]
    public async Task PublicUser_SeesButCannotAddOrChange()
    {
        var (client, username) = await AdminClient.SignedInAsync(app, AdminRole.Public);
        var (subject, nickname) = await AdminSeed.SubjectAsync(app, username);
        await client.PageAsync("/admin/actions/weighing/");
        await client.PageAsync("/admin/actions/weighing/add/", HttpStatusCode.Forbidden);
        var page = await client.PageAsync($"/admin/subjects/subject/{subject}/change/");
        Assert.Contains("View subject", page);
        Assert.DoesNotContain("name=\"_save\"", page);
        var token = AdminClient.CsrfToken(page);
        var add = await client.PostAsync("/admin/actions/weighing/add/", new Dictionary<string, string>(WeighingForm(nickname, "20", username)) { ["csrfmiddlewaretoken"] = token });
        await add.AssertStatusAsync(HttpStatusCode.Forbidden);
        var change = await client.PostAsync($"/admin/subjects/subject/{subject}/change/",
            new Dictionary<string, string> { ["csrfmiddlewaretoken"] = token, ["description"] = "changed" });
        await change.AssertStatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0, await AdminSeed.WeighingCountAsync(app, subject));
        Assert.Equal("", await app.WithDbAsync(db => db.Subjects.Where(s => s.Id == subject).Select(s => s.Description).SingleAsync(Ct)));
    }

    [Fact]
    public async Task Change_Subject_ObjectRules()
    {
        // §6.3: the responsible user and their allowed users may change the subject; another staff user may only look.
        var owner = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var (delegateClient, delegateName) = await AdminClient.SignedInAsync(app);
        var (otherClient, _) = await AdminClient.SignedInAsync(app);
        await app.WithDbAsync(async db =>
        {
            var o = await db.Users.Include(u => u.AllowedUsers).SingleAsync(u => u.Username == owner, Ct);
            o.AllowedUsers.Add(await db.Users.SingleAsync(u => u.Username == delegateName, Ct));
            await db.SaveChangesAsync(Ct);
        });
        var (subject, _) = await AdminSeed.SubjectAsync(app, owner);
        var url = $"/admin/subjects/subject/{subject}/change/";

        var refused = await otherClient.SubmitAsync(url, url, new() { ["description"] = "by a stranger" });
        await refused.AssertStatusAsync(HttpStatusCode.Forbidden);
        Assert.Contains("View subject", await otherClient.PageAsync(url));

        var page = await delegateClient.PageAsync(url);
        Assert.Contains("Change subject", page);
        // The delegate is not the responsible user: that field is shown, not offered.
        Assert.Contains($"<div class=\"readonly\" id=\"id_responsible_user\">{owner}</div>", page);
        var saved = await delegateClient.SubmitAsync(url, url, new() { ["description"] = "by the delegate", ["sex"] = "M", ["_continue"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(url, saved.Headers.Location!.OriginalString);
        var stored = await app.WithDbAsync(db => db.Subjects.Where(s => s.Id == subject).Select(s => new { s.Description, s.Sex, s.ResponsibleUser!.Username }).SingleAsync(Ct));
        Assert.Equal(("by the delegate", "M", owner), (stored.Description, stored.Sex, stored.Username));
    }

    [Fact]
    public async Task Change_Weighing_ByItsSubjectsResponsibleUser()
    {
        var (client, username) = await AdminClient.SignedInAsync(app);
        var (subject, nickname) = await AdminSeed.SubjectAsync(app, username);
        var weighing = await AdminSeed.WeighingAsync(app, subject, 20, new DateTime(2024, 2, 3, 4, 5, 6));
        var url = $"/admin/actions/weighing/{weighing}/change/";
        var page = await client.PageAsync(url);
        Assert.Equal("value=\"2024-02-03T04:05:06\"", System.Text.RegularExpressions.Regex.Match(page, "id=\"id_date_time\" name=\"date_time\" (value=\"[^\"]*\")").Groups[1].Value);
        var response = await client.SubmitAsync(url, url, new() { ["subject"] = nickname, ["date_time"] = "2024-02-03T04:05:06", ["weight"] = "-1", ["user"] = "" });
        Assert.Contains("id=\"id_weight_error\"", await response.AssertStatusAsync(HttpStatusCode.OK));
        Assert.Equal(20, await app.WithDbAsync(db => db.Set<Weighing>().Where(w => w.Id == weighing).Select(w => w.Weight).SingleAsync(Ct)));
        response = await client.SubmitAsync(url, url, new() { ["subject"] = nickname, ["date_time"] = "2024-02-03T04:05:06", ["weight"] = "20.75", ["user"] = username });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(20.75, await app.WithDbAsync(db => db.Set<Weighing>().Where(w => w.Id == weighing).Select(w => w.Weight).SingleAsync(Ct)));
    }

    [Fact]
    public async Task Delete_Weighing_ConfirmsThenDeletes()
    {
        var (client, username) = await AdminClient.SignedInAsync(app);
        var (subject, nickname) = await AdminSeed.SubjectAsync(app, username);
        var weighing = await AdminSeed.WeighingAsync(app, subject, 18.5, new DateTime(2024, 2, 3, 4, 5, 6));
        var url = $"/admin/actions/weighing/{weighing}/delete/";
        var confirm = AdminClient.Text(await client.PageAsync(url));
        Assert.Contains($"Are you sure you want to delete the weighing “{nickname} 2024-02-03 04:05:06 18.5”?", confirm);
        Assert.Equal(1, await AdminSeed.WeighingCountAsync(app, subject));
        var response = await client.SubmitAsync(url, url, []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(0, await AdminSeed.WeighingCountAsync(app, subject));
        await client.PageAsync($"/admin/actions/weighing/{weighing}/change/", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_Subject_ListsTheCascadeAndIsForSuperusersOnly()
    {
        var (member, _) = await AdminClient.SignedInAsync(app);
        var (superuser, _) = await AdminClient.SignedInAsync(app, AdminRole.Superuser);
        var (subject, nickname) = await AdminSeed.SubjectAsync(app);
        await AdminSeed.WeighingAsync(app, subject, 20, new DateTime(2024, 2, 3));
        await AdminSeed.WeighingAsync(app, subject, 21, new DateTime(2024, 2, 4));
        var url = $"/admin/subjects/subject/{subject}/delete/";
        await member.PageAsync(url, HttpStatusCode.Forbidden);
        var confirm = AdminClient.Text(await superuser.PageAsync(url));
        Assert.Contains("Subjects: 1", confirm);
        Assert.Contains("Weighings: 2", confirm);
        Assert.Contains("Weighings (2): ", confirm);
        Assert.Contains($"{nickname} 2024-02-03 00:00:00 20", confirm);
        Assert.Contains($"{nickname} 2024-02-04 00:00:00 21", confirm);
        var response = await superuser.SubmitAsync(url, url, []);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(await app.WithDbAsync(db => db.Subjects.AnyAsync(s => s.Id == subject, Ct)));
        Assert.Equal(0, await AdminSeed.WeighingCountAsync(app, subject));
    }

    [Fact]
    public async Task ChangePage_Subject_ShowsItsActionsInline()
    {
        var (client, username) = await AdminClient.SignedInAsync(app);
        var (subject, _) = await AdminSeed.SubjectAsync(app, username);
        await AdminSeed.WeighingAsync(app, subject, 22.125, new DateTime(2024, 2, 3, 10, 0, 0));
        var page = await client.PageAsync($"/admin/subjects/subject/{subject}/change/");
        var html = AdminClient.Text(page);
        Assert.Contains("Weighings (1) Date time Weight User Delete?", html);
        // The responsible user edits the weighings inline (InlineFormsTests); the row's inputs hold its values.
        Assert.Contains("name=\"weighing-0-date_time\" value=\"2024-02-03T10:00:00\"", page);
        Assert.Contains("name=\"weighing-0-weight\" value=\"22.125\"", page);
        Assert.Contains("Water restrictions (0)", html);
    }

    [Fact]
    public async Task ChangePage_Litter_ShowsParentsPupsAndGenotypes()
    {
        var (client, username) = await AdminClient.SignedInAsync(app, AdminRole.Superuser);
        var (father, fatherName) = await AdminSeed.SubjectAsync(app, username);
        var (mother, motherName) = await AdminSeed.SubjectAsync(app, username);
        var (pup, pupName) = await AdminSeed.SubjectAsync(app, username);
        var allele = AlyxApp.Unique("allele");
        var litter = await app.WithDbAsync(async db =>
        {
            var a = new Allele { Nickname = allele, Name = allele };
            db.Add(a);
            db.Add(new Zygosity { SubjectId = father, AlleleId = a.Id, Value = 2 });
            var pair = new BreedingPair { Name = AlyxApp.Unique("bp"), FatherId = father, Mother1Id = mother };
            db.Add(pair);
            var l = new Litter { Name = AlyxApp.Unique("litter"), BreedingPairId = pair.Id, BirthDate = new DateOnly(2024, 4, 1) };
            db.Add(l);
            await db.SaveChangesAsync(Ct);
            await db.Subjects.Where(s => s.Id == pup).ExecuteUpdateAsync(s => s.SetProperty(x => x.LitterId, l.Id), Ct);
            return l.Id;
        });
        var page = await client.PageAsync($"/admin/subjects/litter/{litter}/change/");
        var html = AdminClient.Text(page);
        Assert.Contains("Pups (1) Nickname Sex Birth date Lab Responsible user", html);
        Assert.Contains($"name=\"subject-0-nickname\" value=\"{pupName}\"", page);
        Assert.Contains($"name=\"subject-0-responsible_user\" value=\"{username}\"", page);
        Assert.Contains($"Father {fatherName} F 2024-01-02 {allele} 2", html);
        Assert.Contains($"Mother 1 {motherName} F 2024-01-02", html);
    }

    [Fact]
    public async Task ChangePage_Session_ListsDatasetsFileRecordsAndQc()
    {
        var (client, _) = await AdminClient.SignedInAsync(app, AdminRole.Superuser);
        var record = await app.WithDbAsync(db => db.FileRecords.Where(f => f.Dataset!.SessionId != null)
            .Select(f => new { Session = f.Dataset!.SessionId!.Value, Dataset = f.Dataset.Name, f.RelativePath, f.Dataset.Qc }).FirstOrDefaultAsync(Ct));
        if (record is null)
        {
            Assert.Skip("The fixture has no file record of a session's dataset.");
            return;
        }
        var html = await client.PageAsync($"/admin/actions/session/{record.Session}/change/");
        var text = AdminClient.Text(html);
        Assert.Contains("Datasets (", text);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(record.Dataset), html);
        Assert.Contains(System.Net.WebUtility.HtmlEncode(record.RelativePath), html);
        Assert.Contains("Name Collection Revision Default QC Size (bytes)", text);
        Assert.Contains(record.Qc.ToString(CultureInfo.InvariantCulture), text);
    }

    [Fact]
    public async Task EveryModel_HasAListPageAndAnAddOrViewPage()
    {
        var (client, _) = await AdminClient.SignedInAsync(app, AdminRole.Superuser);
        var index = await client.PageAsync("/admin/");
        var lists = System.Text.RegularExpressions.Regex.Matches(index, "<a href=\"(/admin/[a-z]+/[a-z]+/)\">").Select(m => m.Groups[1].Value).ToList();
        Assert.True(lists.Count >= 30, $"{lists.Count} models");
        foreach (var list in lists)
        {
            var html = await client.PageAsync(list);
            Assert.Contains("id=\"result_list\"", html);
            if (System.Text.RegularExpressions.Regex.Match(html, "href=\"(/admin/[a-z]+/[a-z]+/[0-9a-f-]{36}/change/)\"") is { Success: true } row)
                Assert.Contains("<form method=\"post\"", await client.PageAsync(row.Groups[1].Value));
        }
    }

    [Fact]
    public async Task UnknownModelOrObject_Is404()
    {
        var (client, _) = await AdminClient.SignedInAsync(app);
        await client.PageAsync("/admin/subjects/nothing/", HttpStatusCode.NotFound);
        await client.PageAsync($"/admin/subjects/subject/{Guid.NewGuid()}/change/", HttpStatusCode.NotFound);
    }
}
