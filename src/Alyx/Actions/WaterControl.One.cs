using System.Linq.Expressions;
using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

public static partial class WaterControl
{
    /// <summary>The subjects with the nickname (at most two: one is the answer, two an ambiguity), with their labs' columns.</summary>
    static readonly Func<AlyxDb, string, IAsyncEnumerable<WaterControlSubject>> SubjectsByNickname =
        EF.CompileAsyncQuery((AlyxDb db, string nickname) => db.Subjects.AsNoTracking().Where(s => s.Nickname == nickname)
            .Select(SubjectColumns).Take(2));

    /// <summary>One subject's surgeries with an implant weight and its restrictions: both loaders of one subject read them all.</summary>
    /// <remarks>Declared before the loaders, whose initializers splice it in (<see cref="Projections.Inline{TDelegate}"/>).</remarks>
    static readonly Expression<Func<AlyxDb, Guid, IQueryable<WaterEvent>>> ImplantsAndRestrictions = (db, id) => db.Set<Surgery>().AsNoTracking()
        .Where(s => s.SubjectId == id && s.StartTime != null && s.ImplantWeight != 0)
        .Select(ImplantEvent)
        .Concat(db.Set<WaterRestriction>().AsNoTracking()
            .Where(r => r.SubjectId == id && r.StartTime != null)
            .Select(RestrictionEvent));

    /// <summary>
    /// One subject's surgeries with an implant weight, restrictions, administrations and weighings in one statement, each kind by
    /// time then id: the rows <see cref="LoadAsync(AlyxDb, IReadOnlyCollection{Guid}, AlyxClock, CancellationToken)"/> reads for it.
    /// </summary>
    static readonly Func<AlyxDb, Guid, IAsyncEnumerable<WaterEvent>> EventsOf =
        EF.CompileAsyncQuery(Projections.Inline<Func<AlyxDb, Guid, IQueryable<WaterEvent>>>((db, id) => Projections.Expand(ImplantsAndRestrictions, db, id)
            .Concat(db.Set<WaterAdministration>().AsNoTracking()
                .Where(a => a.SubjectId == id && a.DateTime != null)
                .Select(AdministrationEvent))
            .Concat(db.Set<Weighing>().AsNoTracking()
                .Where(w => w.SubjectId == id && w.DateTime != null)
                .Select(WeighingEvent))
            .OrderBy(e => e.Kind).ThenBy(e => e.Time).ThenBy(e => e.Id)));

    /// <summary>
    /// <see cref="EventsOf"/> for the figures at now (<see cref="LoadCurrentOfAsync"/>): surgeries and restrictions all,
    /// administrations from <c>start</c> on, and of the weighings stored up to <c>until</c> the latest
    /// <see cref="RecentWeighings"/> (and any stored at the same time as the last of them).
    /// </summary>
    static readonly Func<AlyxDb, Guid, DateTime, DateTime, IAsyncEnumerable<WaterEvent>> RecentEventsOf =
        EF.CompileAsyncQuery(Projections.Inline<Func<AlyxDb, Guid, DateTime, DateTime, IQueryable<WaterEvent>>>((db, id, start, until) =>
            Projections.Expand(ImplantsAndRestrictions, db, id)
            .Concat(db.Set<WaterAdministration>().AsNoTracking()
                .Where(a => a.SubjectId == id && a.DateTime != null && a.DateTime >= start)
                .Select(AdministrationEvent))
            .Concat(db.Subjects.AsNoTracking().Where(s => s.Id == id)
                .Join(db.Set<Weighing>().AsNoTracking(), s => s.Id, w => w.SubjectId, (s, w) => new { s, w })
                .Where(x => x.w.DateTime != null && x.w.DateTime <= until
                    && x.w.DateTime >= (db.Set<Weighing>().Where(e => e.SubjectId == x.s.Id && e.DateTime != null && e.DateTime <= until)
                        .OrderByDescending(e => e.DateTime).Select(e => e.DateTime).Skip(RecentWeighings - 1).FirstOrDefault() ?? DateTime.MinValue))
                .Select(x => x.w)
                .Select(WeighingEvent))
            .OrderBy(e => e.Kind).ThenBy(e => e.Time).ThenBy(e => e.Id)));

    /// <summary>
    /// The whole-history state of the subject with that nickname (<c>Subject.objects.get(nickname=...)</c>: exact and case-sensitive)
    /// in two compiled statements: its row, then its events. <c>Found</c> is 0, 1 or 2 (two or more subjects share the nickname);
    /// the state is there when it is 1.
    /// </summary>
    public static async Task<(int Found, SubjectWaterControl? State)> LoadByNicknameAsync(AlyxDb db, string nickname, AlyxClock clock,
        CancellationToken ct = default)
    {
        var subjects = new List<WaterControlSubject>(1);
        await foreach (var s in SubjectsByNickname(db, nickname).WithCancellation(ct)) subjects.Add(s);
        if (subjects.Count != 1) return (subjects.Count, null);
        var events = new List<WaterEvent>();
        await foreach (var e in EventsOf(db, subjects[0].Id).WithCancellation(ct)) events.Add(e);
        return (1, Build(subjects, events, clock, clock.Now)[subjects[0].Id]);
    }
}
