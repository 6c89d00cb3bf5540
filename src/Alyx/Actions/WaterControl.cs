using System.Collections.Concurrent;
using System.Linq.Expressions;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>A weighing or implant: lab-local time and grams.</summary>
public readonly record struct TimedWeight(DateTime Time, double Weight);

/// <summary>A water administration: lab-local time, volume (mL, may be null) and session.</summary>
public readonly record struct WaterGiven(DateTime Time, double? Volume, Guid? SessionId);

/// <summary>A water restriction as Alyx's water control keeps it: raw stored times (never time-zone converted).</summary>
public readonly record struct RestrictionSpan(DateTime Start, DateTime? End, double ReferenceWeight);

/// <summary>The subject columns water control reads (lab percentages and time zone are the subject's lab's).</summary>
public sealed record WaterControlSubject(
    Guid Id, string Nickname, string Sex, DateOnly? BirthDate, double ReferenceWeightPct, double ZscoreWeightPct, string? LabTimezone);

/// <summary>One day of <c>/water-requirement</c>, keys in Alyx's <c>WaterControl._columns</c> order (written by <see cref="WaterRecordConverter"/>).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(WaterRecordConverter))]
public sealed record WaterRecord(
    DateOnly Date,
    PythonNumber Weight,
    double? WeighingAt,
    double ReferenceWeight,
    PythonNumber ExpectedWeight,
    double MinWeight,
    double PercentageWeight,
    PythonNumber GivenWaterReward,
    PythonNumber GivenWaterSupplement,
    PythonNumber GivenWaterTotal,
    double ExpectedWater,
    double ExcessWater,
    bool IsWaterRestricted,
    PythonNumber ImplantWeight);

enum WaterEventKind
{
    Implant,
    Restriction,
    Administration,
    Weighing,
}

/// <summary>A row of any of the four tables water control reads, in one shape so that they come in one query.</summary>
sealed class WaterEvent
{
    public Guid SubjectId { get; init; }
    public WaterEventKind Kind { get; init; }
    public DateTime Time { get; init; }
    public double? Value { get; init; }
    public DateTime? End { get; init; }
    public Guid? SessionId { get; init; }
    public Guid Id { get; init; }
}

/// <summary>
/// Alyx's water-control engine (animal welfare: reference and expected weights, water owed per day), a rewrite of
/// <c>alyx/actions/water_control.py</c> (spec 20-actions §7, 11-subjects §5). <c>LoadAsync</c> builds the state
/// of a whole page of subjects in a fixed number of queries (the original builds one subject at a time).
/// </summary>
public static partial class WaterControl
{
    /// <summary>Alyx's <c>settings.WEIGHT_THRESHOLD</c>: the absolute minimum fraction of the expected weight.</summary>
    public const double WeightThreshold = 0.75;

    /// <summary>
    /// The water-control state of each given subject that exists (unknown ids are absent from the result), from its whole
    /// history (<see cref="LoadEventsAsync"/> without a lower bound). Rows with a null time are left out (the original
    /// fails with a 500 on them, spec §7.1).
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, SubjectWaterControl>> LoadAsync(
        AlyxDb db, IReadOnlyCollection<Guid> subjectIds, AlyxClock clock, CancellationToken ct = default)
    {
        var ids = subjectIds.Distinct().ToList();
        if (ids.Count == 0) return new Dictionary<Guid, SubjectWaterControl>();
        var (subjects, events) = await LoadEventsAsync(db, ids, null, ct);
        return Build(subjects, events, clock, clock.Now);
    }

    /// <summary>
    /// The one loader of both forms: the subjects with their labs, then their surgeries, restrictions, administrations and
    /// weighings together, each kind by time then id; two queries whatever the number of subjects. Without
    /// <paramref name="recent"/> (null) the whole history; with it (<see cref="LoadCurrentOfAsync"/>), surgeries and restrictions
    /// all the same, administrations from its start on, and of the weighings stored at or before its end only each subject's
    /// latest <see cref="RecentWeighings"/> (and any stored at the same time as the last of them): two index ranges on
    /// (subject, date_time), whatever the number of weighings made today. Surgeries follow upstream's
    /// <c>subject.actions_surgerys.order_by('start_time')</c> with non-zero implant weights only.
    /// </summary>
    static async Task<(List<WaterControlSubject> Subjects, List<WaterEvent> Events)> LoadEventsAsync(AlyxDb db, List<Guid> ids,
        (DateTime From, DateTime Until)? recent, CancellationToken ct)
    {
        var subjects = await SubjectsAsync(db, ids, ct);
        return (subjects, await EventsAsync(db, ids, recent, ct));
    }

