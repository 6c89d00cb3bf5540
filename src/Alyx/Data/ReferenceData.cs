using System.Text.Json;
using Alyx.Actions;
using Alyx.Database;
using Alyx.Experiments;
using Microsoft.EntityFrameworkCore;

namespace Alyx.Data;

/// <summary>
/// Alyx's standard reference rows (<c>Data/ReferenceData.json</c>, embedded): data repository types, data formats,
/// dataset types with their filename patterns, procedure types, water types, probe models, coordinate systems, imaging types and (from
/// <c>Experiments/BrainRegions.json</c>) the brain-region tree, each with its well-known id so that dumps from other sites
/// refer to the same rows, and with its stored <c>json</c> value as Alyx's fixtures hold it (<c>""</c> for some data formats and
/// the repository types, null for the rest). Loading adds the rows whose name (for probe models: whose <c>probe_model</c>) is
/// missing and changes nothing else.
/// </summary>
public sealed class ReferenceData
{
    public required IReadOnlyList<(Guid Id, string Name)> RepositoryTypes { get; init; }
    public required IReadOnlyList<DataFormat> Formats { get; init; }
    public required IReadOnlyList<DatasetType> DatasetTypes { get; init; }
    public required IReadOnlyList<(Guid Id, string Name, string Description)> ProcedureTypes { get; init; }
    public required IReadOnlyList<(Guid Id, string Name)> WaterTypes { get; init; }
    public required IReadOnlyList<ProbeModel> ProbeModels { get; init; }
    public required IReadOnlyList<CoordinateSystem> CoordinateSystems { get; init; }

    /// <summary>The stored <c>json</c> value (raw JSON text) of the shipped rows whose value is not null, by id.</summary>
    public required IReadOnlyDictionary<Guid, string> Json { get; init; }

    /// <summary>The stored <c>json</c> value of the shipped row <paramref name="id"/> (null for most).</summary>
    public string? JsonOf(Guid id) => Json.GetValueOrDefault(id);
    public required IReadOnlyList<(Guid Id, string Name)> ImagingTypes { get; init; }

    /// <summary>The rows this build ships.</summary>
    public static ReferenceData Shipped { get; } = Read();

