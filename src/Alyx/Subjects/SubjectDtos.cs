using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Subjects;

// Field order is SUBJECT_LIST_SERIALIZER_FIELDS (alyx/subjects/serializers.py): the water-control figures
// (order 1) come between `alive` and `json` (order 2); the detail's nested weighings and water administrations follow.

/// <summary>A subject in lists and in the POST response: <c>genotype</c> as strings, filtered by the line's alleles.</summary>
public sealed record SubjectListItem(
    string Nickname,
    string Url,
    Guid Id,
    string? ResponsibleUser,
    DateOnly? BirthDate,
    int AgeWeeks,
    DateOnly? DeathDate,
    string? Species,
    string Sex,
    string? Litter,
    string? Strain,
    string? Source,
    string? Line,
    List<string> Projects,
    List<string> SessionProjects,
    string Lab,
    List<string> Genotype,
    string Description,
    bool Alive,
    [property: JsonConverter(typeof(RawJsonConverter)), JsonPropertyOrder(2)] string? Json) : IWaterFigures, IHasUrl
{
    [JsonPropertyOrder(1)] public double ReferenceWeight { get; set; }
    [JsonPropertyOrder(1)] public DateTime? LastWaterRestriction { get; set; }
    [JsonPropertyOrder(1)] public double ExpectedWater { get; set; }
    [JsonPropertyOrder(1)] public double RemainingWater { get; set; }

    /// <summary>The columns the water figures read, from the page's own statement (not written).</summary>
    [JsonIgnore] public Actions.WaterControlSubject? WaterSubject { get; init; }
}

/// <summary>The four water-control figures a subject row carries (spec 11 §5.3), filled for a whole page at once.</summary>
public interface IWaterFigures
{
    Guid Id { get; }

    /// <summary>The subject and lab columns water control reads when the row's statement read them, else null (read by id).</summary>
    Actions.WaterControlSubject? WaterSubject { get; }

    double ReferenceWeight { get; set; }
    DateTime? LastWaterRestriction { get; set; }
    double ExpectedWater { get; set; }
    double RemainingWater { get; set; }
}

/// <summary>A weighing nested in the subject detail.</summary>
public sealed record NestedWeighing(string Subject, DateTime? DateTime, double Weight, string? User, string Url);

/// <summary>A water administration nested in the subject detail.</summary>
public sealed record NestedWaterAdministration(string Subject, DateTime? DateTime, double? WaterAdministered, string? WaterType, string? User,
    string Url, Guid? Session, bool Adlib);

/// <summary>One zygosity of the detail <c>genotype</c>.</summary>
public sealed record GenotypeItem(string Allele, int Zygosity);

/// <summary>/subjects/{nickname}: the list fields with <c>genotype</c> as objects, unfiltered (quirk S1).</summary>
public sealed record SubjectDetail(
    string Nickname,
    string Url,
    Guid Id,
    string? ResponsibleUser,
    DateOnly? BirthDate,
    int AgeWeeks,
    DateOnly? DeathDate,
    string? Species,
    string Sex,
    string? Litter,
    string? Strain,
    string? Source,
    string? Line,
    List<string> Projects,
    List<string> SessionProjects,
    string Lab,
    List<GenotypeItem> Genotype,
    string Description,
    bool Alive,
    [property: JsonConverter(typeof(RawJsonConverter)), JsonPropertyOrder(2)] string? Json,
    [property: JsonPropertyOrder(3)] List<NestedWeighing> Weighings,
    [property: JsonPropertyOrder(4)] List<NestedWaterAdministration> WaterAdministrations) : IWaterFigures
{
    /// <summary>The columns the water figures read, from the row's own statement (not written).</summary>
    [JsonIgnore] public Actions.WaterControlSubject? WaterSubject { get; init; }

    [JsonPropertyOrder(1)] public double ReferenceWeight { get; set; }
    [JsonPropertyOrder(1)] public DateTime? LastWaterRestriction { get; set; }
    [JsonPropertyOrder(1)] public double ExpectedWater { get; set; }
    [JsonPropertyOrder(1)] public double RemainingWater { get; set; }
}

/// <summary>/water-restricted-subjects: the water-control figures and the lab's percentages.</summary>
public sealed record WaterRestrictedSubjectItem(
    string Nickname,
    string Url,
    [property: JsonPropertyOrder(1)] double ReferenceWeightPct,
    [property: JsonPropertyOrder(1)] double ZscoreWeightPct) : IWaterFigures
{
    [JsonIgnore]
    public Guid Id { get; init; }

    [JsonIgnore]
    public Actions.WaterControlSubject? WaterSubject { get; init; }

    public double ExpectedWater { get; set; }
    public double RemainingWater { get; set; }
    public double ReferenceWeight { get; set; }
    public DateTime? LastWaterRestriction { get; set; }
}

