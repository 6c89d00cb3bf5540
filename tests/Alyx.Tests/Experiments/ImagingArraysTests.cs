using System.Text;
using System.Text.Json;
using Alyx.Experiments;

namespace Alyx.Tests.Experiments;

/// <summary>
/// The stored ArrayField text (dumpdata's list of element strings) written as the REST API's numbers: what Django REST
/// framework renders for the list PostgreSQL returns (floats as Python's repr, integers as integers).
/// </summary>
public class ImagingArraysTests
{
    static string Written(string? stored, bool integers)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) ImagingArrays.Write(writer, stored, integers);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Theory]
    [InlineData("""["-1.25", "3.0", null]""", "[-1.25,3.0,null]")]
    [InlineData("""["1e-05"]""", "[1e-05]")]
    [InlineData("""["1", "2.50", "1e16", "0.0001"]""", "[1.0,2.5,1e+16,0.0001]")]
    [InlineData("""[1.5, -0.0]""", "[1.5,-0.0]")]
    [InlineData("[]", "[]")]
    [InlineData("", "[]")]
    public void FloatElements_AreWrittenAsPythonReprOfTheirValue(string stored, string expected) => Assert.Equal(expected, Written(stored, false));

    [Fact]
    public void IntegerElements_AreWrittenAsIntegers() => Assert.Equal("[512,512,1]", Written("""["512", "512", "1"]""", true));

    [Fact]
    public void ElementsThatAreNotNumbers_AreNull_AndNestedValuesAreSkippedWhole()
    {
        Assert.Equal("[null,null,null,null,7.0]", Written("""["x", true, [1, [2]], {"a": [3]}, "7"]""", false));
        Assert.Equal("[null,null]", Written("""["inf", "nan"]""", false));
    }

    [Fact]
    public void EscapedAndLongStrings_AreReadAsTheirText() =>
        Assert.Equal("[2.0,0.1]", Written("[\"\\u0032\", \"0.1" + new string('0', 80) + "\"]", false));
}
