using Alyx.Actions;
using Alyx.Database;
using Alyx.Subjects;

namespace Alyx.Admin.Actions;

/// <summary>
/// Who may write from the <c>/admin-actions/</c> pages: the generic pages' rules (<see cref="AdminPermissions"/>, conventions
/// §6.3), in one place. Their writes are about a subject (today's weight and water, starting a water restriction), so the
/// user must be allowed to change that subject: superusers; members of a husbandry group; with the "Lab members" model
/// permission, the subject's responsible user and the users they allow. Ending a restriction is also allowed to those who
/// may change the restriction itself (its own users). Public users never.
/// </summary>
public static class ActionPermissions
{
    public const string Refusal =
        "Only superusers, husbandry staff, the subject's responsible user and the users they allow may change this subject's weight, water and restrictions.";

    static AdminModel Model<T>(HttpContext http, AlyxDb db) =>
        http.RequestServices.GetRequiredService<AdminModels>().For(db.Model, typeof(T))
        ?? throw new InvalidOperationException($"The admin has no {typeof(T).Name} pages.");

    /// <summary>The generic change rule on the subject <paramref name="subjectId"/>.</summary>
    public static Task<bool> MayChangeSubjectAsync(HttpContext http, AlyxDb db, Guid subjectId, CancellationToken ct) =>
        AdminPermissions.CanChangeAsync(http, Model<Subject>(http, db), db, subjectId, ct);

    /// <summary>The subjects among <paramref name="subjectIds"/> the user may change (the today page's entry forms), in one query.</summary>
    public static Task<HashSet<Guid>> ChangeableSubjectsAsync(HttpContext http, AlyxDb db, IReadOnlyCollection<Guid> subjectIds, CancellationToken ct) =>
        AdminPermissions.ChangeableAsync(http, Model<Subject>(http, db), db, subjectIds, ct);

    /// <summary>Ending a restriction: the subject's rule, or the generic change rule on the restriction (its users).</summary>
    public static async Task<bool> MayEndRestrictionAsync(HttpContext http, AlyxDb db, Guid subjectId, Guid restrictionId, CancellationToken ct) =>
        await MayChangeSubjectAsync(http, db, subjectId, ct)
        || await AdminPermissions.CanChangeAsync(http, Model<WaterRestriction>(http, db), db, restrictionId, ct);
}
