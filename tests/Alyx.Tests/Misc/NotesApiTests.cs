using System.Net;
using System.Net.Http.Headers;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;

namespace Alyx.Tests.Misc;

public sealed class NotesApiTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    async Task<(Guid SubjectId, string Author)> SeedAsync()
    {
        var author = AlyxApp.Unique("author");
        var id = Guid.NewGuid();
        await app.WithDbAsync(async db =>
        {
            db.Users.Add(new Alyx.Misc.LabMember { Username = author });
            db.Subjects.Add(new Subject { Id = id, Nickname = AlyxApp.Unique("s"), LabId = await db.Labs.Select(l => l.Id).FirstAsync() });
            await db.SaveChangesAsync();
        });
        return (id, author);
    }

    static byte[] Png(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(SKColors.Coral);
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(SKEncodedImageFormat.Png, 100).ToArray();
    }

    [Fact]
    public async Task NoteRest_MultipartCreateThenDelete()
    {
        // Upstream misc.tests_rest test_note_rest.
        var (subject, author) = await SeedAsync();
        var client = await app.ClientForAsync();
        var form = new MultipartFormDataContent
        {
            { new StringContent(author), "user" },
            { new StringContent("subject"), "content_type" },
            { new StringContent(subject.ToString()), "object_id" },
            { new StringContent("some text"), "text" },
        };
        var body = await (await client.PostAsync("/notes", form, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(["id", "user", "date_time", "content_type", "object_id", "text", "image", "json"], body.Keys());
        Assert.Equal(author, body["user"]!.GetValue<string>());
        Assert.Equal("subjects.subject", body["content_type"]!.GetValue<string>());
        Assert.Null(body["image"]);
        var id = body["id"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/notes/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/notes/{id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task NoteWithPicture_IsShrunkStoredAndServedAnonymously()
    {
        var (subject, author) = await SeedAsync();
        var client = await app.ClientForAsync();
        var image = new ByteArrayContent(Png(1600, 900));
        image.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var form = new MultipartFormDataContent
        {
            { new StringContent(author), "user" },
            { new StringContent("subjects.subject"), "content_type" },
            { new StringContent(subject.ToString()), "object_id" },
            { image, "image", "my photo.png" },
        };
        var body = await (await client.PostAsync("/notes", form, Ct)).ReadJsonAsync(HttpStatusCode.Created);
        var url = body["image"]!.GetValue<string>();
        Assert.StartsWith("http://localhost/uploaded/", url);
        Assert.EndsWith($"my_photo.{subject}.png", url);
        var served = await app.AnonymousClient().GetAsync(new Uri(url).PathAndQuery, Ct);
        await served.AssertStatusAsync(HttpStatusCode.OK);
        using var decoded = SKBitmap.Decode(await served.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal((800, 450), (decoded.Width, decoded.Height));
        var id = body["id"]!.GetValue<string>();
        await client.DeleteAsync($"/notes/{id}", Ct);
        Assert.Equal(HttpStatusCode.NotFound, (await app.AnonymousClient().GetAsync(new Uri(url).PathAndQuery, Ct)).StatusCode);
    }

    [Fact]
    public async Task CreateNote_NotAnImage_Returns400AndWritesNothing()
    {
        var (subject, author) = await SeedAsync();
        var client = await app.ClientForAsync();
        var form = new MultipartFormDataContent
        {
            { new StringContent(author), "user" },
            { new StringContent("subject"), "content_type" },
            { new StringContent(subject.ToString()), "object_id" },
            { new ByteArrayContent("not an image"u8.ToArray()), "image", "x.png" },
        };
        Assert.Equal("{\"image\":[\"Upload a valid image. The file you uploaded was either not an image or a corrupted image.\"],\"status_code\":400}",
            await (await client.PostAsync("/notes", form, Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.False(await app.WithDbAsync(db => db.Notes.AnyAsync(n => n.ObjectId == subject)));
    }

    [Fact]
    public async Task CreateNote_Invalid_Returns400ForEachField()
    {
        var client = await app.ClientForAsync();
        Assert.Equal("{\"user\":[\"This field is required.\"],\"object_id\":[\"Must be a valid UUID.\"],\"status_code\":400}",
            await (await client.PostAsync("/notes", Json.Body(new { content_type = "subject", object_id = "nope" }), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task CreateNote_UnknownContentTypeOrTarget_Returns400()
    {
        var (subject, author) = await SeedAsync();
        var client = await app.ClientForAsync();
        var badType = await (await client.PostAsync("/notes", Json.Body(new { user = author, content_type = "labmember", object_id = subject }), Ct))
            .ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(badType["content_type"]);
        var missing = await (await client.PostAsync("/notes", Json.Body(new { user = author, content_type = "subject", object_id = Guid.NewGuid() }), Ct))
            .ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(missing["object_id"]);
    }

    [Fact]
    public async Task PatchNote_TextOnly_ChecksTargetWithStoredValues()
    {
        var (subject, author) = await SeedAsync();
        var client = await app.ClientForAsync();
        var created = await (await client.PostAsync("/notes", Json.Body(new { user = author, content_type = "subject", object_id = subject, text = "a", date_time = "2024-05-01T10:20:30+01:00" }), Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("2024-05-01T09:20:30", created["date_time"]!.GetValue<string>());
        var id = created["id"]!.GetValue<string>();
        var patched = await (await client.PatchAsync($"/notes/{id}", Json.Body(new { text = "b" }), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal("b", patched["text"]!.GetValue<string>());
        var listed = await (await client.GetAsync($"/notes?django=object_id,{subject}", Ct)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(patched.ToJsonString(), listed["results"]![0]!.ToJsonString());
    }

    static MultipartFormDataContent ImageForm(byte[] image, string fileName, params (string Name, string Value)[] fields)
    {
        var content = new ByteArrayContent(image);
        content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        var form = new MultipartFormDataContent { { content, "image", fileName } };
        foreach (var (name, value) in fields) form.Add(new StringContent(value), name);
        return form;
    }

    [Fact]
    public async Task PatchNote_NewImage_RemovesTheReplacedFileOnly()
    {
        var (subject, author) = await SeedAsync();
        var client = await app.ClientForAsync();
        var created = await (await client.PostAsync("/notes",
            ImageForm(Png(40, 20), "first.png", ("user", author), ("content_type", "subject"), ("object_id", subject.ToString())), Ct))
            .ReadJsonAsync(HttpStatusCode.Created);
        var first = new Uri(created["image"]!.GetValue<string>()).PathAndQuery;
        var id = created["id"]!.GetValue<string>();

        var patched = await (await client.PatchAsync($"/notes/{id}", ImageForm(Png(8, 8), "second.png"), Ct)).ReadJsonAsync(HttpStatusCode.OK);
        var second = new Uri(patched["image"]!.GetValue<string>()).PathAndQuery;
        Assert.EndsWith($"/second.{subject}.png", second);
        Assert.Equal(HttpStatusCode.NotFound, (await app.AnonymousClient().GetAsync(first, Ct)).StatusCode);
        await (await app.AnonymousClient().GetAsync(second, Ct)).AssertStatusAsync(HttpStatusCode.OK);

        // A rejected replacement and a text-only update keep the stored image.
        Assert.Equal("{\"image\":[\"Upload a valid image. The file you uploaded was either not an image or a corrupted image.\"],\"status_code\":400}",
            await (await client.PatchAsync($"/notes/{id}", ImageForm("zz"u8.ToArray(), "third.png"), Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
        await (await client.PatchAsync($"/notes/{id}", Json.Body(new { text = "still there" }), Ct)).AssertStatusAsync(HttpStatusCode.OK);
        await (await app.AnonymousClient().GetAsync(second, Ct)).AssertStatusAsync(HttpStatusCode.OK);
        Assert.Single(Directory.EnumerateFiles(app.Services.GetRequiredService<Alyx.Misc.NoteImages>().Root, $"*.{subject}.png", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task CreateNote_SaveFailsAfterTheImageWasStored_RemovesTheImage()
    {
        // The database refuses the row (a trigger) after the image file was written: the file must not stay behind.
        await app.WithDbAsync(db => db.Database.ExecuteSqlRawAsync(TestDatabase.IsPostgres
            ? """
              CREATE OR REPLACE FUNCTION refuse_note() RETURNS trigger AS $$
              BEGIN IF NEW.text = 'refuse-save' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
              DROP TRIGGER IF EXISTS refuse_note ON misc_note;
              CREATE TRIGGER refuse_note BEFORE INSERT ON misc_note FOR EACH ROW EXECUTE FUNCTION refuse_note();
              """
            : "CREATE TRIGGER IF NOT EXISTS refuse_note BEFORE INSERT ON misc_note WHEN NEW.text = 'refuse-save' BEGIN SELECT RAISE(ABORT, 'refused'); END;"));
        var (subject, author) = await SeedAsync();
        var client = await app.ClientForAsync();

        var response = await client.PostAsync("/notes",
            ImageForm(Png(40, 20), "lost.png", ("user", author), ("content_type", "subject"), ("object_id", subject.ToString()), ("text", "refuse-save")), Ct);

        Assert.Equal("{\"non_field_errors\":[\"The submitted data conflicts with existing records.\"],\"status_code\":400}",
            await response.AssertStatusAsync(HttpStatusCode.BadRequest));
        Assert.False(await app.WithDbAsync(db => db.Notes.AnyAsync(n => n.ObjectId == subject)));
        Assert.Empty(Directory.EnumerateFiles(app.Services.GetRequiredService<Alyx.Misc.NoteImages>().Root, $"*.{subject}.png", SearchOption.AllDirectories));
    }
}
