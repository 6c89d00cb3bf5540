using Alyx.Data;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>The datasets nested in a session detail (<c>data_dataset_session_related</c>, spec 20 §6.2).</summary>
static class SessionDatasets
{
    /// <summary>
    /// When any non-personal repository exists, only datasets with an existing file record on one are listed; otherwise all.
    /// <c>data_url</c> comes from the first existing record on a repository with a data_url, non-personal first, then by
    /// repository name descending.
    /// </summary>
    public static async Task<List<SessionDataset>> ReadAsync(AlyxDb db, string root, Guid sessionId, CancellationToken ct)
    {
        var datasets = db.Set<Dataset>().AsNoTracking().Where(d => d.SessionId == sessionId);
        if (await db.DataRepositories.AnyAsync(r => r.GlobusIsPersonal == false, ct))
            datasets = datasets.Where(d => d.FileRecords.Any(f => f.Exists && f.DataRepository!.GlobusIsPersonal == false));
        var rows = await datasets.OrderBy(d => d.Collection).ThenBy(d => d.Name).ThenBy(d => d.Id)
            .Select(d => new
            {
                d.Id,
                d.Name,
                DatasetType = d.DatasetType!.Name,
                d.FileSize,
                d.Hash,
                d.Version,
                d.Collection,
                d.RevisionId,
                d.DefaultDataset,
                d.Qc,
            })
            .ToListAsync(ct);
        // The candidate records of the listed datasets in a second query (a per-row "first record" subquery would make the
        // database rank every file record of the table), then the first per dataset: non-personal first, name descending.
        var ids = rows.ConvertAll(d => d.Id);
        var records = (await db.Set<FileRecord>().AsNoTracking()
                .Where(f => ids.Contains(f.DatasetId) && f.Exists && f.DataRepository!.DataUrl != null)
                .Select(f => new { f.DatasetId, f.DataRepository!.DataUrl, f.DataRepository.Name, f.DataRepository.GlobusIsPersonal, f.RelativePath })
                .ToListAsync(ct))
            .GroupBy(f => f.DatasetId)
            .ToDictionary(g => g.Key, g => g
                .OrderBy(f => f.GlobusIsPersonal == false ? 0 : f.GlobusIsPersonal == true ? 1 : 2)
                .ThenByDescending(f => f.Name, StringComparer.Ordinal)
                .First());
        return rows.ConvertAll(d => new SessionDataset(
            d.Id, d.Name, d.DatasetType,
            records.TryGetValue(d.Id, out var record) ? DataUrls.FileRecordUrl(record.DataUrl, record.RelativePath, d.Id) : null,
            root + "/datasets/" + d.Id.ToString("D"),
            d.FileSize, d.Hash, d.Version, d.Collection,
            d.RevisionId is { } revision ? revision.ToString("D") : "",
            d.DefaultDataset ? "True" : "False",
            QcCodes.Label(d.Qc)));
    }
}
