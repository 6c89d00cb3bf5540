using Alyx.Database;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Data;

/// <summary>Download URLs of file records (spec 30 §4): the repository's data_url plus the relative path with the dataset UUID in the name.</summary>
public static class DataUrls
{
    /// <summary>The file-record URL, or null when the repository has no data_url.</summary>
    public static string? FileRecordUrl(string? repositoryUrl, string relativePath, Guid datasetId) =>
        string.IsNullOrEmpty(repositoryUrl) ? null : WithUuid(repositoryUrl, relativePath, datasetId);

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
    public static string WithUuid(string relativePath, Guid datasetId) => WithUuid("", relativePath, datasetId);

    /// <summary>
    /// <paramref name="prefix"/> then the path with the UUID (<see cref="WithUuid(string, Guid)"/>), built in one string: a
    /// page of datasets builds one per file record.
    /// </summary>
    static string WithUuid(string prefix, string relativePath, Guid datasetId)
    {
        var path = relativePath.AsSpan();
        var slash = path.LastIndexOf('/');
        var directory = slash < 0 ? [] : path[..slash];
        var name = path[(slash + 1)..];
        var dot = name.LastIndexOf('.');
        var stem = dot <= 0 ? name : name[..dot];
        var suffix = dot <= 0 ? [] : name[dot..];
        // The stem's last dot-separated piece goes when it is a version 3 or 4 UUID; a stem that was only that UUID leaves none.
        var lastDot = stem.LastIndexOf('.');
        var last = stem[(lastDot + 1)..];
        var keepStem = true;
        if (last.Length == 36 && last[14] is '3' or '4' && Guid.TryParseExact(last, "D", out _))
        {
            keepStem = lastDot >= 0;
            stem = keepStem ? stem[..lastDot] : [];
        }
        var length = prefix.Length + relativePath.Length + 2 + 36;
        Span<char> buffer = length <= 512 ? stackalloc char[length] : new char[length];
        prefix.CopyTo(buffer);
        var at = prefix.Length;
        if (directory.StartsWith('/')) buffer[at++] = '/';
        foreach (var range in directory.Split('/'))
        {
            var segment = directory[range];
            if (segment.Length == 0 || segment is ".") continue;
            segment.CopyTo(buffer[at..]);
            at += segment.Length;
            buffer[at++] = '/';
        }
        if (keepStem)
        {
            stem.CopyTo(buffer[at..]);
            at += stem.Length;
            buffer[at++] = '.';
        }
        datasetId.TryFormat(buffer[at..], out var written, "D");
        at += written;
        suffix.CopyTo(buffer[at..]);
        at += suffix.Length;
        return new string(buffer[..at]);
    }
}
