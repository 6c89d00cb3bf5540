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

    public static Expression<Func<Note, NoteItem>> Item(HttpRequest req)
    {
        var media = ApiUrls.Root(req) + "/uploaded/";
        return n => new NoteItem(n.Id, n.User!.Username, n.DateTime, n.ContentType!.AppLabel + "." + n.ContentType.Model, n.ObjectId, n.Text,
            n.Image == null || n.Image == "" ? null : media + n.Image, n.Json);
    }

    public static void MapNotesApi(this IEndpointRouteBuilder routes)
    {
        routes.Resource("notes", "id", uuidLookup: true)
            .List(db => db.Notes.OrderBy(n => n.DateTime).ThenBy(n => n.Id), Item, Serializer, Filters)
            .Create(CreateAsync, Serializer)
            .Retrieve(GetAsync, Serializer)
            .Update((Guid id, HttpRequest req, AlyxDb db, NoteImages images, AlyxClock clock, CancellationToken ct) =>
                UpdateAsync(id, req, db, images, clock, false, ct), Serializer)
            .PartialUpdate((Guid id, HttpRequest req, AlyxDb db, NoteImages images, AlyxClock clock, CancellationToken ct) =>
                UpdateAsync(id, req, db, images, clock, true, ct), Serializer)
            .Destroy((db, id) => db.Notes.Where(n => n.Id == Guid.Parse(id)), "Note",
                (services, note) => services.GetRequiredService<NoteImages>().Delete(note.Image));
    }

    static Task<NoteItem?> ReadAsync(AlyxDb db, HttpRequest req, Guid id, CancellationToken ct) =>
        db.Notes.AsNoTracking().Where(n => n.Id == id).Select(Item(req)).SingleOrDefaultAsync(ct);

    static async Task<IResult> GetAsync(Guid id, HttpRequest req, AlyxDb db, CancellationToken ct)
    {
        var note = await ReadAsync(db, req, id, ct);
        return note is null ? AlyxResults.NotFound("Note") : AlyxResults.Ok(note);
    }

    static async Task<IResult> CreateAsync(HttpRequest req, AlyxDb db, NoteImages images, AlyxClock clock, CancellationToken ct)
    {
        var note = new Note { DateTime = clock.Now };
        var error = await ApplyAsync(note, req, db, images, clock, partial: false, ct);
        return error ?? AlyxResults.Created(await ReadAsync(db, req, note.Id, ct));
    }

    static async Task<IResult> UpdateAsync(Guid id, HttpRequest req, AlyxDb db, NoteImages images, AlyxClock clock, bool partial, CancellationToken ct)
    {
        var note = await db.Notes.SingleOrDefaultAsync(n => n.Id == id, ct);
        if (note is null) return AlyxResults.NotFound("Note");
        var error = await ApplyAsync(note, req, db, images, clock, partial, ct);
        return error ?? AlyxResults.Ok(await ReadAsync(db, req, note.Id, ct));
    }

    /// <summary>Field validation, then content type and target checks against the merged (stored + given) values.</summary>
    static async Task<IResult?> ApplyAsync(Note note, HttpRequest req, AlyxDb db, NoteImages images, AlyxClock clock, bool partial, CancellationToken ct)
    {
        var (body, bodyError) = await RequestBody.ReadAsync(req, ct);
        if (bodyError is not null) return bodyError;
        var errors = new ErrorMap();
        var data = Serializer.Validate(body!, partial, errors);
        var file = body!.Files?.GetFile("image");
        if (body.Fields.TryGetPropertyValue("image", out var imageNode) && file is null && !errors.Has("image"))
        {
            if (imageNode is null) errors.Add("image", "This field may not be null.");
            else if (!body.IsForm || imageNode.ToString().Length > 0) errors.Add("image", "The submitted data was not a file. Check the encoding type on the form.");
        }
        var widthError = NoteImages.ParseWidth(body.Fields["width"]?.ToString(), images.DefaultWidth, out var width);
        if (widthError is not null) errors.Add("width", widthError);

        LabMember? user = null;
        if (data.TryGet<string>("user", out var username) && username is not null)
            user = await Slugs.ResolveOneAsync(db.Users, u => u.Username, "username", username, "user", errors, ct);
        ContentType? contentType = null;
        if (data.TryGet<string>("content_type", out var ctName) && ctName is not null)
        {
            contentType = await db.ContentTypes
                .Where(c => TargetApps.Contains(c.AppLabel) && (c.Model == ctName || c.AppLabel + "." + c.Model == ctName))
                .OrderBy(c => c.Id).FirstOrDefaultAsync(ct);
            if (contentType is null) errors.Add("content_type", $"Object with model={ctName} does not exist.");
        }
        if (errors.Any) return AlyxResults.Validation(errors);

        contentType ??= await db.ContentTypes.SingleOrDefaultAsync(c => c.Id == note.ContentTypeId, ct);
        var objectId = data.TryGet<Guid>("object_id", out var oid) ? oid : note.ObjectId;
        var target = contentType is null ? null : Rows.ByLabel(db, contentType.AppLabel, contentType.Model);
        if (target is null || !await Rows.ExistsAsync(db, target, objectId, ct))
            return AlyxResults.Validation("object_id", $"No {contentType?.Model ?? "object"} with id {objectId} exists.");

        string? stored = null;
        if (file is not null)
        {
            var (path, imageError) = await images.SaveAsync(file, objectId, width, clock.Now, ct);
            if (imageError is not null) return AlyxResults.Validation("image", imageError);
            stored = path;
        }
        try
        {
            if (user is not null) note.UserId = user.Id;
            note.ContentTypeId = contentType!.Id;
            note.ObjectId = objectId;
            if (data.TryGet<DateTime>("date_time", out var dt)) note.DateTime = dt;
            if (data.TryGet<string>("text", out var text)) note.Text = text ?? "";
            if (data.TryGet<string>("json", out var json)) note.Json = json;
            var previous = note.Image;
            if (stored is not null) note.Image = stored;
            if (db.Entry(note).State == EntityState.Detached) db.Notes.Add(note);
            await db.SaveChangesAsync(ct);
            if (stored is not null && previous != stored) images.Delete(previous);
        }
        catch
        {
            images.Delete(stored);
            throw;
        }
        return null;
    }
}
