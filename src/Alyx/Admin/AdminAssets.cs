using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Alyx.Admin;

/// <summary>
/// The admin pages' CSS and JavaScript: the files of Admin/Assets, embedded in the executable and served at
/// <c>/static/admin/{name}</c> (nothing fetched from elsewhere). URLs carry a digest of the content, so browsers may keep them.
/// </summary>
public static class AdminAssets
{
    public const string Prefix = "/static/admin/";
    const string ResourcePrefix = "Alyx.Admin.Assets.";

    sealed record Asset(byte[] Content, string ContentType, string Version);

    static readonly FrozenDictionary<string, Asset> Files = Load();

    static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(AdminAssets).Assembly;
        var files = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var content = buffer.ToArray();
            var name = resource[ResourcePrefix.Length..];
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                ".png" => "image/png",
                _ => "application/octet-stream",
            };
            files[name] = new Asset(content, type, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
        }
        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The address of an asset, with its content digest as a cache buster.</summary>
    public static string Url(string name) =>
        Files.TryGetValue(name, out var asset) ? $"{Prefix}{name}?v={asset.Version}" : throw new ArgumentException($"No admin asset {name}.", nameof(name));

    internal static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet(Prefix + "{name}", (string name, HttpContext http) =>
        {
            if (!Files.TryGetValue(name, out var asset)) return Results.NotFound();
            http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
            return Results.Bytes(asset.Content, asset.ContentType);
        }).AllowAnonymous().ExcludeFromDescription();
    }
}
