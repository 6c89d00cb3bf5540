using System.Diagnostics;
using System.Text.Json.Nodes;
using Alyx.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Alyx.Database.Import;

public sealed record SyntheticLabReport(Dictionary<string, long> Counts, TimeSpan Elapsed)
{
    public long Total => Counts.Values.Sum();
}

/// <summary>
/// A realistic lab at a chosen scale, deterministic for a seed: at scale 1, 1,000 subjects, 10,000 sessions, 100,000 datasets
/// and 300,000 file records, with weighings, water administrations, restrictions, JSON fields and QC spread like a lab's.
/// Records are rows of the importer's mappers (the same columns, defaults and encodings as a dump's), appended in one
/// transaction by the provider's bulk path (<see cref="BulkInserter"/>) a batch at a time, so memory stays flat at any
/// scale. Needs the reference data (dataset types, formats, water types) loaded first.
/// </summary>
public sealed class SyntheticLab(AlyxDb db, AlyxClock clock, double scale, int seed)
{
    const int Batch = 10_000;
    static readonly DateTime Epoch = new(2022, 1, 3, 0, 0, 0);

    static readonly (string Name, string Type, string Format)[] SessionFiles =
    [
        ("_ibl_trials.table.pqt", "trials.table", "parquet"),
        ("_ibl_trials.goCueTrigger_times.npy", "trials.goCueTrigger_times", "npy"),
        ("_ibl_wheel.position.npy", "wheel.position", "npy"),
        ("_ibl_wheel.timestamps.npy", "wheel.timestamps", "npy"),
        ("_ibl_wheelMoves.intervals.npy", "wheelMoves.intervals", "npy"),
        ("_ibl_leftCamera.times.npy", "camera.times", "npy"),
        ("_ibl_leftCamera.dlc.pqt", "camera.dlc", "parquet"),
        ("_iblrig_taskData.raw.jsonable", "_iblrig_taskData.raw", "jsonable"),
        ("_iblrig_taskSettings.raw.json", "_iblrig_taskSettings.raw", "json"),
        ("_ibl_experiment.description.yaml", "experiment.description", "yaml"),
    ];

    static readonly int[] QcCodes = [0, 10, 10, 10, 30, 40, 50];
    static readonly string[] Protocols =
        ["_iblrig_tasks_trainingChoiceWorld6.4.2", "_iblrig_tasks_biasedChoiceWorld6.4.2", "_iblrig_tasks_ephysChoiceWorld6.4.2", "_iblrig_tasks_passiveChoiceWorld6.4.2"];

    /// <summary>The tables that get many rows: their secondary indexes are built after the load (<see cref="DeferredSchema"/>).</summary>
    static readonly string[] Bulk =
        ["subjects.subject", "actions.waterrestriction", "actions.weighing", "actions.wateradministration", "actions.session", "data.dataset", "data.filerecord"];

    readonly Random random = new(seed);
    readonly List<SyntheticTable> tables = [];
    BulkInserter inserter = null!;
    Dictionary<string, ModelMapper> mappers = null!;

    int N(int perScale) => Math.Max(1, (int)Math.Round(perScale * scale));

    /// <summary>A random (version 4) UUID drawn from the seeded generator.</summary>
    Guid Uuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    /// <summary>A time as a dump carries it: to the microsecond (<see cref="AlyxFormats.FormatDateTime"/>).</summary>
    static DateTime Stamp(DateTime t) => t.AddTicks(-(t.Ticks % 10));

