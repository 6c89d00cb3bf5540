namespace Alyx.Data;

/// <summary>Download URLs of file records (spec 30 §4): the repository's data_url plus the relative path with the dataset UUID in the name.</summary>
public static class DataUrls
{
    /// <summary>The file-record URL, or null when the repository has no data_url.</summary>
    public static string? FileRecordUrl(string? repositoryUrl, string relativePath, Guid datasetId)
    {
        if (string.IsNullOrEmpty(repositoryUrl)) return null;
        return repositoryUrl + WithUuid(relativePath, datasetId);
    }

    /// <summary>
    /// Inserts the dataset UUID before the file's suffix (<c>alf/a.b.npy</c> → <c>alf/a.b.&lt;uuid&gt;.npy</c>), replacing a
    /// UUID already there, and normalises the directory part (repeated slashes collapsed, <c>.</c> segments dropped).
    /// </summary>
    public static string WithUuid(string relativePath, Guid datasetId)
    {
        var slash = relativePath.LastIndexOf('/');
        var directory = slash < 0 ? "" : relativePath[..slash];
        var name = relativePath[(slash + 1)..];
        var dot = name.LastIndexOf('.');
        var (stem, suffix) = dot <= 0 ? (name, "") : (name[..dot], name[dot..]);
        var pieces = stem.Split('.').ToList();
        if (Guid.TryParseExact(pieces[^1], "D", out var existing) && IsVersion3Or4(existing)) pieces.RemoveAt(pieces.Count - 1);
        pieces.Add(datasetId.ToString("D"));
        var file = string.Join('.', pieces) + suffix;
        var segments = directory.Split('/').Where(s => s.Length > 0 && s != ".").ToList();
        var leading = directory.StartsWith('/') ? "/" : "";
        return segments.Count == 0 ? leading + file : leading + string.Join('/', segments) + "/" + file;
    }

    static bool IsVersion3Or4(Guid id)
    {
        var version = id.ToString("D")[14];
        return version is '3' or '4';
    }
}
