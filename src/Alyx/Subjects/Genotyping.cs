using Alyx.Database;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Subjects;

/// <summary>A zygosity rule as the engine reads it (Alyx: subjects.ZygosityRule).</summary>
public sealed record RuleRow(Guid? AlleleId, Guid? Sequence0Id, int? Sequence0Result, Guid? Sequence1Id, int? Sequence1Result, int Zygosity);

/// <summary>
/// The pure part of Alyx's ZygosityFinder: rule matching (spec 11 §4.1) and inheritance from the parents (§4.2).
/// Zygosity codes: 0 <c>-/-</c>, 1 <c>+/-</c>, 2 <c>+/+</c>, 3 <c>+</c>; test results: 0 absent, 1 present.
/// </summary>
public static class Genotyping
{
    public static readonly IReadOnlyList<string> Symbols = ["-/-", "+/-", "+/+", "+"];

    /// <summary>The zygosity of the first rule (in the order given) that the tests satisfy; null when none does or there are no tests.</summary>
    public static int? FindZygosity(IEnumerable<RuleRow> rules, IReadOnlyDictionary<Guid, int> tests)
    {
        if (tests.Count == 0) return null;
        foreach (var rule in rules)
        {
            int? r0 = rule.Sequence0Id is { } s0 && tests.TryGetValue(s0, out var t0) ? t0 : null;
            int? r1 = rule.Sequence1Id is { } s1 && tests.TryGetValue(s1, out var t1) ? t1 : null;
            // Python's None == None: an untested sequence matches a rule result left empty.
            var pass0 = rule.Sequence0Result == r0;
            var pass1 = rule.Sequence1Result == r1;
            if ((r1 is null && pass0) || (r1 is not null && pass0 && pass1)) return rule.Zygosity;
        }
        return null;
    }

    /// <summary>The child's zygosity code from the mother's and father's codes (null: no zygosity for that parent).</summary>
    public static int? FromParents(int? mother, int? father) => (mother, father) switch
    {
        (2, 2) => 2,
        (2, 1) or (2, 3) or (1, 2) or (3, 2) => 3,
        (2, 0) or (2, null) or (0, 2) or (null, 2) => 1,
        (0 or null, 0 or null) => 0,
        _ => null,
    };
}

/// <summary>
/// Zygosity rows of a set of subjects held in memory while the engine runs: "the first row" of a (subject, allele)
/// is the first loaded (ordered by id) or, failing that, the first the engine added.
/// </summary>
public sealed class ZygosityTable(IEnumerable<Zygosity> rows)
{
    readonly List<Zygosity> rows = [.. rows];

    public IReadOnlyList<Zygosity> Rows => rows;

    public IEnumerable<Guid> AllelesOf(Guid subject) => rows.Where(z => z.SubjectId == subject).Select(z => z.AlleleId).Distinct();

    public int? Get(Guid? subject, Guid allele) =>
        subject is null ? null : rows.Find(z => z.SubjectId == subject && z.AlleleId == allele)?.Value;

    /// <summary>Sets the first row or adds one; without <paramref name="force"/> an existing different value is kept. Returns the new row, if any.</summary>
    public Zygosity? Set(Guid subject, Guid allele, int code, bool force)
    {
        var existing = rows.Find(z => z.SubjectId == subject && z.AlleleId == allele);
        if (existing is not null)
        {
            if (existing.Value != code && force) existing.Value = code;
            return null;
        }
        var added = new Zygosity { SubjectId = subject, AlleleId = allele, Value = code };
        rows.Add(added);
        return added;
    }
}

/// <summary>
/// Alyx's ZygosityFinder against the database: loads everything a batch of subjects needs in a few queries, applies
/// the rules in memory in the order Alyx does, then saves once. Callers own the transaction.
/// </summary>
public sealed class GenotypeEngine(AlyxDb db)
{
    sealed record Target(Guid Id, string Nickname, Guid? LineId, Guid? MotherId, Guid? FatherId);

    /// <summary>§4.1 for one subject: after a genotype test of it was saved (or deleted).</summary>
    public Task UpdateSubjectAsync(Guid subjectId, CancellationToken ct) => RunAsync(db.Subjects.Where(s => s.Id == subjectId), false, ct);