    public async Task<SyntheticLabReport> GenerateAsync(Action<string>? progress, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        mappers = new DumpImporter(db, clock).Mappers.ToDictionary(m => m.Label);
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var settings = await BulkLoadSettings.ApplyAsync(db, ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var deferred = await DeferredSchema.DropAsync(db, tx.GetDbTransaction(),
                Bulk.Select(l => mappers[l]).SelectMany(m => m.Links.Select(k => k.Table).Prepend(m.Table)), ct);
            await using (inserter = BulkInserter.For(db, tx.GetDbTransaction()))
            {
                // Each part is flushed whole before the next refers to it (SQLite checks foreign keys at every statement).
                var lab = await WriteLabAsync(ct);
                await FlushAsync(ct);
                var subjects = await WriteSubjectsAsync(lab, ct);
                await FlushAsync(ct);
                var sessions = await WriteSessionsAsync(lab, subjects, ct);
                await FlushAsync(ct);
                await WriteDatasetsAsync(lab, sessions, ct);
                await FlushAsync(ct);
            }
            await deferred.RestoreAsync(ct);
            await tx.CommitAsync(ct);
            // Rows written through bulk commands, which the context's WriteTracker does not see.
            WriteTracker.Of(db)?.Invalidate();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        var counts = tables.ToDictionary(t => t.Label, t => t.Count, StringComparer.Ordinal);
        foreach (var (label, n) in counts) progress?.Invoke($"{label,-30} {n,10}");
        return new SyntheticLabReport(counts, started.Elapsed);
    }

    /// <summary>A table of the lab, flushed every <paramref name="batch"/> rows (<see cref="int.MaxValue"/>: with its parent only).</summary>
    SyntheticTable Table(string label, int batch, params string[] fields)
    {
        var table = new SyntheticTable(mappers[label], inserter, batch, fields);
        tables.Add(table);
        return table;
    }

    SyntheticTable Table(string label, params string[] fields) => Table(label, Batch, fields);

    async Task FlushAsync(CancellationToken ct)
    {
        foreach (var table in tables) await table.FlushAsync(ct);
    }

    /// <summary>The lab's own rows and the ids the rest refers to.</summary>
    sealed record Lab(Guid Id, Guid[] Users, Guid[] Projects, Guid[] Repositories, Guid? Water,
        Dictionary<string, Guid> Types, Dictionary<string, Guid> Formats);

    sealed record SynthSession(Guid Id, string Subject, Guid SubjectId, DateTime Start, int Number);

    // Each record's values are listed in the order the generator draws them: reordering them changes every seed's lab.

    /// <summary>Dataset types and formats the reference data lacks, the lab, its people, projects and repositories.</summary>
    async Task<Lab> WriteLabAsync(CancellationToken ct)
    {
        var types = await db.Set<Data.DatasetType>().ToDictionaryAsync(t => t.Name, t => t.Id, ct);
        var formats = await db.Set<Data.DataFormat>().ToDictionaryAsync(f => f.Name, f => f.Id, ct);
        // Matched by name, as ALF object.attribute.
        var newTypes = SessionFiles.Select(f => f.Type).Distinct().Where(t => !types.ContainsKey(t)).Select(t => (Id: Uuid(), Name: t)).ToList();
        var newFormats = SessionFiles.Select(f => f.Format).Distinct().Where(f => !formats.ContainsKey(f)).Select(f => (Id: Uuid(), Name: f)).ToList();
        foreach (var (id, name) in newTypes) types[name] = id;
        foreach (var (id, name) in newFormats) formats[name] = id;
        var water = await db.Set<Actions.WaterType>().Where(w => w.Name == "Water").Select(w => (Guid?)w.Id).FirstOrDefaultAsync(ct);

        var datasetTypes = Table("data.datasettype", "name", "description", "filename_pattern");
        foreach (var (id, name) in newTypes) await datasetTypes.AddAsync(id, [name, "", null], ct);
        var dataFormats = Table("data.dataformat", "name", "file_extension", "description", "matlab_loader_function", "python_loader_function");
        foreach (var (id, name) in newFormats) await dataFormats.AddAsync(id, [name, "." + name, "", "", ""], ct);

        var lab = Uuid();
        await Table("misc.lab", "name", "timezone", "reference_weight_pct").AddAsync(lab, ["synthlab", "Europe/London", 0.8], ct);
        var users = Enumerable.Range(0, 10).Select(i => (Id: Uuid(), Name: $"synth_user{i:00}")).ToList();
        var members = Table("misc.labmember", "username", "password", "date_joined", "is_active");
        foreach (var (id, name) in users) await members.AddAsync(id, [name, "!", Epoch, true], ct);
        var projects = Enumerable.Range(0, 5).Select(i => (Id: Uuid(), Name: $"synth_project_{i}")).ToList();
        var projectTable = Table("subjects.project", "name", "description");
        foreach (var (id, name) in projects) await projectTable.AddAsync(id, [name, ""], ct);
        var repositories = new (Guid Id, string Name, bool Personal, string? Url)[]
        {
            (Uuid(), "flatiron_synthlab", false, "https://data.example.org/synthlab/Subjects/"),
            (Uuid(), "aws_synthlab", false, null),
            (Uuid(), "synthlab_rig01", true, null),
        };
        var repositoryTable = Table("data.datarepository", "name", "globus_is_personal", "data_url", "hostname", "timezone", "globus_path");
        foreach (var r in repositories)
            await repositoryTable.AddAsync(r.Id, [r.Name, r.Personal, r.Url, r.Name + ".example.org", "Europe/London", "/synthlab/Subjects/"], ct);
        return new Lab(lab, [.. users.Select(u => u.Id)], [.. projects.Select(p => p.Id)], [.. repositories.Select(r => r.Id)],
            water, types, formats);
    }

    /// <summary>Subjects with their weighings, water administrations and restrictions.</summary>
    async Task<List<(Guid Id, string Nickname)>> WriteSubjectsAsync(Lab lab, CancellationToken ct)
    {
        var subjects = new List<(Guid Id, string Nickname, DateOnly Birth)>(N(1_000));
        for (var i = 0; i < N(1_000); i++)
            subjects.Add((Uuid(), $"SYN_{i:00000}", DateOnly.FromDateTime(Epoch).AddDays(-random.Next(40, 200))));
        var subjectTable = Table("subjects.subject", "nickname", "lab", "sex", "birth_date", "responsible_user", "projects", "json");
        foreach (var s in subjects)
        {
            await subjectTable.AddAsync(s.Id, [s.Nickname, lab.Id, random.Next(2) == 0 ? "M" : "F", s.Birth, User(lab), new[] { Project(lab) },
                "{\"history\":{}}"], ct);
        }
        await subjectTable.FlushAsync(ct);

        var restrictions = Table("actions.waterrestriction", "subject", "start_time", "end_time", "reference_weight", "water_type", "lab", "users", "procedures");
        foreach (var s in subjects.Where((_, i) => i % 4 == 0))
        {
            var start = Epoch.AddDays(random.Next(0, 300)).AddHours(9);
            await restrictions.AddAsync(Uuid(), [s.Id, Stamp(start), random.Next(3) == 0 ? null : Stamp(start.AddDays(random.Next(20, 200))),
                Math.Round(18 + random.NextDouble() * 8, 1), lab.Water, lab.Id, System.Array.Empty<Guid>(), System.Array.Empty<Guid>()], ct);
        }
        var weighings = Table("actions.weighing", "subject", "date_time", "weight", "user");
        foreach (var s in subjects)
        {
            for (var d = 0; d < 10; d++)
            {
                await weighings.AddAsync(Uuid(), [s.Id, Stamp(Epoch.AddDays(d * 7 + random.Next(7)).AddHours(8 + random.NextDouble())),
                    Math.Round(17 + random.NextDouble() * 10, 2), User(lab)], ct);
            }
        }
        var water = Table("actions.wateradministration", "subject", "date_time", "water_administered", "water_type", "user", "adlib");
        foreach (var s in subjects)
        {
            for (var d = 0; d < 10; d++)
            {
                await water.AddAsync(Uuid(), [s.Id, Stamp(Epoch.AddDays(d * 7 + random.Next(7)).AddHours(14 + random.NextDouble())),
                    Math.Round(0.2 + random.NextDouble(), 3), lab.Water, User(lab), random.Next(20) == 0], ct);
            }
        }
        return [.. subjects.Select(s => (s.Id, s.Nickname))];
    }

    /// <summary>Sessions, ten per subject, with JSON and extended QC.</summary>
    async Task<List<SynthSession>> WriteSessionsAsync(Lab lab, List<(Guid Id, string Nickname)> subjects, CancellationToken ct)
    {
        const int perSubject = 10;
        var sessions = new List<SynthSession>(subjects.Count * perSubject);
        foreach (var s in subjects)
        {
            var day = Epoch.AddDays(random.Next(0, 30));
            for (var k = 0; k < perSubject; k++)
            {
                day = day.AddDays(1 + random.Next(0, 6));
                sessions.Add(new(Uuid(), s.Nickname, s.Id,
                    day.AddHours(9 + random.Next(0, 8)).AddMinutes(random.Next(60)).AddSeconds(random.NextDouble() * 60), 1 + random.Next(3) / 2));
            }
        }
        var table = Table("actions.session", "subject", "lab", "number", "start_time", "end_time", "type", "task_protocol", "n_trials",
            "n_correct_trials", "qc", "users", "projects", "procedures", "json", "extended_qc", "auto_datetime");
        foreach (var s in sessions)
        {
            var trials = random.Next(0, 900);
            var qc = QcCodes[random.Next(QcCodes.Length)];
            await table.AddAsync(s.Id,
            [
                s.SubjectId, lab.Id, s.Number, Stamp(s.Start), Stamp(s.Start.AddMinutes(40 + random.Next(50))), "Experiment",
                Protocols[random.Next(Protocols.Length)], trials, (int)(trials * (0.5 + random.NextDouble() / 2)), qc,
                new[] { User(lab) }, new[] { Project(lab) }, System.Array.Empty<Guid>(),
                new JsonObject { ["IS_MOCK"] = random.Next(10) == 0, ["PYBPOD_BOARD"] = $"_iblrig_synth_behavior_{random.Next(8)}", ["POOP_COUNT"] = random.Next(10) }
                    .ToJsonString(),
                new JsonObject
                {
                    ["task"] = random.Next(4) == 0 ? "FAIL" : "PASS",
                    ["_task_stimOn_delays"] = Math.Round(random.NextDouble(), 4),
                    ["behavior"] = random.Next(2) == 1,
                }.ToJsonString(),
                Stamp(s.Start.AddHours(2)),
            ], ct);
        }
        return sessions;
    }

    /// <summary>Ten datasets per session, each with a file record on every repository (the personal one's exists half the time).</summary>
    async Task WriteDatasetsAsync(Lab lab, List<SynthSession> sessions, CancellationToken ct)
    {
        var datasets = Table("data.dataset", "name", "session", "collection", "dataset_type", "data_format", "file_size", "hash", "version", "qc",
            "default_dataset", "created_by", "created_datetime", "auto_datetime");
        // File records follow their datasets' batch: the buffer never holds more than one batch's.
        var files = Table("data.filerecord", int.MaxValue, "dataset", "data_repository", "relative_path", "exists");
        datasets.Then.Add(files);
        foreach (var s in sessions)
        {
            foreach (var f in SessionFiles)
            {
                var id = Uuid();
                var qc = QcCodes[random.Next(QcCodes.Length)];
                var relative = $"{s.Subject}/{s.Start:yyyy-MM-dd}/{s.Number:000}/alf/{f.Name}";
                for (var i = 0; i < lab.Repositories.Length; i++)
                    await files.AddAsync(Uuid(), [id, lab.Repositories[i], relative, i < 2 || random.Next(2) == 0], ct);
                var created = Stamp(s.Start.AddHours(3));
                await datasets.AddAsync(id,
                [
                    f.Name, s.Id, "alf", TypeId(lab.Types, f.Type), TypeId(lab.Formats, f.Format), (long)random.Next(1_000, 50_000_000), Hash(id),
                    "1.2.3", qc, true, User(lab), created, created,
                ], ct);
            }
        }
    }

    Guid User(Lab lab) => lab.Users[random.Next(lab.Users.Length)];

    Guid Project(Lab lab) => lab.Projects[random.Next(lab.Projects.Length)];

    static Guid TypeId(Dictionary<string, Guid> byName, string name) =>
        byName.TryGetValue(name, out var id) ? id
        : byName.TryGetValue("unknown", out var unknown) ? unknown
        : throw new InvalidOperationException($"'{name}' and 'unknown' are missing: load the reference data first (alyx load-reference-data).");

    /// <summary>A stand-in file hash: 32 hex digits, like the md5 sums ONE sends (no file exists to hash).</summary>
    static string Hash(Guid id) => id.ToString("N");
}
