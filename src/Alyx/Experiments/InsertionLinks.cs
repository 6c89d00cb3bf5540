using Alyx.Data;
using Alyx.Database;
using Alyx.Filtering;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Experiments;

/// <summary>
/// How probe insertions (and fields of view) and datasets find each other (spec 40 §6): by the insertion's name inside the dataset's
/// collection. The links (<c>experiments_probeinsertion_datasets</c>, <c>experiments_fov_datasets</c>) are rewritten whenever either side
/// is saved through the API.
/// </summary>
public static class InsertionLinks
{
    /// <summary>The datasets of <paramref name="sessionId"/> whose collection contains <paramref name="name"/>, in any case.</summary>
    public static IQueryable<Dataset> DatasetsOf(AlyxDb db, Guid? sessionId, string name) => Matching(db.Datasets, db, sessionId, name);

    /// <summary><paramref name="datasets"/> narrowed to those of <see cref="DatasetsOf"/>.</summary>
    public static IQueryable<Dataset> Matching(IQueryable<Dataset> datasets, AlyxDb db, Guid? sessionId, string name) =>
        DjangoQuery.Where(datasets.Where(d => d.SessionId == sessionId), db, "collection__icontains", new DjangoValue.Str(name));

    /// <summary>
    /// The probe insertion save hook: its links become the datasets of <see cref="DatasetsOf"/>. The insertion is tracked, with
    /// its current datasets loaded; the caller saves.
    /// </summary>
    public static async Task RelinkAsync(AlyxDb db, ProbeInsertion insertion, CancellationToken ct)
    {
        var datasets = await DatasetsOf(db, insertion.SessionId, insertion.Name).ToListAsync(ct);
        insertion.Datasets.Clear();
        insertion.Datasets.AddRange(datasets);
    }

    /// <summary>
    /// The dataset save hook, for a batch of saved, tracked datasets: a collection of two parts or more names an insertion by its
    /// second part (<c>alf/probe00/pykilosort</c>: <c>probe00</c>); when insertions of the dataset's session have exactly that
    /// name, the dataset's links are replaced by them, otherwise left as they are. Saves the changes.
    /// </summary>
    public static async Task LinkDatasetsAsync(AlyxDb db, IReadOnlyCollection<Dataset> datasets, CancellationToken ct)
    {
        var wanted = datasets.Where(d => d.SessionId is not null)
            .Select(d => (Dataset: d, Name: InsertionName(d.Collection)))
            .Where(x => x.Name is not null)
            .ToList();
        if (wanted.Count == 0) return;
        var sessions = wanted.Select(x => x.Dataset.SessionId!.Value).Distinct().ToList();
        var names = wanted.Select(x => x.Name!).Distinct().ToList();
        await LinkFovsAsync(db, wanted, sessions, names, ct);
        var insertions = await db.ProbeInsertions
            .Where(p => p.SessionId != null && sessions.Contains(p.SessionId.Value) && names.Contains(p.Name))
            .ToListAsync(ct);
        if (insertions.Count == 0) return;
        var ids = wanted.Select(x => x.Dataset.Id).ToList();
        // Loads the current links into the tracked datasets, so that replacing them deletes the old ones.
        await db.Datasets.Where(d => ids.Contains(d.Id)).Include(d => d.ProbeInsertions).LoadAsync(ct);
        foreach (var (dataset, name) in wanted)
        {
            var matches = insertions.Where(p => p.SessionId == dataset.SessionId && p.Name == name).ToList();
            if (matches.Count == 0) continue;
            dataset.ProbeInsertions.Clear();
            dataset.ProbeInsertions.AddRange(matches);
        }
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The same for fields of view (Dataset.save sets <c>field_of_view</c> likewise): when fields of view of the dataset's session
    /// have exactly the name, the dataset's field-of-view links are replaced by them. Saves the changes.
    /// </summary>
    static async Task LinkFovsAsync(AlyxDb db, List<(Dataset Dataset, string? Name)> wanted, List<Guid> sessions, List<string> names,
        CancellationToken ct)
    {
        var fovs = await db.Set<Fov>().Where(f => sessions.Contains(f.SessionId) && names.Contains(f.Name)).Select(f => new { f.Id, f.SessionId, f.Name })
            .ToListAsync(ct);
        if (fovs.Count == 0) return;
        var links = db.Set<Dictionary<string, object>>(FovDatasets);
        foreach (var (dataset, name) in wanted)
        {
            var matches = fovs.Where(f => f.SessionId == dataset.SessionId && f.Name == name).ToList();
            if (matches.Count == 0) continue;
            var id = dataset.Id;
            await links.Where(l => EF.Property<Guid>(l, "dataset_id") == id).ExecuteDeleteAsync(ct);
            foreach (var fov in matches) links.Add(new Dictionary<string, object> { ["fov_id"] = fov.Id, ["dataset_id"] = id });
        }
        await db.SaveChangesAsync(ct);
    }

    const string FovDatasets = "experiments_fov_datasets";

    /// <summary>The second part of a collection of two parts or more (Python's <c>collection.rsplit('/')[1]</c>), else null.</summary>
    public static string? InsertionName(string? collection)
    {
        if (string.IsNullOrEmpty(collection)) return null;
        var parts = collection.Split('/');
        return parts.Length > 1 ? parts[1] : null;
    }
}