static class SubjectDtos
{
    public const string NicknamePattern = @"^[\w.-]+\z";

    public const string NicknameMessage =
        "Nicknames must only contain letters, numbers, hyphens and underscores. Dots are reserved for breeding subjects.";

    static readonly string[] Sexes = ["M", "F", "U"];

    static Field[] Fields(bool detail) =>
    [
        new Field("nickname", FieldKind.String)
        {
            AllowBlank = false,
            MaxLength = 64,
            Pattern = NicknamePattern,
            PatternMessage = NicknameMessage,
            Description = "Easy-to-remember name (e.g. 'Hercules').",
        },
        new Field("url", FieldKind.String) { ReadOnly = true, Format = "uri" },
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        new Field("responsible_user", FieldKind.Slug) { Description = "Username of the user responsible for the subject." },
        new Field("birth_date", FieldKind.Date) { Nullable = true },
        new Field("age_weeks", FieldKind.Integer) { ReadOnly = true },
        new Field("death_date", FieldKind.Date) { Nullable = true },
        new Field("species", FieldKind.Slug) { Nullable = true },
        new Field("sex", FieldKind.Choice) { Choices = Sexes },
        new Field("litter", FieldKind.Slug) { Nullable = true },
        new Field("strain", FieldKind.Slug) { Nullable = true },
        new Field("source", FieldKind.Slug) { Nullable = true },
        new Field("line", FieldKind.Slug) { Nullable = true },
        new Field("projects", FieldKind.SlugList),
        new Field("session_projects", FieldKind.SlugList) { ReadOnly = true },
        new Field("lab", FieldKind.Slug) { Required = true },
        detail
            ? new Field("genotype", FieldKind.Json) { ReadOnly = true, ReadType = "array", Description = "Zygosities: {allele, zygosity}." }
            : new Field("genotype", FieldKind.SlugList) { ReadOnly = true, Description = "Zygosities of the line's alleles, e.g. 'Ai95-G6f +/-'." },
        new Field("description", FieldKind.String),
        new Field("alive", FieldKind.Boolean) { ReadOnly = true },
        .. WaterFields,
        new Field("json", FieldKind.Json) { Nullable = true, Description = "Structured data, formatted in a user-defined way" },
        .. detail
            ? new[]
            {
                new Field("weighings", FieldKind.Json) { ReadOnly = true, ReadType = "array", Description = "The subject's weighings." },
                new Field("water_administrations", FieldKind.Json) { ReadOnly = true, ReadType = "array", Description = "The subject's water administrations." },
            }
            : [],
    ];

    static readonly Field[] WaterFields =
    [
        new Field("reference_weight", FieldKind.Float) { ReadOnly = true },
        new Field("last_water_restriction", FieldKind.DateTime) { ReadOnly = true, Nullable = true },
        new Field("expected_water", FieldKind.Float) { ReadOnly = true },
        new Field("remaining_water", FieldKind.Float) { ReadOnly = true },
    ];

    public static readonly Serializer List = new("SubjectList", Fields(detail: false));

    public static readonly Serializer Detail = new("SubjectDetail", Fields(detail: true));

    public static readonly Serializer WaterRestricted = new("WaterRestrictedSubjectList",
        new Field("nickname", FieldKind.String) { ReadOnly = true },
        new Field("url", FieldKind.String) { ReadOnly = true, Format = "uri" },
        new Field("expected_water", FieldKind.Float) { ReadOnly = true },
        new Field("remaining_water", FieldKind.Float) { ReadOnly = true },
        new Field("reference_weight", FieldKind.Float) { ReadOnly = true },
        new Field("last_water_restriction", FieldKind.DateTime) { ReadOnly = true, Nullable = true },
        new Field("reference_weight_pct", FieldKind.Float) { ReadOnly = true },
        new Field("zscore_weight_pct", FieldKind.Float) { ReadOnly = true });

    /// <summary><c>floor(age_days / 7)</c> with Python's floor division; 0 without birth date (alyx Subject.age_weeks).</summary>
    public static int AgeWeeks(DateOnly? birth, DateOnly? death, DateOnly today)
    {
        if (birth is null) return 0;
        var days = (death ?? today).DayNumber - birth.Value.DayNumber;
        return (int)Math.Floor(days / 7.0);
    }

    public static string Url(string root, string nickname) => root + "/subjects/" + Uri.EscapeDataString(nickname);

