using System.Text.Json;
using Alyx.Actions;
using Alyx.Http;

namespace Alyx.Tests.Actions;

/// <summary>
/// The engine alone (no database), against the spec's worked examples and values produced by running Alyx's own
/// <c>alyx/actions/water_control.py</c> on the same scenarios; numbers are compared to the last bit.
/// </summary>
public sealed class WaterControlTests
{
    static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    static DateTime T(int y, int mo, int d, int h = 0, int mi = 0) => new(y, mo, d, h, mi, 0, DateTimeKind.Unspecified);

    static string Json(object value) => JsonSerializer.Serialize(value, AlyxJson.Options);

    /// <summary>Upstream WaterControlTests.setUp: 50 daily weighings of np.linspace(25, 20, 50) from 2018-10-01.</summary>
    static double Linspace(int n) => n == 49 ? 20.0 : n * ((20.0 - 25.0) / 49) + 25.0;

    static SubjectWaterControl UpstreamScenario(double rpct, double zpct, DateTime now, double restrictionBump = 0)
    {
        var start = T(2018, 10, 1);
        var subject = new WaterControlSubject(Guid.NewGuid(), "bigboy", "U", new DateOnly(2018, 9, 1), rpct, zpct, "");
        var weighings = Enumerable.Range(0, 50).Select(n => new TimedWeight(start.AddDays(n), Linspace(n))).ToList();
        var administrations = Enumerable.Range(0, 50).Select(n => new WaterGiven(start.AddDays(n), 0.98, null)).ToList();
        // The 0 g surgery of day 10 is not an implant (the loader filters it, Q-27).
        TimedWeight[] implants = [new(start.AddDays(-7), 4.56), new(start.AddDays(25), 7.0)];
        // The restriction's reference weight was filled at creation from that day's weighing.
        RestrictionSpan[] restrictions = [new(start.AddDays(5), null, Linspace(5) + restrictionBump)];
        return new SubjectWaterControl(subject, London, now, implants, restrictions, administrations, weighings);
    }

    [Fact]
    public void ZscoreWeight_UpstreamScenario_IsExact()
    {
        // Upstream test_water_control_thresholds (z-score lab): sex U → female curve; the reference weighing is at
        // 4 weeks of age, "now" is beyond the table's last row.
        var wc = UpstreamScenario(0, 0.85, T(2024, 6, 1, 10));
        Assert.Equal(31.04918367346939, wc.ZscoreWeight());
        Assert.Equal(38.049183673469386, (double)wc.ExpectedWeight());
        Assert.Equal(31.04918367346939 + 7.0, (double)wc.ExpectedWeight());
    }

    [Fact]
    public void ReferenceLab_UpstreamScenario()
    {
        var wc = UpstreamScenario(0.85, 0, T(2024, 6, 1, 10));
        Assert.Equal(19.929795918367347, wc.ReferenceWeight());
        Assert.Equal(24.489795918367346 - 4.56, wc.ReferenceWeight());
        Assert.Equal(26.929795918367347, (double)wc.ExpectedWeight());
        Assert.Equal([4.56, 7.0], wc.Implants.Select(i => i.Weight));
        Assert.Equal(PythonNumber.Float(7.0), wc.ImplantWeight());
        Assert.Equal(PythonNumber.Float(4.56), wc.ImplantWeight(T(2018, 10, 1)));
        Assert.Equal(PythonNumber.Float(4.56), wc.ReferenceImplantWeight());
        Assert.Equal(0.65, wc.ExpectedWater());
        Assert.Equal(T(2018, 10, 6), wc.LastWaterRestriction);
        // Editing the restriction's reference weight by +1 shifts reference_weight by +1.
        var bumped = UpstreamScenario(0.85, 0, T(2024, 6, 1, 10), restrictionBump: 1);
        Assert.Equal(19.929795918367347 + 1, bumped.ReferenceWeight(), 12);
    }

