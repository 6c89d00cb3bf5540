using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Alyx.Database;
using Alyx.Filtering;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Misc;

public sealed record NoteItem(
    Guid Id,
    string User,
    DateTime DateTime,
    string ContentType,
    Guid ObjectId,
    string Text,
    string? Image,
    [property: JsonConverter(typeof(RawJsonConverter))] string? Json);

/// <summary>/notes and /notes/{id}: text and images attached to any row of the experiment apps.</summary>
static class NotesApi
{
    /// <summary>Notes may target models of these apps only (Alyx: NoteSerializer content_type queryset).</summary>
    static readonly string[] TargetApps = ["actions", "data", "experiments", "jobs", "subjects"];

    public static readonly Serializer Serializer = new("Note",
        new Field("id", FieldKind.Uuid) { ReadOnly = true, Format = "uuid" },
        new Field("user", FieldKind.Slug) { Required = true },
        new Field("date_time", FieldKind.DateTime),
        new Field("content_type", FieldKind.Slug) { Required = true },
        new Field("object_id", FieldKind.Uuid) { Required = true },
        new Field("text", FieldKind.String) { Description = "String, content of the note or description of the image." },
        new Field("image", FieldKind.Image) { Format = "uri" },
        new Field("json", FieldKind.Json) { Nullable = true, Description = "Structured data, formatted in a user-defined way" });

    static readonly FilterSet<Note> Filters = new FilterSet<Note>().Django();

    /// <summary>A note; <c>media</c> is the URL prefix of uploaded images (the API root and <c>/uploaded/</c>).</summary>
    public static readonly Expression<Func<Note, string, NoteItem>> MediaItem = (n, media) => new NoteItem(n.Id, n.User!.Username, n.DateTime,
        n.ContentType!.AppLabel + "." + n.ContentType.Model, n.ObjectId, n.Text, n.Image == null || n.Image == "" ? null : media + n.Image, n.Json);

    public static Expression<Func<Note, NoteItem>> Item(HttpRequest req) => Projections.Bind(MediaItem, Media(req));

    public static string Media(HttpRequest req) => ApiUrls.Root(req) + "/uploaded/";

    public static void MapNotesApi(this IEndpointRouteBuilder routes)
    {
        var images = routes.ServiceProvider.GetRequiredService<NoteImages>();
        var clock = routes.ServiceProvider.GetRequiredService<AlyxClock>();
        new Resource<Note, NoteItem>
        {
            Path = "notes",
            Model = "Note",
            Serializer = Serializer,
            Ordered = db => db.Notes.OrderBy(n => n.DateTime).ThenBy(n => n.Id),
            ItemFor = Item,
            Filters = Filters,
            Defaults = w => w.Entity.DateTime = clock.Now,
            Write = w => WriteAsync(w, images),
            BeforeSave = w => TargetAndImageAsync(w, images, clock),
            // A replaced image goes once the new one is committed; a deleted note's image once the delete is.
            AfterCommit = w =>
            {
                var previous = w.Stored?.GetValue<string?>(nameof(Note.Image));
                if (previous != w.Entity.Image) images.Delete(previous);
                return Task.CompletedTask;
            },
            Deleted = w =>
            {
                images.Delete(w.Entity.Image);
                return Task.CompletedTask;
            },
        }.Map(routes);
    }

    /// <summary>Field validation: the image part, the resize width, the user and the content type (by model or app.model).</summary>
    static async Task WriteAsync(ResourceWrite<Note> w, NoteImages images)
    {
        var (body, errors) = (w.Body, w.Errors);
        if (body.Fields.TryGetPropertyValue("image", out var imageNode) && body.Files?.GetFile("image") is null && !errors.Has("image"))
        {
            if (imageNode is null) errors.Add("image", "This field may not be null.");
            else if (!body.IsForm || imageNode.ToString().Length > 0) errors.Add("image", "The submitted data was not a file. Check the encoding type on the form.");
        }
        if (NoteImages.ParseWidth(body.Fields["width"]?.ToString(), images.DefaultWidth, out _) is { } widthError) errors.Add("width", widthError);
        await w.RefAsync("user", w.Db.Users, u => u.Username, "username", (n, u) => n.UserId = u!.Id);
        if (w.Data.Get<string>("content_type") is { } name)
        {
            var contentType = await w.Db.ContentTypes
                .Where(c => TargetApps.Contains(c.AppLabel) && (c.Model == name || c.AppLabel + "." + c.Model == name))
                .OrderBy(c => c.Id).FirstOrDefaultAsync(w.Ct);
            if (contentType is null) errors.Add("content_type", $"Object with model={name} does not exist.");
            else w.Entity.ContentTypeId = contentType.Id;
        }
        w.Value<Guid>("object_id", (n, v) => n.ObjectId = v)
            .Value<DateTime>("date_time", (n, v) => n.DateTime = v)
            .Text("text", (n, v) => n.Text = v);
    }

    /// <summary>The target row must exist (given or stored content type and object id); then the uploaded image is stored.</summary>
    static async Task TargetAndImageAsync(ResourceWrite<Note> w, NoteImages images, AlyxClock clock)
    {
        var (db, note, ct) = (w.Db, w.Entity, w.Ct);
        var contentType = await db.ContentTypes.SingleOrDefaultAsync(c => c.Id == note.ContentTypeId, ct);
        var target = contentType is null ? null : Rows.ByLabel(db, contentType.AppLabel, contentType.Model);
        if (target is null || !await Rows.ExistsAsync(db, target, note.ObjectId, ct))
        {
            w.Errors.Add("object_id", $"No {contentType?.Model ?? "object"} with id {note.ObjectId} exists.");
            return;
        }
        if (w.Body.Files?.GetFile("image") is not { } file) return;
        NoteImages.ParseWidth(w.Body.Fields["width"]?.ToString(), images.DefaultWidth, out var width);
        var (path, imageError) = await images.SaveAsync(file, note.ObjectId, width, clock.Now, ct);
        if (imageError is not null)
        {
            w.Errors.Add("image", imageError);
            return;
        }
        note.Image = path;
        w.OnAbandoned(() => images.Delete(path));
    }
}