    static string Root(HttpRequest req) => ApiUrls.Root(req);

    public static Expression<Func<Subject, SubjectListItem>> ListItem(HttpRequest req, DateOnly today)
    {
        var root = Root(req);
        return s => new SubjectListItem(
            s.Nickname,
            Url(root, s.Nickname),
            s.Id,
            s.ResponsibleUser == null ? null : s.ResponsibleUser.Username,
            s.BirthDate,
            AgeWeeks(s.BirthDate, s.DeathDate, today),
            s.DeathDate,
            s.Species == null ? null : s.Species.Nickname,
            s.Sex,
            s.Litter == null ? null : s.Litter.Name,
            s.Strain == null ? null : s.Strain.Name,
            s.Source == null ? null : s.Source.Name,
            s.Line == null ? null : s.Line.Name,
            new List<string>(), // projects, session projects and genotype: filled by EnrichNamesAsync
            new List<string>(),
            s.Lab!.Name,
            new List<string>(),
            s.Description,
            s.DeathDate == null || s.DeathDate > today,
            s.Json)
        {
            WaterSubject = new Actions.WaterControlSubject(s.Id, s.Nickname, s.Sex, s.BirthDate, s.Lab.ReferenceWeightPct, s.Lab.ZscoreWeightPct,
                s.Lab.Timezone),
        };
    }

    /// <summary>
    /// The subject's own row and the names of its references, without collections: one indexed row (the collections are read
    /// by the queries below, each on the subject's id, instead of split queries that repeat this query's joins for each of them).
    /// </summary>
    static readonly Func<AlyxDb, Guid, string, DateOnly, CancellationToken, Task<SubjectDetail?>> DetailRow =
        EF.CompileAsyncQuery((AlyxDb db, Guid id, string root, DateOnly today, CancellationToken ct) => db.Subjects.AsNoTracking()
            .Where(s => s.Id == id)
            .Select(s => new SubjectDetail(
                s.Nickname,
                Url(root, s.Nickname),
                s.Id,
                s.ResponsibleUser == null ? null : s.ResponsibleUser.Username,
                s.BirthDate,
                AgeWeeks(s.BirthDate, s.DeathDate, today),
                s.DeathDate,
                s.Species == null ? null : s.Species.Nickname,
                s.Sex,
                s.Litter == null ? null : s.Litter.Name,
                s.Strain == null ? null : s.Strain.Name,
                s.Source == null ? null : s.Source.Name,
                s.Line == null ? null : s.Line.Name,
                new List<string>(),
                new List<string>(),
                s.Lab!.Name,
                new List<GenotypeItem>(),
                s.Description,
                s.DeathDate == null || s.DeathDate > today,
                s.Json,
                new List<NestedWeighing>(),
                new List<NestedWaterAdministration>())
            {
                WaterSubject = new Actions.WaterControlSubject(s.Id, s.Nickname, s.Sex, s.BirthDate, s.Lab.ReferenceWeightPct, s.Lab.ZscoreWeightPct,
                    s.Lab.Timezone),
            })
            .FirstOrDefault());

    static readonly Func<AlyxDb, Guid, string, string, IAsyncEnumerable<NestedWeighing>> DetailWeighings =
        EF.CompileAsyncQuery((AlyxDb db, Guid id, string nickname, string root) => db.Set<Actions.Weighing>().AsNoTracking()
            .Where(w => w.SubjectId == id).OrderBy(w => w.DateTime).ThenBy(w => w.Id)
            .Select(w => new NestedWeighing(nickname, w.DateTime, w.Weight, w.User == null ? null : w.User.Username, root + "/weighings/" + w.Id)));

    static readonly Func<AlyxDb, Guid, string, string, IAsyncEnumerable<NestedWaterAdministration>> DetailWaterAdministrations =
        EF.CompileAsyncQuery((AlyxDb db, Guid id, string nickname, string root) => db.Set<Actions.WaterAdministration>().AsNoTracking()
            .Where(w => w.SubjectId == id).OrderBy(w => w.DateTime).ThenBy(w => w.Id)
            .Select(w => new NestedWaterAdministration(nickname, w.DateTime, w.WaterAdministered, w.WaterType == null ? null : w.WaterType.Name,
                w.User == null ? null : w.User.Username, root + "/water-administrations/" + w.Id, w.SessionId, w.Adlib)));

    static async Task<List<TItem>> ListAsync<TItem>(IAsyncEnumerable<TItem> items, CancellationToken ct)
    {
        var list = new List<TItem>();
        await foreach (var item in items.WithCancellation(ct)) list.Add(item);
        return list;
    }

