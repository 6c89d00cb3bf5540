using System.Linq.Expressions;
using Alyx.Database;
using Alyx.Filtering;
using BenchmarkDotNet.Attributes;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Benchmarks;

/// <summary>
/// The generic <c>django=</c> filter on sessions, as <see cref="FilterSet{T}"/> applies it: parsing the text
/// (<see cref="DjangoSyntax.Parse"/>), building the predicates over the EF model (<see cref="DjangoQuery.Apply{T}"/>), and
/// the whole translation to SQL of a list page query (ordering and limit as the list has them) with
/// <c>ToQueryString()</c> on SQLite and PostgreSQL contexts that never connect. Nothing is executed; EF's compiled-query
/// cache is warm after the first call, as in a running server. EF's query pipeline is a lot of code: in a fresh process a
/// short job's three warm-up iterations leave part of it in tier-0 code (means fell from one measured iteration to the
/// next), hence more warm-up here.
/// </summary>
[WarmupCount(12)]
public class DjangoFilterBenchmarks
{
    AlyxDb? sqlite;
    AlyxDb? postgres;

    /// <summary>Simple; relation paths with a date transform; JSON keys; an exclusion through many-to-many; <c>in</c> lists.</summary>
    public static IEnumerable<DjangoCase> Cases { get; } =
    [
        new("simple", "task_protocol__icontains,ephysChoiceWorld"),
        new("paths", "subject__lab__name,cortexlab,start_time__date__gte,2024-01-01"),
        new("json keys", "json__PYBPOD_BOARD,_iblrig_synth_behavior_3,extended_qc__behavior__gte,0.9"),
        new("exclude", "projects__name,ibl_neuropixel_brainwide_01,~users__username,alice"),
        new("in lists", "subject__nickname__in,['KS022', 'KS023', 'CSHL049'],number__in,[1, 2]"),
    ];

    [ParamsSource(nameof(Cases))]
    public DjangoCase Case { get; set; } = null!;

    string Query => Case.Query;

    // Model building and the first compilation belong to start-up, not to a request; parsing needs no context.
    [GlobalSetup(Targets = [nameof(Build), nameof(SqlSqlite)])]
    public void SetupSqlite()
    {
        sqlite = DatabaseUrl.Parse("sqlite::memory:microbench").Open();
        _ = Sql(sqlite);
    }

    [GlobalSetup(Target = nameof(SqlPostgres))]
    public void SetupPostgres()
    {
        postgres = DatabaseUrl.Parse("postgres://bench@127.0.0.1:5432/bench").Open();
        _ = Sql(postgres);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        sqlite?.Dispose();
        postgres?.Dispose();
    }

    string Sql(AlyxDb db) => DjangoQuery.Apply(db.Sessions.AsNoTracking(), Query, db)
        .OrderByDescending(s => s.StartTime).ThenBy(s => s.Id).Take(100).ToQueryString();

    [Benchmark(Description = "parse")]
    public IReadOnlyList<DjangoCondition> Parse() => DjangoSyntax.Parse(Query);

    [Benchmark(Description = "build predicates")]
    public Expression Build() => DjangoQuery.Apply(sqlite!.Sessions.AsNoTracking(), Query, sqlite).Expression;

    [Benchmark(Description = "SQL, SQLite")]
    public string SqlSqlite() => Sql(sqlite!);

    [Benchmark(Description = "SQL, PostgreSQL")]
    public string SqlPostgres() => Sql(postgres!);
}

/// <summary>A named <c>django=</c> value; the name is what the summary table shows.</summary>
public sealed record DjangoCase(string Name, string Query)
{
    public override string ToString() => Name;
}
