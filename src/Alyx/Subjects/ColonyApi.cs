using System.Globalization;
using System.Linq.Expressions;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Subjects;

/// <summary>
/// REST resources for the colony records that Alyx only edits in its admin: species, strains, sources, lines,
/// alleles, sequences, zygosities, genotype tests, breeding pairs, litters and subject requests (spec 11 §2).
/// Lookups: the unique slug where the model has one (line, allele and species nickname, sequence and litter name),
/// else the lowercase UUID. References are written and read as Alyx's slugs (conventions §11.1).
/// </summary>
static class ColonyApi
{
    /// <summary>Alyx's default species, created the first time a line is created without one (spec 11 §2.1).</summary>
    static readonly Guid DefaultSpeciesId = Guid.Parse("60f915ba-bdf4-444a-ada0-be7ebd3c1826");

    static readonly string[] ZygosityCodes = ["0", "1", "2", "3"];
    static readonly string[] TestResults = ["0", "1"];

    static Field Id => new("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" };

    static Field Json => new("json", FieldKind.Json) { Nullable = true, Description = "Structured data, formatted in a user-defined way" };

    static Field RequiredText(string name, int max) => new(name, FieldKind.String) { Required = true, AllowBlank = false, MaxLength = max };

    static Field Text(string name, int? max = null) => new(name, FieldKind.String) { MaxLength = max };

    static Field Ref(string name) => new(name, FieldKind.Slug) { Nullable = true };

    static Field RequiredRef(string name) => new(name, FieldKind.Slug) { Required = true };

    static Field Code(string name, string[] choices) => new(name, FieldKind.Choice) { Required = true, AllowBlank = false, Choices = choices, ReadType = "integer" };

    static Field Derived(string name, string type) => new(name, FieldKind.String) { ReadOnly = true, ReadType = type };

    /// <summary>The base columns (id, name, json) then the model's own fields.</summary>
    static Serializer Model(string component, Field name, params Field[] fields) => new(component, [Id, name, Json, .. fields]);

    public static readonly Serializer SpeciesSerializer = Model("Species",
        RequiredText("name", 255) with { Description = "Binomial name, e.g. \"mus musculus\"" },
        RequiredText("nickname", 255) with { Description = "common name, e.g. \"mouse\"" });

    public static readonly Serializer StrainSerializer = Model("Strain", Text("name", 255), Text("description"));

    public static readonly Serializer SourceSerializer = Model("Source", RequiredText("name", 255), Text("description"));

    public static readonly Serializer LineSerializer = Model("Line",
        RequiredText("name", 255),
        Text("description"),
        Text("target_phenotype", 1023),
        RequiredText("nickname", 255),
        new Field("alleles", FieldKind.SlugList),
        Ref("strain"),
        Ref("source"),
        Text("source_identifier", 64),
        Text("source_url", 200) with { Format = "uri" },
        Text("expression_data_url", 200) with { Format = "uri" },
        Ref("species"),
        new Field("subject_autoname_index", FieldKind.Integer),
        new Field("breeding_pair_autoname_index", FieldKind.Integer),
        new Field("litter_autoname_index", FieldKind.Integer),
        new Field("is_active", FieldKind.Boolean),
        new Field("lab", FieldKind.Slug),
        Derived("sequences", "array") with { Description = "Sequences of the line's alleles." });

    public static readonly Serializer AlleleSerializer = Model("Allele",
        RequiredText("name", 1023),
        RequiredText("nickname", 255) with { Description = "informal name in lab, e.g. Pvalb-Cre" },
        new Field("sequences", FieldKind.SlugList));

    public static readonly Serializer SequenceSerializer = Model("Sequence",
        RequiredText("name", 255) with { Description = "informal name in lab, e.g. ROSA-WT" },
        Text("base_pairs"),
        Text("description", 1023));

    public static readonly Serializer ZygositySerializer = Model("Zygosity",
        Text("name", 255), RequiredRef("subject"), RequiredRef("allele"), Code("zygosity", ZygosityCodes));

