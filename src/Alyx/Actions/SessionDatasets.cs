using Alyx.Data;
using Alyx.Database;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Actions;

/// <summary>The datasets nested in a session detail (<c>data_dataset_session_related</c>, spec 20 §6.2).</summary>
static class SessionDatasets
{
    sealed record Row(Guid Id, string Name, string? DatasetType, long? FileSize, string Hash, string Version, string Collection, Guid? RevisionId,
        bool DefaultDataset, int Qc);

    /// <summary>
    /// The listed datasets (<see cref="DataUrls.ListedAsync"/>: when any non-personal repository exists, only those with an existing
    /// file record on one) by collection, name and id, in one compiled statement on the session's id.
    /// </summary>
    static readonly Func<AlyxDb, Guid, IAsyncEnumerable<Row>> Rows =
        EF.CompileAsyncQuery((AlyxDb db, Guid id) => db.Set<Dataset>().AsNoTracking()
            .Where(d => d.SessionId == id && (!db.DataRepositories.Any(r => r.GlobusIsPersonal == false)
                || d.FileRecords.Any(f => f.Exists && f.DataRepository!.GlobusIsPersonal == false)))
            .OrderBy(d => d.Collection).ThenBy(d => d.Name).ThenBy(d => d.Id)
            .Select(d => new Row(d.Id, d.Name, d.DatasetType!.Name, d.FileSize, d.Hash, d.Version, d.Collection, d.RevisionId, d.DefaultDataset,
                d.Qc)));

    /// <summary>The <c>data_url</c> candidates of the session's datasets (<see cref="DataUrls.OfDatasetsAsync"/>), one compiled statement.</summary>
    static readonly Func<AlyxDb, Guid, IAsyncEnumerable<DataUrls.UrlCandidate>> Urls =
        EF.CompileAsyncQuery((AlyxDb db, Guid id) => db.FileRecords.AsNoTracking()
            .Where(f => f.Dataset!.SessionId == id && f.Exists && f.DataRepository!.DataUrl != null)
            .Select(f => new DataUrls.UrlCandidate(f.DatasetId, f.DataRepository!.DataUrl, f.DataRepository.Name, f.DataRepository.GlobusIsPersonal,
                f.RelativePath)));

    /// <summary>The listed datasets, each with its <c>data_url</c>, in two statements whatever their number.</summary>
    public static async Task<List<SessionDataset>> ReadAsync(AlyxDb db, string root, Guid sessionId, CancellationToken ct)
    {
        var rows = await SessionDtos.ListAsync(Rows(db, sessionId), ct);
        if (rows.Count == 0) return [];
        var urls = DataUrls.First(await SessionDtos.ListAsync(Urls(db, sessionId), ct));
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
