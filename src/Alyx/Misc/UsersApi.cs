using Alyx.Filtering;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Misc;

/// <summary>/users and /users/{username} (Alyx: misc UserList / UserDetail).</summary>
static class UsersApi
{
    // Secrets and the permissions table stay out of every filter; the names remain accepted (and listed) but inert.
    static readonly FilterSet<LabMember> Filters = new FilterSet<LabMember>()
        .Generated()
        .Inert("password")
        .Add(new GroupsFilter())
        .Inert("user_permissions", "integer", many: true)
        .Django();

    public static void MapUsersApi(this IEndpointRouteBuilder routes)
    {
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        new Resource<LabMember, UserItem>
        {
            Path = "users",
            Model = "LabMember",
            Slug = ("username", u => u.Username),
            Serializer = UserDtos.Serializer,
            Ordered = db => db.Users.OrderBy(u => u.Username).ThenBy(u => u.Id),
            ItemFor = _ => UserDtos.Item(clock.Today),
            Filters = Filters,
            Unique = [new("username", u => u.Username, "A user with that username already exists.")],
            ForUpdate = q => q.Include(u => u.AllowedUsers),
            Defaults = w => w.Entity.DateJoined = clock.Now,
            Write = WriteAsync,
        }.Map(routes);
    }

    /// <summary>The user, its delegates and (after the save, in the same transaction) the subjects it is responsible for.</summary>
    static async Task WriteAsync(ResourceWrite<LabMember> w)
    {
        w.Text("username", (u, v) => u.Username = v).Text("email", (u, v) => u.Email = v).Value<bool>("is_stock_manager", (u, v) => u.IsStockManager = v);
        await w.RefsAsync("allowed_users", w.Db.Users, u => u.Username, "username", (u, v) => u.AllowedUsers = v);
        var subjects = await w.RefsAsync("subjects_responsible", w.Db.Subjects, s => s.Nickname, "nickname");
        if (subjects is null) return;
        // Alyx: replace semantics on the reverse relation, as bulk updates (no subject save logic).
        var ids = subjects.Select(s => s.Id).ToList();
        w.OnSaved(async () =>
        {
            var id = w.Entity.Id;
            await w.Db.Subjects.Where(s => s.ResponsibleUserId == id && !ids.Contains(s.Id))
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.ResponsibleUserId, (Guid?)null), w.Ct);
            await w.Db.Subjects.Where(s => ids.Contains(s.Id)).ExecuteUpdateAsync(s => s.SetProperty(x => x.ResponsibleUserId, id), w.Ct);
        });
    }
}

/// <summary>
/// <c>groups</c> (django-filter's ModelMultipleChoiceFilter over auth groups): users in any of the given group ids. A value
/// Python's <c>int()</c> refuses is "“x” is not a valid value."; a value naming no group as written ("03" finds group 3, but
/// Django compares the keys' text) is "Select a valid choice. x is not one of the available choices.".
/// </summary>
sealed partial class GroupsFilter : IFilter<LabMember>
{
    public FilterDoc Doc { get; } = new("groups", "integer", Many: true);

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*[+-]?[0-9]+(_[0-9]+)*\s*$")]
    private static partial System.Text.RegularExpressions.Regex PythonInt();

    public async ValueTask<IQueryable<LabMember>> ApplyAsync(FilterContext context, IQueryable<LabMember> query, IReadOnlyList<string> values, ErrorMap errors)
    {
        foreach (var v in values)
        {
            if (PythonInt().IsMatch(v)) continue;
            errors.Add("groups", $"“{v}” is not a valid value.");
            return query;
        }
        var ids = new List<int>();
        foreach (var v in values)
        {
            var n = System.Numerics.BigInteger.Parse(v.Trim().Replace("_", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
            if (n >= int.MinValue && n <= int.MaxValue) ids.Add((int)n);
        }
        var found = (await context.Db.Groups.Where(g => ids.Contains(g.Id)).Select(g => g.Id).ToListAsync(context.CancellationToken))
            .Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
        var missing = values.FirstOrDefault(v => !found.Contains(v));
        if (missing is not null)
        {
            errors.Add("groups", $"Select a valid choice. {missing} is not one of the available choices.");
            return query;
        }
        // EXISTS: each user once (Django's distinct), and the list keeps its order, which DISTINCT after ORDER BY does not.
        return query.Where(u => u.Groups.Any(g => ids.Contains(g.Id)));
    }
}
