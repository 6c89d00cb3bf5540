using System.Linq.Expressions;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;

namespace Alyx.Subjects;

/// <summary>The C# twin of SubjectFilter in alyx/subjects/views.py (spec 11 §6.3).</summary>
static class SubjectFilters
{
    public static FilterSet<Subject> Create(AlyxClock clock) => new FilterSet<Subject>()
        .Generated()
        // Alyx: exclude(death_date__lte=today) / filter(death_date__lte=today), today being the server-local date.
        .Add(new FilterDoc("alive", "boolean"), (q, raw, _) => FilterValues.DeclaredBool(raw) switch
        {
            true => q.Where(NotDead(clock.Today)),
            false => q.Where(s => s.DeathDate != null && s.DeathDate <= clock.Today),
            null => q,
        })
        // Alyx: exclude(responsible_user__is_stock_manager=True), so subjects without responsible user count as non-stock.
        .Add(new FilterDoc("stock", "boolean"), (q, raw, _) => FilterValues.DeclaredBool(raw) switch
        {
            true => q.Where(s => s.ResponsibleUser != null && s.ResponsibleUser.IsStockManager),
            false => q.Where(s => s.ResponsibleUser == null || !s.ResponsibleUser.IsStockManager),
            null => q,
        })
        // Both values also drop dead subjects (quirk S6).
        .Add(new FilterDoc("water_restricted", "boolean"), (q, raw, _) => FilterValues.DeclaredBool(raw) switch
        {
            true => q.Where(s => s.WaterRestrictions.Any(w => w.EndTime == null)).Where(NotDead(clock.Today)),
            false => q.Where(s => !s.WaterRestrictions.Any(w => w.EndTime == null)).Where(NotDead(clock.Today)),
            null => q,
        })
        .Add(new FilterDoc("responsible_user", "string"), (q, raw, _) => q.Where(s => s.ResponsibleUser!.Username == raw.Trim()))
        .Add(new FilterDoc("lab", "string"), (q, raw, _) => q.Where(s => s.Lab!.Name == raw.Trim()))
        .Add(new FilterDoc("project", "string"), (q, raw, _) => q.Where(s => s.Projects.Any(p => p.Name == raw.Trim())))
        .Add(new ChoiceFilter<Subject>("sex", "string", ["M", "F", "U"], v => s => s.Sex == v))
        .Add(new ChoiceFilter<Subject>("protocol_number", "string", ["1", "2", "3", "4"], v => s => s.ProtocolNumber == v))
        .Add(new ChoiceFilter<Subject>("actual_severity", "integer", ["1", "2", "3", "4", "5"], v =>
        {
            var code = int.Parse(v, System.Globalization.CultureInfo.InvariantCulture);
            return s => s.ActualSeverity == code;
        }))
        .Add(new ManyToManyFilter<Subject>("genotype", (ids, s) => s.Zygosities.Any(z => ids.Contains(z.AlleleId)), typeof(Allele)))
        .Add(new ManyToManyFilter<Subject>("genotype_test", (ids, s) => s.GenotypeTests.Any(t => ids.Contains(t.SequenceId)), typeof(Sequence)))
        .Add(new JsonStringFilter())
        .Django();

    static Expression<Func<Subject, bool>> NotDead(DateOnly today) => s => s.DeathDate == null || s.DeathDate > today;

    /// <summary>The generated <c>json</c> filter: the subject's JSON value equals the given text as a JSON string.</summary>
    sealed class JsonStringFilter : IFilter<Subject>
    {
        public FilterDoc Doc { get; } = new("json", "string");

        public ValueTask<IQueryable<Subject>> ApplyAsync(FilterContext context, IQueryable<Subject> query, IReadOnlyList<string> values, ErrorMap errors)
        {
            var value = values[^1].Trim();
            if (context.Db.Provider == DatabaseProvider.Sqlite)
                return ValueTask.FromResult(query.Where(s => JsonSql.SqliteType(s.Json, "$") == "text" && JsonSql.SqliteText(s.Json, "$") == value));
            // jsonb equality: the parameter takes the column's jsonb mapping.
            var encoded = System.Text.Json.JsonSerializer.Serialize(value);
            return ValueTask.FromResult(query.Where(s => s.Json == encoded));
        }
    }
}
