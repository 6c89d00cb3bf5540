using System.Numerics;
using Alyx.Filtering;
using static Alyx.Filtering.DjangoValue;

namespace Alyx.Tests.Filtering;

/// <summary>The django= text layer: split, value conversion and the literal parser (upstream test_parser and more).</summary>
public sealed class DjangoSyntaxTests
{
    static DjangoValue One(string parameter)
    {
        var conditions = DjangoSyntax.Parse(parameter);
        return Assert.Single(conditions).Value;
    }

    static Seq List(params DjangoValue[] items) => new(items, IsTuple: false);

    static Seq Tuple(params DjangoValue[] items) => new(items, IsTuple: true);

    [Fact]
    public void Parse_DoubleQuotedList_ReturnsListOfStrings() =>
        Assert.Equal(List(new Str("NYU-21"), new Str("SH014")), One("gnagna,[\"NYU-21\", \"SH014\"]"));

    [Fact]
    public void Parse_SingleQuotedList_ReturnsListOfStrings() =>
        Assert.Equal(List(new Str("NYU-21"), new Str("SH014")), One("gnagna,['NYU-21', 'SH014']"));

    [Fact]
    public void Parse_None_ReturnsNull() => Assert.Equal(Null.Instance, One("fieldname,None"));

    [Theory]
    [InlineData("fieldname,true", true)]
    [InlineData("fieldname,True", true)]
    [InlineData("fieldname,TRUE", true)]
    [InlineData("fieldname,False", false)]
    [InlineData("fieldname,fAlse", false)]
    public void Parse_BooleanWords_ReturnsBoolean(string parameter, bool expected) => Assert.Equal(new Bool(expected), One(parameter));

    [Fact]
    public void Parse_Word_ReturnsString() => Assert.Equal(new Str("NYU"), One("fieldname,NYU"));

