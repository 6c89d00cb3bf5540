using System.Text.Json;
using Alyx.Actions;
using Alyx.Http;
using BenchmarkDotNet.Attributes;

namespace Alyx.Benchmarks;

/// <summary>
/// Water control for one subject over a year: a weighing every day, a session reward and a supplement most days, an
/// implant, two water restrictions. <see cref="WaterControl.LoadAsync(Database.AlyxDb, IReadOnlyCollection{Guid}, AlyxClock, CancellationToken)"/>
/// reads these rows in five queries and then builds a <see cref="SubjectWaterControl"/>; only that pure part is measured
/// here: building the state (time-zone conversion and sorting), the 366 daily records of <c>/water-requirement</c>, and
/// the whole response body as the endpoint writes it. <see cref="LabZone"/> <c>(none)</c> means the lab has no zone of its
/// own (no conversion); <c>America/New_York</c> converts every time from the server's <c>Europe/London</c>.
/// </summary>
public class WaterControlBenchmarks
{
    static readonly TimeZoneInfo ServerZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    static readonly DateTime First = new(2024, 1, 8, 9, 30, 0);
    static readonly DateTime Now = First.AddDays(365).AddHours(3);

    WaterControlSubject subject = null!;
    TimedWeight[] implants = [];
    RestrictionSpan[] restrictions = [];
    WaterGiven[] administrations = [];
    TimedWeight[] weighings = [];
    SubjectWaterControl state = null!;

    public const string NoZone = "(none)";

    [Params(NoZone, "America/New_York")]
    public string LabZone { get; set; } = NoZone;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        subject = new WaterControlSubject(Guid.Parse("a1f5a0b1-3c44-4a7e-9d61-5a0d8f6b2c11"), "KS022", "M", new DateOnly(2023, 10, 2),
            0.8, 0.0, LabZone == NoZone ? null : LabZone);
        implants = [new TimedWeight(First.AddDays(5).AddHours(2), 1.6)];
        restrictions =
        [
            new RestrictionSpan(First.AddDays(12), First.AddDays(200), 0),
            new RestrictionSpan(First.AddDays(230), null, 24.3),
        ];
        var given = new List<WaterGiven>();
        var weights = new List<TimedWeight>();
        var weight = 24.0;
        for (var day = 0; day <= 365; day++)
        {
            var morning = First.AddDays(day).AddMinutes(random.Next(0, 90));
            weight += random.NextDouble() * 0.6 - 0.3;
            weights.Add(new TimedWeight(morning, Math.Round(weight, 2)));
            if (day % 7 is 5 or 6) continue; // weekends: no session
            var session = Guid.CreateVersion7(new DateTimeOffset(morning, TimeSpan.Zero));
            given.Add(new WaterGiven(morning.AddHours(2), Math.Round(0.4 + random.NextDouble(), 3), session));
            if (day % 3 == 0) given.Add(new WaterGiven(morning.AddHours(6), 0.3, null));
        }
        administrations = [.. given];
        weighings = [.. weights];
        state = Build();
    }

    SubjectWaterControl Build() => new(subject, ServerZone, Now, implants, restrictions, administrations, weighings);

    [Benchmark(Description = "build state")]
    public SubjectWaterControl BuildState() => Build();

    [Benchmark(Description = "366 daily records")]
    public List<WaterRecord> Records() => [.. state.Records(state.FirstDate()!.Value, state.Now)];

    /// <summary>What <c>GET /water-requirement/{nickname}</c> does after its queries: state, records, JSON body.</summary>
    [Benchmark(Description = "state + records + JSON")]
    public byte[] Requirement()
    {
        var wc = Build();
        var records = wc.Records(wc.FirstDate()!.Value, wc.Now).ToList();
        var body = new WaterRequirement(wc.Nickname, wc.ReferenceImplantWeight(), wc.ReferenceWeightPct, wc.ZscoreWeightPct, records);
        return JsonSerializer.SerializeToUtf8Bytes(body, AlyxJson.Options);
    }
}