    public static readonly Serializer GenotypeTestSerializer = Model("GenotypeTest",
        Text("name", 255), RequiredRef("subject"), RequiredRef("sequence"), Code("test_result", TestResults));

    public static readonly Serializer ZygosityRuleSerializer = Model("ZygosityRule",
        Text("name", 255),
        Ref("line") with { Required = true },
        Ref("allele") with { Required = true },
        Ref("sequence0"),
        Code("sequence0_result", TestResults) with { Required = false, Nullable = true },
        Ref("sequence1"),
        Code("sequence1_result", TestResults) with { Required = false, Nullable = true },
        Code("zygosity", ZygosityCodes));

    public static readonly Serializer BreedingPairSerializer = Model("BreedingPair",
        Text("name", 255) with { AllowBlank = false, Description = "Leave to - to autofill." },
        Ref("line"),
        new Field("start_date", FieldKind.Date) { Nullable = true },
        new Field("end_date", FieldKind.Date) { Nullable = true },
        Ref("father"),
        Ref("mother1"),
        Ref("mother2"),
        Text("description"));

    public static readonly Serializer LitterSerializer = Model("Litter",
        Text("name", 255) with { AllowBlank = false, Description = "Leave to - to autofill." },
        Ref("line"),
        Ref("breeding_pair"),
        Text("description"),
        new Field("birth_date", FieldKind.Date) { Nullable = true });

    public static readonly Serializer SubjectRequestSerializer = Model("SubjectRequest",
        Text("name", 255),
        Ref("user") with { Description = "Who requested this subject." },
        Ref("line"),
        new Field("count", FieldKind.Integer) { Nullable = true },
        new Field("date_time", FieldKind.Date) { Nullable = true },
        new Field("due_date", FieldKind.Date) { Nullable = true },
        Text("description"),
        Derived("remaining", "integer"),
        Derived("status", "string"));

