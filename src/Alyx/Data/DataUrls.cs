using Alyx.Database;
using Microsoft.EntityFrameworkCore;

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
    /// The datasets a session or insertion detail lists: when any non-personal repository exists, only those with an
    /// existing file record on one; otherwise all of them.
    /// </summary>
    public static async Task<IQueryable<Dataset>> ListedAsync(AlyxDb db, IQueryable<Dataset> datasets, CancellationToken ct) =>
        await db.DataRepositories.AnyAsync(r => r.GlobusIsPersonal == false, ct)
            ? datasets.Where(d => d.FileRecords.Any(f => f.Exists && f.DataRepository!.GlobusIsPersonal == false))
            : datasets;

    /// <summary>
    /// Dataset.data_url for a batch of datasets, in one query: the URL of the first existing file record on a repository with a
    /// data_url, non-personal repositories first, then by repository name descending. Datasets without one are absent.
    /// </summary>
    public static async Task<Dictionary<Guid, string>> OfDatasetsAsync(AlyxDb db, IReadOnlyCollection<Guid> datasetIds, CancellationToken ct)
    {
        var ids = datasetIds.Distinct().ToList();
        if (ids.Count == 0) return [];
        return First(await db.FileRecords.AsNoTracking()
            .Where(f => ids.Contains(f.DatasetId) && f.Exists && f.DataRepository!.DataUrl != null)
            .Select(f => new UrlCandidate(f.DatasetId, f.DataRepository!.DataUrl, f.DataRepository.Name, f.DataRepository.GlobusIsPersonal, f.RelativePath))
            .ToListAsync(ct));
    }

    /// <summary>An existing file record on a repository with a data_url, as <see cref="First"/> chooses among them.</summary>
    public sealed record UrlCandidate(Guid DatasetId, string? DataUrl, string Repository, bool? GlobusIsPersonal, string RelativePath);

    /// <summary>Per dataset, the URL of its first candidate: non-personal repositories first, then by repository name descending.</summary>
    public static Dictionary<Guid, string> First(IEnumerable<UrlCandidate> candidates)
    {
        var result = new Dictionary<Guid, string>();
        foreach (var group in candidates.GroupBy(f => f.DatasetId))
        {
            var first = group.OrderBy(f => f.GlobusIsPersonal == false ? 0 : f.GlobusIsPersonal == true ? 1 : 2)
                .ThenByDescending(f => f.Repository, StringComparer.Ordinal).First();
            if (FileRecordUrl(first.DataUrl, first.RelativePath, group.Key) is { } url) result[group.Key] = url;
        }
        return result;
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