    [Fact]
    public void MixedLab_UpstreamScenario()
    {
        var wc = UpstreamScenario(0.425, 0.425, T(2024, 6, 1, 10));
        Assert.Equal(32.48948979591837, (double)wc.ExpectedWeight());
        Assert.Equal((wc.ReferenceWeight() + 31.04918367346939) / 2 + 7.0, (double)wc.ExpectedWeight(), 12);
        Assert.Equal([0.75, 0.85], wc.Thresholds);
        Assert.Equal(85.0, wc.MinPercentage);
        Assert.Equal(0.65, wc.ExpectedWater());
    }

    [Fact]
    public void ExpectedWater_MidScenario_IsExact()
    {
        // 11-subjects §5.4: at 2018-10-20 12:00 (implant 4.56, weight 23.06122448979592, age 7 weeks).
        var at = T(2018, 10, 20, 12);
        var reference = UpstreamScenario(0.85, 0, T(2024, 6, 1));
        var zscore = UpstreamScenario(0, 0.85, T(2024, 6, 1));
        Assert.Equal(23.06122448979592, (double)reference.Weight(at));
        Assert.Equal(0.7400489795918368, reference.ExpectedWater(at));
        Assert.Equal(0.7400489795918368, zscore.ExpectedWater(at));
        Assert.Equal(24.489795918367346, (double)reference.ExpectedWeight(at));
        Assert.Equal(26.32265306122449, (double)zscore.ExpectedWeight(at));
        // test_water_administration_expected: the expectation at administrations 0 and 40 (days 0 and 40, at midnight).
        // Day 0, 2018-10-01: implant 4.56, weight 25.0, no restriction yet so reference_weight 0.0 and expected_weight
        // = 0.0 + 4.56; threshold 0.85·(4.56 - 4.56) + 4.56 = 4.56 <= 25.0: 0.04·(25.0 - 4.56) = 0.8176000000000001.
        // Day 40, 2018-11-10: implant 7.0, weight 25 - 5·40/49 = 20.918367346938776, expected_weight 19.929795918367347 + 7.0
        // = 26.929795918367347, threshold 0.85·19.929795918367347 + 7.0 = 23.94..., above the weight: 0.05·(20.918... - 7.0).
        Assert.Equal(T(2018, 10, 1), reference.Administrations[0].Time);
        Assert.Equal(0.8176000000000001, reference.ExpectedWater(reference.Administrations[0].Time));
        Assert.Equal(T(2018, 11, 10), reference.Administrations[40].Time);
        Assert.Equal(0.6959183673469389, reference.ExpectedWater(reference.Administrations[40].Time));
    }

    static SubjectWaterControl Swc001(DateTime now)
    {
        // Spec 20-actions §12.5.
        var subject = new WaterControlSubject(Guid.NewGuid(), "SWC_001", "M", new DateOnly(2024, 1, 1), 0.85, 0, "Europe/London");
        var session = Guid.NewGuid();
        return new SubjectWaterControl(subject, London, now,
            [new(T(2024, 3, 1, 10), 1.5)],
            [new(T(2024, 3, 4, 10), null, 26.0)],
            [new(T(2024, 3, 5, 15), 0.6, session), new(T(2024, 3, 5, 16), 0.4, null), new(T(2024, 3, 6, 14), 1.0, null)],
            [new(T(2024, 3, 4, 9), 26.0), new(T(2024, 3, 5, 9, 30), 24.5), new(T(2024, 3, 6, 9, 15), 21.5)]);
    }

