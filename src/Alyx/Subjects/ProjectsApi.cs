using System.Linq.Expressions;
using Alyx.Http;
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

    public static void MapProjectsApi(this IEndpointRouteBuilder routes) => new Resource<Project, ProjectItem>
    {
        Path = "projects",
        Model = "Project",
        Slug = ("name", p => p.Name),
        Serializer = Serializer,
        // Project has no default ordering; name then id keeps pages stable.
        Ordered = db => db.Projects.OrderBy(p => p.Name).ThenBy(p => p.Id),
        Item = Item,
        Filters = null,
        Unique = [new("name", p => p.Name, "project with this name already exists.")],
        ForUpdate = q => q.Include(p => p.Users),
        Write = async w =>
        {
            w.Text("description", (p, v) => p.Description = v);
            var users = await w.RefsAsync("users", w.Db.Users, u => u.Username, "username", (p, v) => p.Users = v);
            // Quirk S11: the original saved the row then failed with a 500 (CurrentUserDefault is not a list).
            if (users is null && !w.Partial && !w.Data.Has("users"))
                w.Entity.Users = await w.Db.Users.Where(u => u.Id == w.User.Id).ToListAsync(w.Ct);
        },
    }.Map(routes);
}
