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
                Record = d.FileRecords
                    .Where(f => f.Exists && f.DataRepository!.DataUrl != null)
                    .OrderBy(f => f.DataRepository!.GlobusIsPersonal == false ? 0 : f.DataRepository.GlobusIsPersonal == true ? 1 : 2)
                    .ThenByDescending(f => f.DataRepository!.Name)
                    .Select(f => new { f.DataRepository!.DataUrl, f.RelativePath })
                    .FirstOrDefault(),
            })
            .ToListAsync(ct);
        return rows.ConvertAll(d => new SessionDataset(
            d.Id, d.Name, d.DatasetType,
            d.Record is null ? null : DataUrls.FileRecordUrl(d.Record.DataUrl, d.Record.RelativePath, d.Id),
            root + "/datasets/" + d.Id.ToString("D"),
            d.FileSize, d.Hash, d.Version, d.Collection,
            d.RevisionId is { } revision ? revision.ToString("D") : "",
            d.DefaultDataset ? "True" : "False",
            QcCodes.Label(d.Qc)));
    }
}
