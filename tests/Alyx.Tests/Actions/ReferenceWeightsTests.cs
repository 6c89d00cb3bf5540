using System.Globalization;
using Alyx.Actions;
using Alyx.Tests.Infrastructure;

namespace Alyx.Tests.Actions;

public sealed class ReferenceWeightsTests
{
    [Theory]
    [InlineData("ref_weighings_female.csv", "F")]
    [InlineData("ref_weighings_male.csv", "M")]
    public void Table_MatchesPublishedCurveFiles(string file, string sex)
    {
        var path = Fixtures.PathOf(file);
        if (!File.Exists(path)) Assert.Skip($"Fixture {file} not found in {Fixtures.Folder} (set ALYX_FIXTURES to the shared fixtures folder).");
        // The upstream files end their lines with a bare CR; accept any terminator.
        var rows = File.ReadAllText(path).Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(','))
            .Select(c => (Week: int.Parse(c[0], CultureInfo.InvariantCulture),
                Mean: double.Parse(c[1], CultureInfo.InvariantCulture), Sd: double.Parse(c[2], CultureInfo.InvariantCulture)))
            .ToList();
        Assert.True(rows.Count > 20);
        foreach (var (week, mean, sd) in rows) Assert.Equal((mean, sd), ReferenceWeights.At(sex, week));
        // Out of range: the nearest end row (expected_weighing_mean_std).
        var first = rows.MinBy(r => r.Week);
        var last = rows.MaxBy(r => r.Week);
        Assert.Equal((first.Mean, first.Sd), ReferenceWeights.At(sex, -3));
        Assert.Equal((first.Mean, first.Sd), ReferenceWeights.At(sex, first.Week - 1));
        Assert.Equal((last.Mean, last.Sd), ReferenceWeights.At(sex, last.Week + 1000));
    }

    [Theory]
    [InlineData("U")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("m")]
    public void OnlyM_SelectsTheMaleCurve(string? sex)
    {
        Assert.Equal((14.10, 1.80), ReferenceWeights.At(sex, 4));
        Assert.Equal((15.70, 2.20), ReferenceWeights.At("M", 4));
    }
}