    /// <summary>
    /// The detail without its water figures, in four statements on the subject's id, none repeating another's joins: the row (with
    /// the columns the water figures read), its names (projects, session projects and genotype together), weighings, water
    /// administrations.
    /// </summary>
    public static async Task<SubjectDetail?> ReadDetailAsync(AlyxDb db, HttpRequest req, DateOnly today, Guid id, CancellationToken ct)
    {
        var root = Root(req);
        var row = await DetailRow(db, id, root, today, ct);
        if (row is null) return null;
        var names = await ListAsync(DetailNames(db, id), ct);
        return row with
        {
            Projects = [.. names.Where(n => n.Kind == 0).Select(n => n.Name)],
            SessionProjects = [.. names.Where(n => n.Kind == 1).Select(n => n.Name).Order(StringComparer.Ordinal)],
            Genotype = [.. names.Where(n => n.Kind == 2).Select(n => new GenotypeItem(n.Name, n.Value))],
            Weighings = await ListAsync(DetailWeighings(db, id, row.Nickname, root), ct),
            WaterAdministrations = await ListAsync(DetailWaterAdministrations(db, id, row.Nickname, root), ct),
        };
    }

    /// <summary>
    /// The detail's three name lists in one compiled statement on the subject's id (a scalar parameter, so PostgreSQL keeps one plan):
    /// projects by name; session projects from the table the database keeps of them (re-sorted ordinally by the caller); the
    /// genotype, every zygosity unfiltered (quirk S1), by allele nickname then id.
    /// </summary>
    static readonly Func<AlyxDb, Guid, IAsyncEnumerable<NestedName>> DetailNames = EF.CompileAsyncQuery<AlyxDb, Guid, NestedName>((db, id) =>
        db.Subjects.Where(s => s.Id == id)
            .SelectMany(s => s.Projects, (s, p) => new NestedName { SubjectId = s.Id, Kind = 0, Name = p.Name, Value = 0, Id = p.Id })
            // From the subject's row, joined column to column: the kept ids are compared as the model stores them (SQLite: text).
            .Concat(from s in db.Subjects
                    where s.Id == id
                    join x in db.Set<SubjectSessionProject>() on s.Id equals x.SubjectId
                    join p in db.Projects on x.ProjectId equals p.Id
                    select new NestedName { SubjectId = s.Id, Kind = 1, Name = p.Name, Value = 0, Id = p.Id })
            .Concat(db.Zygosities.Where(z => z.SubjectId == id)
                .Select(z => new NestedName { SubjectId = z.SubjectId, Kind = 2, Name = z.Allele!.Nickname, Value = z.Value, Id = z.Id }))
            .AsNoTracking()
            .OrderBy(n => n.Kind).ThenBy(n => n.Name).ThenBy(n => n.Id));

    /// <summary>A name nested in a subject row: a project (kind 0), a session project (1) or a zygosity (2, with its value).</summary>
    sealed class NestedName
    {
        public Guid SubjectId { get; init; }
        public int Kind { get; init; }
        public string Name { get; init; } = "";
        public int Value { get; init; }
        public Guid Id { get; init; }
    }