    public static void MapColonyApi(this IEndpointRouteBuilder routes)
    {
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        new Resource<Species, SpeciesItem>
        {
            Path = "species",
            Model = "Species",
            Slug = ("nickname", s => s.Nickname),
            Serializer = SpeciesSerializer,
            Ordered = db => db.Species.OrderBy(s => s.Id),
            Item = s => new SpeciesItem(s.Id, s.Name, s.Json, s.Nickname),
            Write = w => Done(w.Text("nickname", (e, v) => e.Nickname = v)),
            Unique = [new("nickname", s => s.Nickname, "species with this nickname already exists.")],
        }.Map(routes);

        new Resource<Strain, StrainItem>
        {
            Path = "strains",
            Model = "Strain",
            Serializer = StrainSerializer,
            Ordered = db => db.Strains.OrderBy(s => s.Name).ThenBy(s => s.Id),
            Item = s => new StrainItem(s.Id, s.Name, s.Json, s.Description),
            Write = w => Done(w.Text("description", (e, v) => e.Description = v)),
        }.Map(routes);

        new Resource<Source, SourceItem>
        {
            Path = "sources",
            Model = "Source",
            Serializer = SourceSerializer,
            Ordered = db => db.Sources.OrderBy(s => s.Id),
            Item = s => new SourceItem(s.Id, s.Name, s.Json, s.Description),
            Write = w => Done(w.Text("description", (e, v) => e.Description = v)),
        }.Map(routes);

        new Resource<Line, LineItem>
        {
            Path = "lines",
            Model = "Line",
            Slug = ("nickname", l => l.Nickname),
            Serializer = LineSerializer,
            Ordered = db => db.Lines.OrderBy(l => l.Name).ThenBy(l => l.Id),
            Item = l => new LineItem(l.Id, l.Name, l.Json, l.Description, l.TargetPhenotype, l.Nickname,
                l.Alleles.OrderBy(a => a.Nickname).Select(a => a.Nickname).ToList(),
                l.Strain!.Name, l.Source!.Name, l.SourceIdentifier, l.SourceUrl, l.ExpressionDataUrl, l.Species!.Nickname,
                l.SubjectAutonameIndex, l.BreedingPairAutonameIndex, l.LitterAutonameIndex, l.IsActive, l.Lab!.Name, new List<string>()),
            Enrich = LineSequencesAsync,
            Unique = [new("nickname", l => l.Nickname, "line with this nickname already exists.")],
            ForUpdate = q => q.Include(l => l.Alleles),
            Write = WriteLineAsync,
        }.Map(routes);

        new Resource<Allele, AlleleItem>
        {
            Path = "alleles",
            Model = "Allele",
            Slug = ("nickname", a => a.Nickname),
            Serializer = AlleleSerializer,
            Ordered = db => db.Alleles.OrderBy(a => a.Nickname).ThenBy(a => a.Id),
            Item = a => new AlleleItem(a.Id, a.Name, a.Json, a.Nickname, a.Sequences.OrderBy(s => s.Name).Select(s => s.Name).ToList()),
            ForUpdate = q => q.Include(a => a.Sequences),
            Write = w => w.Text("nickname", (e, v) => e.Nickname = v).RefsAsync("sequences", w.Db.Sequences, s => s.Name, "name", (e, v) => e.Sequences = v),
            Unique = [new("nickname", a => a.Nickname, "allele with this nickname already exists.")],
        }.Map(routes);

        new Resource<Sequence, SequenceItem>
        {
            Path = "sequences",
            Model = "Sequence",
            Slug = ("name", s => s.Name),
            Serializer = SequenceSerializer,
            Ordered = db => db.Sequences.OrderBy(s => s.Name).ThenBy(s => s.Id),
            Item = s => new SequenceItem(s.Id, s.Name, s.Json, s.BasePairs, s.Description),
            Write = w => Done(w.Text("base_pairs", (e, v) => e.BasePairs = v).Text("description", (e, v) => e.Description = v)),
            Unique = [new("name", s => s.Name, "sequence with this name already exists.")],
        }.Map(routes);

        new Resource<Zygosity, ZygosityItem>
        {
            Path = "zygosities",
            Model = "Zygosity",
            Serializer = ZygositySerializer,
            Ordered = db => db.Zygosities.OrderBy(z => z.Id),
            Item = z => new ZygosityItem(z.Id, z.Name, z.Json, z.Subject!.Nickname, z.Allele!.Nickname, z.Value),
            Write = async w =>
            {
                w.Code("zygosity", (e, v) => e.Value = v!.Value);
                await SubjectAsync(w, "subject", (e, v) => e.SubjectId = v!.Id);
                await w.RefAsync("allele", w.Db.Alleles, a => a.Nickname, "nickname", (e, v) => e.AlleleId = v!.Id);
            },
        }.Map(routes);

        new Resource<GenotypeTest, GenotypeTestItem>
        {
            Path = "genotype-tests",
            Model = "GenotypeTest",
            Serializer = GenotypeTestSerializer,
            Ordered = db => db.GenotypeTests.OrderBy(t => t.Id),
            Item = t => new GenotypeTestItem(t.Id, t.Name, t.Json, t.Subject!.Nickname, t.Sequence!.Name, t.TestResult),
            Write = async w =>
            {
                w.Code("test_result", (e, v) => e.TestResult = v!.Value);
                await SubjectAsync(w, "subject", (e, v) => e.SubjectId = v!.Id);
                await w.RefAsync("sequence", w.Db.Sequences, s => s.Name, "name", (e, v) => e.SequenceId = v!.Id);
            },
            // Alyx re-applies the zygosity rules of the subject whenever one of its genotype tests is saved (spec 11 §4.1).
            AfterSave = w => new GenotypeEngine(w.Db).UpdateSubjectAsync(w.Entity.SubjectId, w.Ct),
            AfterDelete = w => new GenotypeEngine(w.Db).UpdateSubjectAsync(w.Entity.SubjectId, w.Ct),
        }.Map(routes);

        new Resource<ZygosityRule, ZygosityRuleItem>
        {
            Path = "zygosity-rules",
            Model = "ZygosityRule",
            Serializer = ZygosityRuleSerializer,
            Ordered = db => db.ZygosityRules.OrderBy(r => r.Id),
            Item = r => new ZygosityRuleItem(r.Id, r.Name, r.Json, r.Line!.Name, r.Allele!.Nickname, r.Sequence0!.Name, r.Sequence0Result,
                r.Sequence1!.Name, r.Sequence1Result, r.Zygosity),
            Write = WriteRuleAsync,
            // Alyx re-genotypes the subjects of the rule's line tested on its first sequence (spec 11 §4.3).
            AfterSave = w => new GenotypeEngine(w.Db).RuleChangedAsync(w.Entity.LineId, w.Entity.Sequence0Id, w.Ct),
            AfterDelete = w => new GenotypeEngine(w.Db).RuleChangedAsync(w.Entity.LineId, w.Entity.Sequence0Id, w.Ct),
        }.Map(routes);

        new Resource<BreedingPair, BreedingPairItem>
        {
            Path = "breeding-pairs",
            Model = "BreedingPair",
            Serializer = BreedingPairSerializer,
            Ordered = db => db.BreedingPairs.OrderBy(p => p.Name).ThenBy(p => p.Id),
            Item = p => new BreedingPairItem(p.Id, p.Name, p.Json, p.Line!.Name, p.StartDate, p.EndDate,
                p.Father!.Nickname, p.Mother1!.Nickname, p.Mother2!.Nickname, p.Description),
            Defaults = w => w.Entity.Name = "-",
            Write = async w =>
            {
                w.Value<DateOnly?>("start_date", (e, v) => e.StartDate = v).Value<DateOnly?>("end_date", (e, v) => e.EndDate = v)
                    .Text("description", (e, v) => e.Description = v);
                await LineAsync(w, (e, v) => e.LineId = v?.Id);
                await SubjectAsync(w, "father", (e, v) => e.FatherId = v?.Id);
                await SubjectAsync(w, "mother1", (e, v) => e.Mother1Id = v?.Id);
                await SubjectAsync(w, "mother2", (e, v) => e.Mother2Id = v?.Id);
            },
            BeforeSave = w => AutonameAsync(w, w.Entity.LineId, l => l.BreedingPairAutonameIndex, "BP"),
        }.Map(routes);

        new Resource<Litter, LitterItem>
        {
            Path = "litters",
            Model = "Litter",
            Slug = ("name", l => l.Name),
            Serializer = LitterSerializer,
            Ordered = db => db.Litters.OrderBy(l => l.Name).ThenByDescending(l => l.BirthDate).ThenBy(l => l.Id),
            Item = l => new LitterItem(l.Id, l.Name, l.Json, l.Line!.Name, l.BreedingPair!.Name, l.Description, l.BirthDate),
            Defaults = w => w.Entity.Name = "-",
            Write = async w =>
            {
                w.Text("description", (e, v) => e.Description = v).Value<DateOnly?>("birth_date", (e, v) => e.BirthDate = v);
                await LineAsync(w, (e, v) => e.LineId = v?.Id);
                await w.RefAsync("breeding_pair", w.Db.BreedingPairs, p => p.Name, "name", (e, v) => e.BreedingPairId = v?.Id);
            },
            // Litter.Meta.unique_together = [('name',)]: DRF reports it as a unique-together error.
            Unique = [new("name", l => l.Name, "The fields name must make a unique set.", NonField: true)],
            BeforeSave = w => AutonameAsync(w, w.Entity.LineId, x => x.LitterAutonameIndex, "L"),
        }.Map(routes);

        new Resource<SubjectRequest, SubjectRequestItem>
        {
            Path = "subject-requests",
            Model = "SubjectRequest",
            Serializer = SubjectRequestSerializer,
            Ordered = db => db.SubjectRequests.OrderByDescending(r => r.DateTime).ThenBy(r => r.Id),
            Item = r => new SubjectRequestItem(r.Id, r.Name, r.Json, r.User!.Username, r.Line!.Name, r.Count, r.DateTime, r.DueDate, r.Description,
                (r.Count ?? 0) - r.Subjects.Count(s => s.ResponsibleUserId == r.UserId && s.LineId == r.LineId && s.DeathDate == null)),
            Defaults = w =>
            {
                w.Entity.DateTime = clock.Today;
                w.Entity.UserId = w.User.Id;
            },
            Write = async w =>
            {
                w.Value<int?>("count", (e, v) => e.Count = v).Value<DateOnly?>("date_time", (e, v) => e.DateTime = v)
                    .Value<DateOnly?>("due_date", (e, v) => e.DueDate = v).Text("description", (e, v) => e.Description = v);
                await w.RefAsync("user", w.Db.Users, u => u.Username, "username", (e, v) => e.UserId = v?.Id);
                await LineAsync(w, (e, v) => e.LineId = v?.Id);
            },
        }.Map(routes);
    }

