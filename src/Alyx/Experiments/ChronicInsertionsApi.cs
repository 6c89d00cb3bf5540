using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Alyx.Actions;
using Alyx.Filtering;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Experiments;

/// <summary>An insertion nested in a chronic insertion: here <c>model</c> is the probe model's long name, as the original shows it.</summary>
public sealed record ChronicProbe(Guid Id, string Name, string? Model, string Serial, InsertionSessionInfo? SessionInfo);

/// <summary>A chronic insertion in /chronic-insertions (list and detail alike).</summary>
public sealed record ChronicInsertionItem(
    Guid Id,
    string Name,
    string? Subject,
    string? Lab,
    string? Model,
    DateTime? StartTime,
    string Serial,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json,
    List<ChronicProbe> ProbeInsertion);

/// <summary>
/// /chronic-insertions and /chronic-insertions/{id} (Alyx: experiments ChronicInsertionList / Detail, spec 40 §4.2). A create writes
/// the ChronicRecording parent row and the child row with the same key; a delete removes both. The nested insertions come in the
/// same query (the original runs queries per row, Alyx issue 894).
/// </summary>
static class ChronicInsertionsApi
{
    public static readonly Serializer Serializer = new("ChronicInsertion",
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        new Field("name", FieldKind.String) { MaxLength = 255 },
        new Field("subject", FieldKind.Slug) { Description = "Subject nickname (required on create)." },
        new Field("lab", FieldKind.Slug) { Description = "Lab name." },
        new Field("model", FieldKind.Slug) { Description = "Probe model (probe_model, e.g. 3B2)." },
        new Field("start_time", FieldKind.DateTime) { Nullable = true },
        new Field("serial", FieldKind.String) { MaxLength = 255 },
        new Field("json", FieldKind.Json) { Nullable = true },
        new Field("probe_insertion", FieldKind.Json) { ReadOnly = true, ReadType = "array" });

    static readonly Expression<Func<ChronicInsertion, ChronicInsertionItem>> Item = c => new ChronicInsertionItem(
        c.Id,
        c.Recording!.Name,
        c.Recording.Subject == null ? null : c.Recording.Subject.Nickname,
        c.Recording.Lab == null ? null : c.Recording.Lab.Name,
        c.Model == null ? null : c.Model.Model,
        c.Recording.StartTime,
        c.Serial,
        c.Recording.Json,
        c.ProbeInsertions.OrderByDescending(p => p.Session!.StartTime).ThenBy(p => p.Name).ThenBy(p => p.Id).Select(p => new ChronicProbe(
            p.Id,
            p.Name,
            p.Model == null ? null : p.Model.Name,
            p.Serial,
            p.Session == null ? null : new InsertionSessionInfo(
                p.Session.Subject!.Nickname,
                p.Session.StartTime,
                p.Session.Number,
                p.Session.Lab == null ? null : p.Session.Lab.Name,
                p.Session.Id,
                p.Session.Projects.OrderBy(x => x.Name).Select(x => x.Name).ToList(),
                p.Session.TaskProtocol))).ToList());

    static readonly Lazy<FilterSet<ChronicInsertion>> Filters = new(() => new FilterSet<ChronicInsertion>()
        .Generated("model")
        .Add(Text("name", "recording__name", "Name."))
        .Add(Text("subject", "recording__subject__nickname", "Subject nickname."))
        .Add(Text("lab", "recording__lab__name", "Lab name."))
        .Add(Text("narrative", "recording__narrative", "Narrative."))
        .Add(new FilterDoc("model", "string", Description: "Probe model: long name (Neuropixel 3B2) or probe_model (3B2)."), (q, raw, _) =>
        {
            var model = raw.Trim();
            return q.Where(c => c.Model != null && (c.Model.Name == model || c.Model.Model == model));
        })
        .Add(Uuid("probe", id => c => c.ProbeInsertions.Any(p => p.Id == id)))
        .Add(Uuid("session", id => c => c.ProbeInsertions.Any(p => p.SessionId == id)))
        .Atlas<ChronicInsertion>(t => c => c.TrajectoryEstimates.AsQueryable().Any(t))
        .Django());

    static LookupFilter<ChronicInsertion> Text(string name, string path, string description) =>
        new(new FilterDoc(name, "string", Description: description), path);

    static IFilter<ChronicInsertion> Uuid(string name, Func<Guid, Expression<Func<ChronicInsertion, bool>>> match) =>
        new UuidFilter(name, match);

    sealed class UuidFilter(string name, Func<Guid, Expression<Func<ChronicInsertion, bool>>> match) : IFilter<ChronicInsertion>
    {
        public FilterDoc Doc { get; } = new(name, "string", "uuid");

        public ValueTask<IQueryable<ChronicInsertion>> ApplyAsync(FilterContext context, IQueryable<ChronicInsertion> query, IReadOnlyList<string> values,
            ErrorMap errors)
        {
            if (!Guid.TryParse(values[^1].Trim(), out var id))
            {
                errors.Add(name, "Enter a valid UUID.");
                return ValueTask.FromResult(query);
            }
            return ValueTask.FromResult(query.Where(match(id)));
        }
    }

    public static void MapChronicInsertionsApi(this IEndpointRouteBuilder routes)
    {
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        new Resource<ChronicInsertion, ChronicInsertionItem>
        {
            Path = "chronic-insertions",
            Model = "ChronicInsertion",
            Serializer = Serializer,
            Ordered = db => db.WithCollections(db.ChronicInsertions.OrderBy(c => c.Id)),
            Item = Item,
            Filters = Filters.Value,
            ForUpdate = q => q.Include(c => c.Recording),
            // The parent row: start_time defaults to now (BaseAction).
            Defaults = w => w.Entity.Recording = new ChronicRecording { Id = w.Entity.Id, StartTime = clock.Now },
            Write = WriteAsync,
            // Django deletes a multi-table child's parent row with it.
            AfterDelete = w => w.Db.Set<ChronicRecording>().Where(r => r.Id == w.Entity.Id).ExecuteDeleteAsync(w.Ct),
        }.Map(routes);
    }

    static async Task WriteAsync(ResourceWrite<ChronicInsertion> w)
    {
        var recording = w.Entity.Recording!;
        if (w.Data.TryGet<string>("name", out var name)) recording.Name = name ?? "";
        if (w.Data.TryGet<string>("json", out var json)) recording.Json = json;
        w.Text("serial", (c, v) => c.Serial = v).Value<DateTime?>("start_time", (c, v) => c.Recording!.StartTime = v);
        // A missing subject is a database error (500) upstream.
        if (w.Creating && !w.Data.Has("subject")) w.Errors.Add("subject", "This field is required.");
        await w.RefAsync("subject", w.Db.Subjects, s => s.Nickname, "nickname", (c, v) => c.Recording!.SubjectId = v!.Id);
        await w.RefAsync("lab", w.Db.Labs, l => l.Name, "name", (c, v) => c.Recording!.LabId = v!.Id);
        await w.RefAsync("model", w.Db.ProbeModels, m => m.Model, "probe_model", (c, v) => c.ModelId = v!.Id);
    }
}
