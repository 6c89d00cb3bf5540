using System.Linq.Expressions;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

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
        .Add(new ChoiceFilter("sex", "string", ["M", "F", "U"], v => s => s.Sex == v))
        .Add(new ChoiceFilter("protocol_number", "string", ["1", "2", "3", "4"], v => s => s.ProtocolNumber == v))
        .Add(new ChoiceFilter("actual_severity", "integer", ["1", "2", "3", "4", "5"], v =>
        {
            var code = int.Parse(v, System.Globalization.CultureInfo.InvariantCulture);
            return s => s.ActualSeverity == code;
        }))
        .Add(new ThroughFilter("genotype", (ids, s) => s.Zygosities.Any(z => ids.Contains(z.AlleleId)), typeof(Allele)))
        .Add(new ThroughFilter("genotype_test", (ids, s) => s.GenotypeTests.Any(t => ids.Contains(t.SequenceId)), typeof(Sequence)))
        .Add(new JsonStringFilter())
        .Django();

    static Expression<Func<Subject, bool>> NotDead(DateOnly today) => s => s.DeathDate == null || s.DeathDate > today;

    /// <summary>django-filter's ChoiceFilter for a model field with choices: unknown codes are a 400.</summary>
    sealed class ChoiceFilter(string name, string type, string[] choices, Func<string, Expression<Func<Subject, bool>>> match) : IFilter<Subject>
    {
        public FilterDoc Doc { get; } = new(name, type, Enum: choices);

        public ValueTask<IQueryable<Subject>> ApplyAsync(FilterContext context, IQueryable<Subject> query, IReadOnlyList<string> values, ErrorMap errors)
        {
            var v = values[^1].Trim();
            if (!choices.Contains(v))
            {
                errors.Add(name, $"Select a valid choice. {v} is not one of the available choices.");
                return ValueTask.FromResult(query);
            }
            return ValueTask.FromResult(query.Where(match(v)));
        }
    }

    /// <summary>
    /// A many-to-many through a model with extra columns (genotype via Zygosity, genotype_test via GenotypeTest): target
    /// UUIDs, any of them, with the messages of a generated many-to-many filter.
    /// </summary>
    sealed class ThroughFilter(string name, Func<List<Guid>, Expression<Func<Subject, bool>>> match, Type target) : IFilter<Subject>
    {
        public ThroughFilter(string name, Expression<Func<List<Guid>, Subject, bool>> predicate, Type target)
            : this(name, ids => Bind(predicate, ids), target)
        {
        }

        public FilterDoc Doc { get; } = new(name, "string", "uuid", Many: true);

        public async ValueTask<IQueryable<Subject>> ApplyAsync(FilterContext context, IQueryable<Subject> query, IReadOnlyList<string> values, ErrorMap errors)
        {
            var ids = new List<Guid>();
            foreach (var v in values)
            {
                if (!Guid.TryParse(v.Trim(), out var id))
                {
                    errors.Add(name, $"“{v}” is not a valid value.");
                    return query;
                }
                ids.Add(id);
            }
            foreach (var id in ids)
            {
                var exists = target == typeof(Allele)
                    ? await context.Db.Alleles.AnyAsync(a => a.Id == id, context.CancellationToken)
                    : await context.Db.Sequences.AnyAsync(q => q.Id == id, context.CancellationToken);
                if (!exists)
                {
                    errors.Add(name, $"Select a valid choice. {id} is not one of the available choices.");
                    return query;
                }
            }
            return query.Where(match(ids));
        }

        static Expression<Func<Subject, bool>> Bind(Expression<Func<List<Guid>, Subject, bool>> predicate, List<Guid> ids)
        {
            var body = new Replace(predicate.Parameters[0], Expr.Param(ids, typeof(List<Guid>))).Visit(predicate.Body);
            return Expression.Lambda<Func<Subject, bool>>(body, predicate.Parameters[1]);
        }

        sealed class Replace(ParameterExpression from, Expression to) : ExpressionVisitor
        {
            protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
        }
    }

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