    /// <summary>§4.3: subjects of the rule's line having a test on its first sequence, by nickname: inheritance (forced) then rules.</summary>
    public Task RuleChangedAsync(Guid? lineId, Guid? sequence0Id, CancellationToken ct) =>
        RunAsync(db.Subjects.Where(s => s.LineId == lineId && s.GenotypeTests.Any(t => t.SequenceId == sequence0Id)), true, ct);

    /// <summary>Saves a new or changed rule, then re-genotypes the subjects of its (current) line and first sequence, as Alyx does.</summary>
    public async Task SaveRuleAsync(ZygosityRule rule, CancellationToken ct)
    {
        if (db.Entry(rule).State == EntityState.Detached) db.ZygosityRules.Add(rule);
        await db.SaveChangesAsync(ct);
        await RuleChangedAsync(rule.LineId, rule.Sequence0Id, ct);
    }

    public async Task DeleteRuleAsync(ZygosityRule rule, CancellationToken ct)
    {
        db.ZygosityRules.Remove(rule);
        await db.SaveChangesAsync(ct);
        await RuleChangedAsync(rule.LineId, rule.Sequence0Id, ct);
    }

    async Task RunAsync(IQueryable<Subject> subjects, bool fromLitter, CancellationToken ct)
    {
        var targets = await subjects
            .Select(s => new Target(s.Id, s.Nickname, s.LineId,
                s.Litter!.BreedingPair!.Mother1Id, s.Litter.BreedingPair.FatherId))
            .ToListAsync(ct);
        if (targets.Count == 0) return;
        targets = [.. targets.OrderBy(t => t.Nickname, StringComparer.Ordinal).ThenBy(t => t.Id)];
        var ids = targets.Select(t => t.Id).ToList();
        var lineIds = targets.Where(t => t.LineId is not null).Select(t => t.LineId!.Value).Distinct().ToList();
        var parentIds = fromLitter
            ? targets.SelectMany(t => new[] { t.MotherId, t.FatherId }).OfType<Guid>().Distinct().ToList()
            : [];
        var holders = ids.Concat(parentIds).Distinct().ToList();

        var rules = (await db.ZygosityRules.AsNoTracking()
                .Where(r => r.LineId != null && lineIds.Contains(r.LineId.Value) && r.AlleleId != null)
                .Select(r => new { r.Id, LineId = r.LineId!.Value, Row = new RuleRow(r.AlleleId, r.Sequence0Id, r.Sequence0Result, r.Sequence1Id, r.Sequence1Result, r.Zygosity) })
                .ToListAsync(ct))
            .OrderBy(r => r.Id).ToLookup(r => (r.LineId, r.Row.AlleleId!.Value), r => r.Row);
        var tests = (await db.GenotypeTests.AsNoTracking().Where(t => ids.Contains(t.SubjectId))
                .Select(t => new { t.Id, t.SubjectId, t.SequenceId, t.TestResult }).ToListAsync(ct))
            .OrderBy(t => t.Id).GroupBy(t => t.SubjectId)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<Guid, int>)g.GroupBy(t => t.SequenceId).ToDictionary(s => s.Key, s => s.Last().TestResult));
        var table = new ZygosityTable((await db.Zygosities.Where(z => holders.Contains(z.SubjectId)).ToListAsync(ct)).OrderBy(z => z.Id));

        var added = new List<Zygosity>();
        foreach (var target in targets)
        {
            if (fromLitter) Inherit(target, table, added);
            if (target.LineId is not { } line) continue;
            var subjectTests = tests.GetValueOrDefault(target.Id) ?? new Dictionary<Guid, int>();
            foreach (var allele in rules.Where(g => g.Key.LineId == line).Select(g => g.Key.Item2).Distinct())
            {
                if (Genotyping.FindZygosity(rules[(line, allele)], subjectTests) is { } code && table.Set(target.Id, allele, code, force: true) is { } row)
                    added.Add(row);
            }
        }
        db.Zygosities.AddRange(added);
        await db.SaveChangesAsync(ct);
    }

    static void Inherit(Target target, ZygosityTable table, List<Zygosity> added)
    {
        if (target.MotherId is null && target.FatherId is null) return;
        var alleles = (target.MotherId is { } m ? table.AllelesOf(m) : []).Union(target.FatherId is { } f ? table.AllelesOf(f) : []).ToList();
        foreach (var allele in alleles)
        {
            if (Genotyping.FromParents(table.Get(target.MotherId, allele), table.Get(target.FatherId, allele)) is { } code
                && table.Set(target.Id, allele, code, force: true) is { } row)
                added.Add(row);
        }
    }
}
