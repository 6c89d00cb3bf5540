using System.Net;
using Alyx.Database;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Tests.Subjects;

/// <summary>The genotype engine against the database: upstream's test_zygosities scenarios, rules through the engine API.</summary>
public sealed class ColonyGenotypeEngineTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    sealed record Colony(Guid Line, string LineName, Guid Allele, Guid Sequence, string SequenceName, Guid Lab);

    async Task<Colony> ColonyAsync() => await app.WithDbAsync(async db =>
    {
        var lab = await db.Labs.Select(l => l.Id).FirstAsync();
        var sequence = new Sequence { Name = AlyxApp.Unique("seq") };
        var allele = new Allele { Name = "allele", Nickname = AlyxApp.Unique("allele") };
        var line = new Line { Name = AlyxApp.Unique("linename"), Nickname = AlyxApp.Unique("line"), LabId = lab, Alleles = [allele] };
        db.AddRange(sequence, allele, line);
        await db.SaveChangesAsync();
        return new Colony(line.Id, line.Name, allele.Id, sequence.Id, sequence.Name, lab);
    });

    async Task<(Guid Id, string Nickname)> SubjectAsync(Colony c, string sex = "U", Guid? litter = null) => await app.WithDbAsync(async db =>
    {
        var subject = new Subject { Nickname = AlyxApp.Unique("subject"), Sex = sex, LineId = c.Line, LabId = c.Lab, LitterId = litter };
        db.Subjects.Add(subject);
        await db.SaveChangesAsync();
        return (subject.Id, subject.Nickname);
    });

    /// <summary>A father and a mother of the line, both homozygous (+/+) for its allele.</summary>
    async Task<((Guid Id, string Nickname) Father, (Guid Id, string Nickname) Mother)> HomozygousParentsAsync(Colony c)
    {
        var father = await SubjectAsync(c, "M");
        var mother = await SubjectAsync(c, "F");
        await app.WithDbAsync(async db =>
        {
            db.Zygosities.AddRange(new Zygosity { SubjectId = father.Id, AlleleId = c.Allele, Value = 2 },
                new Zygosity { SubjectId = mother.Id, AlleleId = c.Allele, Value = 2 });
            await db.SaveChangesAsync();
        });
        return (father, mother);
    }

    Task<List<int>> ZygositiesAsync(Guid subject) =>
        app.WithDbAsync(db => db.Zygosities.Where(z => z.SubjectId == subject).Select(z => z.Value).ToListAsync());

    Task WithEngineAsync(Func<AlyxDb, GenotypeEngine, Task> work) => app.WithDbAsync(db => work(db, new GenotypeEngine(db)));

    [Fact]
    public async Task Zygosities1_RuleAndTest_GenotypeSubject_RuleChangeUpdatesIt()
    {
        // Upstream subjects.tests.ModelAdminTests.test_zygosities_1.
        var c = await ColonyAsync();
        var (subject, nickname) = await SubjectAsync(c);
        Assert.Empty(await ZygositiesAsync(subject));

        var rule = new ZygosityRule { LineId = c.Line, AlleleId = c.Allele, Sequence0Id = c.Sequence, Sequence0Result = 1, Zygosity = 2 };
        await WithEngineAsync((_, engine) => engine.SaveRuleAsync(rule, Ct));
        var client = await app.ClientForAsync();
        var created = await (await client.PostAsync("/genotype-tests",
            Json.Body($"{{\"subject\":\"{nickname}\",\"sequence\":\"{c.SequenceName}\",\"test_result\":1}}"), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(1, created["test_result"]!.GetValue<int>());
        Assert.Equal([2], await ZygositiesAsync(subject));
        var row = await app.WithDbAsync(db => db.Zygosities.SingleAsync(z => z.SubjectId == subject));
        Assert.Equal(c.Allele, row.AlleleId);

        await WithEngineAsync(async (db, engine) =>
        {
            var stored = await db.ZygosityRules.SingleAsync(r => r.Id == rule.Id);
            stored.Zygosity = 3;
            await engine.SaveRuleAsync(stored, Ct);
        });
        Assert.Equal([3], await ZygositiesAsync(subject));
    }

    [Fact]
    public async Task Zygosities2_DeletingRule_RestoresInheritedZygosity()
    {
        // Upstream subjects.tests.ModelAdminTests.test_zygosities_2.
        var c = await ColonyAsync();
        var ((father, _), (mother, _)) = await HomozygousParentsAsync(c);
        var litter = await app.WithDbAsync(async db =>
        {
            var pair = new BreedingPair { Name = AlyxApp.Unique("bp"), LineId = c.Line, FatherId = father, Mother1Id = mother };
            var litter = new Litter { Name = AlyxApp.Unique("litter"), LineId = c.Line, BreedingPair = pair };
            db.AddRange(pair, litter);
            await db.SaveChangesAsync();
            return litter.Id;
        });
        var (subject, nickname) = await SubjectAsync(c, litter: litter);
        Assert.Empty(await ZygositiesAsync(subject)); // nothing is inherited when a subject is created

        var rule = new ZygosityRule { LineId = c.Line, AlleleId = c.Allele, Sequence0Id = c.Sequence, Sequence0Result = 1, Zygosity = 0 };
        await WithEngineAsync((_, engine) => engine.SaveRuleAsync(rule, Ct));
        var client = await app.ClientForAsync();
        await (await client.PostAsync("/genotype-tests",
            Json.Body($"{{\"subject\":\"{nickname}\",\"sequence\":\"{c.SequenceName}\",\"test_result\":1}}"), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal([0], await ZygositiesAsync(subject));

        await WithEngineAsync(async (db, engine) => await engine.DeleteRuleAsync(await db.ZygosityRules.SingleAsync(r => r.Id == rule.Id, Ct), Ct));
        Assert.Equal([2], await ZygositiesAsync(subject));
    }

    [Fact]
    public async Task RuleSaved_SubjectsOfOtherLinesOrWithoutTestOnSequence0_Untouched()
    {
        var c = await ColonyAsync();
        var other = await ColonyAsync();
        var (tested, _) = await SubjectAsync(c);
        var (untested, _) = await SubjectAsync(c);
        var (otherLine, _) = await SubjectAsync(other);
        await app.WithDbAsync(async db =>
        {
            db.GenotypeTests.AddRange(new GenotypeTest { SubjectId = tested, SequenceId = c.Sequence, TestResult = 1 },
                new GenotypeTest { SubjectId = otherLine, SequenceId = c.Sequence, TestResult = 1 });
            await db.SaveChangesAsync();
        });
        await WithEngineAsync((_, engine) => engine.SaveRuleAsync(
            new ZygosityRule { LineId = c.Line, AlleleId = c.Allele, Sequence0Id = c.Sequence, Sequence0Result = 1, Zygosity = 1 }, Ct));
        Assert.Equal([1], await ZygositiesAsync(tested));
        Assert.Empty(await ZygositiesAsync(untested));
        Assert.Empty(await ZygositiesAsync(otherLine));
    }

    [Fact]
    public async Task UpdateSubject_FirstZygosityRowIsUpdated_NoDuplicateCreated()
    {
        var c = await ColonyAsync();
        var (subject, _) = await SubjectAsync(c);
        await app.WithDbAsync(async db =>
        {
            db.Zygosities.Add(new Zygosity { SubjectId = subject, AlleleId = c.Allele, Value = 0 });
            db.GenotypeTests.Add(new GenotypeTest { SubjectId = subject, SequenceId = c.Sequence, TestResult = 0 });
            db.ZygosityRules.Add(new ZygosityRule { LineId = c.Line, AlleleId = c.Allele, Sequence0Id = c.Sequence, Sequence0Result = 0, Zygosity = 1 });
            await db.SaveChangesAsync();
        });
        await WithEngineAsync((_, engine) => engine.UpdateSubjectAsync(subject, Ct));
        Assert.Equal([1], await ZygositiesAsync(subject));
    }

    [Fact]
    public async Task GenotypeTestPatchedOrDeleted_RulesRunAgain()
    {
        var c = await ColonyAsync();
        var (subject, nickname) = await SubjectAsync(c);
        await app.WithDbAsync(async db =>
        {
            db.ZygosityRules.AddRange(
                new ZygosityRule { LineId = c.Line, AlleleId = c.Allele, Sequence0Id = c.Sequence, Sequence0Result = 1, Zygosity = 2 },
                new ZygosityRule { LineId = c.Line, AlleleId = c.Allele, Sequence0Id = c.Sequence, Sequence0Result = 0, Zygosity = 0 });
            await db.SaveChangesAsync();
        });
        var client = await app.ClientForAsync();
        var test = await (await client.PostAsync("/genotype-tests",
            Json.Body($"{{\"subject\":\"{nickname}\",\"sequence\":\"{c.SequenceName}\",\"test_result\":\"1\"}}"), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal([2], await ZygositiesAsync(subject));
        var id = test["id"]!.GetValue<string>();
        await (await client.PatchAsync($"/genotype-tests/{id}", Json.Body("{\"test_result\":0}"), Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal([0], await ZygositiesAsync(subject));

        // A deleted test leaves the zygosity as it was (the rules no longer match anything), as Alyx does.
        await (await client.DeleteAsync($"/genotype-tests/{id}", Ct)).AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.Equal([0], await ZygositiesAsync(subject));
    }

    [Fact]
    public async Task ZygosityRulesApi_CreatePatchDelete_RegenotypeTestedSubjects()
    {
        // test_zygosities_2 end to end through the REST API: parents +/+ x +/+, rule -/- applied, rule deleted -> +/+.
        var c = await ColonyAsync();
        var ((_, fatherName), (_, motherName)) = await HomozygousParentsAsync(c);
        var allele = await app.WithDbAsync(db => db.Alleles.Where(a => a.Id == c.Allele).Select(a => a.Nickname).SingleAsync());
        var client = await app.ClientForAsync();
        var bp = await (await client.PostAsync("/breeding-pairs",
            Json.Body($"{{\"line\":\"{c.LineName}\",\"father\":\"{fatherName}\",\"mother1\":\"{motherName}\"}}"), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        var litter = await (await client.PostAsync("/litters",
            Json.Body($"{{\"line\":\"{c.LineName}\",\"breeding_pair\":\"{bp["name"]}\"}}"), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        var litterId = Guid.Parse(litter["id"]!.GetValue<string>());
        var (subject, nickname) = await SubjectAsync(c, litter: litterId);
        await (await client.PostAsync("/genotype-tests",
            Json.Body($"{{\"subject\":\"{nickname}\",\"sequence\":\"{c.SequenceName}\",\"test_result\":1}}"), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Empty(await ZygositiesAsync(subject)); // no rule yet

        var ruleBody = $"{{\"line\":\"{c.LineName}\",\"allele\":\"{allele}\",\"sequence0\":\"{c.SequenceName}\",\"sequence0_result\":1,\"zygosity\":0}}";
        var rule = await (await client.PostAsync("/zygosity-rules", Json.Body(ruleBody), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["id", "name", "json", "line", "allele", "sequence0", "sequence0_result", "sequence1", "sequence1_result", "zygosity"], rule.Keys());
        Assert.Null(rule["sequence1_result"]);
        Assert.Equal([0], await ZygositiesAsync(subject));

        var id = rule["id"]!.GetValue<string>();
        await (await client.PatchAsync($"/zygosity-rules/{id}", Json.Body("{\"zygosity\":1}"), Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal([1], await ZygositiesAsync(subject));
        Assert.Equal("{\"sequence0_result\":[\"\\\"7\\\" is not a valid choice.\"],\"status_code\":400}",
            await (await client.PatchAsync($"/zygosity-rules/{id}", Json.Body("{\"sequence0_result\":7}"), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));

        await (await client.DeleteAsync($"/zygosity-rules/{id}", Ct)).AssertStatusAsync(HttpStatusCode.NoContent);
        Assert.Equal([2], await ZygositiesAsync(subject));
    }

    [Fact]
    public async Task ZygosityRulesApi_DuplicateOfCompleteRule_NonFieldError()
    {
        var c = await ColonyAsync();
        var allele = await app.WithDbAsync(db => db.Alleles.Where(a => a.Id == c.Allele).Select(a => a.Nickname).SingleAsync());
        var client = await app.ClientForAsync();
        var body = $"{{\"line\":\"{c.LineName}\",\"allele\":\"{allele}\",\"sequence0\":\"{c.SequenceName}\",\"sequence0_result\":1,"
            + $"\"sequence1\":\"{c.SequenceName}\",\"sequence1_result\":0,\"zygosity\":2}}";
        await (await client.PostAsync("/zygosity-rules", Json.Body(body), Ct)).AssertStatusAsync(HttpStatusCode.Created);
        Assert.Equal("{\"non_field_errors\":[\"The fields line, allele, sequence0, sequence0_result, sequence1, sequence1_result must make a unique set.\"],\"status_code\":400}",
            await (await client.PostAsync("/zygosity-rules", Json.Body(body), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.Equal("{\"line\":[\"This field is required.\"],\"allele\":[\"This field is required.\"],\"zygosity\":[\"This field is required.\"],\"status_code\":400}",
            await (await client.PostAsync("/zygosity-rules", Json.Body("{}"), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
    }
}
