using Alyx.Data;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Experiments;

/// <summary>The datasets nested in an insertion detail (ProbeInsertionDatasetsSerializer with its FilterDatasetSerializer).</summary>
static class InsertionDatasets
{
    /// <summary>
    /// The session's datasets whose collection contains the insertion name (not the stored links); when any non-personal
    /// repository exists, only those with an existing file record on one.
    /// </summary>
    public static async Task<List<InsertionDataset>> ReadAsync(AlyxDb db, string root, Guid sessionId, string name, CancellationToken ct)
    {
        var datasets = await DataUrls.ListedAsync(db, InsertionLinks.DatasetsOf(db, sessionId, name).AsNoTracking(), ct);
        var rows = await datasets.OrderBy(d => d.Collection).ThenBy(d => d.Name).ThenBy(d => d.Id)
            .Select(d => new { d.Id, d.Name, DatasetType = d.DatasetType!.Name, d.FileSize, d.Hash, d.Version, d.Collection, d.Qc })
            .ToListAsync(ct);
        var urls = await DataUrls.OfDatasetsAsync(db, rows.ConvertAll(d => d.Id), ct);
        return rows.ConvertAll(d => new InsertionDataset(d.Id, d.Name, d.DatasetType, urls.GetValueOrDefault(d.Id),
            DatasetDtos.DatasetUrl(root, d.Id), d.FileSize, d.Hash, d.Version, d.Collection, d.Qc));
    }
}
