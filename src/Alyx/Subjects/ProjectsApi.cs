using System.Linq.Expressions;
using Alyx.Auth;
using Alyx.Database;
using Alyx.Http;
using Alyx.Misc;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Subjects;

public sealed record ProjectItem(string Name, string Description, List<string> Users);

/// <summary>/projects and /projects/{name} (Alyx: subjects ProjectList / ProjectDetail): no filters at all.</summary>
static class ProjectsApi
{
    public static readonly Serializer Serializer = new("Project",
        new Field("name", FieldKind.String) { Required = true, AllowBlank = false, MaxLength = 255 },
        new Field("description", FieldKind.String) { MaxLength = 1023 },
        new Field("users", FieldKind.SlugList) { Description = "Persons associated to the project." });

    static readonly Expression<Func<Project, ProjectItem>> Item = p =>
        new ProjectItem(p.Name, p.Description, p.Users.OrderBy(u => u.Username).Select(u => u.Username).ToList());

    public static void MapProjectsApi(this IEndpointRouteBuilder routes)
    {
        // Project has no default ordering; name then id keeps pages stable.
        routes.Resource("projects", "name")
            .List(db => db.Projects.OrderBy(p => p.Name).ThenBy(p => p.Id), _ => Item, Serializer)
            .Create(CreateAsync, Serializer)
            .Retrieve(GetAsync, Serializer)
            .Update((string name, HttpRequest req, AlyxDb db, CancellationToken ct) => UpdateAsync(name, req, db, false, ct), Serializer)
            .PartialUpdate((string name, HttpRequest req, AlyxDb db, CancellationToken ct) => UpdateAsync(name, req, db, true, ct), Serializer)
            .Destroy((db, name) => db.Projects.Where(p => p.Name == name), "Project");
    }

    static Task<ProjectItem> ReadAsync(AlyxDb db, Guid id, CancellationToken ct) =>
        db.Projects.AsNoTracking().Where(p => p.Id == id).Select(Item).SingleAsync(ct);

    static async Task<IResult> GetAsync(string name, AlyxDb db, CancellationToken ct)
    {
        var project = await db.Projects.AsNoTracking().Where(p => p.Name == name).Select(Item).SingleOrDefaultAsync(ct);
        return project is null ? AlyxResults.NotFound("Project") : AlyxResults.Ok(project);
    }

    static async Task<IResult> CreateAsync(HttpRequest req, AlyxDb db, CancellationToken ct)
    {
        var project = new Project();
        var error = await ApplyAsync(project, req, db, partial: false, ct);
        return error ?? AlyxResults.Created(await ReadAsync(db, project.Id, ct));
    }

    static async Task<IResult> UpdateAsync(string name, HttpRequest req, AlyxDb db, bool partial, CancellationToken ct)
    {
        var project = await db.Projects.Include(p => p.Users).SingleOrDefaultAsync(p => p.Name == name, ct);
        if (project is null) return AlyxResults.NotFound("Project");
        var error = await ApplyAsync(project, req, db, partial, ct);
        return error ?? AlyxResults.Ok(await ReadAsync(db, project.Id, ct));
    }

    static async Task<IResult?> ApplyAsync(Project project, HttpRequest req, AlyxDb db, bool partial, CancellationToken ct)
    {
        var (body, bodyError) = await RequestBody.ReadAsync(req, ct);
        if (bodyError is not null) return bodyError;
        var errors = new ErrorMap();
        var data = Serializer.Validate(body!, partial, errors);
        if (data.TryGet<string>("name", out var name) && !errors.Has("name")
            && await db.Projects.AnyAsync(p => p.Name == name && p.Id != project.Id, ct))
            errors.Add("name", "project with this name already exists.");
        List<LabMember>? users = null;
        if (data.TryGet<List<string>>("users", out var usernames))
            users = await Slugs.ResolveAsync(db.Users, u => u.Username, "username", usernames!, "users", errors, ct);
        else if (!partial)
        {
            // Quirk S11: the original saved the row then failed with a 500 (CurrentUserDefault is not a list).
            var me = req.HttpContext.RequiredUser().Id;
            users = await db.Users.Where(u => u.Id == me).ToListAsync(ct);
        }
        if (errors.Any) return AlyxResults.Validation(errors);

        if (name is not null) project.Name = name;
        if (data.TryGet<string>("description", out var description)) project.Description = description ?? "";
        if (users is not null) project.Users = users;
        if (db.Entry(project).State == EntityState.Detached) db.Projects.Add(project);
        await db.SaveChangesAsync(ct);
        return null;
    }
}