    /// <summary>
    /// The events part of <see cref="LoadEventsAsync"/>: one statement. One subject (a detail, a POST's check) is read by a
    /// compiled query (<see cref="EventsOf"/>, <see cref="RecentEventsOf"/>) that compares with <c>=</c> on a scalar
    /// parameter rather than <c>= ANY</c> of an array: PostgreSQL then keeps one plan for the statement instead of planning
    /// the four-part union again at each request (0.5 ms), and EF does not walk the query's tree again.
    /// </summary>
    static async Task<List<WaterEvent>> EventsAsync(AlyxDb db, List<Guid> ids, (DateTime From, DateTime Until)? recent, CancellationToken ct)
    {
        if (ids.Count == 1)
        {
            var events = new List<WaterEvent>();
            var one = recent is { } window ? RecentEventsOf(db, ids[0], window.From, window.Until) : EventsOf(db, ids[0]);
            await foreach (var e in one.WithCancellation(ct)) events.Add(e);
            return events;
        }
        return await ManyEventsAsync(db, ids, recent, ct);
    }

    /// <summary><see cref="EventsAsync"/> of several subjects (their ids one parameter: a list).</summary>
    static Task<List<WaterEvent>> ManyEventsAsync(AlyxDb db, List<Guid> ids, (DateTime From, DateTime Until)? recent, CancellationToken ct)
    {
        var surgeries = db.Set<Surgery>().AsNoTracking().Where(s => ids.Contains(s.SubjectId))
            .Where(s => s.StartTime != null && s.ImplantWeight != 0)
            .Select(ImplantEvent);
        var restrictions = db.Set<WaterRestriction>().AsNoTracking().Where(r => ids.Contains(r.SubjectId))
            .Where(r => r.StartTime != null)
            .Select(RestrictionEvent);
        var administered = db.Set<WaterAdministration>().AsNoTracking().Where(a => ids.Contains(a.SubjectId)).Where(a => a.DateTime != null);
        if (recent is { From: var start }) administered = administered.Where(a => a.DateTime >= start);
        var administrations = administered.Select(AdministrationEvent);
        var weighed = recent is { Until: var until }
            ? db.Subjects.AsNoTracking().Where(s => ids.Contains(s.Id))
                .Join(db.Set<Weighing>().AsNoTracking(), s => s.Id, w => w.SubjectId, (s, w) => new { s, w })
                .Where(x => x.w.DateTime != null && x.w.DateTime <= until
                    && x.w.DateTime >= (db.Set<Weighing>().Where(e => e.SubjectId == x.s.Id && e.DateTime != null && e.DateTime <= until)
                        .OrderByDescending(e => e.DateTime).Select(e => e.DateTime).Skip(RecentWeighings - 1).FirstOrDefault() ?? DateTime.MinValue))
                .Select(x => x.w)
            : db.Set<Weighing>().AsNoTracking().Where(w => ids.Contains(w.SubjectId)).Where(w => w.DateTime != null);
        var weighings = weighed.Select(WeighingEvent);
        return surgeries.Concat(restrictions).Concat(administrations).Concat(weighings)
            .OrderBy(e => e.Kind).ThenBy(e => e.Time).ThenBy(e => e.Id)
            .ToListAsync(ct);
    }

    // The projections of both loaders (a page of subjects, LoadEventsAsync; one subject by nickname, WaterControl.One.cs).
    internal static readonly Expression<Func<Subjects.Subject, WaterControlSubject>> SubjectColumns = s => new WaterControlSubject(s.Id, s.Nickname,
        s.Sex, s.BirthDate, s.Lab == null ? 0.0 : s.Lab.ReferenceWeightPct, s.Lab == null ? 0.0 : s.Lab.ZscoreWeightPct,
        s.Lab == null ? null : s.Lab.Timezone);

    /// <summary><see cref="SubjectColumns"/> of a subject row already read with its lab (a write's reference).</summary>
    public static WaterControlSubject ColumnsOf(Subjects.Subject s, Misc.Lab lab) =>
        new(s.Id, s.Nickname, s.Sex, s.BirthDate, lab.ReferenceWeightPct, lab.ZscoreWeightPct, lab.Timezone);

    static readonly Expression<Func<Surgery, WaterEvent>> ImplantEvent = s => new WaterEvent
    {
        SubjectId = s.SubjectId,
        Kind = WaterEventKind.Implant,
        Time = s.StartTime!.Value,
        Value = (double?)s.ImplantWeight,
        End = (DateTime?)null,
        SessionId = (Guid?)null,
        Id = s.Id,
    };

    static readonly Expression<Func<WaterRestriction, WaterEvent>> RestrictionEvent = r => new WaterEvent
    {
        SubjectId = r.SubjectId,
        Kind = WaterEventKind.Restriction,
        Time = r.StartTime!.Value,
        Value = (double?)r.ReferenceWeight,
        End = r.EndTime,
        SessionId = (Guid?)null,
        Id = r.Id,
    };

    static readonly Expression<Func<WaterAdministration, WaterEvent>> AdministrationEvent = a => new WaterEvent
    {
        SubjectId = a.SubjectId,
        Kind = WaterEventKind.Administration,
        Time = a.DateTime!.Value,
        Value = a.WaterAdministered,
        End = (DateTime?)null,
        SessionId = a.SessionId,
        Id = a.Id,
    };

