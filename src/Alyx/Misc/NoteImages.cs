using System.Globalization;
using System.Text.RegularExpressions;
using SkiaSharp;

namespace Alyx.Misc;

/// <summary>
/// Stores note images under the media root as <c>YYYY/MM/DD/name.object_id.ext</c>, shrunk to a target width
/// (Alyx: UPLOADED_IMAGE_WIDTH, default 800; <c>width=orig</c> keeps the file as uploaded).
/// </summary>
public sealed partial class NoteImages(string root, int defaultWidth)
{
    public string Root { get; } = root;

    [GeneratedRegex(@"[^\w.-]")]
    private static partial Regex Unsafe();

    public static string? ParseWidth(string? raw, int defaultWidth, out int? width)
    {
        width = defaultWidth;
        if (string.IsNullOrWhiteSpace(raw)) return null;
        if (raw.Trim() == "orig")
        {
            width = null;
            return null;
        }
        if (!int.TryParse(raw.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var w) || w <= 0)
            return "A valid integer is required.";
        width = w;
        return null;
    }

    public int DefaultWidth => defaultWidth;

    /// <summary>Images larger than this (width × height) are refused before they are decoded.</summary>
    public const long MaxPixels = 50_000_000;

    const string NotAnImage = "Upload a valid image. The file you uploaded was either not an image or a corrupted image.";

    /// <summary>The formats stored, with the extension each is stored under (whatever the uploaded name says).</summary>
    static string? Extension(SKEncodedImageFormat format) => format switch
    {
        SKEncodedImageFormat.Png => ".png",
        SKEncodedImageFormat.Jpeg => ".jpg",
        SKEncodedImageFormat.Gif => ".gif",
        SKEncodedImageFormat.Webp => ".webp",
        _ => null,
    };

    /// <summary>
    /// Validates, resizes and stores the upload; returns the path relative to the media root, or an error message. Only PNG,
    /// JPEG, GIF and WebP are kept, recognised from their content and stored under their own extension (an HTML or SVG file
    /// named .png is refused, a PNG named .html is stored as .png); the pixel count is checked from the header, before decoding.
    /// </summary>
    public async Task<(string? Path, string? Error)> SaveAsync(IFormFile file, Guid objectId, int? width, DateTime now, CancellationToken ct)
    {
        if (file.Length == 0) return (null, "The submitted file is empty.");
        if (string.IsNullOrWhiteSpace(file.FileName)) return (null, "No filename could be determined.");
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var bytes = buffer.ToArray();
        using var codec = SKCodec.Create(new MemoryStream(bytes));
        if (codec is null || Extension(codec.EncodedFormat) is null) return (null, NotAnImage);
        if ((long)codec.Info.Width * codec.Info.Height > MaxPixels)
            return (null, $"The image is {codec.Info.Width} × {codec.Info.Height} pixels; at most {MaxPixels / 1_000_000} megapixels are accepted.");
        var format = codec.EncodedFormat;
        byte[] output = bytes;
        if (width is { } target && codec.Info.Width > target)
        {
            using var bitmap = SKBitmap.Decode(codec);
            if (bitmap is null) return (null, NotAnImage);
            var height = (int)Math.Floor((double)codec.Info.Height * target / codec.Info.Width);
            using var resized = bitmap.Resize(new SKImageInfo(target, Math.Max(1, height)), new SKSamplingOptions(SKCubicResampler.Mitchell));
            using var image = SKImage.FromBitmap(resized);
            format = format is SKEncodedImageFormat.Jpeg or SKEncodedImageFormat.Png or SKEncodedImageFormat.Webp ? format : SKEncodedImageFormat.Png;
            using var data = image.Encode(format, 70);
            output = data.ToArray();
        }
        var ext = Extension(format)!;
        var baseName = Unsafe().Replace(Path.GetFileNameWithoutExtension(file.FileName).Replace(' ', '_'), "");
        if (baseName.Length == 0) baseName = "image";
        var folder = now.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture);
        Directory.CreateDirectory(Path.Combine(Root, folder));
        var relative = $"{folder}/{baseName}.{objectId:D}{ext}";
        while (File.Exists(Path.Combine(Root, relative)))
            relative = $"{folder}/{baseName}_{Guid.NewGuid().ToString("N")[..7]}.{objectId:D}{ext}";
        await File.WriteAllBytesAsync(Path.Combine(Root, relative), output, ct);
        return (relative, null);
    }

    public void Delete(string? relative)
    {
        if (string.IsNullOrEmpty(relative)) return;
        var full = Path.GetFullPath(Path.Combine(Root, relative));
        if (full.StartsWith(Path.GetFullPath(Root), StringComparison.Ordinal) && File.Exists(full)) File.Delete(full);
    }
}
