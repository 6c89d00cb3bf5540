using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
using Alyx.Subjects;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Misc;

/// <summary>/users and /users/{username} (Alyx: misc UserList / UserDetail).</summary>
static class UsersApi
{
    // Secrets and the auth tables stay out of every filter; the names remain accepted (and listed) but inert.
    static readonly FilterSet<LabMember> Filters = new FilterSet<LabMember>()
        .Generated()
        .Inert("password")
        .Inert("groups", "integer", many: true)
        .Inert("user_permissions", "integer", many: true)
        .Django();

    public static void MapUsersApi(this IEndpointRouteBuilder routes)
    {
        routes.Resource("users", "username")
            .List(db => db.Users.OrderBy(u => u.Username).ThenBy(u => u.Id),
                req => UserDtos.Item(req.HttpContext.RequestServices.GetRequiredService<AlyxClock>().Today), UserDtos.Serializer, Filters)
            .Create(CreateAsync, UserDtos.Serializer)
            .Retrieve(GetAsync, UserDtos.Serializer)
            .Update((string username, HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct) => UpdateAsync(username, req, db, clock, false, ct), UserDtos.Serializer)
            .PartialUpdate((string username, HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct) => UpdateAsync(username, req, db, clock, true, ct), UserDtos.Serializer)
            .Destroy((db, username) => db.Users.Where(u => u.Username == username), "LabMember");
    }

    static Task<UserItem?> ReadAsync(AlyxDb db, AlyxClock clock, Guid id, CancellationToken ct) =>
        db.Users.AsNoTracking().Where(u => u.Id == id).Select(UserDtos.Item(clock.Today)).SingleOrDefaultAsync(ct);

    static async Task<IResult> GetAsync(string username, AlyxDb db, AlyxClock clock, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Username == username).Select(UserDtos.Item(clock.Today)).SingleOrDefaultAsync(ct);
        return user is null ? AlyxResults.NotFound("LabMember") : AlyxResults.Ok(user);
    }

    static async Task<IResult> CreateAsync(HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct)
    {
        var user = new LabMember { DateJoined = clock.Now };
        var error = await ApplyAsync(user, req, db, partial: false, ct);
        if (error is not null) return error;
        return AlyxResults.Created(await ReadAsync(db, clock, user.Id, ct));
    }

    static async Task<IResult> UpdateAsync(string username, HttpRequest req, AlyxDb db, AlyxClock clock, bool partial, CancellationToken ct)
    {
        var user = await db.Users.Include(u => u.AllowedUsers).SingleOrDefaultAsync(u => u.Username == username, ct);
        if (user is null) return AlyxResults.NotFound("LabMember");
        var error = await ApplyAsync(user, req, db, partial, ct);
        return error ?? AlyxResults.Ok(await ReadAsync(db, clock, user.Id, ct));
    }

    /// <summary>Validates the body and writes the user, its delegates and its subjects in one transaction.</summary>
    static async Task<IResult?> ApplyAsync(LabMember user, HttpRequest req, AlyxDb db, bool partial, CancellationToken ct)
    {
        var (body, bodyError) = await RequestBody.ReadAsync(req, ct);
        if (bodyError is not null) return bodyError;
        var errors = new ErrorMap();
        var data = UserDtos.Serializer.Validate(body!, partial, errors);
        if (data.TryGet<string>("username", out var username) && !errors.Has("username")
            && await db.Users.AnyAsync(u => u.Username == username && u.Id != user.Id, ct))
            errors.Add("username", "A user with that username already exists.");
        List<Subject>? subjects = null;
        if (data.TryGet<List<string>>("subjects_responsible", out var nicknames))
            subjects = await Slugs.ResolveAsync(db.Subjects, s => s.Nickname, "nickname", nicknames!, "subjects_responsible", errors, ct);
        List<LabMember>? allowed = null;
        if (data.TryGet<List<string>>("allowed_users", out var usernames))
            allowed = await Slugs.ResolveAsync(db.Users, u => u.Username, "username", usernames!, "allowed_users", errors, ct);
        if (errors.Any) return AlyxResults.Validation(errors);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (username is not null) user.Username = username;
        if (data.TryGet<string>("email", out var email)) user.Email = email ?? "";
        if (data.TryGet<bool>("is_stock_manager", out var stock)) user.IsStockManager = stock;
        if (allowed is not null) user.AllowedUsers = allowed;
        if (db.Entry(user).State == EntityState.Detached) db.Users.Add(user);
        await db.SaveChangesAsync(ct);
        if (subjects is not null)
        {
            // Alyx: replace semantics on the reverse relation, as bulk updates (no subject save logic).
            var ids = subjects.Select(s => s.Id).ToList();
            await db.Subjects.Where(s => s.ResponsibleUserId == user.Id && !ids.Contains(s.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ResponsibleUserId, (Guid?)null), ct);
            await db.Subjects.Where(s => ids.Contains(s.Id)).ExecuteUpdateAsync(s => s.SetProperty(x => x.ResponsibleUserId, user.Id), ct);
        }
        await tx.CommitAsync(ct);
        return null;
    }
}