    [Fact]
    public void Records_WorkedExample_MatchUpstreamJson()
    {
        var wc = Swc001(T(2024, 3, 6, 18));
        var records = wc.Records(T(2024, 3, 3, 12), T(2024, 3, 6, 12)).ToList();
        Assert.Equal("""[{"date":"2024-03-03","weight":0,"weighing_at":null,"reference_weight":0.0,"expected_weight":1.5,"min_weight":1.5,"percentage_weight":0.0,"given_water_reward":0,"given_water_supplement":0,"given_water_total":0,"expected_water":-0.07500000000000001,"excess_water":0.07500000000000001,"is_water_restricted":false,"implant_weight":1.5},{"date":"2024-03-04","weight":26.0,"weighing_at":26.0,"reference_weight":24.5,"expected_weight":26.0,"min_weight":22.325,"percentage_weight":100.0,"given_water_reward":0,"given_water_supplement":0,"given_water_total":0,"expected_water":0.98,"excess_water":-0.98,"is_water_restricted":true,"implant_weight":1.5},{"date":"2024-03-05","weight":24.5,"weighing_at":24.5,"reference_weight":24.5,"expected_weight":26.0,"min_weight":22.325,"percentage_weight":93.87755102040816,"given_water_reward":0.6,"given_water_supplement":0.4,"given_water_total":1.0,"expected_water":0.92,"excess_water":0.07999999999999996,"is_water_restricted":true,"implant_weight":1.5},{"date":"2024-03-06","weight":21.5,"weighing_at":21.5,"reference_weight":24.5,"expected_weight":26.0,"min_weight":22.325,"percentage_weight":81.63265306122449,"given_water_reward":0,"given_water_supplement":1.0,"given_water_total":1.0,"expected_water":1.0,"excess_water":-0.0,"is_water_restricted":true,"implant_weight":1.5}]""", Json(records));
        Assert.Equal(PythonNumber.Float(1.5), wc.ReferenceImplantWeight(T(2024, 3, 3)));
        // §12.3: the weighing of 2024-03-06 is 81.6 % of the expected weight, below the 85 % minimum.
        Assert.Equal(81.63265306122449, wc.PercentageWeight());
        Assert.Equal(2, wc.WeightStatus());
    }

    static SubjectWaterControl ZoneScenario(string labZone) => new(
        new WaterControlSubject(Guid.NewGuid(), "tz", "F", new DateOnly(2024, 1, 1), 0.8, 0.1, labZone), London, T(2024, 3, 15, 3, 30),
        [new(T(2024, 3, 10, 3), 2.0)],
        [new(T(2024, 3, 12, 8), null, 0.0)],
        [new(T(2024, 3, 13, 1), 0.5, Guid.NewGuid()), new(T(2024, 3, 14, 12), 0.7, null)],
        [new(T(2024, 3, 12, 2), 22.0), new(T(2024, 3, 13, 4, 30), 21.0), new(T(2024, 3, 14, 3), 20.5)]);

