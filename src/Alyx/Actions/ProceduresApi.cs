using Alyx.Http;

namespace Alyx.Actions;

/// <summary>/procedures — alyx/actions/views.py ProcedureTypeList (spec 20-actions §6.9): list and create, no filters, no detail route.</summary>
static class ProceduresApi
{
    public static void MapProceduresApi(this IEndpointRouteBuilder routes) => new Resource<ProcedureType, ProcedureItem>
    {
        Path = "procedures",
        Model = "ProcedureType",
        Slug = ("name", p => p.Name),
        Serializer = ActionDtos.Procedure,
        // No order upstream: by name, then id, for stable pages.
        Ordered = db => db.Set<ProcedureType>().OrderBy(p => p.Name).ThenBy(p => p.Id),
        Item = ActionDtos.ProcedureItem,
        Filters = null,
        Verbs = Verbs.ListCreate,
        Write = w => Task.FromResult(w.Text("description", (p, v) => p.Description = v)),
    }.Map(routes);
}
