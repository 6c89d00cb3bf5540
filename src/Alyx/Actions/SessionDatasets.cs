using Alyx.Data;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>The datasets nested in a session detail (<c>data_dataset_session_related</c>, spec 20 §6.2).</summary>
static class SessionDatasets
{
    /// <summary>
    /// The listed datasets (<see cref="DataUrls.ListedAsync"/>) by collection, name and id, each with its
    /// <c>data_url</c> (<see cref="DataUrls.OfDatasetsAsync"/>).
    /// </summary>
    public static async Task<List<SessionDataset>> ReadAsync(AlyxDb db, string root, Guid sessionId, CancellationToken ct)
    {
        var datasets = await DataUrls.ListedAsync(db, db.Set<Dataset>().AsNoTracking().Where(d => d.SessionId == sessionId), ct);
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
        var urls = await DataUrls.OfDatasetsAsync(db, rows.ConvertAll(d => d.Id), ct);
        return rows.ConvertAll(d => new SessionDataset(
            d.Id, d.Name, d.DatasetType,
            urls.GetValueOrDefault(d.Id),
            DatasetDtos.DatasetUrl(root, d.Id),
            d.FileSize, d.Hash, d.Version, d.Collection,
            d.RevisionId is { } revision ? revision.ToString("D") : "",
            d.DefaultDataset ? "True" : "False",
            QcCodes.Label(d.Qc)));
    }
}