    static Task Done<T>(ResourceWrite<T> _) where T : AlyxModel => Task.CompletedTask;

    static Task SubjectAsync<T>(ResourceWrite<T> w, string field, Action<T, Subject?> assign) where T : AlyxModel =>
        w.RefAsync(field, w.Db.Subjects, s => s.Nickname, "nickname", assign);

    static Task LineAsync<T>(ResourceWrite<T> w, Action<T, Line?> assign) where T : AlyxModel =>
        w.RefAsync("line", w.Db.Lines, l => l.Name, "name", assign);

    static async Task WriteLineAsync(ResourceWrite<Line> w)
    {
        w.Text("description", (e, v) => e.Description = v).Text("target_phenotype", (e, v) => e.TargetPhenotype = v)
            .Text("nickname", (e, v) => e.Nickname = v).Text("source_identifier", (e, v) => e.SourceIdentifier = v)
            .Text("source_url", (e, v) => e.SourceUrl = v).Text("expression_data_url", (e, v) => e.ExpressionDataUrl = v)
            .Value<int>("subject_autoname_index", (e, v) => e.SubjectAutonameIndex = v)
            .Value<int>("breeding_pair_autoname_index", (e, v) => e.BreedingPairAutonameIndex = v)
            .Value<int>("litter_autoname_index", (e, v) => e.LitterAutonameIndex = v)
            .Value<bool>("is_active", (e, v) => e.IsActive = v);
        await w.RefsAsync("alleles", w.Db.Alleles, a => a.Nickname, "nickname", (e, v) => e.Alleles = v);
        await w.RefAsync("strain", w.Db.Strains, s => s.Name, "name", (e, v) => e.StrainId = v?.Id);
        await w.RefAsync("source", w.Db.Sources, s => s.Name, "name", (e, v) => e.SourceId = v?.Id);
        await w.RefAsync("species", w.Db.Species, s => s.Nickname, "nickname", (e, v) => e.SpeciesId = v?.Id);
        await w.RefAsync("lab", w.Db.Labs, l => l.Name, "name", (e, v) => e.LabId = v!.Id);
        if (!w.Creating) return;
        if (!w.Data.Has("lab"))
        {
            w.Entity.LabId = await w.Db.Labs.Where(l => l.Id == DatabaseSetup.DefaultLabId || l.Name == DatabaseSetup.DefaultLabName)
                .OrderBy(l => l.Id == DatabaseSetup.DefaultLabId ? 0 : 1).Select(l => l.Id).FirstOrDefaultAsync(w.Ct);
        }
        if (!w.Data.Has("species") && !w.Errors.Any)
        {
            // Alyx's default_species(): the mouse, created on demand.
            if (!await w.Db.Species.AnyAsync(s => s.Id == DefaultSpeciesId, w.Ct))
                w.Db.Species.Add(new Species { Id = DefaultSpeciesId, Name = "Mus musculus", Nickname = "Laboratory mouse" });
            w.Entity.SpeciesId = DefaultSpeciesId;
        }
    }

