using Alyx.Database;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>/procedures — alyx/actions/views.py ProcedureTypeList (spec 20-actions §6.9): list and create, no filters, no detail route.</summary>
static class ProceduresApi
{
    public static void MapProceduresApi(this IEndpointRouteBuilder routes)
    {
        // No order upstream: by name, then id, for stable pages.
        routes.Resource("procedures", "name")
            .List(db => db.Set<ProcedureType>().OrderBy(p => p.Name).ThenBy(p => p.Id), _ => ActionDtos.ProcedureItem, ActionDtos.Procedure)
            .Create(CreateAsync, ActionDtos.Procedure);
    }

    static async Task<IResult> CreateAsync(HttpRequest req, AlyxDb db, CancellationToken ct)
    {
        var (body, bodyError) = await RequestBody.ReadAsync(req, ct);
        if (bodyError is not null) return bodyError;
        var errors = new ErrorMap();
        var data = ActionDtos.Procedure.Validate(body!, partial: false, errors);
        if (errors.Any) return ActionDtos.Invalid(ActionDtos.Procedure, errors);
        var procedure = new ProcedureType
        {
            Name = data.Get<string>("name")!,
            Json = data.Get<string>("json"),
            Description = data.Get<string>("description") ?? "",
        };
        db.Add(procedure);
        await db.SaveChangesAsync(ct);
        return AlyxResults.Created(await db.Set<ProcedureType>().AsNoTracking().Where(p => p.Id == procedure.Id).Select(ActionDtos.ProcedureItem).SingleAsync(ct));
    }
}
