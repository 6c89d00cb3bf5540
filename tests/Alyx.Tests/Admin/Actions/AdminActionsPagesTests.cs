using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Alyx.Actions;
using Alyx.Http;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Alyx.Tests.Actions.ActionsSeed;

namespace Alyx.Tests.Admin.Actions;

/// <summary>
/// The /admin-actions pages through the real pipeline: training week, water history, weight plot, subject history, the today
/// page with its one-step weight and water entry, and the start / end water restriction actions. Figures are computed by hand
/// from the rows each test writes (a lab with an 85 % reference-weight rule, no z-score part, no implant).
/// </summary>
public sealed partial class AdminActionsPagesTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static readonly SemaphoreSlim TrainingLock = new(1, 1);

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    DateTime Now => app.Services.GetRequiredService<AlyxClock>().Now;

    /// <summary>A restricted subject: reference weight 20 g, restriction open since <paramref name="since"/>.</summary>
    async Task<Mouse> RestrictedAsync(DateTime since, string responsible = "pages_owner", double referenceWeight = 20)
    {
        var mouse = await SubjectAsync(app, responsible: responsible);
        await app.WithDbAsync(async db =>
        {
            db.Add(new WaterRestriction { SubjectId = mouse.Id, StartTime = since, ReferenceWeight = referenceWeight });
            await db.SaveChangesAsync();
        });
        return mouse;
    }

    Task AddAsync(params object[] rows) => app.WithDbAsync(async db =>
    {
        db.AddRange(rows);
        await db.SaveChangesAsync();
    });

    /// <summary>The table row of <paramref name="key"/> (a data-subject or data-date attribute value).</summary>
    static string Row(string html, string attribute, string key)
    {
        var start = html.IndexOf($"{attribute}=\"{key}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No row {attribute}={key}");
        return html[start..html.IndexOf("</tr>", start, StringComparison.Ordinal)];
    }

    /// <summary>The text of the cell <c>data-column=<paramref name="column"/></c> of a row, tags removed, spaces collapsed.</summary>
    static string Cell(string row, string column)
    {
        var m = Regex.Match(row, $"data-column=\"{column}\">(.*?)</td>", RegexOptions.Singleline);
        Assert.True(m.Success, $"No cell {column} in {row}");
        return WebUtility.HtmlDecode(Regex.Replace(Regex.Replace(m.Groups[1].Value, "<[^>]+>", " "), @"\s+", " ").Trim());
    }

    [Fact]
    public async Task Anonymous_IsSentToLogin()
    {
        var client = app.AnonymousClient();
        var mouse = await SubjectAsync(app);
        foreach (var path in new[]
        {
            "/admin-actions/training/", "/admin-actions/training/2024-03-04", $"/admin-actions/water-history/{mouse.Id}",
            $"/admin-actions/weighing-plot/{mouse.Id}", $"/admin-actions/subject-history/{mouse.Id}", "/admin-actions/today/",
        })
        {
            var response = await client.GetAsync(path, Ct);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/admin/login/?next=" + Uri.EscapeDataString(path), response.Headers.Location!.OriginalString);
        }
        // A REST token is not an admin session either.
        var token = await app.ClientForAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await token.GetAsync("/admin-actions/today/", Ct)).StatusCode);
    }

    [Fact]
    public async Task Training_Week_MarksSessionDays_OrderedByUserThenNickname()
    {
        await TrainingLock.WaitAsync(Ct);
        try
        {
            // Week of Monday 2030-03-04 (a week no other test uses).
            var a = await RestrictedAsync(T(2030, 2, 1), responsible: "pages_trainer_b");
            var b = await RestrictedAsync(T(2030, 2, 1), responsible: "pages_trainer_a");
            var ended = await SubjectAsync(app, responsible: "pages_trainer_a");
            await AddAsync(new WaterRestriction { SubjectId = ended.Id, StartTime = T(2030, 2, 1), EndTime = T(2030, 2, 20) });
            Session S(Guid subject, DateTime start) => new() { SubjectId = subject, StartTime = start };
            await AddAsync(
                // a: Monday twice, Tuesday to Friday: 5 days, OK. The previous Sunday 23:59 and the next Monday 00:00 do not count.
                S(a.Id, T(2030, 3, 4, 9)), S(a.Id, T(2030, 3, 4, 15)), S(a.Id, T(2030, 3, 5, 9)), S(a.Id, T(2030, 3, 6, 9)),
                S(a.Id, T(2030, 3, 7, 9)), S(a.Id, T(2030, 3, 8, 23, 59)), S(a.Id, T(2030, 3, 3, 23, 59)), S(a.Id, T(2030, 3, 11)),
                // b: Monday 00:00 and Sunday: 2 days.
                S(b.Id, T(2030, 3, 4)), S(b.Id, T(2030, 3, 10, 12)),
                S(ended.Id, T(2030, 3, 5, 9)));
            var (client, _) = await AdminClient.SignedInAsync(app);

            var response = await client.Http.GetAsync("/admin-actions/training/2030-03-06", Ct);
            var html = await response.AssertStatusAsync(HttpStatusCode.OK);
            Assert.Contains("<h1>Training history for 2030-03-04</h1>", html);
            Assert.Contains("href=\"/admin-actions/training/2030-02-25\"", html);
            Assert.Contains("href=\"/admin-actions/training/2030-03-11\"", html);
            Assert.Contains($"href=\"/admin-actions/training/{Now:yyyy-MM-dd}\"", html);

            // b's responsible user sorts before a's.
            Assert.True(html.IndexOf(b.Nickname, StringComparison.Ordinal) < html.IndexOf(a.Nickname, StringComparison.Ordinal));
            Assert.DoesNotContain(ended.Nickname, html);
            var rowA = Row(html, "data-subject", a.Nickname);
            Assert.Equal("5", Cell(rowA, "training-days"));
            Assert.Equal("OK", Cell(rowA, "ok"));
            Assert.Contains($"<tr class=\"training-good\" data-subject=\"{a.Nickname}\">", html);
            Assert.Contains($"<tr class=\"training-bad\" data-subject=\"{b.Nickname}\">", html);
            Assert.Equal(["yes", "yes", "yes", "yes", "yes", "no", "no"], DayClasses(rowA));
            Assert.Contains($"href=\"/admin/subjects/subject/{a.Id}/change/\"", rowA);
            var rowB = Row(html, "data-subject", b.Nickname);
            Assert.Equal("2", Cell(rowB, "training-days"));
            Assert.Equal("Not OK", Cell(rowB, "ok"));
            Assert.Equal(["yes", "no", "no", "no", "no", "no", "yes"], DayClasses(rowB));
            Assert.Contains("pages_trainer_a", rowB);

            // The default week is this week; a malformed date is a 404.
            var current = await (await client.Http.GetAsync("/admin-actions/training/", Ct)).AssertStatusAsync(HttpStatusCode.OK);
            var monday = DateOnly.FromDateTime(Now).AddDays(-(((int)Now.DayOfWeek + 6) % 7));
            Assert.Contains($"<h1>Training history for {monday:yyyy-MM-dd}</h1>", current);
            await (await client.Http.GetAsync("/admin-actions/training/2030-13-01", Ct)).AssertStatusAsync(HttpStatusCode.NotFound);
        }
        finally
        {
            TrainingLock.Release();
        }
    }

    static List<string> DayClasses(string row) =>
        [.. Regex.Matches(row, "<td class=\"(yes|no)\" data-day=").Select(m => m.Groups[1].Value)];

    [Fact]
    public async Task WaterHistory_ShowsTheEnginesFigures_AndThePlot()
    {
        var day1 = Now.Date.AddDays(-2);
        var mouse = await RestrictedAsync(day1.AddHours(11));
        await AddAsync(
            new Weighing { SubjectId = mouse.Id, DateTime = day1.AddHours(10), Weight = 20 },
            new WaterAdministration { SubjectId = mouse.Id, DateTime = day1.AddDays(1).AddHours(9), WaterAdministered = 1.0 },
            new Weighing { SubjectId = mouse.Id, DateTime = day1.AddDays(2).AddHours(8), Weight = 16 });
        var (client, _) = await AdminClient.SignedInAsync(app);

        var html = await (await client.Http.GetAsync($"/admin-actions/water-history/{mouse.Id}", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains($"<h1>Water history of {mouse.Nickname}</h1>", html);
        Assert.Contains("<svg", html);
        // Newest day first: day 3, day 2, day 1.
        var dates = Regex.Matches(html, "data-date=\"([0-9-]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal([$"{day1.AddDays(2):yyyy-MM-dd}", $"{day1.AddDays(1):yyyy-MM-dd}", $"{day1:yyyy-MM-dd}"], dates);

        // Day 1: 20 g against 20 g, 100 %; 4 % of 20 g = 0.80 mL owed, nothing given.
        var first = Row(html, "data-date", $"{day1:yyyy-MM-dd}");
        Assert.Equal("20.0", Cell(first, "weight"));
        Assert.Equal("20.0", Cell(first, "reference"));
        Assert.Equal("20.0", Cell(first, "expected"));
        Assert.Equal("100.0%", Cell(first, "percentage"));
        Assert.Equal("17.0", Cell(first, "min"));
        Assert.Equal("0.00", Cell(first, "given"));
        Assert.Equal("0.80", Cell(first, "expected-water"));
        Assert.Equal("0.80", Cell(first, "remaining"));
        // Day 2: no weighing that day (last weight 20 g); 1 mL given without a session: a supplement, 0.20 mL more than owed.
        var second = Row(html, "data-date", $"{day1.AddDays(1):yyyy-MM-dd}");
        Assert.Equal("", Cell(second, "weight"));
        Assert.Equal("1.00", Cell(second, "supplement"));
        Assert.Equal("0.00", Cell(second, "reward"));
        Assert.Equal("1.00", Cell(second, "given"));
        Assert.Equal("-0.20", Cell(second, "remaining"));
        // Day 3: 16 g is 80 % of 20 g, below 85 %: 5 % of 16 g = 0.80 mL.
        var third = Row(html, "data-date", $"{day1.AddDays(2):yyyy-MM-dd}");
        Assert.Equal("16.0", Cell(third, "weight"));
        Assert.Equal("80.0%", Cell(third, "percentage"));
        Assert.Equal("0.80", Cell(third, "expected-water"));
        Assert.Contains("class=\"wr\"", html);

        // Unknown subject: 404.
        await (await client.Http.GetAsync($"/admin-actions/water-history/{Guid.NewGuid()}", Ct)).AssertStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WaterHistory_PagesOfAHundredDays()
    {
        var mouse = await SubjectAsync(app);
        // 150 days of data: page 1 holds the newest 100 days, page 2 the 50 oldest.
        var first = Now.Date.AddDays(-149).AddHours(9);
        await AddAsync(new Weighing { SubjectId = mouse.Id, DateTime = first, Weight = 22 });
        var (client, _) = await AdminClient.SignedInAsync(app);
        var page1 = await client.Http.GetStringAsync($"/admin-actions/water-history/{mouse.Id}", Ct);
        var page2 = await client.Http.GetStringAsync($"/admin-actions/water-history/{mouse.Id}?page=2", Ct);
        var dates1 = Regex.Matches(page1, "data-date=\"([0-9-]+)\"").Select(m => m.Groups[1].Value).ToList();
        var dates2 = Regex.Matches(page2, "data-date=\"([0-9-]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(100, dates1.Count);
        Assert.Equal(50, dates2.Count);
        Assert.Equal($"{Now:yyyy-MM-dd}", dates1[0]);
        Assert.Equal($"{first:yyyy-MM-dd}", dates2[^1]);
        Assert.Contains("?page=2", page1);
        Assert.DoesNotContain("?page=3", page2);
    }

    [Fact]
    public async Task WeighingPlot_IsAnSvgDocument_WithAxesLegendThresholdsAndRestriction()
    {
        var day1 = Now.Date.AddDays(-3);
        var mouse = await RestrictedAsync(day1.AddHours(11));
        await AddAsync(
            new Weighing { SubjectId = mouse.Id, DateTime = day1.AddHours(10), Weight = 20 },
            new Weighing { SubjectId = mouse.Id, DateTime = day1.AddDays(1).AddHours(10), Weight = 18 },
            new Weighing { SubjectId = mouse.Id, DateTime = day1.AddDays(2).AddHours(10), Weight = 16 });
        var (client, _) = await AdminClient.SignedInAsync(app);
        var response = await client.Http.GetAsync($"/admin-actions/weighing-plot/{mouse.Id}", Ct);
        var body = await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);

        XNamespace svg = "http://www.w3.org/2000/svg";
        var doc = XDocument.Parse(body);
        Assert.Equal(svg + "svg", doc.Root!.Name);
        Assert.Equal($"Weighings for {mouse.Nickname} (weight > 0.85*ref + 0.0*zscore)", doc.Root.Element(svg + "title")!.Value);
        var texts = doc.Descendants(svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("Date", texts);
        Assert.Contains("Weight (g)", texts);
        // Dated x axis (the three days at midnight fall inside the range from day 1 10:00 to day 3 10:00: days 2 and 3).
        Assert.Contains($"{day1.AddDays(1):yyyy-MM-dd}", texts);
        Assert.Contains($"{day1.AddDays(2):yyyy-MM-dd}", texts);
        // Legend: the weight, the reference weight, the lab's 85 % and the absolute 75 % thresholds.
        Assert.Contains("weight", texts);
        Assert.Contains("reference weight", texts);
        Assert.Contains("85% of expected", texts);
        Assert.Contains("75% of expected", texts);
        // The weight line has the three weighings; one restriction is shaded; 16 g (< 17 g) is flagged, 18 g and 20 g are not.
        var weight = doc.Descendants(svg + "polyline").Single(p => (string?)p.Attribute("data-series") == "weight");
        Assert.Equal(3, weight.Attribute("points")!.Value.Split(' ').Length);
        Assert.Single(doc.Descendants(svg + "g").Single(g => (string?)g.Attribute("class") == "restrictions").Elements(svg + "rect"));
        Assert.Equal(["false", "false", "true"], Group(doc, "weighings").Elements(svg + "circle").Select(c => c.Attribute("data-below")!.Value));
        // The 85 % line is 17 g on every weighing: a horizontal line.
        var threshold = doc.Descendants(svg + "polyline").Single(p => (string?)p.Attribute("data-series") == "85% of expected");
        Assert.Single(threshold.Attribute("points")!.Value.Split(' ').Select(p => p.Split(',')[1]).Distinct());

        // A subject never weighed: an empty plot that says so.
        var empty = await SubjectAsync(app);
        var none = XDocument.Parse(await client.Http.GetStringAsync($"/admin-actions/weighing-plot/{empty.Id}", Ct));
        Assert.Contains("No weighings recorded for this subject", none.Descendants(svg + "text").Select(t => t.Value));
        Assert.Equal($"No weighings recorded for {empty.Nickname}.", none.Root!.Element(svg + "desc")!.Value);
        Assert.Empty(none.Descendants(svg + "polyline"));
        // No legend band under it: the picture ends 10 px under the plot area's frame (36 + 220 + 10).
        Assert.Equal(266, Attr(none.Root!, "height"));
    }

    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    static double Attr(XElement e, string name) => double.Parse(e.Attribute(name)!.Value, System.Globalization.CultureInfo.InvariantCulture);

    static XElement Group(XDocument doc, string cls) => doc.Descendants(Svg + "g").Single(g => (string?)g.Attribute("class") == cls);

    static string Points(XDocument doc, string series) =>
        doc.Descendants(Svg + "polyline").Single(p => (string?)p.Attribute("data-series") == series).Attribute("points")!.Value;

    [Fact]
    public async Task WeighingPlot_PadsTheRange_PlacesPointsByHand_AndKeepsTheLegendOutOfThePlot()
    {
        // Restriction from day 1 11:00 (reference 20 g): thresholds 17 g (85 %) and 15 g (75 %) on the restriction's days 1 to 3.
        var day1 = Now.Date.AddDays(-3);
        var mouse = await RestrictedAsync(day1.AddHours(11));
        await AddAsync(
            new Weighing { SubjectId = mouse.Id, DateTime = day1.AddHours(10), Weight = 20 },
            new Weighing { SubjectId = mouse.Id, DateTime = day1.AddDays(1).AddHours(10), Weight = 18 },
            new Weighing { SubjectId = mouse.Id, DateTime = day1.AddDays(2).AddHours(10), Weight = 16 });
        var (client, _) = await AdminClient.SignedInAsync(app);
        var doc = XDocument.Parse(await client.Http.GetStringAsync($"/admin-actions/weighing-plot/{mouse.Id}", Ct));

        // Values 15..20 g, padded by 0.5 g to 14.5..20.5, widened to whole grams on a 1 g step: 14..21 g.
        Assert.Equal(["14", "15", "16", "17", "18", "19", "20", "21"], Group(doc, "y-ticks").Descendants(Svg + "text").Select(t => t.Value));
        // Plot area x 56..760 over 72 h (day 1 00:00 to day 4 00:00), y 36..256 over 21..14 g:
        // 10:00 -> 56 + 10/72*704 = 153.8; 34 h -> 388.4; 58 h -> 623.1; 20 g -> 36 + 1/7*220 = 67.4; 18 g -> 130.3; 16 g -> 193.1.
        Assert.Equal("153.8,67.4 388.4,130.3 623.1,193.1", Points(doc, "weight"));
        Assert.Equal([(153.8, 67.4), (388.4, 130.3), (623.1, 193.1)], Group(doc, "weighings").Elements(Svg + "circle").Select(c => (Attr(c, "cx"), Attr(c, "cy"))));
        // 17 g -> 36 + 4/7*220 = 161.7, 15 g -> 224.6, on the two restricted days.
        Assert.Equal("153.8,161.7 388.4,161.7 623.1,161.7", Points(doc, "85% of expected"));
        Assert.Equal("153.8,224.6 388.4,224.6 623.1,224.6", Points(doc, "75% of expected"));
        Assert.Equal("153.8,67.4 388.4,67.4 623.1,67.4", Points(doc, "reference weight"));
        // The thresholds are told apart by colour and dash pattern.
        var t85 = doc.Descendants(Svg + "polyline").Single(p => (string?)p.Attribute("data-series") == "85% of expected");
        var t75 = doc.Descendants(Svg + "polyline").Single(p => (string?)p.Attribute("data-series") == "75% of expected");
        Assert.NotEqual(t85.Attribute("stroke")!.Value, t75.Attribute("stroke")!.Value);
        Assert.NotEqual(t85.Attribute("stroke-dasharray")!.Value, t75.Attribute("stroke-dasharray")!.Value);
        // The restriction is shaded from day 1 11:00 (56 + 11/72*704 = 163.6) to the right edge (760).
        var shade = Assert.Single(Group(doc, "restrictions").Elements(Svg + "rect"));
        Assert.Equal((163.6, 596.4), (Attr(shade, "x"), Attr(shade, "width")));

        // The legend box lies wholly below the plot area (whose bottom is the x axis at y = 256) and inside the picture.
        var xAxis = Group(doc, "axes").Elements(Svg + "line").Single(l => l.Attribute("y1")!.Value == l.Attribute("y2")!.Value);
        Assert.Equal(256, Attr(xAxis, "y1"));
        var box = Group(doc, "legend").Element(Svg + "rect")!;
        Assert.True(Attr(box, "y") > 256 + 30, $"legend at y={Attr(box, "y")} overlaps the plot or its tick labels");
        Assert.True(Attr(box, "y") + Attr(box, "height") <= Attr(doc.Root!, "height"));
        Assert.Equal(["weight", "water restriction", "reference weight", "z-score weight", "85% of expected", "75% of expected"],
            Group(doc, "legend").Elements(Svg + "g").Select(g => g.Attribute("data-legend")!.Value));
        Assert.Equal($"3 weighings of {mouse.Nickname} from {day1:yyyy-MM-dd} to {day1.AddDays(2):yyyy-MM-dd}, the last 16.0 g. "
            + "Lines: weight, water restriction, reference weight, z-score weight, 85% of expected, 75% of expected. 1 water restriction period shaded.",
            doc.Root!.Element(Svg + "desc")!.Value);
        // Lines two days long need no markers; six legend entries take two rows of four (18 px each, 6 px margin).
        Assert.Equal(2 * 18 + 6, Attr(box, "height"));
        Assert.Empty(Group(doc, "markers").Elements());
    }

    [Fact]
    public async Task WeighingPlot_RestrictionStartedAfterTheLastWeighingDay_IsShaded()
    {
        // Weighed on day 1 at 10:00, restricted from day 3 at 09:00 on: the time axis runs to the midnight after day 3.
        var day1 = Now.Date.AddDays(-5);
        var mouse = await RestrictedAsync(day1.AddDays(2).AddHours(9));
        await AddAsync(new Weighing { SubjectId = mouse.Id, DateTime = day1.AddHours(10), Weight = 21 });
        var (client, _) = await AdminClient.SignedInAsync(app);
        var doc = XDocument.Parse(await client.Http.GetStringAsync($"/admin-actions/weighing-plot/{mouse.Id}", Ct));

        // Three days over 704 px: day 3 09:00 is at 56 + (2 + 9/24) / 3 * 704 = 613.3, the end of the axis at 760.
        var shaded = Group(doc, "restrictions").Elements(Svg + "rect").Single();
        Assert.Equal(613.3, Attr(shaded, "x"));
        Assert.Equal(146.7, Attr(shaded, "width"));
        // The weighing, day 1 10:00: 56 + (10/24) / 3 * 704 = 153.8.
        Assert.StartsWith("153.8,", Points(doc, "weight"));
    }

    [Fact]
    public async Task WeighingPlot_SingleWeighing_DrawsEverySeriesAsMarkers()
    {
        var day = Now.Date.AddDays(-1);
        var mouse = await RestrictedAsync(day.AddHours(8));
        await AddAsync(new Weighing { SubjectId = mouse.Id, DateTime = day.AddHours(10), Weight = 19 });
        var (client, _) = await AdminClient.SignedInAsync(app);
        var doc = XDocument.Parse(await client.Http.GetStringAsync($"/admin-actions/weighing-plot/{mouse.Id}", Ct));

        // Values 15 (75 %), 17 (85 %), 19, 20 (reference) g: 14..21 g as above (19 g -> 36 + 2/7*220 = 98.9); one day, 10:00 -> 56 + 10/24*704 = 349.3.
        Assert.Equal("349.3,98.9", Points(doc, "weight"));
        Assert.Equal("349.3,67.4", Points(doc, "reference weight"));
        Assert.Equal("349.3,161.7", Points(doc, "85% of expected"));
        Assert.Equal("349.3,224.6", Points(doc, "75% of expected"));
        // A one-point line has no length: each series gets a marker of its own shape, centred on its point.
        var markers = Group(doc, "markers").Elements(Svg + "g").ToDictionary(g => g.Attribute("data-series")!.Value, g => g.Elements(Svg + "path").Single().Attribute("d")!.Value);
        Assert.Equal(["reference weight", "z-score weight", "85% of expected", "75% of expected"], markers.Keys);
        // Square of half-side 5.6 (0.8 x 7) around (349.3, 67.4); triangles with the apex 4.5 above or below the point.
        Assert.StartsWith("M343.7 61.8h11.2v11.2h-11.2Z", markers["reference weight"]);
        Assert.StartsWith("M349.3 157.2L", markers["85% of expected"]);
        Assert.StartsWith("M349.3 229.1L", markers["75% of expected"]);
        // The z-score's diamond reaches 5.5 px from its point on each side: inside the reference's square should the two be equal,
        // and around the weighing's dot (3.5 px); all drawn as outlines.
        var zscore = Points(doc, "z-score weight").Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.StartsWith(FormattableString.Invariant($"M{zscore[0]:0.#} {zscore[1] - 5.5:0.#}L{zscore[0] + 5.5:0.#} {zscore[1]:0.#}L"), markers["z-score weight"]);
        Assert.All(Group(doc, "markers").Elements(Svg + "g"), g => Assert.Equal("none", g.Attribute("fill")!.Value));
        Assert.Single(Group(doc, "weighings").Elements(Svg + "circle"));
    }

    [Fact]
    public async Task WeighingPlot_LongHistory_DateLabelsDoNotOverlap()
    {
        var mouse = await SubjectAsync(app);
        var first = Now.Date.AddDays(-400);
        await AddAsync(Enumerable.Range(0, 401).Select(i => (object)new Weighing { SubjectId = mouse.Id, DateTime = first.AddDays(i).AddHours(9), Weight = 20 + i % 7 * 0.1 }).ToArray());
        var (client, _) = await AdminClient.SignedInAsync(app);
        var doc = XDocument.Parse(await client.Http.GetStringAsync($"/admin-actions/weighing-plot/{mouse.Id}", Ct));

        // 401 days: a tick on the first of every other month, at most eight; an ISO date at 11 px is about 62 px wide.
        var labels = Group(doc, "x-ticks").Descendants(Svg + "text").ToList();
        Assert.InRange(labels.Count, 6, 8);
        Assert.All(labels, l => Assert.EndsWith("-01", l.Value));
        var xs = labels.Select(l => Attr(l, "x")).ToList();
        Assert.All(xs.Zip(xs.Skip(1)), p => Assert.True(p.Second - p.First > 70, $"labels at {p.First} and {p.Second} overlap"));
        Assert.All(xs, x => Assert.InRange(x, 31, 800 - 31));
        // 20.0..20.6 g padded by 0.5 g: 19.5..21.1 g, on a 0.5 g step from 19.5 to 21.5: no point on the frame.
        Assert.Equal(["19.5", "20.0", "20.5", "21.0", "21.5"], Group(doc, "y-ticks").Descendants(Svg + "text").Select(t => t.Value));
        Assert.Equal(401, Group(doc, "weighings").Elements(Svg + "circle").Count());
    }

    [Fact]
    public async Task SubjectHistory_ListsEveryAction_NewestFirst_WithChangeLinks()
    {
        var mouse = await SubjectAsync(app);
        var session = new Session { SubjectId = mouse.Id, StartTime = T(2024, 5, 1, 10), Number = 2, NTrials = 400, NCorrectTrials = 300, Type = "Experiment" };
        var weighing = new Weighing { SubjectId = mouse.Id, DateTime = T(2024, 5, 3, 9), Weight = 21.5 };
        var water = new WaterAdministration { SubjectId = mouse.Id, DateTime = T(2024, 5, 2, 9), WaterAdministered = 1.25 };
        var restriction = new WaterRestriction { SubjectId = mouse.Id, StartTime = T(2024, 4, 30, 8), ReferenceWeight = 22 };
        var surgery = new Surgery { SubjectId = mouse.Id, StartTime = T(2024, 4, 1, 14) };
        await AddAsync(session, weighing, water, restriction, surgery);
        var (client, _) = await AdminClient.SignedInAsync(app);

        var html = await (await client.Http.GetAsync($"/admin-actions/subject-history/{mouse.Id}", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains($"<h1>Subject history of {mouse.Nickname}</h1>", html);
        var kinds = Regex.Matches(html, "data-kind=\"([A-Za-z]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["Weighing", "WaterAdministration", "Session", "WaterRestriction", "Surgery"], kinds);
        Assert.Contains($"href=\"/admin/actions/weighing/{weighing.Id}/change/\"", html);
        Assert.Contains($"href=\"/admin/actions/wateradministration/{water.Id}/change/\"", html);
        Assert.Contains($"href=\"/admin/actions/session/{session.Id}/change/\"", html);
        Assert.Contains($"href=\"/admin/actions/waterrestriction/{restriction.Id}/change/\"", html);
        Assert.Contains($"href=\"/admin/actions/surgery/{surgery.Id}/change/\"", html);
        Assert.Contains("number: 2, n_correct_trials: 300, n_trials: 400", html);
        Assert.Contains("weight: 21.5 g", html);
        Assert.Contains("water_administered: 1.25 mL", html);
        Assert.Contains("2024-05-03 09:00:00", html);
        await (await client.Http.GetAsync($"/admin-actions/subject-history/{Guid.NewGuid()}", Ct)).AssertStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Today_ListsRestrictedAnimals_WithFigures_AndFilters()
    {
        var yesterday = Now.Date.AddDays(-1);
        var heavy = await RestrictedAsync(yesterday.AddHours(8), responsible: "pages_today_user");
        var light = await RestrictedAsync(yesterday.AddHours(8), responsible: "pages_today_user");
        var free = await SubjectAsync(app, responsible: "pages_today_user");
        await AddAsync(
            new Weighing { SubjectId = heavy.Id, DateTime = yesterday.AddHours(9), Weight = 19 },
            new Weighing { SubjectId = light.Id, DateTime = yesterday.AddHours(9), Weight = 16 },
            new WaterAdministration { SubjectId = light.Id, DateTime = Now.AddMinutes(-1), WaterAdministered = 0.3 });
        var (client, _) = await AdminClient.SignedInAsync(app);

        var html = await (await client.Http.GetAsync("/admin-actions/today/?user=pages_today_user", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(free.Nickname, html);
        // 19 g of 20 g: 95 %, 4 % of 19 g = 0.76 mL owed.
        var h = Row(html, "data-subject", heavy.Nickname);
        Assert.StartsWith("19.0 g", Cell(h, "last-weight"));
        Assert.Equal("20.0", Cell(h, "reference"));
        Assert.Equal("20.0", Cell(h, "expected"));
        Assert.Equal("95.0%", Cell(h, "percentage"));
        Assert.Equal("0.76", Cell(h, "required"));
        Assert.Equal("0.00", Cell(h, "given"));
        Assert.Equal("0.76", Cell(h, "remaining"));
        Assert.DoesNotContain("underweight", h);
        // 16 g: 80 %, underweight; 5 % of 16 g = 0.80 mL, 0.30 given today, 0.50 left.
        var l = Row(html, "data-subject", light.Nickname);
        Assert.Equal("80.0% underweight", Cell(l, "percentage"));
        Assert.Equal("0.80", Cell(l, "required"));
        Assert.Equal("0.30", Cell(l, "given"));
        Assert.Equal("0.50", Cell(l, "remaining"));
        Assert.Contains("class=\"underweight\"", html);

        // The lab filter keeps only that lab's animals.
        var labName = await app.WithDbAsync(db => db.Labs.Where(x => x.Id == heavy.LabId).Select(x => x.Name).SingleAsync());
        var onlyHeavy = await client.Http.GetStringAsync($"/admin-actions/today/?lab={labName}", Ct);
        Assert.Contains(heavy.Nickname, onlyHeavy);
        Assert.DoesNotContain(light.Nickname, onlyHeavy);
    }

    [Fact]
    public async Task Today_WeightAndWater_InOnePost()
    {
        var yesterday = Now.Date.AddDays(-1);
        var mouse = await RestrictedAsync(yesterday.AddHours(8), responsible: "pages_entry_user");
        await AddAsync(new Weighing { SubjectId = mouse.Id, DateTime = yesterday.AddHours(9), Weight = 20 });
        // Another user's subject: a husbandry member enters its weight and water (ActionPermissionsTests has the other users).
        var (client, staff) = await AdminClient.SignedInAsync(app, AdminRole.Husbandry);

        var response = await client.SubmitAsync("/admin-actions/today/", "/admin-actions/today/?user=pages_entry_user",
            new() { ["subject_id"] = mouse.Id.ToString(), ["weight"] = "18.5", ["water_administered"] = "0.6" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/admin-actions/today/?user=pages_entry_user&saved={mouse.Nickname}#s-{mouse.Id}", response.Headers.Location!.OriginalString);

        var (weighings, waters) = await app.WithDbAsync(async db => (
            await db.Set<Weighing>().Where(w => w.SubjectId == mouse.Id).OrderBy(w => w.DateTime).Select(w => new { w.Weight, w.UserId }).ToListAsync(),
            await db.Set<WaterAdministration>().Where(w => w.SubjectId == mouse.Id).Select(w => new { w.WaterAdministered }).ToListAsync()));
        Assert.Equal([20, 18.5], weighings.Select(w => w.Weight));
        var staffId = await app.WithDbAsync(db => db.Users.Where(u => u.Username == staff).Select(u => u.Id).SingleAsync());
        Assert.Equal(staffId, weighings[1].UserId);
        Assert.Equal(0.6, Assert.Single(waters).WaterAdministered);

        // Back on the page: 18.5 g of 20 g = 92.5 %; 4 % of 18.5 g = 0.74 mL owed, 0.60 given, 0.14 left.
        var html = await client.Http.GetStringAsync(response.Headers.Location.OriginalString, Ct);
        Assert.Contains($"Weight and water saved for {mouse.Nickname}.", html);
        var row = Row(html, "data-subject", mouse.Nickname);
        Assert.StartsWith("18.5 g", Cell(row, "last-weight"));
        Assert.Equal("92.5%", Cell(row, "percentage"));
        Assert.Equal("0.74", Cell(row, "required"));
        Assert.Equal("0.60", Cell(row, "given"));
        Assert.Equal("0.14", Cell(row, "remaining"));

        // Only a weight is fine too.
        var onlyWeight = await client.SubmitAsync("/admin-actions/today/", "/admin-actions/today/", new() { ["subject_id"] = mouse.Id.ToString(), ["weight"] = "18.7" });
        Assert.Equal(HttpStatusCode.Redirect, onlyWeight.StatusCode);
        Assert.Equal(3, await app.WithDbAsync(db => db.Set<Weighing>().CountAsync(w => w.SubjectId == mouse.Id)));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<WaterAdministration>().CountAsync(w => w.SubjectId == mouse.Id)));
    }

    [Fact]
    public async Task Today_ValidationErrors_AreShown_AndNothingIsWritten()
    {
        var yesterday = Now.Date.AddDays(-1);
        var mouse = await RestrictedAsync(yesterday.AddHours(8), responsible: "pages_invalid_user");
        var (client, _) = await AdminClient.SignedInAsync(app, AdminRole.Husbandry);
        async Task<int> RowsAsync() => await app.WithDbAsync(async db =>
            await db.Set<Weighing>().CountAsync(w => w.SubjectId == mouse.Id) + await db.Set<WaterAdministration>().CountAsync(w => w.SubjectId == mouse.Id));

        // A negative weight (with a valid volume): the REST message, next to the row's form, and neither row written.
        var negative = await client.SubmitAsync("/admin-actions/today/", "/admin-actions/today/",
            new() { ["subject_id"] = mouse.Id.ToString(), ["weight"] = "-1", ["water_administered"] = "0.5" });
        var html = await negative.AssertStatusAsync(HttpStatusCode.BadRequest);
        var row = Row(html, "data-entry-for", mouse.Nickname);
        Assert.Contains("<ul class=\"errorlist\" data-field=\"weight\" role=\"alert\"><li>Weight: Ensure this value is greater than or equal to 0.</li></ul>", row);
        Assert.Contains("value=\"-1\"", row);
        Assert.Contains("value=\"0.5\"", row);
        Assert.Equal(0, await RowsAsync());

        // A valid weight but a volume that is not a number: the weighing is rolled back.
        var text = await client.SubmitAsync("/admin-actions/today/", "/admin-actions/today/",
            new() { ["subject_id"] = mouse.Id.ToString(), ["weight"] = "19", ["water_administered"] = "lots" });
        var textHtml = await text.AssertStatusAsync(HttpStatusCode.BadRequest);
        Assert.Contains("<li>Water: A valid number is required.</li>", textHtml);
        Assert.Equal(0, await RowsAsync());

        // Nothing entered.
        var empty = await client.SubmitAsync("/admin-actions/today/", "/admin-actions/today/", new() { ["subject_id"] = mouse.Id.ToString() });
        Assert.Contains("Enter a weight, a volume of water, or both.", await empty.AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal(0, await RowsAsync());
    }

    [Fact]
    public async Task Today_Post_WithoutCsrfToken_OrAsPublicUser_IsRefused()
    {
        var mouse = await RestrictedAsync(Now.Date.AddDays(-1), responsible: "pages_csrf_user");
        var (client, _) = await AdminClient.SignedInAsync(app);
        var fields = new Dictionary<string, string> { ["subject_id"] = mouse.Id.ToString(), ["weight"] = "19" };

        var noToken = await client.Http.PostAsync("/admin-actions/today/", new FormUrlEncodedContent(fields), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, noToken.StatusCode);
        var wrong = await client.Http.PostAsync("/admin-actions/today/",
            new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["csrfmiddlewaretoken"] = "not-the-token" }), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, wrong.StatusCode);

        var (observer, _) = await AdminClient.SignedInAsync(app, AdminRole.Public);
        var look = await observer.Http.GetAsync("/admin-actions/today/", Ct);
        await look.AssertStatusAsync(HttpStatusCode.OK);
        var change = await observer.SubmitAsync("/admin-actions/today/", "/admin-actions/today/", new(fields));
        Assert.Equal(HttpStatusCode.Forbidden, change.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Weighing>().CountAsync(w => w.SubjectId == mouse.Id)));
    }

    [Fact]
    public async Task WaterRestriction_StartAndEnd_FromTheSubjectPage()
    {
        var ownerName = await AdminClient.CreateUserAsync(app, AdminRole.Staff);
        var mouse = await SubjectAsync(app, responsible: ownerName);
        await AddAsync(new Weighing { SubjectId = mouse.Id, DateTime = Now.AddHours(-2), Weight = 23.5 });
        var owner = AdminClient.Anonymous(app);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.LoginAsync(ownerName, AdminClient.Password)).StatusCode);
        var changePage = $"/admin/subjects/subject/{mouse.Id}/change/";

        var started = await owner.SubmitAsync("/admin-actions/today/", $"/admin-actions/water-restriction/{mouse.Id}/start", new() { ["next"] = changePage });
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        Assert.Equal(changePage, started.Headers.Location!.OriginalString);
        var open = await app.WithDbAsync(db => db.Set<WaterRestriction>().Where(r => r.SubjectId == mouse.Id).Select(r => new { r.Id, r.EndTime, r.ReferenceWeight, r.StartTime }).SingleAsync());
        Assert.Null(open.EndTime);
        // The REST write path's save hook: the reference weight is the last weighing.
        Assert.Equal(23.5, open.ReferenceWeight);

        // A second start is refused in the REST API's words, and nothing is written.
        var again = await owner.SubmitAsync("/admin-actions/today/", $"/admin-actions/water-restriction/{mouse.Id}/start", new());
        Assert.Contains($"Subject {mouse.Nickname} is already on water restriction since", await again.AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<WaterRestriction>().CountAsync(r => r.SubjectId == mouse.Id)));

        // Another staff user who is neither responsible, allowed, nor one of the restriction's users may not end it.
        var (stranger, _) = await AdminClient.SignedInAsync(app);
        var refused = await stranger.SubmitAsync("/admin-actions/today/", $"/admin-actions/water-restriction/{mouse.Id}/end", new());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Null(await app.WithDbAsync(db => db.Set<WaterRestriction>().Where(r => r.Id == open.Id).Select(r => r.EndTime).SingleAsync()));

        // Without a CSRF token: refused.
        var forged = await owner.Http.PostAsync($"/admin-actions/water-restriction/{mouse.Id}/end", new FormUrlEncodedContent(new Dictionary<string, string>()), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);

        var ended = await owner.SubmitAsync("/admin-actions/today/", $"/admin-actions/water-restriction/{mouse.Id}/end", new());
        Assert.Equal(HttpStatusCode.Redirect, ended.StatusCode);
        Assert.Equal(changePage, ended.Headers.Location!.OriginalString);
        var end = await app.WithDbAsync(db => db.Set<WaterRestriction>().Where(r => r.Id == open.Id).Select(r => r.EndTime).SingleAsync());
        Assert.NotNull(end);
        Assert.True(end > open.StartTime);

        // Nothing open any more: 404.
        var none = await owner.SubmitAsync("/admin-actions/today/", $"/admin-actions/water-restriction/{mouse.Id}/end", new());
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }
}