    static ReferenceData Read()
    {
        using var stream = typeof(ReferenceData).Assembly.GetManifestResourceStream("Alyx.ReferenceData.json")
            ?? throw new InvalidOperationException("The reference data resource is missing from the build.");
        using var doc = JsonDocument.Parse(stream);
        var root = doc.RootElement;
        static IEnumerable<string[]> Rows(JsonElement root, string key) =>
            root.GetProperty(key).EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetString() ?? "").ToArray());
        var json = root.GetProperty("json").EnumerateObject().ToDictionary(p => Guid.Parse(p.Name), p => p.Value.GetRawText());
        string? JsonOf(string id) => json.GetValueOrDefault(Guid.Parse(id));
        return new ReferenceData
        {
            Json = json,
            RepositoryTypes = [.. Rows(root, "data_repository_types").Select(r => (Guid.Parse(r[0]), r[1]))],
            Formats = [.. Rows(root, "data_formats").Select(r => new DataFormat
            {
                Id = Guid.Parse(r[0]),
                Name = r[1],
                FileExtension = r[2],
                Description = r[3],
                MatlabLoaderFunction = r[4],
                PythonLoaderFunction = r[5],
                Json = JsonOf(r[0]),
            })],
            DatasetTypes = [.. Rows(root, "dataset_types").Select(r => new DatasetType
            {
                Id = Guid.Parse(r[0]),
                Name = r[1],
                FilenamePattern = r[2].Length == 0 ? null : r[2],
                Description = r[3],
                Json = JsonOf(r[0]),
            })],
            ProcedureTypes = [.. Rows(root, "procedure_types").Select(r => (Guid.Parse(r[0]), r[1], r[2]))],
            WaterTypes = [.. Rows(root, "water_types").Select(r => (Guid.Parse(r[0]), r[1]))],
            ProbeModels = [.. Rows(root, "probe_models").Select(r => new ProbeModel
            {
                Id = Guid.Parse(r[0]),
                Name = r[1],
                ProbeManufacturer = r[2],
                Model = r[3],
                Description = r[4].Length == 0 ? null : r[4],
                Json = JsonOf(r[0]),
            })],
            CoordinateSystems = [.. Rows(root, "coordinate_systems").Select(r => new CoordinateSystem
            {
                Id = Guid.Parse(r[0]),
                Name = r[1],
                Description = r[2],
                Json = JsonOf(r[0]),
            })],
            ImagingTypes = [.. Rows(root, "imaging_types").Select(r => (Guid.Parse(r[0]), r[1]))],
        };
    }

    /// <summary>Adds the shipped rows missing by name (keeping their ids unless taken); returns how many of each kind were added.</summary>
    public static async Task<IReadOnlyList<(string Kind, int Rows)>> LoadAsync(AlyxDb db, CancellationToken ct = default)
    {
        var shipped = Shipped;
        var added = new List<(string, int)>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        async Task AddMissingAsync<T>(string kind, DbSet<T> set, IEnumerable<T> rows, Func<T, string> name, Func<T, Guid> id,
            Func<T, Guid, T> withId, string key = "Name") where T : class
        {
            var names = (await set.Select(r => EF.Property<string>(r, key)).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
            var ids = (await set.Select(r => EF.Property<Guid>(r, "Id")).ToListAsync(ct)).ToHashSet();
            var missing = rows.Where(r => !names.Contains(name(r))).Select(r => ids.Contains(id(r)) ? withId(r, Guid.NewGuid()) : r).ToList();
            if (missing.Count == 0) return;
            set.AddRange(missing);
            await db.SaveChangesAsync(ct);
            added.Add((kind, missing.Count));
        }

        await AddMissingAsync("data repository types", db.DataRepositoryTypes,
            shipped.RepositoryTypes.Select(t => new DataRepositoryType { Id = t.Id, Name = t.Name, Json = shipped.JsonOf(t.Id) }), t => t.Name, t => t.Id,
            (t, id) => new DataRepositoryType { Id = id, Name = t.Name, Json = t.Json });
        await AddMissingAsync("data formats", db.DataFormats, shipped.Formats.Select(Copy), f => f.Name, f => f.Id, (f, id) =>
        {
            f.Id = id;
            return f;
        });
        await AddMissingAsync("dataset types", db.DatasetTypes, shipped.DatasetTypes.Select(Copy), t => t.Name, t => t.Id, (t, id) =>
        {
            t.Id = id;
            return t;
        });
        await AddMissingAsync("procedure types", db.Set<ProcedureType>(),
            shipped.ProcedureTypes.Select(p => new ProcedureType { Id = p.Id, Name = p.Name, Description = p.Description, Json = shipped.JsonOf(p.Id) }),
            p => p.Name, p => p.Id, (p, id) => new ProcedureType { Id = id, Name = p.Name, Description = p.Description, Json = p.Json });
        await AddMissingAsync("water types", db.Set<WaterType>(),
            shipped.WaterTypes.Select(w => new WaterType { Id = w.Id, Name = w.Name, Json = shipped.JsonOf(w.Id) }),
            w => w.Name, w => w.Id, (w, id) => new WaterType { Id = id, Name = w.Name, Json = w.Json });
        await AddMissingAsync("probe models", db.ProbeModels, shipped.ProbeModels.Select(Copy), m => m.Model, m => m.Id, (m, id) =>
        {
            m.Id = id;
            return m;
        }, nameof(ProbeModel.Model));
        await AddMissingAsync("coordinate systems", db.CoordinateSystems,
            shipped.CoordinateSystems.Select(c => new CoordinateSystem { Id = c.Id, Name = c.Name, Description = c.Description, Json = c.Json }),
            c => c.Name, c => c.Id, (c, id) =>
            {
                c.Id = id;
                return c;
            });
        await AddMissingAsync("imaging types", db.Set<ImagingType>(), shipped.ImagingTypes.Select(t => new ImagingType { Id = t.Id, Name = t.Name }),
            t => t.Name, t => t.Id, (t, id) => new ImagingType { Id = id, Name = t.Name });
        if (await BrainRegionData.LoadAsync(db, ct) is > 0 and var regions) added.Add(("brain regions", regions));
        await tx.CommitAsync(ct);
        return added;
    }

    static DataFormat Copy(DataFormat f) => new()
    {
        Id = f.Id,
        Name = f.Name,
        FileExtension = f.FileExtension,
        Description = f.Description,
        MatlabLoaderFunction = f.MatlabLoaderFunction,
        PythonLoaderFunction = f.PythonLoaderFunction,
        Json = f.Json,
    };

    static ProbeModel Copy(ProbeModel m) =>
        new() { Id = m.Id, Name = m.Name, ProbeManufacturer = m.ProbeManufacturer, Model = m.Model, Description = m.Description, Json = m.Json };

    static DatasetType Copy(DatasetType t) => new() { Id = t.Id, Name = t.Name, FilenamePattern = t.FilenamePattern, Description = t.Description, Json = t.Json };
}