    static readonly Expression<Func<Weighing, WaterEvent>> WeighingEvent = w => new WaterEvent
    {
        SubjectId = w.SubjectId,
        Kind = WaterEventKind.Weighing,
        Time = w.DateTime!.Value,
        Value = (double?)w.Weight,
        End = (DateTime?)null,
        SessionId = (Guid?)null,
        Id = w.Id,
    };

    static Task<List<WaterControlSubject>> SubjectsAsync(AlyxDb db, List<Guid> ids, CancellationToken ct) =>
        db.Subjects.AsNoTracking().Where(s => ids.Contains(s.Id))
            .Select(SubjectColumns).ToListAsync(ct);

    /// <summary>The state of each subject from its events, sorted by kind, stored time and id.</summary>
    static Dictionary<Guid, SubjectWaterControl> Build(List<WaterControlSubject> subjects, List<WaterEvent> events, AlyxClock clock, DateTime now)
    {
        var implantsBy = events.Where(e => e.Kind == WaterEventKind.Implant)
            .ToLookup(e => e.SubjectId, e => new TimedWeight(e.Time, e.Value!.Value));
        var restrictionsBy = events.Where(e => e.Kind == WaterEventKind.Restriction)
            .ToLookup(e => e.SubjectId, e => new RestrictionSpan(e.Time, e.End, e.Value!.Value));
        var administrationsBy = events.Where(e => e.Kind == WaterEventKind.Administration)
            .ToLookup(e => e.SubjectId, e => new WaterGiven(e.Time, e.Value, e.SessionId));
        var weighingsBy = events.Where(e => e.Kind == WaterEventKind.Weighing)
            .ToLookup(e => e.SubjectId, e => new TimedWeight(e.Time, e.Value!.Value));
        return subjects.ToDictionary(s => s.Id, s => new SubjectWaterControl(s, clock.Zone, now,
            implantsBy[s.Id], restrictionsBy[s.Id], administrationsBy[s.Id], weighingsBy[s.Id]));
    }

    /// <summary>
    /// How far from now the rows that the figures at now may read lie (<see cref="LoadCurrentAsync"/>): a stored time and its
    /// lab-local time differ by at most 26 hours plus a daylight-saving step, so nothing stored more than this before (after)
    /// now is on today's lab-local date.
    /// </summary>
    static readonly TimeSpan CurrentWindow = TimeSpan.FromDays(3);

    /// <summary>
    /// Lab-local times are in stored order except around daylight-saving transitions, where a later stored time can be at
    /// most a few hours (the two zones' steps together) earlier once converted. Rows more than this apart keep their order.
    /// </summary>
    static readonly TimeSpan ReorderSpan = TimeSpan.FromHours(6);

    /// <summary>
    /// How many of a subject's latest weighings (by stored time, up to <see cref="CurrentWindow"/> after now) the figures at now
    /// read: the latest on or before today is normally the first of them; the others leave room for weighings dated after
    /// today.
    /// </summary>
    internal const int RecentWeighings = 3;