    static async Task WriteRuleAsync(ResourceWrite<ZygosityRule> w)
    {
        w.Code("sequence0_result", (e, v) => e.Sequence0Result = v).Code("sequence1_result", (e, v) => e.Sequence1Result = v)
            .Code("zygosity", (e, v) => e.Zygosity = v!.Value);
        await LineAsync(w, (e, v) => e.LineId = v?.Id);
        await w.RefAsync("allele", w.Db.Alleles, a => a.Nickname, "nickname", (e, v) => e.AlleleId = v?.Id);
        await w.RefAsync("sequence0", w.Db.Sequences, s => s.Name, "name", (e, v) => e.Sequence0Id = v?.Id);
        await w.RefAsync("sequence1", w.Db.Sequences, s => s.Name, "name", (e, v) => e.Sequence1Id = v?.Id);
        // DRF's UniqueTogetherValidator: checked only when the fields are valid and none of the values is null.
        var r = w.Entity;
        if (w.Errors.Any || r.LineId is null || r.AlleleId is null || r.Sequence0Id is null || r.Sequence0Result is null
            || r.Sequence1Id is null || r.Sequence1Result is null)
            return;
        if (await w.Db.ZygosityRules.AnyAsync(o => o.Id != r.Id && o.LineId == r.LineId && o.AlleleId == r.AlleleId && o.Sequence0Id == r.Sequence0Id
                && o.Sequence0Result == r.Sequence0Result && o.Sequence1Id == r.Sequence1Id && o.Sequence1Result == r.Sequence1Result, w.Ct))
            w.Errors.Add("non_field_errors", "The fields line, allele, sequence0, sequence0_result, sequence1, sequence1_result must make a unique set.");
    }

