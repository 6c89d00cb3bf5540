using System.Net;
using System.Text.RegularExpressions;
using Alyx.Actions;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Admin;

/// <summary>Editable inlines of the change pages (Django's inline formsets): add, change, delete rows with the object, in one transaction.</summary>
public sealed partial class InlineFormsTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static string SubjectUrl(Guid subject) => $"/admin/subjects/subject/{subject}/change/";

    /// <summary>What a browser would post from the change form as shown: its inputs, ticked boxes, chosen options and text areas.</summary>
    static Dictionary<string, string> Posted(string html, string formId)
    {
        var start = html.IndexOf($"id=\"{formId}\"", StringComparison.Ordinal);
        var form = html[start..html.IndexOf("</form>", start, StringComparison.Ordinal)];
        var fields = new Dictionary<string, string>();
        foreach (Match m in Input().Matches(form))
        {
            var tag = m.Value;
            var name = Attr(tag, "name");
            if (name is null || Attr(tag, "type") == "submit") continue;
            if (Attr(tag, "type") == "checkbox")
            {
                if (Checked().IsMatch(tag)) fields[name] = Attr(tag, "value") ?? "on";
                continue;
            }
            fields[name] = WebUtility.HtmlDecode(Attr(tag, "value") ?? "");
        }
        foreach (Match m in TextArea().Matches(form)) fields[WebUtility.HtmlDecode(m.Groups[1].Value)] = WebUtility.HtmlDecode(m.Groups[2].Value);
        foreach (Match m in Select().Matches(form))
        {
            var selected = SelectedOption().Match(m.Groups[2].Value);
            fields[m.Groups[1].Value] = selected.Success ? WebUtility.HtmlDecode(selected.Groups[1].Value) : "";
        }
        return fields;
    }

    /// <summary>The error messages of a page, for failure messages.</summary>
    static string Errors(string html) =>
        string.Join(" | ", Regex.Matches(html, "<p class=\"errornote\"[^>]*>(.*?)</p>|<li>(.*?)</li>").Select(m => m.Value));

    static string? Attr(string tag, string name) => Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"") is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("<input\\b[^>]*>")]
    private static partial Regex Input();

    [GeneratedRegex("\\schecked(\\s|=|/|>)")]
    private static partial Regex Checked();

    [GeneratedRegex("<textarea\\b[^>]*\\sname=\"([^\"]*)\"[^>]*>(.*?)</textarea>", RegexOptions.Singleline)]
    private static partial Regex TextArea();

    [GeneratedRegex("<select\\b[^>]*\\sname=\"([^\"]*)\"[^>]*>(.*?)</select>", RegexOptions.Singleline)]
    private static partial Regex Select();

    [GeneratedRegex("<option value=\"([^\"]*)\" selected")]
    private static partial Regex SelectedOption();

    /// <summary>The index of the inline row holding <paramref name="id"/> on the page.</summary>
    static string RowOf(string html, string prefix, Guid id) =>
        Regex.Match(html, $"name=\"{prefix}-(\\d+)-id\" value=\"{id}\"") is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"No {prefix} row {id}.");

    /// <summary>The index of the (first) empty row for a new object.</summary>
    static string NewRow(string html, string prefix) =>
        Regex.Match(html, $"name=\"{prefix}-(\\d+)-id\" value=\"\"") is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"No new {prefix} row.");

    static Task<List<(double Weight, DateTime When, string? User)>> WeighingsAsync(AlyxApp app, Guid subject) =>
        app.WithDbAsync(async db => (await db.Set<Weighing>().Where(w => w.SubjectId == subject).OrderBy(w => w.DateTime)
            .Select(w => new { w.Weight, w.DateTime, User = w.User == null ? null : w.User.Username }).ToListAsync(Ct))
            .Select(w => (w.Weight, w.DateTime ?? default, (string?)w.User)).ToList());

    [Fact]
    public async Task ChangeSubject_InlineWeighings_AddChangeAndDeleteWithTheSubject()
    {
        var (client, username) = await AdminClient.SignedInAsync(app);
        var (subject, _) = await AdminSeed.SubjectAsync(app, username);
        var kept = await AdminSeed.WeighingAsync(app, subject, 20, new DateTime(2024, 2, 3, 8, 0, 0));
        var removed = await AdminSeed.WeighingAsync(app, subject, 21, new DateTime(2024, 2, 4, 8, 0, 0));
        var page = await client.PageAsync(SubjectUrl(subject));
        Assert.Contains("name=\"weighing-TOTAL_FORMS\" value=\"3\"", page);   // two rows and one empty row
        var form = Posted(page, "subject_form");
        Assert.Equal("2024-02-03T08:00:00", form[$"weighing-{RowOf(page, "weighing", kept)}-date_time"]);
        form[$"weighing-{RowOf(page, "weighing", kept)}-weight"] = "20.5";
        form[$"weighing-{RowOf(page, "weighing", removed)}-DELETE"] = "on";
        var added = NewRow(page, "weighing");
        form[$"weighing-{added}-date_time"] = "2024-02-05T09:30:00";
        form[$"weighing-{added}-weight"] = "22.25";
        form["description"] = "inline save";
        form["_continue"] = "";

        var response = await client.PostAsync(SubjectUrl(subject), form);

        Assert.True(response.StatusCode == HttpStatusCode.Redirect, Errors(await response.Content.ReadAsStringAsync(Ct)));
        Assert.Equal(
            [(20.5, new DateTime(2024, 2, 3, 8, 0, 0), (string?)null), (22.25, new DateTime(2024, 2, 5, 9, 30, 0), username)],
            await WeighingsAsync(app, subject));
        Assert.Equal("inline save", await app.WithDbAsync(db => db.Subjects.Where(s => s.Id == subject).Select(s => s.Description).SingleAsync(Ct)));
        var after = await client.PageAsync(SubjectUrl(subject));
        Assert.Contains("value=\"22.25\"", after);
        Assert.Contains("value=\"20.5\"", after);
    }

    [Fact]
    public async Task ChangeSubject_InvalidInlineRow_ShowsItsErrorAndWritesNothing()
    {
        var (client, username) = await AdminClient.SignedInAsync(app);
        var (subject, _) = await AdminSeed.SubjectAsync(app, username);
        var kept = await AdminSeed.WeighingAsync(app, subject, 20, new DateTime(2024, 2, 3, 8, 0, 0));
        var page = await client.PageAsync(SubjectUrl(subject));
        var form = Posted(page, "subject_form");
        var row = RowOf(page, "weighing", kept);
        form[$"weighing-{row}-weight"] = "19";                          // valid, but the other row fails
        var added = NewRow(page, "weighing");
        form[$"weighing-{added}-weight"] = "heavy";
        form["description"] = "must not be saved";

        var response = await client.PostAsync(SubjectUrl(subject), form);

        var html = await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains("Please correct the error below.", AdminClient.Text(html));
        Assert.True(html.Contains($"<ul class=\"errorlist\" id=\"id_weighing-{added}-weight_error\"><li>A valid number is required.</li></ul>", StringComparison.Ordinal),
            Errors(html));
        Assert.Contains("value=\"heavy\"", html);
        Assert.Contains("value=\"19\"", html);
        Assert.Equal([(20.0, new DateTime(2024, 2, 3, 8, 0, 0), (string?)null)], await WeighingsAsync(app, subject));
        Assert.Equal("", await app.WithDbAsync(db => db.Subjects.Where(s => s.Id == subject).Select(s => s.Description).SingleAsync(Ct)));
    }

    [Fact]
    public async Task ChangeSubject_InvalidSubject_WritesNoInlineRow()
    {
        var (client, username) = await AdminClient.SignedInAsync(app);
        var (subject, _) = await AdminSeed.SubjectAsync(app, username);
        var page = await client.PageAsync(SubjectUrl(subject));
        var form = Posted(page, "subject_form");
        var added = NewRow(page, "weighing");
        form[$"weighing-{added}-weight"] = "23";
        form["birth_date"] = "not a date";

        var response = await client.PostAsync(SubjectUrl(subject), form);

        var html = await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains("id=\"id_birth_date_error\"", html);
        Assert.Contains("value=\"23\"", html);
        Assert.Empty(await WeighingsAsync(app, subject));
    }

    [Fact]
    public async Task ChangeSubject_WithoutCsrfToken_Is403AndWritesNothing()
    {
        var (client, username) = await AdminClient.SignedInAsync(app);
        var (subject, _) = await AdminSeed.SubjectAsync(app, username);
        var page = await client.PageAsync(SubjectUrl(subject));
        var form = Posted(page, "subject_form");
        form.Remove("csrfmiddlewaretoken");
        form[$"weighing-{NewRow(page, "weighing")}-weight"] = "23";

        var response = await client.PostAsync(SubjectUrl(subject), form);

        await response.AssertStatusAsync(HttpStatusCode.Forbidden);
        Assert.Empty(await WeighingsAsync(app, subject));
    }

    [Fact]
    public async Task ChangeSubject_UserWithoutChangePermission_SeesReadOnlyRowsAndIsRefused()
    {
        var owner = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var (stranger, _) = await AdminClient.SignedInAsync(app);
        var (subject, _) = await AdminSeed.SubjectAsync(app, owner);
        var weighing = await AdminSeed.WeighingAsync(app, subject, 20, new DateTime(2024, 2, 3, 8, 0, 0));
        var page = await stranger.PageAsync(SubjectUrl(subject));
        Assert.Contains("View subject", page);
        Assert.DoesNotContain("weighing-TOTAL_FORMS", page);
        Assert.DoesNotContain("name=\"weighing-0-", page);
        Assert.Contains("2024-02-03 08:00:00 20", AdminClient.Text(page));

        var response = await stranger.PostAsync(SubjectUrl(subject), new Dictionary<string, string>
        {
            ["csrfmiddlewaretoken"] = AdminClient.CsrfToken(page),
            ["weighing-TOTAL_FORMS"] = "2",
            ["weighing-0-id"] = weighing.ToString(),
            ["weighing-0-weight"] = "30",
            ["weighing-1-id"] = "",
            ["weighing-1-weight"] = "31",
        });

        await response.AssertStatusAsync(HttpStatusCode.Forbidden);
        Assert.Equal([(20.0, new DateTime(2024, 2, 3, 8, 0, 0), (string?)null)], await WeighingsAsync(app, subject));
    }

    [Fact]
    public async Task ChangeSubject_HusbandryUser_RowsOfOthersAreReadOnly()
    {
        // A husbandry group may change any subject, but a weighing only by the object rules (§6.3): its subject's
        // responsible user, or its own user. The rows follow the rules one by one.
        var owner = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var (client, username) = await AdminClient.SignedInAsync(app, AdminRole.Husbandry);
        var (subject, _) = await AdminSeed.SubjectAsync(app, owner);
        var others = await AdminSeed.WeighingAsync(app, subject, 20, new DateTime(2024, 2, 3, 8, 0, 0));
        var mine = await app.WithDbAsync(async db =>
        {
            var w = new Weighing { SubjectId = subject, Weight = 21, DateTime = new DateTime(2024, 2, 4, 8, 0, 0), UserId = (await db.Users.SingleAsync(u => u.Username == username, Ct)).Id };
            db.Add(w);
            await db.SaveChangesAsync(Ct);
            return w.Id;
        });
        var page = await client.PageAsync(SubjectUrl(subject));
        Assert.Contains("Change subject", page);
        var form = Posted(page, "subject_form");
        Assert.False(form.ContainsKey($"weighing-{RowOf(page, "weighing", others)}-weight"));
        Assert.True(form.ContainsKey($"weighing-{RowOf(page, "weighing", mine)}-weight"));

        // A forged delete of the other row is refused by the row's rule, and nothing of the save is written.
        form[$"weighing-{RowOf(page, "weighing", mine)}-weight"] = "25";
        form[$"weighing-{RowOf(page, "weighing", others)}-DELETE"] = "on";
        var response = await client.PostAsync(SubjectUrl(subject), form);
        Assert.Contains("You do not have permission to delete this weighing.", await response.AssertStatusAsync(HttpStatusCode.OK));
        Assert.Equal(
            [(20.0, new DateTime(2024, 2, 3, 8, 0, 0), (string?)null), (21.0, new DateTime(2024, 2, 4, 8, 0, 0), username)],
            await WeighingsAsync(app, subject));
    }

    [Fact]
    public async Task ChangeSubject_RowOfAnotherSubject_IsNotWritten()
    {
        var (client, username) = await AdminClient.SignedInAsync(app);
        var (subject, _) = await AdminSeed.SubjectAsync(app, username);
        var (other, _) = await AdminSeed.SubjectAsync(app, username);
        var foreign = await AdminSeed.WeighingAsync(app, other, 20, new DateTime(2024, 2, 3, 8, 0, 0));
        var page = await client.PageAsync(SubjectUrl(subject));
        var form = Posted(page, "subject_form");
        var row = NewRow(page, "weighing");
        form[$"weighing-{row}-id"] = foreign.ToString();
        form[$"weighing-{row}-weight"] = "99";

        var response = await client.PostAsync(SubjectUrl(subject), form);

        Assert.Contains("is no longer one of the rows", await response.AssertStatusAsync(HttpStatusCode.OK));
        Assert.Equal([(20.0, new DateTime(2024, 2, 3, 8, 0, 0), (string?)null)], await WeighingsAsync(app, other));
    }

    [Fact]
    public async Task ChangeLitter_InlinePups_AddsAPupToTheLitter()
    {
        var (client, username) = await AdminClient.SignedInAsync(app, AdminRole.Superuser);
        var name = AlyxApp.Unique("litter");
        var (litter, lab) = await app.WithDbAsync(async db =>
        {
            var l = new Litter { Name = name, BirthDate = new DateOnly(2024, 4, 1) };
            db.Add(l);
            await db.SaveChangesAsync(Ct);
            return (l.Id, await db.Labs.OrderBy(x => x.Name).Select(x => x.Name).FirstAsync(Ct));
        });
        var url = $"/admin/subjects/litter/{litter}/change/";
        var page = await client.PageAsync(url);
        var form = Posted(page, "litter_form");
        var row = NewRow(page, "subject");
        var pup = AlyxApp.Unique("pup");
        form[$"subject-{row}-nickname"] = pup;
        form[$"subject-{row}-sex"] = "M";
        form[$"subject-{row}-lab"] = lab;
        form[$"subject-{row}-responsible_user"] = username;

        var response = await client.PostAsync(url, form);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = await app.WithDbAsync(db => db.Subjects.Where(s => s.Nickname == pup)
            .Select(s => new { Litter = s.Litter!.Name, s.Sex, Lab = s.Lab!.Name, s.ResponsibleUser!.Username }).SingleAsync(Ct));
        Assert.Equal((name, "M", lab, username), (stored.Litter, stored.Sex, stored.Lab, stored.Username));
    }

    [Fact]
    public async Task ChangeSubject_InlineRows_BoundedCommandCount()
    {
        // The rows' values and permissions are read per inline, not per row: 20 weighings cost what 1 does.
        var (client, username) = await AdminClient.SignedInAsync(app);
        var (one, _) = await AdminSeed.SubjectAsync(app, username);
        var (many, _) = await AdminSeed.SubjectAsync(app, username);
        await AdminSeed.WeighingAsync(app, one, 20, new DateTime(2024, 2, 1));
        for (var i = 0; i < 20; i++) await AdminSeed.WeighingAsync(app, many, 20 + i, new DateTime(2024, 2, 1).AddDays(i));
        var counter = app.Commands;
        await client.PageAsync(SubjectUrl(one));
        var before = counter.Count;
        await client.PageAsync(SubjectUrl(one));
        var single = counter.Count - before;
        before = counter.Count;
        var page = await client.PageAsync(SubjectUrl(many));
        Assert.Equal(single, counter.Count - before);
        Assert.Contains("name=\"weighing-TOTAL_FORMS\" value=\"21\"", page);
        Assert.True(page.Length < 300_000, $"{page.Length} bytes");
    }
}
