using System.Linq.Expressions;
using System.Text.Json.Serialization;
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
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        new Resource<Lab, LabItem>
        {
            Path = "labs",
            Model = "Lab",
            Slug = ("name", l => l.Name),
            Serializer = Serializer,
            Ordered = db => db.Labs.OrderBy(l => l.Name).ThenBy(l => l.Id),
            Item = Item,
            Filters = Filters,
            Unique = [new("name", l => l.Name, "lab with this name already exists.")],
            ForUpdate = q => q.Include(l => l.Repositories),
            Defaults = w => w.Entity.Timezone = clock.Zone.Id,
            Write = w => w
                .Text("institution", (l, v) => l.Institution = v)
                .Text("address", (l, v) => l.Address = v)
                .Text("timezone", (l, v) => l.Timezone = v)
                .Value<double>("reference_weight_pct", (l, v) => l.ReferenceWeightPct = v)
                .Value<double>("zscore_weight_pct", (l, v) => l.ZscoreWeightPct = v)
                .RefsAsync("repositories", w.Db.DataRepositories, r => r.Name, "name", (l, v) => l.Repositories = v),
        }.Map(routes);
    }
}
