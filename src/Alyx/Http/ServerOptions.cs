namespace Alyx.Http;

/// <summary>
/// How the server listens and answers (settings urls, TIME_ZONE, MAX_REQUEST_BODY_BYTES, FORWARDED_HEADERS, MEDIA_ROOT,
/// UPLOADED_IMAGE_WIDTH, FORWARDED_PROXIES; see <see cref="AlyxSettings"/>).
/// </summary>
public sealed class ServerOptions
{
    /// <summary>The addresses <c>serve</c> listens on, separated by semicolons.</summary>
    public string Urls { get; set; } = "";

    /// <summary>The server-local zone of Alyx's naive datetimes.</summary>
    public TimeZoneInfo TimeZone { get; set; } = TimeZoneInfo.Utc;

    public long MaxRequestBodyBytes { get; set; }

    /// <summary>
    /// Behind a reverse proxy: absolute URLs use X-Forwarded-Proto and X-Forwarded-Host, and the client address (throttling)
    /// X-Forwarded-For, as sent by a peer in <see cref="ForwardedProxies"/>.
    /// </summary>
    public bool ForwardedHeaders { get; set; }

    /// <summary>The proxies whose X-Forwarded-* headers are believed (addresses and networks); default loopback only.</summary>
    public IReadOnlyList<System.Net.IPNetwork> ForwardedProxies { get; set; } = [];

    /// <summary>The folder of the uploaded note images (absolute).</summary>
    public string MediaRoot { get; set; } = "";

    /// <summary>The width uploaded note images are shrunk to, unless the upload asks otherwise.</summary>
    public int UploadedImageWidth { get; set; }
}