    /// <summary>
    /// The water-control state of each given subject for the figures at now only (the subject columns
    /// <c>reference_weight</c>, <c>last_water_restriction</c>, <c>expected_water</c>, <c>remaining_water</c>, the
    /// underweight check): the same answers as <see cref="LoadAsync(AlyxDb, IReadOnlyCollection{Guid}, AlyxClock, CancellationToken)"/>
    /// for those, from the rows they can depend on instead of the whole history (<see cref="LoadEventsAsync"/> with the window of
    /// <see cref="CurrentWindow"/> around now). Surgeries and restrictions are all read (a few per subject); water administrations
    /// from the window's start on (only today's count); of the weighings stored up to the window's end, the latest
    /// <see cref="RecentWeighings"/>, however many were made today. The figures need the last weighing on or before today in
    /// lab-local order; every weighing not read was stored before the earliest one read, so it sorts before that one unless a
    /// daylight-saving transition lies within <see cref="ReorderSpan"/> before it (checked here). A subject whose figures read
    /// the weighing before the start of a restriction without a reference weight, whose earliest weighing read is after today
    /// (weighings dated in the coming days), or whose earliest weighing read is near a transition, is read whole. Two queries,
    /// a third for those subjects.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, SubjectWaterControl>> LoadCurrentAsync(
        AlyxDb db, IReadOnlyCollection<Guid> subjectIds, AlyxClock clock, CancellationToken ct = default)
    {
        var ids = subjectIds.Distinct().ToList();
        if (ids.Count == 0) return new Dictionary<Guid, SubjectWaterControl>();
        return await LoadCurrentOfAsync(db, await SubjectsAsync(db, ids, ct), clock, ct);
    }

    /// <summary>
    /// <see cref="LoadCurrentAsync(AlyxDb, IReadOnlyCollection{Guid}, AlyxClock, CancellationToken)"/> for subjects whose columns
    /// the caller has already read (a page of subject rows carries them): the events in one statement, a second only for the
    /// subjects that must be read whole.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, SubjectWaterControl>> LoadCurrentOfAsync(
        AlyxDb db, IReadOnlyCollection<WaterControlSubject> known, AlyxClock clock, CancellationToken ct = default)
    {
        var subjects = known.DistinctBy(s => s.Id).ToList();
        if (subjects.Count == 0) return new Dictionary<Guid, SubjectWaterControl>();
        var now = clock.Now;

        var events = await EventsAsync(db, [.. subjects.Select(s => s.Id)], (now - CurrentWindow, now + CurrentWindow), ct);
        var result = Build(subjects, events, clock, now);

        // Per subject, the weighings read and the earliest of them (events come by kind, then stored time).
        var read = new Dictionary<Guid, (int Count, DateTime Earliest)>();
        foreach (var e in events)
        {
            if (e.Kind != WaterEventKind.Weighing) continue;
            read[e.SubjectId] = read.TryGetValue(e.SubjectId, out var r) ? (r.Count + 1, r.Earliest) : (1, e.Time);
        }
        var whole = result.Values.Where(wc => wc.ReadsWeighingBeforeRestriction()
                || (read.TryGetValue(wc.Subject.Id, out var r) && r.Count >= RecentWeighings && !SortsLast(wc, r.Earliest, clock.Zone)))
            .Select(wc => wc.Subject.Id).ToList();
        if (whole.Count > 0)
        {
            foreach (var (id, wc) in await LoadAsync(db, whole, clock, ct)) result[id] = wc;
        }
        return result;
    }

    /// <summary>
    /// Whether a weighing stored at <paramref name="time"/> is on or before today in the subject's lab-local time and every
    /// weighing stored before it sorts before it once converted (<see cref="KeepsOrder"/>): then the last weighing on or before
    /// today is this one or one stored after it.
    /// </summary>
    static bool SortsLast(SubjectWaterControl wc, DateTime time, TimeZoneInfo serverZone)
    {
        var local = string.IsNullOrEmpty(wc.Subject.LabTimezone) ? time : ConvertZone(time, serverZone, wc.TimeZone);
        return local.Date <= wc.Now.Date && KeepsOrder(wc, time, serverZone);
    }

    /// <summary>
    /// Whether conversion to the subject's lab-local time is one constant shift over the <see cref="ReorderSpan"/> before
    /// <paramref name="time"/> (sampled every quarter hour, finer than any zone's step), so that no weighing stored then
    /// converts to a later time than one stored at <paramref name="time"/>.
    /// </summary>
    static bool KeepsOrder(SubjectWaterControl wc, DateTime time, TimeZoneInfo serverZone)
    {
        if (string.IsNullOrEmpty(wc.Subject.LabTimezone)) return true;
        if (time < DateTime.MinValue + TimeSpan.FromDays(2)) return false;
        var shift = ConvertZone(time, serverZone, wc.TimeZone) - time;
        for (var t = time - ReorderSpan; t < time; t += TimeSpan.FromMinutes(15))
        {
            if (ConvertZone(t, serverZone, wc.TimeZone) - t != shift) return false;
        }
        return true;
    }

    /// <summary>The state of one subject, or null when it does not exist.</summary>
    public static async Task<SubjectWaterControl?> LoadAsync(AlyxDb db, Guid subjectId, AlyxClock clock, CancellationToken ct = default) =>
        (await LoadAsync(db, [subjectId], clock, ct)).GetValueOrDefault(subjectId);

    static readonly ConcurrentDictionary<string, TimeZoneInfo?> IanaZones = new(StringComparer.Ordinal);

    /// <summary>
    /// The subject's time zone (<c>Subject.timezone()</c> in alyx/subjects/models.py): the lab's zone when set; the
    /// server zone when blank; <c>Europe/London</c> when the name is not a zone pytz knows.
    /// </summary>
    public static TimeZoneInfo LabZone(string? name, TimeZoneInfo serverZone)
    {
        if (string.IsNullOrEmpty(name)) return serverZone;
        return IanaZone(name) ?? IanaZone("Europe/London") ?? TimeZoneInfo.Utc;
    }

    static TimeZoneInfo? IanaZone(string name) => IanaZones.GetOrAdd(name, static n =>
    {
        // pytz only knows IANA names (matched case-insensitively); .NET would also accept Windows ids, which pytz refuses.
        if (TimeZoneInfo.TryFindSystemTimeZoneById(n, out var zone) && zone.HasIanaId) return zone;
        var match = TimeZoneInfo.GetSystemTimeZones().FirstOrDefault(z => z.HasIanaId && string.Equals(z.Id, n, StringComparison.OrdinalIgnoreCase));
        return match;
    });

    /// <summary>
    /// <c>tzone_convert</c>: read a naive server-local time as <paramref name="from"/> wall-clock and express it as
    /// <paramref name="to"/> wall-clock. Django attaches the zone with zoneinfo's <c>fold=0</c>: an ambiguous time
    /// (autumn) is the first, daylight-saving occurrence, and a time in the spring gap uses the offset from before the
    /// gap (so 01:30 in London on the spring day is 02:30 after conversion). .NET would pick standard time for the
    /// former and throw for the latter, hence the explicit offsets.
    /// </summary>
    public static DateTime ConvertZone(DateTime naive, TimeZoneInfo from, TimeZoneInfo to)
    {
        try
        {
            var local = DateTime.SpecifyKind(naive, DateTimeKind.Unspecified);
            TimeSpan offset;
            if (from.IsAmbiguousTime(local)) offset = from.GetAmbiguousTimeOffsets(local).Max();
            else if (from.IsInvalidTime(local))
            {
                // Clocks jump forward over a gap, so the offset before it is the smaller of the two around it.
                var before = from.GetUtcOffset(local.AddDays(-1));
                var after = from.GetUtcOffset(local.AddDays(1));
                offset = before < after ? before : after;
            }
            else offset = from.GetUtcOffset(local);
            var utc = DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
            return DateTime.SpecifyKind(TimeZoneInfo.ConvertTimeFromUtc(utc, to), DateTimeKind.Unspecified);
        }
        catch (ArgumentOutOfRangeException)
        {
            // Within a day of DateTime.MinValue/MaxValue: no zone arithmetic is possible; keep the wall-clock time.
            return DateTime.SpecifyKind(naive, DateTimeKind.Unspecified);
        }
    }
}