    /// <summary>
    /// The three name lists of a page's rows in one statement on the subjects' ids: <c>projects</c> by name; <c>session_projects</c>,
    /// distinct names of the projects of the subject's sessions from the table the database keeps of them
    /// (<see cref="SubjectSessionProjects"/>), by ordinal name; the list <c>genotype</c> (Alyx: Subject.zygosity_strings), zygosities
    /// restricted to the alleles of the subject's line when it has one, as <c>"&lt;allele nickname&gt; &lt;symbol&gt;"</c>, by
    /// allele nickname then id.
    /// </summary>
    public static async Task EnrichNamesAsync(AlyxDb db, List<SubjectListItem> rows, CancellationToken ct)
    {
        var ids = rows.Select(r => r.Id).ToList();
        var projects = db.Subjects.Where(s => ids.Contains(s.Id))
            .SelectMany(s => s.Projects, (s, p) => new NestedName { SubjectId = s.Id, Kind = 0, Name = p.Name, Value = 0, Id = p.Id });
        var sessionProjects = SessionProjectNames(db, ids);
        var genotypes = db.Zygosities
            .Where(z => ids.Contains(z.SubjectId)
                && (z.Subject!.LineId == null || db.Lines.Any(l => l.Id == z.Subject.LineId && l.Alleles.Any(a => a.Id == z.AlleleId))))
            .Select(z => new NestedName { SubjectId = z.SubjectId, Kind = 2, Name = z.Allele!.Nickname, Value = z.Value, Id = z.Id });
        // Ordered by the id too, which is not read: only the order needs it.
        var names = await projects.Concat(sessionProjects).Concat(genotypes).AsNoTracking()
            .OrderBy(n => n.Kind).ThenBy(n => n.Name).ThenBy(n => n.Id)
            .Select(n => new PageName { SubjectId = n.SubjectId, Kind = n.Kind, Name = n.Name, Value = n.Value })
            .ToListAsync(ct);
        // One pass over the names in their order, each appended to its row's list (a page's ids are distinct).
        var at = new Dictionary<Guid, int>(rows.Count);
        for (var i = 0; i < rows.Count; i++) at[rows[i].Id] = i;
        var lists = new List<string>[rows.Count * 3];
        foreach (var n in names)
        {
            if (!at.TryGetValue(n.SubjectId, out var i)) continue;
            var list = lists[i * 3 + n.Kind] ??= [];
            list.Add(n.Kind == 2 ? n.Name + " " + Symbol(n.Value) : n.Name);
        }
        for (var i = 0; i < rows.Count; i++)
        {
            var sessionNames = lists[i * 3 + 1] ?? [];
            // Ordinal order (a project appears once per subject, so equal names cannot be reordered).
            sessionNames.Sort(StringComparer.Ordinal);
            rows[i] = rows[i] with
            {
                Projects = lists[i * 3] ?? [],
                SessionProjects = sessionNames,
                Genotype = lists[i * 3 + 2] ?? [],
            };
        }
    }

    /// <summary>What the page's names statement reads of a <see cref="NestedName"/>: all but the id it is ordered by.</summary>
    sealed class PageName
    {
        public Guid SubjectId { get; init; }
        public int Kind { get; init; }
        public string Name { get; init; } = "";
        public int Value { get; init; }
    }

    /// <summary>
    /// The kept (subject, project) rows of the subjects of <paramref name="ids"/> with the project's name (kind 1 of
    /// <see cref="NestedName"/>): from the subjects (their ids compared as the model stores them), joined to the kept rows column
    /// to column.
    /// </summary>
    static IQueryable<NestedName> SessionProjectNames(AlyxDb db, IReadOnlyCollection<Guid> ids)
    {
        return from s in db.Subjects
               where ids.Contains(s.Id)
               join x in db.Set<SubjectSessionProject>() on s.Id equals x.SubjectId
               join p in db.Projects on x.ProjectId equals p.Id
               select new NestedName { SubjectId = s.Id, Kind = 1, Name = p.Name, Value = 0, Id = p.Id };
    }

    /// <summary>
    /// The water-control figures (spec 11 §5.3) for a page of subjects, from one set-based load: the events only when the rows
    /// carry the subject columns (<see cref="IWaterFigures.WaterSubject"/>), else those columns too.
    /// </summary>
    public static async Task EnrichWaterAsync<T>(AlyxDb db, AlyxClock clock, IReadOnlyList<T> rows, CancellationToken ct) where T : IWaterFigures
    {
        var control = rows.All(r => r.WaterSubject is not null)
            ? await Actions.WaterControl.LoadCurrentOfAsync(db, rows.Select(r => r.WaterSubject!).ToList(), clock, ct)
            : await Actions.WaterControl.LoadCurrentAsync(db, rows.Select(r => r.Id).ToList(), clock, ct);
        foreach (var row in rows)
        {
            if (!control.TryGetValue(row.Id, out var wc)) continue;
            row.ReferenceWeight = wc.ReferenceWeight();
            row.LastWaterRestriction = wc.LastWaterRestriction;
            row.ExpectedWater = wc.ExpectedWater();
            row.RemainingWater = wc.RemainingWater();
        }
    }

    static string Symbol(int zygosity) => zygosity switch
    {
        0 => "-/-",
        1 => "+/-",
        2 => "+/+",
        3 => "+",
        _ => "?",
    };

    public static Expression<Func<Subject, WaterRestrictedSubjectItem>> WaterRestrictedItem(HttpRequest req)
    {
        var root = Root(req);
        return s => new WaterRestrictedSubjectItem(s.Nickname, Url(root, s.Nickname), s.Lab!.ReferenceWeightPct, s.Lab.ZscoreWeightPct)
        {
            Id = s.Id,
            WaterSubject = new Actions.WaterControlSubject(s.Id, s.Nickname, s.Sex, s.BirthDate, s.Lab.ReferenceWeightPct, s.Lab.ZscoreWeightPct,
                s.Lab.Timezone),
        };
    }
}
