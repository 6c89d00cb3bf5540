using Alyx.Http;

namespace Alyx.Tests.Http;

public sealed class FormatTests
{
    // Each expected string is what Python 3 prints for repr(float(x)).
    [Theory]
    [InlineData(25.0, "25.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(22.5, "22.5")]
    [InlineData(0.8880000000000001, "0.8880000000000001")]
    [InlineData(1e-05, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(123456789012345678.0, "1.2345678901234568e+17")]
    [InlineData(-1.5e-10, "-1.5e-10")]
    [InlineData(0.1, "0.1")]
    [InlineData(100.0, "100.0")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void PythonFloatRepr_MatchesPython(double value, string expected) => Assert.Equal(expected, PythonFloat.Repr(value));

    [Fact]
    public void FormatDateTime_WholeSeconds_HasNoFraction() =>
        Assert.Equal("2018-06-30T12:34:57", AlyxFormats.FormatDateTime(new DateTime(2018, 6, 30, 12, 34, 57)));

    [Fact]
    public void FormatDateTime_Milliseconds_HasSixDigits() =>
        Assert.Equal("2019-04-01T17:29:23.523000", AlyxFormats.FormatDateTime(new DateTime(2019, 4, 1, 17, 29, 23, 523)));

    // What Python prints for json.dumps(datetime(...).isoformat()) and str(uuid.UUID(...)).
    [Theory]
    [InlineData(636659588970000000L, "\"2018-06-30T12:34:57\"")]
    [InlineData(636659588975980000L, "\"2018-06-30T12:34:57.598000\"")]
    [InlineData(636659588970000010L, "\"2018-06-30T12:34:57.000001\"")]
    [InlineData(636659588970000005L, "\"2018-06-30T12:34:57\"")]
    [InlineData(636659588979999999L, "\"2018-06-30T12:34:57.999999\"")]
    [InlineData(315028224000000000L, "\"0999-04-15T00:00:00\"")]
    public void DateTimeConverter_IsoformatOfANaiveDatetime(long ticks, string expected) =>
        Assert.Equal(expected, System.Text.Json.JsonSerializer.Serialize(new DateTime(ticks), AlyxJson.Options));

    [Fact]
    public void GuidConverter_LowercaseWithHyphens() =>
        Assert.Equal("\"0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d\"",
            System.Text.Json.JsonSerializer.Serialize(Guid.Parse("0A1B2C3D4E5F4A6B8C7D8E9F0A1B2C3D"), AlyxJson.Options));

    [Theory]
    [InlineData("2024-05-01", "2024-05-01T00:00:00")]
    [InlineData("2024-05-01 10:20:30.123456", "2024-05-01T10:20:30.123456")]
    [InlineData("2024-05-01T10:20", "2024-05-01T10:20:00")]
    [InlineData("2024-05-01T10:20:30.1234567", "2024-05-01T10:20:30.123456")]
    [InlineData("2024-05-01T10:20:30Z", "2024-05-01T10:20:30")]
    [InlineData("2024-05-01T10:20:30+02:00", "2024-05-01T08:20:30")]
    [InlineData("2024-05-01T01:00:00-0130", "2024-05-01T02:30:00")]
    public void ParseDateTime_IsoVariants_AreNaiveWithOffsetsConvertedToUtc(string input, string expected)
    {
        Assert.True(AlyxFormats.TryParseDateTime(input, out var value));
        Assert.Equal(expected, AlyxFormats.FormatDateTime(value));
        Assert.Equal(DateTimeKind.Unspecified, value.Kind);
    }

    [Theory]
    [InlineData("2024-13-01")]
    [InlineData("2024-02-30T00:00")]
    [InlineData("yesterday")]
    [InlineData("2024-05-01T25:00")]
    [InlineData("")]
    public void ParseDateTime_Invalid_IsRejected(string input) => Assert.False(AlyxFormats.TryParseDateTime(input, out _));

    [Theory]
    [InlineData("2024-05-01", true)]
    [InlineData("2024-5-1", true)]
    [InlineData("20240501", true)]
    [InlineData("2024-05-01T10:00", false)]
    [InlineData("0000-01-01", false)]
    public void ParseDate_Formats(string input, bool ok) => Assert.Equal(ok, AlyxFormats.TryParseDate(input, out _));
}