/// <summary>
/// The water-control state of one subject (Alyx's <c>WaterControl</c> instance as built by <c>water_control(subject)</c>).
/// Instants are naive lab-local times. Parameters typed <c>DateTime?</c> follow Alyx's <c>date=None</c>: null means
/// <see cref="Now"/>, except where noted (the reference weighing, spec 11-subjects §5).
/// </summary>
public sealed class SubjectWaterControl
{
    readonly TimedWeight[] implants;
    readonly RestrictionSpan[] restrictions;
    readonly WaterGiven[] administrations;
    readonly TimedWeight[] weighings;
    readonly RestrictionSpan? sticky;

    /// <param name="subject">Subject and lab columns.</param>
    /// <param name="serverZone">Alyx's <c>TIME_ZONE</c>, the zone stored times are in.</param>
    /// <param name="serverNow">Server-local naive now.</param>
    /// <param name="implants">Surgeries with a non-zero implant weight, raw server-local times, by start time.</param>
    /// <param name="restrictions">Water restrictions by start time, raw.</param>
    /// <param name="administrations">Water administrations by time, raw server-local times.</param>
    /// <param name="weighings">Weighings by time, raw server-local times.</param>
    public SubjectWaterControl(WaterControlSubject subject, TimeZoneInfo serverZone, DateTime serverNow,
        IEnumerable<TimedWeight> implants, IEnumerable<RestrictionSpan> restrictions,
        IEnumerable<WaterGiven> administrations, IEnumerable<TimedWeight> weighings)
    {
        Subject = subject;
        TimeZone = WaterControl.LabZone(subject.LabTimezone, serverZone);
        // With no lab zone Alyx converts from the default zone to that very zone object, which Python's astimezone
        // leaves untouched (even a time in the spring gap); a named lab zone is a separate pytz object and converts.
        var identity = string.IsNullOrEmpty(subject.LabTimezone);
        DateTime Conv(DateTime t) => identity ? t : WaterControl.ConvertZone(t, serverZone, TimeZone);
        Now = Conv(serverNow);
        Birth = subject.BirthDate?.ToDateTime(new TimeOnly(12, 0));
        // The original re-sorts implants, weighings and administrations by their converted times (a stable sort of
        // rows read in stored-time order); restrictions stay in stored order and are not converted.
        this.implants = [.. implants.Select(i => i with { Time = Conv(i.Time) }).OrderBy(i => i.Time)];
        this.restrictions = [.. restrictions];
        this.administrations = [.. administrations.Select(a => a with { Time = Conv(a.Time) }).OrderBy(a => a.Time)];
        this.weighings = [.. weighings.Select(w => w with { Time = Conv(w.Time) }).OrderBy(w => w.Time)];
        // The last restriction's non-zero reference weight is "the" reference weighing from its start on.
        if (this.restrictions.Length > 0 && this.restrictions[^1].ReferenceWeight != 0) sticky = this.restrictions[^1];
        Thresholds = WaterControl.WeightThreshold != 0
            ? [.. new[] { ReferenceWeightPct + ZscoreWeightPct, WaterControl.WeightThreshold }.Order()]
            : [ReferenceWeightPct + ZscoreWeightPct];
    }

    public WaterControlSubject Subject { get; }

    public string Nickname => Subject.Nickname;

    public double ReferenceWeightPct => Subject.ReferenceWeightPct;

    public double ZscoreWeightPct => Subject.ZscoreWeightPct;

    /// <summary>The zone lab-local times are in (<see cref="WaterControl.LabZone"/>).</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>Server now as lab-local wall-clock (<c>WaterControl.today()</c>).</summary>
    public DateTime Now { get; }

    /// <summary>Birth date at 12:00, or null.</summary>
    public DateTime? Birth { get; }

    /// <summary>Weight thresholds as fractions of the expected weight, ascending.</summary>
    public IReadOnlyList<double> Thresholds { get; }

    public IReadOnlyList<TimedWeight> Implants => implants;

