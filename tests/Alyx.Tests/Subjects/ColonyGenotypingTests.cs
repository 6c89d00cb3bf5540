using Alyx.Subjects;

namespace Alyx.Tests.Subjects;

/// <summary>The pure genotype engine (spec 11 §4.1, §4.2): no database.</summary>
public sealed class ColonyGenotypingTests
{
    static readonly Guid SeqA = Guid.NewGuid();
    static readonly Guid SeqB = Guid.NewGuid();
    static readonly Guid Allele = Guid.NewGuid();

    // Spec 11 §2.1: zygosity codes by symbol (0 -/-, 1 +/-, 2 +/+, 3 +).
    static int? Code(string? symbol) => symbol switch
    {
        null => null,
        "-/-" => 0,
        "+/-" => 1,
        "+/+" => 2,
        "+" => 3,
        _ => throw new ArgumentException(symbol, nameof(symbol)),
    };

    // The §4.2 table in full (mother, father -> child); "" means no zygosity is inferred.
    [Theory]
    [InlineData("+/+", "+/+", "+/+")]
    [InlineData("+/+", "+/-", "+")]
    [InlineData("+/+", "-/-", "+/-")]
    [InlineData("+/+", "+", "+")]
    [InlineData("+/+", null, "+/-")]
    [InlineData("+/-", "+/+", "+")]
    [InlineData("+/-", "+/-", "")]
    [InlineData("+/-", "-/-", "")]
    [InlineData("+/-", "+", "")]
    [InlineData("+/-", null, "")]
    [InlineData("-/-", "+/+", "+/-")]
    [InlineData("-/-", "+/-", "")]
    [InlineData("-/-", "-/-", "-/-")]
    [InlineData("-/-", "+", "")]
    [InlineData("-/-", null, "-/-")]
    [InlineData("+", "+/+", "+")]
    [InlineData("+", "+/-", "")]
    [InlineData("+", "-/-", "")]
    [InlineData("+", "+", "")]
    [InlineData("+", null, "")]
    [InlineData(null, "+/+", "+/-")]
    [InlineData(null, "+/-", "")]
    [InlineData(null, "-/-", "-/-")]
    [InlineData(null, "+", "")]
    [InlineData(null, null, "-/-")]
    public void FromParents_FollowsTheInheritanceTable(string? mother, string? father, string child)
    {
        var result = Genotyping.FromParents(Code(mother), Code(father));
        Assert.Equal(child == "" ? null : Code(child), result);
    }

    [Fact]
    public void Symbols_AreTheSpecsByCode() => Assert.Equal(["-/-", "+/-", "+/+", "+"], Genotyping.Symbols);

    static RuleRow Rule(Guid? s0, int? r0, Guid? s1, int? r1, int zygosity) => new(Allele, s0, r0, s1, r1, zygosity);

    static Dictionary<Guid, int> Tests(params (Guid Sequence, int Result)[] tests) => tests.ToDictionary(t => t.Sequence, t => t.Result);

    [Fact]
    public void FindZygosity_NoTests_NoRuleMatches() =>
        // Even a rule whose expected results are all empty does not apply to an untested subject.
        Assert.Null(Genotyping.FindZygosity([Rule(SeqA, null, null, null, 2)], Tests()));

    [Fact]
    public void FindZygosity_OneSequence_MatchesOnItsResult()
    {
        RuleRow[] rules = [Rule(SeqA, 1, null, null, 2), Rule(SeqA, 0, null, null, 0)];
        Assert.Equal(2, Genotyping.FindZygosity(rules, Tests((SeqA, 1))));
        Assert.Equal(0, Genotyping.FindZygosity(rules, Tests((SeqA, 0))));
    }

    [Fact]
    public void FindZygosity_UntestedSequence_MatchesAnEmptyExpectedResult()
    {
        // None == None: the subject was not tested for SeqA and the rule expects no result for it.
        Assert.Equal(3, Genotyping.FindZygosity([Rule(SeqA, null, null, null, 3)], Tests((SeqB, 1))));
        Assert.Null(Genotyping.FindZygosity([Rule(SeqA, 1, null, null, 3)], Tests((SeqB, 1))));
    }

    [Fact]
    public void FindZygosity_SecondSequenceTested_BothResultsMustMatch()
    {
        RuleRow[] rules = [Rule(SeqA, 1, SeqB, 0, 2), Rule(SeqA, 1, SeqB, 1, 1)];
        Assert.Equal(2, Genotyping.FindZygosity(rules, Tests((SeqA, 1), (SeqB, 0))));
        Assert.Equal(1, Genotyping.FindZygosity(rules, Tests((SeqA, 1), (SeqB, 1))));
        Assert.Null(Genotyping.FindZygosity(rules, Tests((SeqA, 0), (SeqB, 1))));
    }

    [Fact]
    public void FindZygosity_SecondSequenceUntested_OnlyTheFirstResultCounts()
    {
        // r1 is none: the rule matches on pass0 alone, whatever it expects for sequence1.
        Assert.Equal(2, Genotyping.FindZygosity([Rule(SeqA, 1, SeqB, 0, 2)], Tests((SeqA, 1))));
    }

    [Fact]
    public void FindZygosity_SeveralMatch_FirstRuleWins()
    {
        RuleRow[] rules = [Rule(SeqA, 1, null, null, 3), Rule(SeqA, 1, null, null, 2)];
        Assert.Equal(3, Genotyping.FindZygosity(rules, Tests((SeqA, 1))));
        Assert.Equal(2, Genotyping.FindZygosity(rules.Reverse(), Tests((SeqA, 1))));
    }

    [Fact]
    public void ZygosityTable_Set_ForcedOverwritesFirstRow_UnforcedKeepsIt()
    {
        var subject = Guid.NewGuid();
        var first = new Zygosity { SubjectId = subject, AlleleId = Allele, Value = 1 };
        var second = new Zygosity { SubjectId = subject, AlleleId = Allele, Value = 0 };
        var table = new ZygosityTable([first, second]);

        Assert.Null(table.Set(subject, Allele, 2, force: false));
        Assert.Equal(1, first.Value);
        Assert.Null(table.Set(subject, Allele, 2, force: true));
        Assert.Equal(2, first.Value);
        Assert.Equal(0, second.Value);
        Assert.Equal(2, table.Get(subject, Allele));
    }

    [Fact]
    public void ZygosityTable_Set_MissingRowIsAdded()
    {
        var subject = Guid.NewGuid();
        var table = new ZygosityTable([]);
        var added = table.Set(subject, Allele, 3, force: false);
        Assert.NotNull(added);
        Assert.Equal(3, table.Get(subject, Allele));
        Assert.Equal([Allele], table.AllelesOf(subject));
        Assert.Null(table.Get(null, Allele));
    }
}