    [Fact]
    public void Records_LabInAnotherZone_ShiftWeighingsAndWaterButNotRestrictions()
    {
        // Server in London, lab in New York: weighings, administrations, implants and "now" move back 4-5 hours
        // (across the US spring change), restriction times stay as stored. Defaults: first data point to now.
        var wc = ZoneScenario("America/New_York");
        Assert.Equal(T(2024, 3, 14, 23, 30), wc.Now);
        Assert.Equal(T(2024, 3, 11, 22), wc.FirstDate());
        Assert.Equal("""[{"date":"2024-03-11","weight":22.0,"weighing_at":22.0,"reference_weight":0.0,"expected_weight":2.0,"min_weight":2.0,"percentage_weight":0.0,"given_water_reward":0,"given_water_supplement":0,"given_water_total":0,"expected_water":0.8,"excess_water":-0.8,"is_water_restricted":false,"implant_weight":2.0},{"date":"2024-03-12","weight":22.0,"weighing_at":null,"reference_weight":20.0,"expected_weight":22.0,"min_weight":20.0,"percentage_weight":100.0,"given_water_reward":0.5,"given_water_supplement":0,"given_water_total":0.5,"expected_water":0.8,"excess_water":-0.30000000000000004,"is_water_restricted":true,"implant_weight":2.0},{"date":"2024-03-13","weight":20.5,"weighing_at":20.5,"reference_weight":20.0,"expected_weight":22.0,"min_weight":20.0,"percentage_weight":92.5,"given_water_reward":0,"given_water_supplement":0,"given_water_total":0,"expected_water":0.74,"excess_water":-0.74,"is_water_restricted":true,"implant_weight":2.0},{"date":"2024-03-14","weight":20.5,"weighing_at":null,"reference_weight":20.0,"expected_weight":22.0,"min_weight":20.0,"percentage_weight":92.5,"given_water_reward":0,"given_water_supplement":0.7,"given_water_total":0.7,"expected_water":0.74,"excess_water":-0.040000000000000036,"is_water_restricted":true,"implant_weight":2.0}]""", Json(wc.Records(wc.FirstDate()!.Value, wc.Now).ToList()));
        Assert.Equal(20.0, wc.ReferenceWeight());
        Assert.Equal(0.74, wc.ExpectedWater());
        Assert.Equal(0.040000000000000036, wc.RemainingWater());
        Assert.Equal(T(2024, 3, 12, 8), wc.LastWaterRestriction);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Europe/London")]
    [InlineData("europe/london")]
    public void Records_LabZoneBlankOrSameAsServer(string labZone)
    {
        var wc = ZoneScenario(labZone);
        Assert.Equal(T(2024, 3, 15, 3, 30), wc.Now);
        Assert.Equal("""[{"date":"2024-03-12","weight":22.0,"weighing_at":22.0,"reference_weight":20.0,"expected_weight":22.0,"min_weight":20.0,"percentage_weight":100.0,"given_water_reward":0,"given_water_supplement":0,"given_water_total":0,"expected_water":0.8,"excess_water":-0.8,"is_water_restricted":true,"implant_weight":2.0},{"date":"2024-03-13","weight":21.0,"weighing_at":21.0,"reference_weight":20.0,"expected_weight":22.0,"min_weight":20.0,"percentage_weight":95.0,"given_water_reward":0.5,"given_water_supplement":0,"given_water_total":0.5,"expected_water":0.76,"excess_water":-0.26,"is_water_restricted":true,"implant_weight":2.0},{"date":"2024-03-14","weight":20.5,"weighing_at":20.5,"reference_weight":20.0,"expected_weight":22.0,"min_weight":20.0,"percentage_weight":92.5,"given_water_reward":0,"given_water_supplement":0.7,"given_water_total":0.7,"expected_water":0.74,"excess_water":-0.040000000000000036,"is_water_restricted":true,"implant_weight":2.0},{"date":"2024-03-15","weight":20.5,"weighing_at":null,"reference_weight":20.0,"expected_weight":22.0,"min_weight":20.0,"percentage_weight":92.5,"given_water_reward":0,"given_water_supplement":0,"given_water_total":0,"expected_water":0.74,"excess_water":-0.74,"is_water_restricted":true,"implant_weight":2.0}]""", Json(wc.Records(wc.FirstDate()!.Value, wc.Now).ToList()));
        Assert.Equal(0.74, wc.RemainingWater());
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("Pacific Standard Time")]
    [InlineData("+01:00")]
    public void LabZone_InvalidName_FallsBackToLondon(string name)
    {
        // pytz refuses the name (Windows ids included) and Alyx uses Europe/London whatever the server zone.
        Assert.Equal("Europe/London", WaterControl.LabZone(name, TimeZoneInfo.Utc).Id);
        Assert.Equal(TimeZoneInfo.Utc, WaterControl.LabZone("", TimeZoneInfo.Utc));
        Assert.Equal(TimeZoneInfo.Utc, WaterControl.LabZone(null, TimeZoneInfo.Utc));
    }

    [Theory]
    // Values from Alyx's tzone_convert (Django 5 + zoneinfo: fold=0).
    [InlineData("2024-10-27T01:30", "Europe/London", "UTC", "2024-10-27T00:30")]            // ambiguous: first (BST) occurrence
    [InlineData("2024-03-31T01:30", "Europe/London", "UTC", "2024-03-31T01:30")]            // in the gap: offset before it
    [InlineData("2024-03-31T01:30", "Europe/London", "Europe/London", "2024-03-31T02:30")]   // a named lab zone converts
    [InlineData("2024-10-27T01:30", "Europe/London", "America/New_York", "2024-10-26T20:30")]
    [InlineData("2024-03-10T03:00", "Europe/London", "America/New_York", "2024-03-09T22:00")]
    [InlineData("2024-07-01T23:30", "Europe/London", "Europe/Paris", "2024-07-02T00:30")]
    public void ConvertZone_MatchesDjango(string naive, string from, string to, string expected)
    {
        var result = WaterControl.ConvertZone(DateTime.Parse(naive, System.Globalization.CultureInfo.InvariantCulture),
            TimeZoneInfo.FindSystemTimeZoneById(from), TimeZoneInfo.FindSystemTimeZoneById(to));
        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), result);
    }

    [Theory]
    [InlineData("", "2024-03-31T01:30")]
    [InlineData("Europe/London", "2024-03-31T02:30")]
    public void SpringGapWeighing_KeptWithBlankLabZone_MovedWithNamedZone(string labZone, string expected)
    {
        var subject = new WaterControlSubject(Guid.NewGuid(), "gap", "F", null, 0.8, 0, labZone);
        var wc = new SubjectWaterControl(subject, London, T(2024, 4, 1), [], [], [], [new(T(2024, 3, 31, 1, 30), 20.0)]);
        Assert.Equal(DateTime.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), wc.Weighings[0].Time);
    }

    [Fact]
    public void NoData_NoBirth_NoLabPercentages()
    {
        var subject = new WaterControlSubject(Guid.NewGuid(), "empty", "M", null, 0, 0, null);
        var wc = new SubjectWaterControl(subject, London, T(2024, 3, 1, 12), [], [], [], []);
        Assert.Null(wc.FirstDate());
        Assert.Equal(PythonNumber.Int(0), wc.ExpectedWeight());
        Assert.Equal(0.0, wc.ReferenceWeight());
        Assert.Equal(0.0, wc.ZscoreWeight());
        Assert.Equal(0.0, wc.PercentageWeight());
        Assert.Equal(0.0, wc.ExpectedWater());
        Assert.Null(wc.LastWaterRestriction);
        Assert.Equal("{\"date\":\"2024-03-01\",\"weight\":0,\"weighing_at\":null,\"reference_weight\":0.0,\"expected_weight\":0,"
            + "\"min_weight\":0.0,\"percentage_weight\":0.0,\"given_water_reward\":0,\"given_water_supplement\":0,\"given_water_total\":0,"
            + "\"expected_water\":0.0,\"excess_water\":-0.0,\"is_water_restricted\":false,\"implant_weight\":0}", Json(wc.Record(T(2024, 3, 1, 12))));
    }

    [Fact]
    public void StickyReference_AppliesAfterRestrictionEnds_AndWithoutDateEvenBeforeItStarts()
    {
        // Q-25 and 11-subjects §5: the last restriction's non-zero reference weight.
        var subject = new WaterControlSubject(Guid.NewGuid(), "s", "F", new DateOnly(2024, 1, 1), 0.85, 0, "");
        var wc = new SubjectWaterControl(subject, London, T(2024, 3, 1, 12), [],
            [new(T(2024, 3, 10, 10), T(2024, 3, 20, 10), 25.0)], [], [new(T(2024, 3, 1, 9), 24.0)]);
        Assert.Equal(25.0, wc.ReferenceWeight());        // no date: applies although the restriction starts later
        Assert.Equal(0.0, wc.ReferenceWeight(wc.Now));   // at now: not yet
        Assert.Equal(25.0, wc.ReferenceWeight(T(2024, 4, 1, 12)));
        Assert.False(wc.IsRestricted(T(2024, 4, 1, 12)));
        Assert.True(wc.IsRestricted(T(2024, 3, 20, 10)));
        Assert.False(wc.IsRestricted(T(2024, 3, 20, 10, 1)));
        Assert.True(wc.IsRestricted(T(2024, 3, 10, 0)));   // the restriction's day counts from midnight
    }
}
