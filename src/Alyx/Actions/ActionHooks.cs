using System.Globalization;
using Alyx.Database;
using Alyx.Http;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>
/// The actions models' save hooks (spec 20-actions §8) for the REST write paths: water type default and death-date
/// refusal of water administrations, the automatic reference weight of restrictions, and the subject updates that
/// surgeries and restrictions trigger (protocol number, severity, death date).
/// </summary>
static class ActionHooks
{
    /// <summary>WaterRestriction.save: the automatic reference weighing must be less than this from the start.</summary>
    public static readonly TimeSpan ReferenceWeighingWindow = TimeSpan.FromDays(7);

    /// <summary>
    /// WaterAdministration.save, before the write: without a water type, the type of the subject's latest restriction
    /// by start time (even a null one, Q-22), else the type named <c>Water</c> (left null when it does not exist; the
    /// original fails with a 500). Returns the refusal text when the administration is dated after the subject's death.
    /// </summary>
    public static async Task<string?> BeforeWaterAdministrationSaveAsync(AlyxDb db, WaterAdministration administration, Subject subject,
        CancellationToken ct)
    {
        if (administration.WaterTypeId is null)
        {
            var latest = await db.Set<WaterRestriction>().Where(r => r.SubjectId == subject.Id)
                .OrderByDescending(r => r.StartTime != null).ThenByDescending(r => r.StartTime).ThenByDescending(r => r.Id)
                .Select(r => new { r.WaterTypeId }).FirstOrDefaultAsync(ct);
            administration.WaterTypeId = latest is not null ? latest.WaterTypeId : await DefaultWaterTypeAsync(db, ct);
        }
        if (subject.DeathDate is { } death && administration.DateTime is { } t && DateOnly.FromDateTime(t) > death)
            return "Water administration date after death date";
        return null;
    }

    /// <summary>Alyx's <c>_default_water_type</c>: the id of the type named <c>Water</c>, if any.</summary>
    public static Task<Guid?> DefaultWaterTypeAsync(AlyxDb db, CancellationToken ct) =>
        db.Set<WaterType>().Where(t => t.Name == "Water").OrderBy(t => t.Id).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct);

    /// <summary>
    /// WaterRestriction.save, before the write: a zero reference weight becomes the weight of the subject's last weighing
    /// on or before the start day (water control's <c>last_weighing_before</c>, lab-local times); that weighing must be
    /// less than 7 days from the start. The original asserts this and answers 500; the error text is returned instead.
    /// </summary>
    public static async Task<string?> BeforeWaterRestrictionSaveAsync(AlyxDb db, AlyxClock clock, WaterRestriction restriction,
        CancellationToken ct)
    {
        if (restriction.ReferenceWeight != 0) return null;
        var wc = await WaterControl.LoadAsync(db, restriction.SubjectId, clock, ct);
        if (wc?.LastWeighing(restriction.StartTime) is not { } weighing) return null;
        var start = restriction.StartTime ?? wc.Now;
        if ((weighing.Time - start).Duration() >= ReferenceWeighingWindow)
            return string.Create(CultureInfo.InvariantCulture,
                $"No reference weight given and the subject's last weighing ({Notifications.PythonStr(weighing.Time)}) is 7 days or more from the start of the restriction; give a reference weight.");
        restriction.ReferenceWeight = weighing.Weight;
        return null;
    }

    /// <summary>
    /// Subject.set_protocol_number, once the action is written: <c>3</c> under water restriction now, else <c>2</c> when
    /// the subject had a surgery, else <c>1</c>.
    /// </summary>
    public static async Task SetProtocolNumberAsync(AlyxDb db, AlyxClock clock, Subject subject, CancellationToken ct)
    {
        var wc = await WaterControl.LoadAsync(db, subject.Id, clock, ct);
        if (wc is not null && wc.IsRestricted()) subject.ProtocolNumber = "3";
        else if (await db.Set<Surgery>().AnyAsync(s => s.SubjectId == subject.Id, ct)) subject.ProtocolNumber = "2";
        else subject.ProtocolNumber = "1";
    }

    /// <summary>
    /// Surgery.save, after the write: protocol number; a Mild (2) actual severity becomes Moderate (3); an acute or
    /// non-recovery surgery that ended sets the death date when there is none. The subject's own save then keeps a
    /// recorded cull on the death date. (It does not close open restrictions, spec 11 §3.1.)
    /// </summary>
    public static async Task AfterSurgerySaveAsync(AlyxDb db, AlyxClock clock, Surgery surgery, Subject subject, CancellationToken ct)
    {
        await SetProtocolNumberAsync(db, clock, subject, ct);
        if (subject.ActualSeverity == 2) subject.ActualSeverity = 3;
        if (surgery.OutcomeType is "a" or "n" && surgery.EndTime is { } end && subject.DeathDate is null)
        {
            subject.DeathDate = DateOnly.FromDateTime(end);
            var cull = await db.Set<Cull>().SingleOrDefaultAsync(c => c.SubjectId == subject.Id, ct);
            if (cull is not null && cull.Date != subject.DeathDate) cull.Date = subject.DeathDate.Value;
        }
    }
}