    [Theory]
    [InlineData("fieldname,14.2", 14.2)]
    [InlineData("fieldname,142", 142.0)]
    [InlineData("fieldname,.5", 0.5)]
    [InlineData("fieldname,5.", 5.0)]
    public void Parse_DigitsWithOneDot_ReturnsFloat(string parameter, double expected)
    {
        var number = Assert.IsType<Number>(One(parameter));
        Assert.Equal(expected, number.Value);
        Assert.Equal(parameter[10..], number.Text);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1e5")]
    [InlineData("1.2.3")]
    [InlineData("١٢")]
    [InlineData("2020-01-01")]
    [InlineData("")]
    public void Parse_OtherNumericLookingTokens_StayStrings(string token) => Assert.Equal(new Str(token), One("f," + token));

    [Fact]
    public void Parse_TwoLists_ReturnsBoth()
    {
        var conditions = DjangoSyntax.Parse("f0,[\"toto\"],f1,[\"tata\"]");
        Assert.Equal([new DjangoCondition("f0", List(new Str("toto"))), new DjangoCondition("f1", List(new Str("tata")))], conditions);
    }

    [Fact]
    public void Parse_ParenthesisedSingleElement_IsTheElement() =>
        Assert.Equal(new Str("tata"), DjangoSyntax.Parse("f0,val0,f1,(\"tata\")")[1].Value);

    [Fact]
    public void Parse_OneTuple_IsATuple() =>
        Assert.Equal(Tuple(new Str("tata")), DjangoSyntax.Parse("f0,val0,f1,(\"tata\",)")[1].Value);

    [Fact]
    public void Parse_DuplicateName_Throws()
    {
        var e = Assert.Throws<DjangoQueryException>(() => DjangoSyntax.Parse("toto,abc,toto,1"));
        Assert.Equal("Duplicated fields in \"toto,abc,toto,1\"", e.Message);
    }

    [Fact]
    public void Parse_NameAndNegatedName_AreDifferent() => Assert.Equal(2, DjangoSyntax.Parse("x,1,~x,2").Count);

    [Theory]
    [InlineData("a")]
    [InlineData("a,1,b")]
    public void Parse_OddTokenCount_Throws(string parameter) => Assert.Throws<DjangoQueryException>(() => DjangoSyntax.Parse(parameter));

    [Fact]
    public void Parse_TokensAreNotTrimmed() => Assert.Equal(new DjangoCondition("a", new Str(" b")), Assert.Single(DjangoSyntax.Parse("a, b")));

    [Fact]
    public void Split_CommaInsideBrackets_DoesNotSplitButQuotesDoNot_Protect()
    {
        Assert.Equal(["a", "[1, 2]", "b", "(3,4)"], DjangoSyntax.Split("a,[1, 2],b,(3,4)"));
        Assert.Equal(["a", "'x", "y'"], DjangoSyntax.Split("a,'x,y'"));
        // No nesting: "(" inside "[" switches the expected closer, so the comma after ")" splits.
        Assert.Equal(["a", "[(1)", "2]"], DjangoSyntax.Split("a,[(1),2]"));
    }

    [Fact]
    public void Parse_PythonReprOfList_RoundTrips() =>
        Assert.Equal(List(new Str("it's"), new Str("say \"hi\""), new Str("back\\slash")),
            One("f,[\"it's\", 'say \"hi\"', 'back\\\\slash']"));

    [Fact]
    public void ParseLiteral_Escapes_AreDecoded() =>
        Assert.Equal(List(new Str("a\nb\tc\rd'e\"f\\g\u00e9h\u20aci")), DjangoSyntax.ParseLiteral(@"['a\nb\tc\rd\'e\""f\\g\xe9h\u20aci']"));

    [Fact]
    public void ParseLiteral_AdjacentStrings_AreConcatenated() =>
        Assert.Equal(List(new Str("abcd")), DjangoSyntax.ParseLiteral("['ab' \"cd\"]"));

    [Fact]
    public void ParseLiteral_NestedAndMixed_ParsesEveryKind() =>
        Assert.Equal(List(new Int(1), new Int(-2), new Float(1.5, "1.5"), new Float(-2000, "-2e3"), new Bool(true), new Bool(false), Null.Instance,
                List(Tuple(new Str("x"), new Int(3))), Tuple()),
            DjangoSyntax.ParseLiteral("[1, -2, 1.5, -2e3, True, False, None, [('x', 3)], ()]"));

    [Fact]
    public void ParseLiteral_IntegersStayIntegers() =>
        Assert.Equal(List(new Int(BigInteger.Parse("123456789012345678901234567890", System.Globalization.CultureInfo.InvariantCulture))),
            DjangoSyntax.ParseLiteral("[123456789012345678901234567890]"));

    [Theory]
    [InlineData("[1, 2,]")]
    [InlineData("( 1 , 2 , )")]
    [InlineData("[ ]")]
    public void ParseLiteral_TrailingCommaAndSpaces_AreAccepted(string text) => Assert.IsType<Seq>(DjangoSyntax.ParseLiteral(text));

    [Theory]
    [InlineData("[__import__('os')]")]
    [InlineData("[__import__('os').system('x')]")]
    [InlineData("(os.system('ls'))")]
    [InlineData("[1 + 2]")]
    [InlineData("[x for x in 'ab']")]
    [InlineData("[{'a': 1}]")]
    [InlineData("[b'bytes']")]
    [InlineData("[f'{1}']")]
    [InlineData("['unterminated]")]
    [InlineData("[1, 2")]
    [InlineData("[1 2]")]
    [InlineData("[,]")]
    [InlineData("[01]")]
    [InlineData("[1]]")]
    [InlineData("['\\x4']")]
    [InlineData("[true]")]
    public void ParseLiteral_AnythingOutsideTheGrammar_Throws(string text) =>
        Assert.Throws<DjangoQueryException>(() => DjangoSyntax.ParseLiteral(text));

    [Fact]
    public void Parse_BadLiteralAsValue_Throws() =>
        Assert.Throws<DjangoQueryException>(() => DjangoSyntax.Parse("name__in,[__import__('os').system('x')]"));

    [Fact]
    public void Parse_BracketsNotClosingAtTheEnd_StayStrings() => Assert.Equal(new Str("[abc"), One("f,[abc"));
}
