using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
using Markdig;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Data;

public sealed record DataNoticeItem(
    Guid Id,
    string? CreatedBy,
    List<Guid> Datasets,
    string DescriptionHtml,
    string Name,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json,
    string Description,
    int Importance,
    DateTime CreatedDatetime,
    string VersionAffected,
    DateOnly? AffectedDateStart,
    DateOnly? AffectedDateEnd);

/// <summary>/data-notices and /data-notices/{id} (spec 30 §3.14).</summary>
static class DataNoticesApi
{
    static readonly string[] Importances = [.. DataNoticeImportance.All.Select(i => i.Code.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    public static readonly Serializer Serializer = new("DataNotice",
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        new Field("created_by", FieldKind.Slug) { Nullable = true },
        new Field("datasets", FieldKind.SlugList),
        new Field("description_html", FieldKind.String) { ReadOnly = true, Description = "The description rendered from Markdown to HTML." },
        new Field("name", FieldKind.String) { MaxLength = 255 },
        new Field("json", FieldKind.Json) { Nullable = true, Description = "Structured data, formatted in a user-defined way" },
        new Field("description", FieldKind.String),
        new Field("importance", FieldKind.Choice)
        {
            AllowBlank = false,
            Choices = Importances,
            ReadType = "integer",
            Description = string.Join(" / ", DataNoticeImportance.All.Select(i => $"{i.Code}: {i.Name}")),
        },
        new Field("created_datetime", FieldKind.DateTime) { ReadOnly = true },
        new Field("version_affected", FieldKind.String) { MaxLength = 64 },
        new Field("affected_date_start", FieldKind.Date) { Nullable = true },
        new Field("affected_date_end", FieldKind.Date) { Nullable = true });

    static readonly FilterSet<DataNotice> Filters = new FilterSet<DataNotice>()
        .Generated("json", "description", "created_datetime", "id")
        .Add(new ChoiceFilter<DataNotice>("importance", "integer", Importances, v =>
        {
            var code = int.Parse(v, System.Globalization.CultureInfo.InvariantCulture);
            return n => n.Importance == code;
        }))
        .Add(new FilterDoc("datasets", "string", Description: "Comma-separated dataset UUIDs: notices linked to any of them."), (q, v, errors) =>
        {
            var ids = new List<Guid>();
            foreach (var part in v.Split(','))
            {
                if (part.Trim().Length == 0) continue;
                if (!Guid.TryParse(part.Trim(), out var id))
                {
                    errors.Add("datasets", "Enter a valid UUID.");
                    return q;
                }
                ids.Add(id);
            }
            return q.Where(n => n.Datasets.Any(d => ids.Contains(d.Id)));
        })
        .Add(new FilterDoc("dataset_tag", "string", Description: "Notices linked to at least one dataset carrying this tag."),
            (q, v, _) => q.Where(n => n.Datasets.Any(d => d.Tags.Any(t => t.Name == v))))
        .Django();

    static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder()
        .UseAbbreviations().UseFootnotes().UsePipeTables().UseDefinitionLists().UseGenericAttributes().Build();

    /// <summary>The description as HTML (Python-Markdown's "extra" set: tables, footnotes, abbreviations, definition lists, attributes).</summary>
    public static string Html(string description) =>
        description.Length == 0 ? "" : Markdig.Markdown.ToHtml(description, Markdown).TrimEnd('\n');

    static readonly Expression<Func<DataNotice, DataNoticeItem>> Item = n => new DataNoticeItem(n.Id, n.CreatedBy!.Username,
        n.Datasets.OrderBy(d => d.Id).Select(d => d.Id).ToList(), "", n.Name, n.Json, n.Description, n.Importance, n.CreatedDatetime,
        n.VersionAffected, n.AffectedDateStart, n.AffectedDateEnd);

    static Task Render(AlyxDb db, List<DataNoticeItem> rows, CancellationToken ct)
    {
        for (var i = 0; i < rows.Count; i++) rows[i] = rows[i] with { DescriptionHtml = Html(rows[i].Description) };
        return Task.CompletedTask;
    }

    public static void MapDataNoticesApi(this IEndpointRouteBuilder routes)
    {
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        new Resource<DataNotice, DataNoticeItem>
        {
            Path = "data-notices",
            Model = "DataNotice",
            Serializer = Serializer,
            // Meta ordering ('-importance', '-created_datetime', 'name'), ties by id.
            Ordered = db => db.DataNotices.OrderByDescending(n => n.Importance).ThenByDescending(n => n.CreatedDatetime)
                .ThenBy(n => n.Name).ThenBy(n => n.Id),
            Item = Item,
            Enrich = Render,
            Filters = Filters,
            ForUpdate = q => q.Include(n => n.Datasets),
            Defaults = w => w.Entity.CreatedDatetime = clock.Now,
            Write = WriteAsync,
        }.Map(routes);
    }

    static async Task WriteAsync(ResourceWrite<DataNotice> w)
    {
        w.Text("description", (e, v) => e.Description = v)
            .Code("importance", (e, v) => e.Importance = v ?? DataNoticeImportance.Insignificant)
            .Text("version_affected", (e, v) => e.VersionAffected = v)
            .Value<DateOnly?>("affected_date_start", (e, v) => e.AffectedDateStart = v)
            .Value<DateOnly?>("affected_date_end", (e, v) => e.AffectedDateEnd = v);
        if (w.Data.Has("created_by"))
            await w.RefAsync("created_by", w.Db.Users, u => u.Username, "username", (e, u) => e.CreatedById = u?.Id);
        if (w.Data.TryGet<List<string>>("datasets", out var keys))
        {
            var ids = new List<Guid>();
            foreach (var key in keys ?? [])
            {
                if (Guid.TryParse(key.Trim(), out var id)) ids.Add(id);
                else w.Errors.Add("datasets", $"\u201c{key}\u201d is not a valid UUID.");
            }
            if (!w.Errors.Has("datasets"))
            {
                var found = await w.Db.Datasets.Where(d => ids.Contains(d.Id)).ToListAsync(w.Ct);
                foreach (var missing in ids.Where(id => found.All(d => d.Id != id)).Distinct())
                    w.Errors.Add("datasets", $"Object with pk={missing} does not exist.");
                if (!w.Errors.Has("datasets")) w.Entity.Datasets = found;
            }
        }
        // Serializer.validate: the stored value stands in for a date the request does not give.
        if (!w.Errors.Has("affected_date_start") && !w.Errors.Has("affected_date_end")
            && w.Entity.AffectedDateStart is { } start && w.Entity.AffectedDateEnd is { } end && end < start)
            w.Errors.Add("affected_date_end", "affected_date_end must be on or after affected_date_start.");
    }
}
