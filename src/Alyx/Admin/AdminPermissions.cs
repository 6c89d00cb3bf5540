using System.Linq.Expressions;
using Alyx.Auth;
using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Admin;

/// <summary>The user's Django auth groups as the admin reads them: "Lab members" (model permissions) and husbandry groups.</summary>
public sealed record AdminRoles(bool LabMember, bool Husbandry)
{
    public static readonly AdminRoles None = new(false, false);
}

/// <summary>
/// Who may do what in the admin (conventions §6.3, Alyx's BaseAdmin and its "Lab members" group). Superusers hold every
/// permission; other staff hold the model permissions of the "Lab members" group when they are in it (<c>alyx
/// set-db-permissions</c> creates it and puts every user in it), and none otherwise.
/// </summary>
public static class AdminPermissions
{
    /// <summary>The group Alyx's set_db_permissions command creates.</summary>
    public const string LabMembersGroup = "Lab members";

    /// <summary>Lab members may delete only these models.</summary>
    static readonly HashSet<string> MemberDeletes =
        ["actions.surgery", "actions.wateradministration", "actions.waterrestriction", "actions.weighing", "subjects.subjectrequest"];

    /// <summary>Lab members may not add or change these models (nor Django's auth groups; permissions have no pages here).</summary>
    static readonly HashSet<string> MemberReadOnly = ["subjects.project", "data.datasettype", "auth.group"];

    /// <summary>Models members of a husbandry group may change whoever their owners are.</summary>
    static readonly HashSet<Type> HusbandryModels = [typeof(Subject), typeof(Litter), typeof(BreedingPair)];

    const string RolesKey = "Alyx.AdminRoles";

    static string Label(AdminModel model) => model.App + "." + model.Name;