    /// <summary>Line sequences: the distinct sequences of its alleles, in allele order then sequence name (one query per page).</summary>
    static async Task LineSequencesAsync(AlyxDb db, List<LineItem> items, CancellationToken ct)
    {
        var ids = items.Select(i => i.Id).ToList();
        var rows = await db.Lines.Where(l => ids.Contains(l.Id))
            .SelectMany(l => l.Alleles, (l, a) => new { LineId = l.Id, a })
            .SelectMany(x => x.a.Sequences, (x, s) => new { x.LineId, Allele = x.a.Nickname, Sequence = s.Name })
            .ToListAsync(ct);
        foreach (var item in items)
        {
            item.Sequences.AddRange(rows.Where(r => r.LineId == item.Id)
                .OrderBy(r => item.Alleles.IndexOf(r.Allele)).ThenBy(r => r.Sequence, StringComparer.Ordinal)
                .Select(r => r.Sequence).Distinct());
        }
    }

    /// <summary>
    /// Alyx's Line.set_autoname for breeding pairs and litters: with a line and the name <c>-</c>, the line's index is
    /// incremented (atomically) and the name becomes <c>{line nickname}_{kind}_{index:000}</c>.
    /// </summary>
    static async Task AutonameAsync<T>(ResourceWrite<T> w, Guid? lineId, Expression<Func<Line, int>> index, string kind) where T : AlyxModel
    {
        var (db, row, ct) = (w.Db, w.Entity, w.Ct);
        if (lineId is not { } id || row.Name != "-") return;
        var next = Expression.Lambda<Func<Line, int>>(Expression.Add(index.Body, Expression.Constant(1)), index.Parameters);
        await db.Lines.Where(l => l.Id == id).ExecuteUpdateAsync(s => s.SetProperty(index, next), ct);
        var line = await db.Lines.AsNoTracking().SingleAsync(l => l.Id == id, ct);
        row.Name = $"{line.Nickname}_{kind}_{index.Compile()(line).ToString("D3", CultureInfo.InvariantCulture)}";
    }
}
