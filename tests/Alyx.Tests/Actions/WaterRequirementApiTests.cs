using System.Net;
using Alyx.Actions;
using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Actions;

public sealed class WaterRequirementApiTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    static DateTime T(int y, int mo, int d, int h = 0, int mi = 0) => new(y, mo, d, h, mi, 0, DateTimeKind.Unspecified);

    async Task<Lab> NewLabAsync(AlyxDb db, double rpct, double zpct, string timezone)
    {
        var lab = new Lab { Name = AlyxApp.Unique("lab"), ReferenceWeightPct = rpct, ZscoreWeightPct = zpct, Timezone = timezone };
        db.Labs.Add(lab);
        await db.SaveChangesAsync(Ct);
        return lab;
    }

    /// <summary>Spec 20-actions §12.5: SWC_001-like subject with an implant, a restriction, weighings and water.</summary>
    async Task<string> SeedWorkedExampleAsync()
    {
        var nickname = AlyxApp.Unique("SWC");
        await app.WithDbAsync(async db =>
        {
            var lab = await NewLabAsync(db, 0.85, 0, "Europe/London");
            var subject = new Subject { Nickname = nickname, Sex = "M", BirthDate = new DateOnly(2024, 1, 1), LabId = lab.Id };
            var session = new Session { Subject = subject, StartTime = T(2024, 3, 5, 10, 12) };
            db.AddRange(subject, session,
                new Surgery { Subject = subject, StartTime = T(2024, 3, 1, 10), ImplantWeight = 1.5 },
                new WaterRestriction { Subject = subject, StartTime = T(2024, 3, 4, 10), ReferenceWeight = 26.0 },
                new Weighing { Subject = subject, DateTime = T(2024, 3, 4, 9), Weight = 26.0 },
                new Weighing { Subject = subject, DateTime = T(2024, 3, 5, 9, 30), Weight = 24.5 },
                new Weighing { Subject = subject, DateTime = T(2024, 3, 6, 9, 15), Weight = 21.5 },
                new WaterAdministration { Subject = subject, DateTime = T(2024, 3, 5, 15), WaterAdministered = 0.6, Session = session },
                new WaterAdministration { Subject = subject, DateTime = T(2024, 3, 5, 16), WaterAdministered = 0.4 },
                new WaterAdministration { Subject = subject, DateTime = T(2024, 3, 6, 14), WaterAdministered = 1.0 });
            await db.SaveChangesAsync(Ct);
        });
        return nickname;
    }

    [Fact]
    public async Task WorkedExample_BodyIsAlyxs()
    {
        // The lab is in London and the test server in UTC: identical wall-clock in March before the clock change.
        var nickname = await SeedWorkedExampleAsync();
        var client = await app.ClientForAsync();
        var response = await client.GetAsync($"/water-requirement/{nickname}?start_date=2024-03-03&end_date=2024-03-06", Ct);
        var body = await response.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(
            "{\"subject\":\"" + nickname + "\",\"implant_weight\":1.5,\"reference_weight_pct\":0.85,\"zscore_weight_pct\":0.0,\"records\":["
            + "{\"date\":\"2024-03-03\",\"weight\":0,\"weighing_at\":null,\"reference_weight\":0.0,\"expected_weight\":1.5,\"min_weight\":1.5,\"percentage_weight\":0.0,\"given_water_reward\":0,\"given_water_supplement\":0,\"given_water_total\":0,\"expected_water\":-0.07500000000000001,\"excess_water\":0.07500000000000001,\"is_water_restricted\":false,\"implant_weight\":1.5},"
            + "{\"date\":\"2024-03-04\",\"weight\":26.0,\"weighing_at\":26.0,\"reference_weight\":24.5,\"expected_weight\":26.0,\"min_weight\":22.325,\"percentage_weight\":100.0,\"given_water_reward\":0,\"given_water_supplement\":0,\"given_water_total\":0,\"expected_water\":0.98,\"excess_water\":-0.98,\"is_water_restricted\":true,\"implant_weight\":1.5},"
            + "{\"date\":\"2024-03-05\",\"weight\":24.5,\"weighing_at\":24.5,\"reference_weight\":24.5,\"expected_weight\":26.0,\"min_weight\":22.325,\"percentage_weight\":93.87755102040816,\"given_water_reward\":0.6,\"given_water_supplement\":0.4,\"given_water_total\":1.0,\"expected_water\":0.92,\"excess_water\":0.07999999999999996,\"is_water_restricted\":true,\"implant_weight\":1.5},"
            + "{\"date\":\"2024-03-06\",\"weight\":21.5,\"weighing_at\":21.5,\"reference_weight\":24.5,\"expected_weight\":26.0,\"min_weight\":22.325,\"percentage_weight\":81.63265306122449,\"given_water_reward\":0,\"given_water_supplement\":1.0,\"given_water_total\":1.0,\"expected_water\":1.0,\"excess_water\":-0.0,\"is_water_restricted\":true,\"implant_weight\":1.5}]}",
            body);
    }

    [Fact]
    public async Task WaterRequirement_UpstreamTest()
    {
        // Upstream actions.tests_rest test_water_requirement: surgery (4.56 g) 7 days ago, water and weighing now.
        var clock = app.Services.GetRequiredService<AlyxClock>();
        var now = clock.Now;
        var nickname = AlyxApp.Unique("wr");
        await app.WithDbAsync(async db =>
        {
            var lab = await NewLabAsync(db, 0.85, 0, "");
            var subject = new Subject { Nickname = nickname, BirthDate = new DateOnly(2020, 1, 1), LabId = lab.Id };
            db.AddRange(subject,
                new Surgery { Subject = subject, StartTime = now.AddDays(-7), ImplantWeight = 4.56 },
                new WaterAdministration { Subject = subject, DateTime = now, WaterAdministered = 1.23 },
                new Weighing { Subject = subject, DateTime = now, Weight = 12.3 });
            await db.SaveChangesAsync(Ct);
        });
        var client = await app.ClientForAsync();
        var today = DateOnly.FromDateTime(now);
        var json = await (await client.GetAsync(
            $"/water-requirement/{nickname}?start_date={today.AddDays(-2):yyyy-MM-dd}&end_date={today.AddDays(2):yyyy-MM-dd}", Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(["subject", "implant_weight", "reference_weight_pct", "zscore_weight_pct", "records"], json.Keys());
        Assert.Equal(nickname, json["subject"]!.GetValue<string>());
        Assert.Equal(4.56, json["implant_weight"]!.GetValue<double>());
        var records = json["records"]!.AsArray();
        Assert.Equal(Enumerable.Range(-2, 5).Select(n => today.AddDays(n).ToString("yyyy-MM-dd", null)),
            records.Select(r => r!["date"]!.GetValue<string>()));
        // Upstream asks for weighing_at > 0 today and weight > 0 from today on; by hand: no weighing before today (weight
        // int 0, weighing_at null), 12.3 from today on, weighed today only. Today (implant 4.56, no restriction, so
        // expected_weight = 0.0 + 0.0 + 4.56 and the threshold 0.85·0 + 4.56 is below 12.3): expected_water =
        // 0.04·(12.3 - 4.56) = 0.30960000000000004, excess_water = 1.23 - that = 0.9203999999999999.
        Assert.Equal(["0", "0", "12.3", "12.3", "12.3"], records.Select(r => r!["weight"]!.ToJsonString()));
        Assert.Equal(["null", "null", "12.3", "null", "null"], records.Select(r => r!["weighing_at"]?.ToJsonString() ?? "null"));
        Assert.Equal("1.23", records[2]!["given_water_supplement"]!.ToJsonString());
        Assert.Equal("0.30960000000000004", records[2]!["expected_water"]!.ToJsonString());
        Assert.Equal("0.9203999999999999", records[2]!["excess_water"]!.ToJsonString());
        Assert.Equal(["date", "weight", "weighing_at", "reference_weight", "expected_weight", "min_weight", "percentage_weight",
            "given_water_reward", "given_water_supplement", "given_water_total", "expected_water", "excess_water",
            "is_water_restricted", "implant_weight"], records[0]!.Keys());
    }

    [Fact]
    public async Task RunsOfUnchangedDays_EachDayWrittenInFull()
    {
        // Three days alike before the restriction (the implant is in from 1 March 10:00, the records are taken at 12:00) and
        // three alike after the last weighing and water: each day's full text, worked by hand as in WorkedExample_BodyIsAlyxs.
        // After 6 March: weight 21.5 (the last weighing), not weighed that day, no water; 21.5 is under the threshold
        // 0.85·(26.0 - 1.5) + 1.5 = 22.325, so expected_water = 0.05·(21.5 - 1.5) = 1.0 and excess_water = -(1.0 - 0) = -1.0.
        var nickname = await SeedWorkedExampleAsync();
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync($"/water-requirement/{nickname}?start_date=2024-03-01&end_date=2024-03-09", Ct))
            .AssertStatusAsync(HttpStatusCode.OK);
        string Before(string date) =>
            "{\"date\":\"" + date + "\",\"weight\":0,\"weighing_at\":null,\"reference_weight\":0.0,\"expected_weight\":1.5,\"min_weight\":1.5,\"percentage_weight\":0.0,\"given_water_reward\":0,\"given_water_supplement\":0,\"given_water_total\":0,\"expected_water\":-0.07500000000000001,\"excess_water\":0.07500000000000001,\"is_water_restricted\":false,\"implant_weight\":1.5}";
        string After(string date) =>
            "{\"date\":\"" + date + "\",\"weight\":21.5,\"weighing_at\":null,\"reference_weight\":24.5,\"expected_weight\":26.0,\"min_weight\":22.325,\"percentage_weight\":81.63265306122449,\"given_water_reward\":0,\"given_water_supplement\":0,\"given_water_total\":0,\"expected_water\":1.0,\"excess_water\":-1.0,\"is_water_restricted\":true,\"implant_weight\":1.5}";
        var records = body[(body.IndexOf("\"records\":[", StringComparison.Ordinal) + 11)..^2];
        var days = records.Split("},{");
        Assert.Equal(9, days.Length);
        Assert.Equal([Before("2024-03-01"), Before("2024-03-02"), Before("2024-03-03")], days[..3].Select((d, i) => Whole(d, i, 9)));
        Assert.Equal([After("2024-03-07"), After("2024-03-08"), After("2024-03-09")], days[6..].Select((d, i) => Whole(d, i + 6, 9)));
    }

    /// <summary>Day <paramref name="i"/> of <paramref name="n"/> split on "},{", its braces put back.</summary>
    static string Whole(string day, int i, int n) => (i == 0 ? "" : "{") + day + (i == n - 1 ? "" : "}");

    [Fact]
    public void NeighbouringDays_DifferingOnlyInZeroSignOrNumberKind_AreWrittenApart()
    {
        // 0.0 and -0.0 compare equal, as do int 0 and float 0.0: each day must still show its own text.
        var day = new WaterRecord(new DateOnly(2024, 2, 28), PythonNumber.Int(0), null, 0.0, PythonNumber.Int(0), 0.0, 0.0,
            PythonNumber.Int(0), PythonNumber.Int(0), PythonNumber.Int(0), 0.0, -0.0, false, PythonNumber.Int(0));
        var body = new WaterRequirement("m", PythonNumber.Int(0), 0.0, 0.0,
        [
            day,
            day with { Date = new DateOnly(2024, 2, 29), ExcessWater = 0.0 },
            day with { Date = new DateOnly(2024, 3, 1), ExcessWater = 0.0, Weight = PythonNumber.Float(0) },
            day with { Date = new DateOnly(2024, 3, 2), ExcessWater = 0.0, Weight = PythonNumber.Float(0) },
        ]);
        static string Day(string date, string weight, string excess) =>
            "{\"date\":\"" + date + "\",\"weight\":" + weight + ",\"weighing_at\":null,\"reference_weight\":0.0,\"expected_weight\":0,\"min_weight\":0.0,\"percentage_weight\":0.0,\"given_water_reward\":0,\"given_water_supplement\":0,\"given_water_total\":0,\"expected_water\":0.0,\"excess_water\":" + excess + ",\"is_water_restricted\":false,\"implant_weight\":0}";
        Assert.Equal(
            "{\"subject\":\"m\",\"implant_weight\":0,\"reference_weight_pct\":0.0,\"zscore_weight_pct\":0.0,\"records\":["
            + string.Join(",", Day("2024-02-28", "0", "-0.0"), Day("2024-02-29", "0", "0.0"), Day("2024-03-01", "0.0", "0.0"),
                Day("2024-03-02", "0.0", "0.0")) + "]}",
            System.Text.Json.JsonSerializer.Serialize(body, AlyxJson.Options));
    }

    [Fact]
    public void EveryValueOfADay_KeepsItFromRepeatingThePreviousDaysText()
    {
        // A run reuses the previous day's text only when every value but the date is the same: each of the record's values,
        // changed alone (a value added to the record later included), must make the day be written afresh.
        var day = new WaterRecord(new DateOnly(2024, 2, 28), PythonNumber.Int(0), null, 0.0, PythonNumber.Int(0), 0.0, 0.0,
            PythonNumber.Int(0), PythonNumber.Int(0), PythonNumber.Int(0), 0.0, 0.0, false, PythonNumber.Int(0));
        var constructor = typeof(WaterRecord).GetConstructors().Single(c => c.GetParameters().Length > 1);
        var parameters = constructor.GetParameters();
        object?[] Values() => [.. parameters.Select(p => typeof(WaterRecord).GetProperty(p.Name!, System.Reflection.BindingFlags.Public
            | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.IgnoreCase)!.GetValue(day))];
        static object Other(Type type) =>
            type == typeof(PythonNumber) ? PythonNumber.Float(1.5)
            : type == typeof(double) || type == typeof(double?) ? 1.5
            : type == typeof(bool) ? true
            : type == typeof(DateOnly) ? new DateOnly(2024, 2, 29)
            : throw new InvalidOperationException($"A value of type {type} in WaterRecord: give it another value here.");

        var nextDay = Values();
        nextDay[0] = new DateOnly(2024, 2, 29);
        Assert.True(WaterRecordConverter.SameExceptDate(day, (WaterRecord)constructor.Invoke(nextDay)));
        foreach (var (parameter, i) in parameters.Select((p, i) => (p, i)).Skip(1))
        {
            var values = Values();
            values[i] = Other(parameter.ParameterType);
            Assert.False(WaterRecordConverter.SameExceptDate(day, (WaterRecord)constructor.Invoke(values)), parameter.Name);
        }
    }

    [Fact]
    public async Task DefaultRange_FirstDataPointToToday()
    {
        var nickname = await SeedWorkedExampleAsync();
        var client = await app.ClientForAsync();
        var json = await (await client.GetAsync($"/water-requirement/{nickname}?start_date=&end_date=2024-03-06", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        // Empty start_date is absent: the first weighing (2024-03-04 09:00) starts the records.
        Assert.Equal(["2024-03-04", "2024-03-05", "2024-03-06"], json["records"]!.AsArray().Select(r => r!["date"]!.GetValue<string>()));
        var all = await (await client.GetAsync($"/water-requirement/{nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var today = app.Services.GetRequiredService<AlyxClock>().Today;
        Assert.Equal(today.DayNumber - new DateOnly(2024, 3, 4).DayNumber + 1, all["records"]!.AsArray().Count);
        // Without start_date the implant weight is the one in force now (the restriction is still open: 1.5).
        Assert.Equal("1.5", all["implant_weight"]!.ToJsonString());
    }

    [Fact]
    public async Task EndBeforeStart_NoRecords()
    {
        var nickname = await SeedWorkedExampleAsync();
        var client = await app.ClientForAsync();
        var json = await (await client.GetAsync($"/water-requirement/{nickname}?start_date=2024-03-06&end_date=2024-03-01", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Empty(json["records"]!.AsArray());
        // implant_weight at midnight of start_date.
        Assert.Equal("1.5", json["implant_weight"]!.ToJsonString());
    }

    [Fact]
    public async Task NoImplant_ImplantWeightIsIntZero()
    {
        var nickname = AlyxApp.Unique("noimp");
        await app.WithDbAsync(async db =>
        {
            var lab = await NewLabAsync(db, 0, 0, "");
            db.Subjects.Add(new Subject { Nickname = nickname, LabId = lab.Id });
            await db.SaveChangesAsync(Ct);
        });
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync($"/water-requirement/{nickname}?start_date=2024-01-01&end_date=2024-01-01", Ct))
            .AssertStatusAsync(HttpStatusCode.OK);
        Assert.StartsWith("{\"subject\":\"" + nickname + "\",\"implant_weight\":0,\"reference_weight_pct\":0.0,\"zscore_weight_pct\":0.0,", body);
        // No birth date and no data: the original fails to find a first date; here there are simply no records.
        var json = await (await client.GetAsync($"/water-requirement/{nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Empty(json["records"]!.AsArray());
    }

    [Theory]
    [InlineData("NOPE_nobody")]
    public async Task UnknownNickname_404(string nickname)
    {
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync($"/water-requirement/{nickname}", Ct)).AssertStatusAsync(HttpStatusCode.NotFound);
        Assert.Equal("{\"detail\":\"No Subject matches the given query.\",\"status_code\":404}", body);
    }

    [Fact]
    public async Task Nickname_IsCaseSensitive()
    {
        var nickname = await SeedWorkedExampleAsync();
        var client = await app.ClientForAsync();
        await (await client.GetAsync($"/water-requirement/{nickname.ToLowerInvariant()}", Ct)).AssertStatusAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task NicknameInTwoLabs_400()
    {
        var nickname = AlyxApp.Unique("twin");
        await app.WithDbAsync(async db =>
        {
            var a = await NewLabAsync(db, 0.85, 0, "");
            var b = await NewLabAsync(db, 0.85, 0, "");
            db.Subjects.AddRange(new Subject { Nickname = nickname, LabId = a.Id }, new Subject { Nickname = nickname, LabId = b.Id });
            await db.SaveChangesAsync(Ct);
        });
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync($"/water-requirement/{nickname}", Ct)).AssertStatusAsync(HttpStatusCode.BadRequest);
        Assert.Equal("{\"detail\":\"Multiple objects with nickname=" + nickname + "\",\"status_code\":400}", body);
    }

    [Theory]
    [InlineData("start_date=yesterday")]
    [InlineData("start_date=2024-13-01")]
    [InlineData("start_date=2024-02-30")]
    [InlineData("start_date=0000-01-01")]
    [InlineData("end_date=24-03-01")]
    [InlineData("end_date=2024-03-01T00:00")]
    [InlineData("end_date=2024/03/01")]
    public async Task MalformedDate_400(string query)
    {
        var nickname = await SeedWorkedExampleAsync();
        var client = await app.ClientForAsync();
        var json = await (await client.GetAsync($"/water-requirement/{nickname}?{query}", Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["detail", "status_code"], json.Keys());
        Assert.Contains(query[..query.IndexOf('=', StringComparison.Ordinal)], json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("start_date=2024-3-5&end_date=2024-03-05")]
    [InlineData("start_date=2024-03-5&end_date=2024-03-05")]
    public async Task ShortMonthAndDay_AcceptedAsStrptimeDoes(string query)
    {
        var nickname = await SeedWorkedExampleAsync();
        var client = await app.ClientForAsync();
        var json = await (await client.GetAsync($"/water-requirement/{nickname}?{query}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("2024-03-05", json["records"]![0]!["date"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("start_date=0001-01-01")]
    [InlineData("start_date=0001-01-01&end_date=9999-12-31")]
    [InlineData("start_date=2024-03-01&end_date=9999-12-31")]
    [InlineData("end_date=9999-12-31")]
    public async Task HugeRange_Returns400(string query)
    {
        var nickname = await SeedWorkedExampleAsync();
        var client = await app.ClientForAsync();
        var json = await (await client.GetAsync($"/water-requirement/{nickname}?{query}", Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains("at most 3660 days", json["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LongestAllowedRange_IsServed()
    {
        var nickname = await SeedWorkedExampleAsync();
        var client = await app.ClientForAsync();
        var end = new DateOnly(2024, 3, 6);
        var start = end.AddDays(-3659);   // 3660 days, the longest range served
        var json = await (await client.GetAsync($"/water-requirement/{nickname}?start_date={start:yyyy-MM-dd}&end_date={end:yyyy-MM-dd}", Ct))
            .ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(3660, json["records"]!.AsArray().Count);
        await (await client.GetAsync($"/water-requirement/{nickname}?start_date={start.AddDays(-1):yyyy-MM-dd}&end_date={end:yyyy-MM-dd}", Ct))
            .AssertStatusAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ImplicitRange_CoversTheWholeHistory()
    {
        // A weighing on 1990-01-01 with neither date given: every day from it to today (far more than 3660), as the original.
        var nickname = AlyxApp.Unique("old");
        await app.WithDbAsync(async db =>
        {
            var lab = await NewLabAsync(db, 0.85, 0, "");
            var subject = new Subject { Nickname = nickname, LabId = lab.Id };
            db.AddRange(subject, new Weighing { Subject = subject, DateTime = T(1990, 1, 1, 9), Weight = 20 });
            await db.SaveChangesAsync(Ct);
        });
        var client = await app.ClientForAsync();
        var json = await (await client.GetAsync($"/water-requirement/{nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var records = json["records"]!.AsArray();
        var today = app.Services.GetRequiredService<AlyxClock>().Today;
        Assert.Equal(today.DayNumber - new DateOnly(1990, 1, 1).DayNumber + 1, records.Count);
        Assert.True(records.Count > 3660);
        Assert.Equal("1990-01-01", records[0]!["date"]!.GetValue<string>());
        Assert.Equal(20.0, records[0]!["weight"]!.GetValue<double>());
        Assert.Equal(today.ToString("yyyy-MM-dd", null), records[^1]!["date"]!.GetValue<string>());
    }

    [Fact]
    public async Task ImplicitRange_WithoutData_RunsFromTheBirthDate()
    {
        // No weighing and no water: the original starts at the birth date (2016-05-04 here), a range of more than ten years.
        var nickname = AlyxApp.Unique("born");
        await app.WithDbAsync(async db =>
        {
            var lab = await NewLabAsync(db, 0.85, 0, "");
            db.Add(new Subject { Nickname = nickname, LabId = lab.Id, BirthDate = new DateOnly(2016, 5, 4) });
            await db.SaveChangesAsync(Ct);
        });
        var client = await app.ClientForAsync();
        var records = (await (await client.GetAsync($"/water-requirement/{nickname}", Ct)).ReadJsonAsync(HttpStatusCode.OK))["records"]!.AsArray();
        var today = app.Services.GetRequiredService<AlyxClock>().Today;
        Assert.Equal(today.DayNumber - new DateOnly(2016, 5, 4).DayNumber + 1, records.Count);
        Assert.Equal("2016-05-04", records[0]!["date"]!.GetValue<string>());
        Assert.Equal(today.ToString("yyyy-MM-dd", null), records[^1]!["date"]!.GetValue<string>());
        // The same range asked for explicitly is over the limit.
        var explicitRange = await (await client.GetAsync($"/water-requirement/{nickname}?start_date=2016-05-04", Ct)).ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal($"The range from start_date to end_date spans {records.Count} days; at most 3660 days can be requested at once.",
            explicitRange["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Anonymous_403()
    {
        var nickname = await SeedWorkedExampleAsync();
        var response = await app.AnonymousClient().GetAsync($"/water-requirement/{nickname}", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);   // as every API route here (session auth first)
    }

    [Fact]
    public async Task Schema_ListsTheRoute()
    {
        var client = await app.ClientForAsync();
        var body = await (await client.GetAsync("/api/schema?format=json", Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Contains("/water-requirement/{nickname}", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoadAsync_DumpPage_FiguresByHandAndOneBatchEqualsOneByOne()
    {
        // The 22 dump subjects with weighings (50 actions.weighing rows), loaded as one page. Four of them checked against
        // their fixture rows (lab somelab: Pr = Pz = 0, zone Africa/Djibouti, UTC+3, no daylight saving, so weighing,
        // administration and implant times move 3 h on; restriction times stay raw). With Pr + Pz = 0, expected_weight = 0 and the threshold is the
        // implant weight iw, which every last weight w exceeds: expected_water = 0.04·(w - iw) (11-subjects §5.3).
        if (!Fixtures.HasDump) Assert.Skip($"Fixture {Fixtures.DumpName} not found in {Fixtures.Folder}.");
        var clock = app.Services.GetRequiredService<AlyxClock>();
        await app.WithDbAsync(async db =>
        {
            var ids = await db.Subjects.Where(s => s.Lab!.Name == "somelab" && db.Set<Weighing>().Any(w => w.SubjectId == s.Id))
                .Select(s => s.Id).ToListAsync(Ct);
            Assert.Equal(22, ids.Count);
            var page = await WaterControl.LoadAsync(db, ids, clock, Ct);
            Assert.Equal(22, page.Count);

            // 232ee6: implant 1.2 (2016-11-01), weighings 28.9 and 31.4, last restriction open from 2017-04-20 03:00 with no
            // reference weight, so the reference is the last weighing by then: 28.9 - 1.2 = 27.7; expected 0.04·(31.4 - 1.2).
            var a = page[Guid.Parse("232ee62e-ed9b-40f3-b36e-c9d4327b5314")];
            Assert.Equal([new TimedWeight(T(2017, 3, 31, 6), 28.9), new TimedWeight(new DateTime(2017, 6, 13, 19, 9, 23, 820), 31.4)], a.Weighings);
            Assert.Equal([new TimedWeight(T(2016, 11, 1, 6), 1.2)], a.Implants);
            Assert.Equal([new WaterGiven(T(2017, 4, 26, 6), 1.13, null)], a.Administrations);
            Assert.Equal([new RestrictionSpan(T(2016, 11, 28, 3), T(2016, 12, 23, 3), 0), new RestrictionSpan(T(2017, 1, 30, 3), T(2017, 4, 15, 3), 0),
                new RestrictionSpan(T(2017, 4, 20, 3), null, 0)], a.Restrictions);
            Assert.Equal(1.208, a.ExpectedWater());
            Assert.Equal(27.7, a.ReferenceWeight());
            Assert.Equal(T(2017, 4, 20, 3), a.LastWaterRestriction);

            // 1ac458: its only surgery has implant weight 0 (not an implant); last restriction open from 2017-04-20 03:00,
            // the last weighing by then 23.3 (2017-02-28); last weighing 22.55: expected 0.04·22.55.
            var b = page[Guid.Parse("1ac458d9-c412-4afa-bea3-fe79cf75fa0a")];
            Assert.Equal((6, 3, 3), (b.Weighings.Count, b.Administrations.Count, b.Restrictions.Count));
            Assert.Empty(b.Implants);
            Assert.Equal(0.902, b.ExpectedWater());
            Assert.Equal(23.3, b.ReferenceWeight());
            Assert.Equal(T(2017, 4, 20, 3), b.LastWaterRestriction);

            // 646350: implant 1.2, last weighing 24.6, its one restriction ended 2017-06-06: no reference, no restriction now.
            var c = page[Guid.Parse("64635019-e144-4f51-bdd7-1975743051ce")];
            Assert.Equal((3, 3, 1, 1), (c.Weighings.Count, c.Administrations.Count, c.Restrictions.Count, c.Implants.Count));
            Assert.Equal(0.936, c.ExpectedWater());
            Assert.Equal(0.0, c.ReferenceWeight());
            Assert.Null(c.LastWaterRestriction);

            // 638146: implant 1.0 (the two later surgeries weigh 0), last weighing 27.0, restrictions ended.
            var d = page[Guid.Parse("6381463f-c161-4cfa-8e6c-4ebd06710f10")];
            Assert.Equal([new TimedWeight(T(2016, 12, 8, 6), 1.0)], d.Implants);
            Assert.Equal((2, 4, 2), (d.Weighings.Count, d.Administrations.Count, d.Restrictions.Count));
            Assert.Equal(1.04, d.ExpectedWater());
            Assert.Equal(0.0, d.ReferenceWeight());
            Assert.Null(d.LastWaterRestriction);

            // Set-based loading agrees with loading each subject alone.
            foreach (var id in ids)
            {
                var alone = (await WaterControl.LoadAsync(db, id, clock, Ct))!;
                var batch = page[id];
                Assert.Equal(alone.Weighings, batch.Weighings);
                Assert.Equal(alone.Administrations, batch.Administrations);
                Assert.Equal(alone.Restrictions, batch.Restrictions);
                Assert.Equal(alone.Implants, batch.Implants);
                Assert.Equal(alone.ExpectedWater(), batch.ExpectedWater());
                Assert.Equal(alone.ReferenceWeight(), batch.ReferenceWeight());
            }
        });
    }

    [Fact]
    public async Task LoadAsync_PageOf250Subjects_LoadsEverySubjectsHistory()
    {
        // 250 subjects with a year-long history each (60 weighings, 60 administrations, 2 restrictions, 2 surgeries).
        var clock = app.Services.GetRequiredService<AlyxClock>();
        var ids = await app.WithDbAsync(async db =>
        {
            var lab = await NewLabAsync(db, 0.425, 0.425, "America/New_York");
            var list = new List<Guid>();
            for (var i = 0; i < 250; i++)
            {
                var subject = new Subject { Nickname = AlyxApp.Unique("page"), Sex = i % 2 == 0 ? "M" : "F", BirthDate = new DateOnly(2023, 1, 1), LabId = lab.Id };
                list.Add(subject.Id);
                db.Subjects.Add(subject);
                db.AddRange(new Surgery { Subject = subject, StartTime = T(2023, 3, 1, 10), ImplantWeight = 1.2 },
                    new Surgery { Subject = subject, StartTime = T(2023, 9, 1, 10), ImplantWeight = 1.6 },
                    new WaterRestriction { Subject = subject, StartTime = T(2023, 4, 1, 9), EndTime = T(2023, 6, 1, 9), ReferenceWeight = 0 },
                    new WaterRestriction { Subject = subject, StartTime = T(2023, 10, 1, 9), ReferenceWeight = 24 + i % 5 });
                for (var n = 0; n < 60; n++)
                {
                    db.Add(new Weighing { Subject = subject, DateTime = T(2023, 3, 1, 8).AddDays(6 * n), Weight = 22 + n % 7 * 0.3 });
                    db.Add(new WaterAdministration { Subject = subject, DateTime = T(2023, 3, 1, 15).AddDays(6 * n), WaterAdministered = 0.6 + n % 3 * 0.1 });
                }
            }
            await db.SaveChangesAsync(Ct);
            return list;
        });
        await app.WithDbAsync(async db =>
        {
            var page = await WaterControl.LoadAsync(db, ids, clock, Ct);
            Assert.Equal(250, page.Count);
            Assert.All(page.Values, wc => Assert.Equal((60, 60, 2, 2), (wc.Weighings.Count, wc.Administrations.Count, wc.Restrictions.Count, wc.Implants.Count)));
            Assert.All(page.Values, wc => Assert.Equal(T(2023, 10, 1, 9), wc.LastWaterRestriction));
        });
    }

    [Fact]
    public async Task DumpSubjects_AllServeTheirDefaultRange()
    {
        // Every dump subject with weighings answers 200 on the default range (no 500 on real data).
        if (!Fixtures.HasDump) Assert.Skip($"Fixture {Fixtures.DumpName} not found in {Fixtures.Folder}.");
        var nicknames = await app.WithDbAsync(db => db.Subjects
            .Where(s => s.Lab!.Name == "somelab" && db.Set<Weighing>().Any(w => w.SubjectId == s.Id))
            .Select(s => s.Nickname).ToListAsync(Ct));
        Assert.Equal(22, nicknames.Count);   // the dump's weighings are of 22 subjects
        var client = await app.ClientForAsync();
        foreach (var nickname in nicknames)
        {
            var json = await (await client.GetAsync($"/water-requirement/{Uri.EscapeDataString(nickname)}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
            Assert.NotEmpty(json["records"]!.AsArray());
        }
    }
}