    public IReadOnlyList<RestrictionSpan> Restrictions => restrictions;

    public IReadOnlyList<WaterGiven> Administrations => administrations;

    public IReadOnlyList<TimedWeight> Weighings => weighings;

    /// <summary>Number of leading items for which <paramref name="before"/> holds (it must be true then false).</summary>
    static int CountWhile<T>(T[] items, DateTime d, Func<T, DateTime, bool> before)
    {
        int lo = 0, hi = items.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (before(items[mid], d)) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /// <summary><c>water_restriction_at</c>: start of the restriction in force at <paramref name="date"/>, or null.</summary>
    public DateTime? RestrictionStart(DateTime? date = null)
    {
        var d = date ?? Now;
        // The last restriction starting on or before d's day (even later that day), unless it ended before d.
        var n = CountWhile(restrictions, d, static (r, d) => r.Start.Date <= d.Date);
        if (n == 0) return null;
        var r = restrictions[n - 1];
        return r.End is { } end && d > end ? null : r.Start;
    }

    /// <summary>
    /// Whether the reference weighing at now (or with no date) is the last weighing before the start of the restriction in
    /// force: that restriction has no reference weight and the last restriction's does not apply.
    /// </summary>
    internal bool ReadsWeighingBeforeRestriction()
    {
        if (sticky is { } s && Now >= s.Start) return false;
        if (RestrictionStart(Now) is not { } start) return false;
        return FirstStartingAt(start).ReferenceWeight == 0;
    }

    /// <summary>Start of the restriction in force now (the subjects' <c>last_water_restriction</c>).</summary>
    public DateTime? LastWaterRestriction => RestrictionStart(Now);

    public bool IsRestricted(DateTime? date = null) => RestrictionStart(date) is not null;

    /// <summary><c>last_implant_weight_before</c>: latest implant on or before the day, or null.</summary>
    public TimedWeight? LastImplant(DateTime? date = null)
    {
        var d = date ?? Now;
        var n = CountWhile(implants, d, static (i, d) => i.Time.Date <= d.Date);
        return n == 0 ? null : implants[n - 1];
    }

    /// <summary>Implant weight on the day (<c>implant_weight</c>); Python's int 0 when there is none.</summary>
    public PythonNumber ImplantWeight(DateTime? date = null) =>
        LastImplant(date) is { } i ? PythonNumber.Float(i.Weight) : PythonNumber.Int(0);

    /// <summary><c>reference_implant_weight_at</c>: the implant weight at the start of the restriction in force, else at the date.</summary>
    public PythonNumber ReferenceImplantWeight(DateTime? date = null)
    {
        var d = date ?? Now;
        return ImplantWeight(RestrictionStart(d) ?? d);
    }

    /// <summary><c>last_weighing_before</c>: latest weighing on or before the day (a later time that day counts).</summary>
    public TimedWeight? LastWeighing(DateTime? date = null)
    {
        var d = date ?? Now;
        var n = CountWhile(weighings, d, static (w, d) => w.Time.Date <= d.Date);
        return n == 0 ? null : weighings[n - 1];
    }

    /// <summary><c>weight</c>: latest known weight, Python's int 0 when never weighed.</summary>
    public PythonNumber Weight(DateTime? date = null) =>
        LastWeighing(date) is { } w ? PythonNumber.Float(w.Weight) : PythonNumber.Int(0);

    /// <summary><c>weighing_at</c>: the last weight measured on that very day, or null.</summary>
    public double? WeighingAt(DateTime? date = null)
    {
        var d = date ?? Now;
        return LastWeighing(d) is { } w && w.Time.Date == d.Date ? w.Weight : null;
    }

    /// <summary>
    /// <c>reference_weighing_at</c>: (time, weight) the expected weight derives from. With no date the last
    /// restriction's non-zero reference weight applies unconditionally, even before that restriction starts (this is
    /// what the subjects' <c>reference_weight</c> field shows); with a date it applies from its start on.
    /// </summary>
    public TimedWeight? ReferenceWeighing(DateTime? date = null)
    {
        if (sticky is { } s && (date is null || date >= s.Start)) return new TimedWeight(s.Start, s.ReferenceWeight);
        var d = date ?? Now;
        if (RestrictionStart(d) is not { } start) return null;
        // The first restriction with that start, as Python's list comprehension [...][0] picks.
        var restriction = FirstStartingAt(start);
        return restriction.ReferenceWeight == 0 ? LastWeighing(start) : new TimedWeight(start, restriction.ReferenceWeight);
    }

    /// <summary><c>reference_weight</c>: implant-free reference weight, 0.0 without a reference.</summary>
    public double ReferenceWeight(DateTime? date = null) =>
        ReferenceWeighing(date) is { } r ? r.Weight - ReferenceImplantWeight(date) : 0.0;

    /// <summary>Whole weeks of age at <paramref name="t"/>: <c>(t - birth).days // 7</c>, both floored.</summary>
    long AgeWeeks(DateTime t)
    {
        var days = FloorDiv((t - Birth!.Value).Ticks, TimeSpan.TicksPerDay);
        return FloorDiv(days, 7);
    }

    static long FloorDiv(long a, long b)
    {
        var q = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
    }

    /// <summary><c>zscore_weight</c>: the reference weighing's z-score on the growth curve, carried to the date's age.</summary>
    public double ZscoreWeight(DateTime? date = null)
    {
        var d = date ?? Now;
        return ZscoreWeight(d, ReferenceWeighing(d), ReferenceImplantWeight(d));
    }

    /// <summary><see cref="ZscoreWeight(DateTime?)"/> at <paramref name="d"/> from its reference weighing and that one's implant weight.</summary>
    double ZscoreWeight(DateTime d, TimedWeight? reference, PythonNumber refImplant)
    {
        if (reference is not { } r) return 0;
        if (Birth is null) return 0;
        var (meanRef, sdRef) = ReferenceWeights.At(Subject.Sex, AgeWeeks(r.Time));
        var z = (r.Weight - refImplant - meanRef) / sdRef;
        var (meanNow, sdNow) = ReferenceWeights.At(Subject.Sex, AgeWeeks(d));
        return sdNow * z + meanNow;
    }

    /// <summary>The first restriction starting at <paramref name="start"/> (as Python's list comprehension <c>[...][0]</c> picks).</summary>
    RestrictionSpan FirstStartingAt(DateTime start)
    {
        foreach (var r in restrictions)
        {
            if (r.Start == start) return r;
        }
        throw new InvalidOperationException("No restriction starts at " + start.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// <c>expected_weight</c>: lab-weighted mix of the z-score and reference weights plus today's implant; Python's int
    /// 0 when the lab's percentages are both 0. Equals the implant weight when there is no reference.
    /// </summary>
    public PythonNumber ExpectedWeight(DateTime? date = null)
    {
        var sum = ReferenceWeightPct + ZscoreWeightPct;
        if (sum == 0) return PythonNumber.Int(0);
        var pz = ZscoreWeightPct / sum;
        var pr = ReferenceWeightPct / sum;
        double implant = ImplantWeight(date);
        // Same operation order as upstream: pz * Z + pr * R + iw.
        return PythonNumber.Float(pz * ZscoreWeight(date) + pr * ReferenceWeight(date) + implant);
    }

    /// <summary><c>min_weight</c>: Z·zpct + R·rpct + implant.</summary>
    public double MinWeight(DateTime? date = null)
    {
        var d = date ?? Now;
        double implant = ImplantWeight(d);
        return ZscoreWeight(d) * ZscoreWeightPct + ReferenceWeight(d) * ReferenceWeightPct + implant;
    }

    /// <summary><c>percentage_weight</c>: implant-free weight as a percentage of the implant-free expected weight, 0.0 when undefined.</summary>
    public double PercentageWeight(DateTime? date = null)
    {
        var d = date ?? Now;
        double implant = ImplantWeight(d);
        double weight = Weight(d);
        double expected = ExpectedWeight(d);
        return expected - implant > 0 ? 100 * (weight - implant) / (expected - implant) : 0.0;
    }

    /// <summary>100 × the largest threshold (<c>min_percentage</c>).</summary>
    public double MinPercentage => Thresholds[^1] * 100;

    /// <summary><c>expected_water</c> (mL): 4 % of the implant-free weight, 5 % when below the lab's threshold weight.</summary>
    public double ExpectedWater(DateTime? date = null)
    {
        var d = date ?? Now;
        double implant = ImplantWeight(d);
        var weight = LastWeighing(d)?.Weight ?? 0.0;
        double expected = ExpectedWeight(d);
        // Mathematically min_weight, but computed this way upstream; the rounding differs, so keep the formula.
        var threshold = (ReferenceWeightPct + ZscoreWeightPct) * (expected - implant) + implant;
        return weight < threshold ? 0.05 * (weight - implant) : 0.04 * (weight - implant);
    }

    /// <summary>
    /// <c>given_water</c>: mL given on the date's day (null volumes skipped), all of them or only those with
    /// (<paramref name="withSession"/> true) or without a session; Python's int 0 when nothing was added.
    /// </summary>
    public PythonNumber GivenWater(DateTime? date = null, bool? withSession = null)
    {
        var d = date ?? Now;
        var from = CountWhile(administrations, d, static (a, d) => a.Time.Date < d.Date);
        var to = CountWhile(administrations, d, static (a, d) => a.Time.Date <= d.Date);
        var total = PythonNumber.Int(0);
        for (var i = from; i < to; i++)
        {
            var a = administrations[i];
            if (a.Volume is not { } volume) continue;
            if (withSession is { } s && s != (a.SessionId is not null)) continue;
            total = PythonNumber.Float(total.Value + volume);
        }
        return total;
    }

    /// <summary><c>remaining_water</c>: expected minus given on the day (negative when more was given).</summary>
    public double RemainingWater(DateTime? date = null)
    {
        var d = date ?? Now;
        return ExpectedWater(d) - GivenWater(d);
    }

    public double ExcessWater(DateTime? date = null) => -RemainingWater(date);

    /// <summary><c>last_water_administration_at</c>: latest administration at or before the instant.</summary>
    public WaterGiven? LastWaterAdministration(DateTime? date = null)
    {
        var d = date ?? Now;
        var n = CountWhile(administrations, d, static (a, d) => a.Time <= d);
        return n == 0 ? null : administrations[n - 1];
    }

    /// <summary><c>weight_status</c> (admin colouring): 2 below the threshold, 1 within 2 points above it, else 0.</summary>
    public int WeightStatus(DateTime? date = null)
    {
        var threshold = Math.Max(ZscoreWeightPct, ReferenceWeightPct);
        var p = PercentageWeight(date);
        if (p == 0) return 0;
        if (p / 100 < threshold) return 2;
        return p / 100 < threshold + 0.02 ? 1 : 0;
    }

    /// <summary><c>first_date</c>: earliest administration or weighing, else the birth date at 12:00, else null.</summary>
    public DateTime? FirstDate()
    {
        DateTime? first = null;
        if (administrations.Length > 0) first = administrations[0].Time;
        if (weighings.Length > 0 && (first is null || weighings[0].Time < first)) first = weighings[0].Time;
        return first ?? Birth;
    }

    /// <summary>
    /// All record columns evaluated at one instant: each figure the columns share (the implant, the last weighing, the restriction
    /// in force, the reference weighing, the z-score and expected weights, the water given) computed once, with the same operations
    /// in the same order as the single-figure methods above (<see cref="Weight"/>, <see cref="ExpectedWeight"/>, <see cref="MinWeight"/>,
    /// <see cref="PercentageWeight"/>, <see cref="ExpectedWater"/>, <see cref="GivenWater"/>, <see cref="ExcessWater"/>...).
    /// </summary>
    public WaterRecord Record(DateTime d)
    {
        var implant = ImplantWeight(d);
        double implantValue = implant;
        var last = LastWeighing(d);
        var weight = last is { } lw ? PythonNumber.Float(lw.Weight) : PythonNumber.Int(0);
        double? weighingAt = last is { } w && w.Time.Date == d.Date ? w.Weight : null;
        var restrictionStart = RestrictionStart(d);
        var refImplant = ImplantWeight(restrictionStart ?? d);
        var reference = ReferenceWeighing(d);
        var referenceWeight = reference is { } r ? r.Weight - refImplant : 0.0;
        var zscore = ZscoreWeight(d, reference, refImplant);
        var sum = ReferenceWeightPct + ZscoreWeightPct;
        var expected = sum == 0
            ? PythonNumber.Int(0)
            : PythonNumber.Float(ZscoreWeightPct / sum * zscore + ReferenceWeightPct / sum * referenceWeight + implantValue);
        var minWeight = zscore * ZscoreWeightPct + referenceWeight * ReferenceWeightPct + implantValue;
        double expectedValue = expected;
        double weightValue = weight;
        var percentage = expectedValue - implantValue > 0 ? 100 * (weightValue - implantValue) / (expectedValue - implantValue) : 0.0;
        var lastWeight = last?.Weight ?? 0.0;
        var threshold = (ReferenceWeightPct + ZscoreWeightPct) * (expectedValue - implantValue) + implantValue;
        var expectedWater = lastWeight < threshold ? 0.05 * (lastWeight - implantValue) : 0.04 * (lastWeight - implantValue);
        var (withSession, withoutSession, total) = GivenWaters(d);
        return new WaterRecord(DateOnly.FromDateTime(d), weight, weighingAt, referenceWeight, expected, minWeight, percentage,
            withSession, withoutSession, total, expectedWater, -(expectedWater - total), restrictionStart is not null, implant);
    }

    /// <summary><see cref="GivenWater"/> with a session, without one and in all, in one pass over the day's administrations.</summary>
    (PythonNumber WithSession, PythonNumber WithoutSession, PythonNumber Total) GivenWaters(DateTime d)
    {
        var from = CountWhile(administrations, d, static (a, d) => a.Time.Date < d.Date);
        var to = CountWhile(administrations, d, static (a, d) => a.Time.Date <= d.Date);
        PythonNumber with = PythonNumber.Int(0), without = PythonNumber.Int(0), total = PythonNumber.Int(0);
        for (var i = from; i < to; i++)
        {
            var a = administrations[i];
            if (a.Volume is not { } volume) continue;
            if (a.SessionId is not null) with = PythonNumber.Float(with.Value + volume);
            else without = PythonNumber.Float(without.Value + volume);
            total = PythonNumber.Float(total.Value + volume);
        }
        return (with, without, total);
    }

    /// <summary>
    /// <c>to_jsonable</c>: one record per calendar day from <paramref name="start"/> to <paramref name="end"/>, each
    /// evaluated at the start's time of day (spec §7.6); empty when the end is before the start.
    /// </summary>
    public IEnumerable<WaterRecord> Records(DateTime start, DateTime end)
    {
        var days = end.Date.Subtract(start.Date).Days;
        for (var n = 0; n <= days; n++) yield return Record(start.AddDays(n));
    }
}