    /// <summary>The endpoint filter of the admin route groups: reads the signed-in user's groups once per request.</summary>
    public static async ValueTask<object?> RolesFilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.CurrentUser() is { IsSuperuser: false } user)
            http.Items[RolesKey] = await RolesAsync(http.RequestServices.GetRequiredService<AlyxDb>(), user.Id, http.RequestAborted);
        return await next(context);
    }

    /// <summary>Whether <paramref name="userId"/> is in "Lab members", and in a group whose name contains "husbandry" (any case).</summary>
    public static async Task<AdminRoles> RolesAsync(AlyxDb db, Guid userId, CancellationToken ct)
    {
        var names = await db.Users.AsNoTracking().Where(u => u.Id == userId).SelectMany(u => u.Groups).Select(g => g.Name).ToListAsync(ct);
        return new AdminRoles(names.Contains(LabMembersGroup, StringComparer.Ordinal),
            names.Exists(n => n.Contains("husbandry", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>The roles <see cref="RolesFilterAsync"/> read for this request (none outside the admin route groups).</summary>
    public static AdminRoles Roles(this HttpContext http) => http.Items[RolesKey] as AdminRoles ?? AdminRoles.None;

    /// <summary>Django's has_module_permission / has_view_permission: the model's pages are listed and open.</summary>
    public static bool CanView(HttpContext http) => http.RequiredUser().IsSuperuser || http.Roles().LabMember;

    public static bool CanAdd(HttpContext http, AdminModel model)
    {
        var user = http.RequiredUser();
        return !user.IsPublicUser && model.CanCreate && (user.IsSuperuser || http.Roles().LabMember && !MemberReadOnly.Contains(Label(model)));
    }

    /// <summary>Deletion is a model permission in Django's admin, whatever delete route the REST API offers.</summary>
    public static bool CanDelete(HttpContext http, AdminModel model)
    {
        var user = http.RequiredUser();
        return !user.IsPublicUser && (user.IsSuperuser || http.Roles().LabMember && MemberDeletes.Contains(Label(model)));
    }

    /// <summary>
    /// Alyx's BaseAdmin.has_change_permission for one object: superusers always; members of a husbandry group any subject,
    /// litter or breeding pair; then the object's subject (the object itself when it has a responsible user, else its
    /// session's subject, else its subject; none: refused), and the user must be that subject's responsible user or one of
    /// their allowed users, or the object's responsible user, user or one of its users. The model permission (Lab members)
    /// comes first. Users' accounts: only superusers change other users' accounts; a user may change their own.
    /// </summary>
    public static async Task<bool> CanChangeAsync(HttpContext http, AdminModel model, AlyxDb db, object key, CancellationToken ct)
    {
        var user = http.RequiredUser();
        if (user.IsPublicUser || !model.CanUpdate) return false;
        if (user.IsSuperuser) return true;
        var roles = http.Roles();
        if (!roles.LabMember || MemberReadOnly.Contains(Label(model))) return false;
        // The owner rules below read a subject: integer-keyed models (groups, brain regions) have none.
        if (key is not Guid id) return false;
        if (model.Resource.Entity == typeof(LabMember)) return id == user.Id;
        if (roles.Husbandry && HusbandryModels.Contains(model.Resource.Entity)) return true;
        var row = await model.Resource.Accept(new OwnersVisitor(db, id, user.Id, ct));
        if (row is null || !row.HasSubject) return false;
        if (row.SubjectResponsible == user.Id || row.ObjectResponsible == user.Id || row.ObjectUser == user.Id || row.InUsers) return true;
        if (row.SubjectResponsible is not { } responsible) return false;
        return await db.Users.Where(u => u.Id == responsible).SelectMany(u => u.AllowedUsers).AnyAsync(a => a.Id == user.Id, ct);
    }

    /// <summary>
    /// <see cref="CanChangeAsync"/> for many objects of one model (the rows of an inline) in one query, plus one for the
    /// allowed users when needed: the ids the user may change.
    /// </summary>
    public static async Task<HashSet<Guid>> ChangeableAsync(HttpContext http, AdminModel model, AlyxDb db, IReadOnlyCollection<Guid> ids,
        CancellationToken ct)
    {
        var user = http.RequiredUser();
        if (ids.Count == 0 || user.IsPublicUser || !model.CanUpdate) return [];
        if (user.IsSuperuser) return [.. ids];
        var roles = http.Roles();
        if (!roles.LabMember || MemberReadOnly.Contains(Label(model))) return [];
        if (model.Resource.Entity == typeof(LabMember)) return ids.Where(id => id == user.Id).ToHashSet();
        if (roles.Husbandry && HusbandryModels.Contains(model.Resource.Entity)) return [.. ids];
        var rows = await model.Resource.Accept(new ManyOwnersVisitor(db, ids, user.Id, ct));
        var changeable = rows.Where(r => r.HasSubject && (r.SubjectResponsible == user.Id || r.ObjectResponsible == user.Id || r.ObjectUser == user.Id || r.InUsers))
            .Select(r => r.Id).ToHashSet();
        var others = rows.Where(r => r.HasSubject && !changeable.Contains(r.Id) && r.SubjectResponsible is not null).ToList();
        if (others.Count == 0) return changeable;
        var responsibles = others.Select(r => r.SubjectResponsible!.Value).Distinct().ToList();
        var allowing = await db.Users.Where(u => responsibles.Contains(u.Id) && u.AllowedUsers.Any(a => a.Id == user.Id)).Select(u => u.Id).ToListAsync(ct);
        changeable.UnionWith(others.Where(r => allowing.Contains(r.SubjectResponsible!.Value)).Select(r => r.Id));
        return changeable;
    }

    /// <summary>Alyx's SubjectAdmin: only superusers, stock managers, or the current responsible user may change a subject's responsible user.</summary>
    public static async Task<bool> CanChangeResponsibleUserAsync(CurrentUser user, AlyxDb db, Guid? currentResponsible, CancellationToken ct) =>
        user.IsSuperuser || currentResponsible == user.Id || await db.Users.AnyAsync(u => u.Id == user.Id && u.IsStockManager, ct);

    public sealed class Owners
    {
        public Guid Id { get; set; }
        public bool HasSubject { get; set; }
        public Guid? SubjectResponsible { get; set; }
        public Guid? ObjectResponsible { get; set; }
        public Guid? ObjectUser { get; set; }
        public bool InUsers { get; set; }
    }

    sealed class OwnersVisitor(AlyxDb db, Guid id, Guid userId, CancellationToken ct) : IResourceVisitor<Task<Owners?>>
    {
        public Task<Owners?> Visit<T, TList, TDetail>(Resource<T, TList, TDetail> resource)
            where T : class, IEntity, new() where TList : class where TDetail : class =>
            db.Set<T>().AsNoTracking().Where(e => e.Id == id).Select(Projection<T>(userId)).FirstOrDefaultAsync(ct)!;
    }

    sealed class ManyOwnersVisitor(AlyxDb db, IReadOnlyCollection<Guid> ids, Guid userId, CancellationToken ct) : IResourceVisitor<Task<List<Owners>>>
    {
        public Task<List<Owners>> Visit<T, TList, TDetail>(Resource<T, TList, TDetail> resource)
            where T : class, IEntity, new() where TList : class where TDetail : class
        {
            var list = ids.ToList();
            return db.Set<T>().AsNoTracking().Where(e => list.Contains(e.Id)).Select(Projection<T>(userId)).ToListAsync(ct);
        }
    }

    static Expression<Func<T, Owners>> Projection<T>(Guid userId)
    {
        var p = Expression.Parameter(typeof(T), "e");
        var type = typeof(T);
        Expression no = Expression.Constant(null, typeof(Guid?));
        Expression Guid(string path) => Expression.Convert(Paths.Access(p, path), typeof(Guid?));
        Expression NotNull(string path) => Expression.NotEqual(Paths.Access(p, path), Expression.Constant(null, Paths.Access(p, path).Type));
        Expression hasSubject, subjectResponsible;
        if (Paths.Exists(type, "ResponsibleUserId"))
        {
            hasSubject = Expression.Constant(true);
            subjectResponsible = Guid("ResponsibleUserId");
        }
        else
        {
            // getattr(obj, 'session', None) first, then obj.subject.
            var viaSession = Paths.Exists(type, "Session.Subject") ? NotNull("Session") : Expression.Constant(false);
            var viaSubject = Paths.Exists(type, "Subject") && Paths.Access(p, "Subject").Type.Name == "Subject" ? NotNull("Subject") : Expression.Constant(false);
            hasSubject = Expression.OrElse(viaSession, viaSubject);
            subjectResponsible = Expression.Condition(viaSession,
                Paths.Exists(type, "Session.Subject") ? Guid("Session.Subject.ResponsibleUserId") : no,
                Expression.Condition(viaSubject, viaSubject is ConstantExpression { Value: false } ? no : Guid("Subject.ResponsibleUserId"), no));
        }
        var objectResponsible = Paths.Exists(type, "ResponsibleUserId") ? Guid("ResponsibleUserId") : no;
        var objectUser = Paths.Exists(type, "UserId") && type.GetProperty("User")?.PropertyType == typeof(LabMember) ? Guid("UserId") : no;
        Expression inUsers = Expression.Constant(false);
        if (type.GetProperty("Users")?.PropertyType == typeof(List<LabMember>))
        {
            var u = Expression.Parameter(typeof(LabMember), "u");
            var match = Expression.Lambda<Func<LabMember, bool>>(Expression.Equal(Expression.Property(u, nameof(LabMember.Id)),
                Filtering.Expr.Param(userId, typeof(Guid))), u);
            inUsers = Expression.Call(typeof(Enumerable), nameof(Enumerable.Any), [typeof(LabMember)], Expression.Property(p, "Users"), match);
        }
        var init = Expression.MemberInit(Expression.New(typeof(Owners)),
            Expression.Bind(typeof(Owners).GetProperty(nameof(Owners.Id))!, Expression.Property(p, nameof(IEntity.Id))),
            Expression.Bind(typeof(Owners).GetProperty(nameof(Owners.HasSubject))!, hasSubject),
            Expression.Bind(typeof(Owners).GetProperty(nameof(Owners.SubjectResponsible))!, subjectResponsible),
            Expression.Bind(typeof(Owners).GetProperty(nameof(Owners.ObjectResponsible))!, objectResponsible),
            Expression.Bind(typeof(Owners).GetProperty(nameof(Owners.ObjectUser))!, objectUser),
            Expression.Bind(typeof(Owners).GetProperty(nameof(Owners.InUsers))!, inUsers));
        return Expression.Lambda<Func<T, Owners>>(init, p);
    }
}
