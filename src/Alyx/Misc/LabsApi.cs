using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Alyx.Data;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Misc;

public sealed record LabItem(
    string Name,
    string Institution,
    string Address,
    string Timezone,
    List<string> Repositories,
    double ReferenceWeightPct,
    double ZscoreWeightPct,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json);

/// <summary>/labs and /labs/{name} (Alyx: misc LabList / LabDetail).</summary>
static class LabsApi
{
    public static readonly Serializer Serializer = new("Lab",
        new Field("name", FieldKind.String)
        {
            Required = true,
            AllowBlank = false,
            MaxLength = 255,
            Pattern = @"^\w+\z",
            PatternMessage = "Lab name must only contain letters, numbers, and underscores.",
        },
        new Field("institution", FieldKind.String) { MaxLength = 255 },
        new Field("address", FieldKind.String) { MaxLength = 255 },
        new Field("timezone", FieldKind.String) { MaxLength = 64 },
        new Field("repositories", FieldKind.SlugList) { Description = "Data repositories that files registered for this lab are copied to." },
        new Field("reference_weight_pct", FieldKind.Float),
        new Field("zscore_weight_pct", FieldKind.Float),
        new Field("json", FieldKind.Json) { Nullable = true, Description = "Structured data, formatted in a user-defined way" });

    static readonly FilterSet<Lab> Filters = new FilterSet<Lab>()
        .Generated()
        .Add(new ChoiceFilter<Lab>("light_cycle", "integer", ["0", "1"], v =>
        {
            var code = v == "1" ? 1 : 0;
            return l => l.LightCycle == code;
        }))
        .Django();

    static readonly Expression<Func<Lab, LabItem>> Item = l => new LabItem(l.Name, l.Institution, l.Address, l.Timezone,
        l.Repositories.OrderBy(r => r.Name).Select(r => r.Name).ToList(), l.ReferenceWeightPct, l.ZscoreWeightPct, l.Json);

    public static void MapLabsApi(this IEndpointRouteBuilder routes)
    {
        routes.Resource("labs", "name")
            .List(db => db.Labs.OrderBy(l => l.Name).ThenBy(l => l.Id), _ => Item, Serializer, Filters)
            .Create(CreateAsync, Serializer)
            .Retrieve(GetAsync, Serializer)
            .Update((string name, HttpRequest req, AlyxDb db, CancellationToken ct) => UpdateAsync(name, req, db, false, ct), Serializer)
            .PartialUpdate((string name, HttpRequest req, AlyxDb db, CancellationToken ct) => UpdateAsync(name, req, db, true, ct), Serializer)
            .Destroy((db, name) => db.Labs.Where(l => l.Name == name), "Lab");
    }

    static Task<LabItem?> ReadAsync(AlyxDb db, Guid id, CancellationToken ct) =>
        db.Labs.AsNoTracking().Where(l => l.Id == id).Select(Item).SingleOrDefaultAsync(ct);

    static async Task<IResult> GetAsync(string name, AlyxDb db, CancellationToken ct)
    {
        var lab = await db.Labs.AsNoTracking().Where(l => l.Name == name).Select(Item).SingleOrDefaultAsync(ct);
        return lab is null ? AlyxResults.NotFound("Lab") : AlyxResults.Ok(lab);
    }

    static async Task<IResult> CreateAsync(HttpRequest req, AlyxDb db, AlyxClock clock, CancellationToken ct)
    {
        var lab = new Lab { Timezone = clock.Zone.Id };
        var error = await ApplyAsync(lab, req, db, partial: false, ct);
        return error ?? AlyxResults.Created(await ReadAsync(db, lab.Id, ct));
    }

    static async Task<IResult> UpdateAsync(string name, HttpRequest req, AlyxDb db, bool partial, CancellationToken ct)
    {
        var lab = await db.Labs.Include(l => l.Repositories).SingleOrDefaultAsync(l => l.Name == name, ct);
        if (lab is null) return AlyxResults.NotFound("Lab");
        var error = await ApplyAsync(lab, req, db, partial, ct);
        return error ?? AlyxResults.Ok(await ReadAsync(db, lab.Id, ct));
    }

    static async Task<IResult?> ApplyAsync(Lab lab, HttpRequest req, AlyxDb db, bool partial, CancellationToken ct)
    {
        var (body, bodyError) = await RequestBody.ReadAsync(req, ct);
        if (bodyError is not null) return bodyError;
        var errors = new ErrorMap();
        var data = Serializer.Validate(body!, partial, errors);
        if (data.TryGet<string>("name", out var name) && !errors.Has("name") && await db.Labs.AnyAsync(l => l.Name == name && l.Id != lab.Id, ct))
            errors.Add("name", "lab with this name already exists.");
        List<DataRepository>? repositories = null;
        if (data.TryGet<List<string>>("repositories", out var repoNames))
            repositories = await Slugs.ResolveAsync(db.DataRepositories, r => r.Name, "name", repoNames!, "repositories", errors, ct);
        if (errors.Any) return AlyxResults.Validation(errors);

        if (name is not null) lab.Name = name;
        if (data.TryGet<string>("institution", out var institution)) lab.Institution = institution ?? "";
        if (data.TryGet<string>("address", out var address)) lab.Address = address ?? "";
        if (data.TryGet<string>("timezone", out var timezone)) lab.Timezone = timezone ?? "";
        if (data.TryGet<double>("reference_weight_pct", out var reference)) lab.ReferenceWeightPct = reference;
        if (data.TryGet<double>("zscore_weight_pct", out var zscore)) lab.ZscoreWeightPct = zscore;
        if (data.TryGet<string>("json", out var json)) lab.Json = json;
        if (repositories is not null) lab.Repositories = repositories;
        if (db.Entry(lab).State == EntityState.Detached) db.Labs.Add(lab);
        await db.SaveChangesAsync(ct);
        return null;
    }
}
