using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Alyx.Subjects;
using Alyx.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using SkiaSharp;

namespace Alyx.Tests.Misc;

/// <summary>
/// Note images are stored only as PNG, JPEG, GIF or WebP, under the extension of what they are, their size checked before
/// decoding; /uploaded serves them with nosniff and a sandboxing Content-Security-Policy.
/// </summary>
public sealed class NoteImageSafetyTests(AlyxApp app) : IClassFixture<AlyxApp>
{
    static CancellationToken Ct => TestContext.Current.CancellationToken;

    const string NotAnImage = "{\"image\":[\"Upload a valid image. The file you uploaded was either not an image or a corrupted image.\"],\"status_code\":400}";

    async Task<MultipartFormDataContent> FormAsync(byte[] file, string fileName, string contentType = "image/png")
    {
        var author = AlyxApp.Unique("author");
        var subject = Guid.NewGuid();
        await app.WithDbAsync(async db =>
        {
            db.Users.Add(new Alyx.Misc.LabMember { Username = author });
            db.Subjects.Add(new Subject { Id = subject, Nickname = AlyxApp.Unique("s"), LabId = await db.Labs.Select(l => l.Id).FirstAsync(Ct) });
            await db.SaveChangesAsync(Ct);
        });
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent
        {
            { new StringContent(author), "user" },
            { new StringContent("subject"), "content_type" },
            { new StringContent(subject.ToString()), "object_id" },
            { content, "image", fileName },
        };
    }

    static byte[] Encoded(SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(30, 20);
        bitmap.Erase(SKColors.SteelBlue);
        using var image = SKImage.FromBitmap(bitmap);
        return image.Encode(format, 90).ToArray();
    }

    [Theory]
    [InlineData("<html><script>alert(document.cookie)</script></html>", "page.png")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect width=\"5\" height=\"5\"/></svg>", "drawing.svg")]
    public async Task MarkupDressedAsAnImage_IsRefused(string markup, string name)
    {
        var client = await app.ClientForAsync();
        var form = await FormAsync(Encoding.UTF8.GetBytes(markup), name, name.EndsWith(".svg", StringComparison.Ordinal) ? "image/svg+xml" : "image/png");
        Assert.Equal(NotAnImage, await (await client.PostAsync("/notes", form, Ct)).AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task BmpImage_IsNotAmongTheStoredFormats()
    {
        // A 1x1 24-bit BMP: a real image, but not one of the four formats kept.
        var bmp = Convert.FromBase64String("Qk06AAAAAAAAADYAAAAoAAAAAQAAAAEAAAABABgAAAAAAAQAAAATCwAAEwsAAAAAAAAAAAAA/wAAAA==");
        var client = await app.ClientForAsync();
        Assert.Equal(NotAnImage, await (await client.PostAsync("/notes", await FormAsync(bmp, "pixel.bmp", "image/bmp"), Ct))
            .AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    [Theory]
    [InlineData(SKEncodedImageFormat.Png, "evil.html", ".png")]
    [InlineData(SKEncodedImageFormat.Jpeg, "photo.svg", ".jpg")]
    [InlineData(SKEncodedImageFormat.Webp, "noext", ".webp")]
    public async Task StoredUnderTheExtensionOfItsContent_AndServedWithNosniffAndCsp(SKEncodedImageFormat format, string name, string extension)
    {
        var client = await app.ClientForAsync();
        var body = await (await client.PostAsync("/notes", await FormAsync(Encoded(format), name), Ct)).ReadJsonAsync(HttpStatusCode.Created);
        var url = new Uri(body["image"]!.GetValue<string>());
        Assert.EndsWith(extension, url.AbsolutePath, StringComparison.Ordinal);
        var served = await app.AnonymousClient().GetAsync(url.PathAndQuery, Ct);
        await served.AssertStatusAsync(HttpStatusCode.OK);
        Assert.Equal("nosniff", Assert.Single(served.Headers.GetValues("X-Content-Type-Options")));
        var csp = Assert.Single(served.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("sandbox", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HugeDimensions_AreRefusedFromTheHeader_WithoutDecoding()
    {
        // A PNG header claiming 10,000 × 10,000 pixels (100 megapixels) with no pixel data behind it.
        var client = await app.ClientForAsync();
        var response = await client.PostAsync("/notes", await FormAsync(PngHeader(10_000, 10_000), "big.png"), Ct);
        Assert.Equal("{\"image\":[\"The image is 10000 × 10000 pixels; at most 50 megapixels are accepted.\"],\"status_code\":400}",
            await response.AssertStatusAsync(HttpStatusCode.BadRequest));
    }

    /// <summary>The PNG signature, an IHDR chunk (8-bit RGBA), an empty IDAT and IEND, with their CRCs.</summary>
    static byte[] PngHeader(int width, int height)
    {
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8;
        ihdr[9] = 6;
        using var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Chunk(png, "IHDR", ihdr);
        // An empty zlib stream as the only image data.
        Chunk(png, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    static void Chunk(Stream png, string type, byte[] data)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, data.Length);
        png.Write(header);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        png.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(header, Crc32(typed));
        png.Write(header);
    }

    static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
