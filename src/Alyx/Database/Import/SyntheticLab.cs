using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
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
/// Records go through the importer's mappers and batched writer (the same encodings as a dump), a batch at a time, so
/// memory stays flat at any scale. Needs the reference data (dataset types, formats, water types) loaded first.
/// </summary>
public sealed class SyntheticLab(AlyxDb db, AlyxClock clock, double scale, int seed)
{
    const int Batch = 2_000;
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

    readonly Random random = new(seed);
    readonly Dictionary<string, long> counts = new(StringComparer.Ordinal);
    DumpWriter writer = null!;
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

    static string Text(Guid g) => g.ToString("D");

    static string Stamp(DateTime t) => AlyxFormats.FormatDateTime(t);

    public async Task<SyntheticLabReport> GenerateAsync(Action<string>? progress, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        mappers = new DumpImporter(db, clock).Mappers.ToDictionary(m => m.Label);
        var types = await db.Set<Data.DatasetType>().ToDictionaryAsync(t => t.Name, t => t.Id, ct);
        var formats = await db.Set<Data.DataFormat>().ToDictionaryAsync(f => f.Name, f => f.Id, ct);
        var newTypes = SessionFiles.Select(f => f.Type).Distinct().Where(t => !types.ContainsKey(t)).Select(t => (Id: Uuid(), Name: t)).ToList();
        var newFormats = SessionFiles.Select(f => f.Format).Distinct().Where(f => !formats.ContainsKey(f)).Select(f => (Id: Uuid(), Name: f)).ToList();
        foreach (var (id, name) in newTypes) types[name] = id;
        foreach (var (id, name) in newFormats) formats[name] = id;
        var water = await db.Set<Actions.WaterType>().Where(w => w.Name == "Water").Select(w => (Guid?)w.Id).FirstOrDefaultAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        writer = new DumpWriter(db, tx.GetDbTransaction(), null);

        // Dataset types and formats the reference data lacks (matched by name, as ALF object.attribute).
        await WriteAsync("data.datasettype", newTypes.Select(t => (t.Id, new JsonObject { ["name"] = t.Name, ["description"] = "", ["filename_pattern"] = null })), ct);
        await WriteAsync("data.dataformat", newFormats.Select(f => (f.Id, new JsonObject
        {
            ["name"] = f.Name,
            ["file_extension"] = "." + f.Name,
            ["description"] = "",
            ["matlab_loader_function"] = "",
            ["python_loader_function"] = "",
        })), ct);

        // The lab, its people, projects and repositories.
        var lab = Uuid();
        await WriteAsync("misc.lab", [(lab, new JsonObject { ["name"] = "synthlab", ["timezone"] = "Europe/London", ["reference_weight_pct"] = 0.8 })], ct);
        var users = Enumerable.Range(0, 10).Select(i => (Id: Uuid(), Name: $"synth_user{i:00}")).ToList();
        await WriteAsync("misc.labmember", users.Select(u => (u.Id, new JsonObject
        {
            ["username"] = u.Name,
            ["password"] = "!",
            ["date_joined"] = Stamp(Epoch),
            ["is_active"] = true,
        })), ct);
        var projects = Enumerable.Range(0, 5).Select(i => (Id: Uuid(), Name: $"synth_project_{i}")).ToList();
        await WriteAsync("subjects.project", projects.Select(p => (p.Id, new JsonObject { ["name"] = p.Name, ["description"] = "" })), ct);
        var repositories = new (Guid Id, string Name, bool Personal, string? Url)[]
        {
            (Uuid(), "flatiron_synthlab", false, "https://data.example.org/synthlab/Subjects/"),
            (Uuid(), "aws_synthlab", false, null),
            (Uuid(), "synthlab_rig01", true, null),
        };
        await WriteAsync("data.datarepository", repositories.Select(r => (r.Id, new JsonObject
        {
            ["name"] = r.Name,
            ["globus_is_personal"] = r.Personal,
            ["data_url"] = r.Url,
            ["hostname"] = r.Name + ".example.org",
            ["timezone"] = "Europe/London",
            ["globus_path"] = "/synthlab/Subjects/",
        })), ct);

        // Subjects with their weighings, water and restrictions.
        var subjects = new List<(Guid Id, string Nickname, DateOnly Birth)>(N(1_000));
        for (var i = 0; i < N(1_000); i++)
            subjects.Add((Uuid(), $"SYN_{i:00000}", DateOnly.FromDateTime(Epoch).AddDays(-random.Next(40, 200))));
        await WriteAsync("subjects.subject", subjects.Select(s => (s.Id, new JsonObject
        {
            ["nickname"] = s.Nickname,
            ["lab"] = Text(lab),
            ["sex"] = random.Next(2) == 0 ? "M" : "F",
            ["birth_date"] = s.Birth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["responsible_user"] = Text(users[random.Next(users.Count)].Id),
            ["projects"] = new JsonArray(Text(projects[random.Next(projects.Count)].Id)),
            ["json"] = new JsonObject { ["history"] = new JsonObject() },
        })), ct);
        await WriteAsync("actions.waterrestriction", subjects.Where((_, i) => i % 4 == 0).Select(s =>
        {
            var start = Epoch.AddDays(random.Next(0, 300)).AddHours(9);
            return (Uuid(), new JsonObject
            {
                ["subject"] = Text(s.Id),
                ["start_time"] = Stamp(start),
                ["end_time"] = random.Next(3) == 0 ? null : Stamp(start.AddDays(random.Next(20, 200))),
                ["reference_weight"] = Math.Round(18 + random.NextDouble() * 8, 1),
                ["water_type"] = water is null ? null : Text(water.Value),
                ["lab"] = Text(lab),
                ["users"] = new JsonArray(),
                ["procedures"] = new JsonArray(),
            });
        }), ct);
        await WriteAsync("actions.weighing", subjects.SelectMany(s => Enumerable.Range(0, 10).Select(d => (Uuid(), new JsonObject
        {
            ["subject"] = Text(s.Id),
            ["date_time"] = Stamp(Epoch.AddDays(d * 7 + random.Next(7)).AddHours(8 + random.NextDouble())),
            ["weight"] = Math.Round(17 + random.NextDouble() * 10, 2),
            ["user"] = Text(users[random.Next(users.Count)].Id),
        }))), ct);
        await WriteAsync("actions.wateradministration", subjects.SelectMany(s => Enumerable.Range(0, 10).Select(d => (Uuid(), new JsonObject
        {
            ["subject"] = Text(s.Id),
            ["date_time"] = Stamp(Epoch.AddDays(d * 7 + random.Next(7)).AddHours(14 + random.NextDouble())),
            ["water_administered"] = Math.Round(0.2 + random.NextDouble(), 3),
            ["water_type"] = water is null ? null : Text(water.Value),
            ["user"] = Text(users[random.Next(users.Count)].Id),
            ["adlib"] = random.Next(20) == 0,
        }))), ct);

        // Sessions, ten per subject, then ten datasets per session with three file records each.
        var perSubject = 10;
        var sessions = new List<(Guid Id, string Subject, DateTime Start, int Number)>(subjects.Count * perSubject);
        foreach (var s in subjects)
        {
            var day = Epoch.AddDays(random.Next(0, 30));
            for (var k = 0; k < perSubject; k++)
            {
                day = day.AddDays(1 + random.Next(0, 6));
                sessions.Add((Uuid(), s.Nickname, day.AddHours(9 + random.Next(0, 8)).AddMinutes(random.Next(60)).AddSeconds(random.NextDouble() * 60), 1 + random.Next(3) / 2));
            }
        }
        var subjectIds = subjects.ToDictionary(s => s.Nickname, s => s.Id);
        await WriteAsync("actions.session", sessions.Select(s =>
        {
            var trials = random.Next(0, 900);
            var qc = QcCodes[random.Next(QcCodes.Length)];
            return (s.Id, new JsonObject
            {
                ["subject"] = Text(subjectIds[s.Subject]),
                ["lab"] = Text(lab),
                ["number"] = s.Number,
                ["start_time"] = Stamp(s.Start),
                ["end_time"] = Stamp(s.Start.AddMinutes(40 + random.Next(50))),
                ["type"] = "Experiment",
                ["task_protocol"] = Protocols[random.Next(Protocols.Length)],
                ["n_trials"] = trials,
                ["n_correct_trials"] = (int)(trials * (0.5 + random.NextDouble() / 2)),
                ["qc"] = qc,
                ["users"] = new JsonArray(Text(users[random.Next(users.Count)].Id)),
                ["projects"] = new JsonArray(Text(projects[random.Next(projects.Count)].Id)),
                ["procedures"] = new JsonArray(),
                ["json"] = new JsonObject { ["IS_MOCK"] = random.Next(10) == 0, ["PYBPOD_BOARD"] = $"_iblrig_synth_behavior_{random.Next(8)}", ["POOP_COUNT"] = random.Next(10) },
                ["extended_qc"] = new JsonObject
                {
                    ["task"] = random.Next(4) == 0 ? "FAIL" : "PASS",
                    ["_task_stimOn_delays"] = Math.Round(random.NextDouble(), 4),
                    ["behavior"] = random.Next(2) == 1,
                },
                ["auto_datetime"] = Stamp(s.Start.AddHours(2)),
            });
        }), ct);

        var fileRecords = new List<(Guid, JsonObject)>(Batch * 3);
        await WriteAsync("data.dataset", sessions.SelectMany(s => SessionFiles.Select(f =>
        {
            var id = Uuid();
            var qc = QcCodes[random.Next(QcCodes.Length)];
            var relative = $"{s.Subject}/{s.Start:yyyy-MM-dd}/{s.Number:000}/alf/{f.Name}";
            foreach (var (repo, i) in repositories.Select((r, i) => (r, i)))
            {
                fileRecords.Add((Uuid(), new JsonObject
                {
                    ["dataset"] = Text(id),
                    ["data_repository"] = Text(repo.Id),
                    ["relative_path"] = relative,
                    ["exists"] = i < 2 || random.Next(2) == 0,
                }));
            }
            return (id, new JsonObject
            {
                ["name"] = f.Name,
                ["session"] = Text(s.Id),
                ["collection"] = "alf",
                ["dataset_type"] = TypeId(types, f.Type),
                ["data_format"] = TypeId(formats, f.Format),
                ["file_size"] = random.Next(1_000, 50_000_000),
                ["hash"] = Hash(id),
                ["version"] = "1.2.3",
                ["qc"] = qc,
                ["default_dataset"] = true,
                ["created_by"] = Text(users[random.Next(users.Count)].Id),
                ["created_datetime"] = Stamp(s.Start.AddHours(3)),
                ["auto_datetime"] = Stamp(s.Start.AddHours(3)),
            });
        })), ct, afterBatch: async () =>
        {
            // File records follow their datasets' batch, so the buffer never holds more than one batch.
            await WriteAsync("data.filerecord", fileRecords, ct);
            fileRecords.Clear();
        });

        await tx.CommitAsync(ct);
        foreach (var (label, n) in counts) progress?.Invoke($"{label,-30} {n,10}");
        return new SyntheticLabReport(counts, started.Elapsed);
    }

    static string TypeId(Dictionary<string, Guid> byName, string name) =>
        byName.TryGetValue(name, out var id) ? Text(id)
        : byName.TryGetValue("unknown", out var unknown) ? Text(unknown)
        : throw new InvalidOperationException($"'{name}' and 'unknown' are missing: load the reference data first (alyx load-reference-data).");

    /// <summary>A stand-in file hash: 32 hex digits, like the md5 sums ONE sends (no file exists to hash).</summary>
    static string Hash(Guid id) => id.ToString("N");

    /// <summary>Maps records as a dump would give them and writes them a batch at a time (links included).</summary>
    async Task WriteAsync(string label, IEnumerable<(Guid Pk, JsonObject Fields)> records, CancellationToken ct, Func<Task>? afterBatch = null)
    {
        var mapper = mappers[label];
        var rows = new List<DumpRow>(Batch);
        long n = 0;
        foreach (var (pk, fields) in records)
        {
            using var doc = JsonDocument.Parse(fields.ToJsonString());
            rows.Add(mapper.Map("synthetic", (int)Math.Min(++n, int.MaxValue), pk, doc.RootElement));
            if (rows.Count == Batch)
            {
                await FlushAsync(mapper, rows, ct);
                if (afterBatch is not null) await afterBatch();
            }
        }
        if (rows.Count > 0)
        {
            await FlushAsync(mapper, rows, ct);
            if (afterBatch is not null) await afterBatch();
        }
        counts[label] = counts.GetValueOrDefault(label) + n;
    }

    async Task FlushAsync(ModelMapper mapper, List<DumpRow> rows, CancellationToken ct)
    {
        await writer.UpsertAsync(mapper, rows, [], ct);
        for (var l = 0; l < mapper.Links.Length; l++) await writer.ReplaceLinksAsync(mapper, l, rows, ct);
        rows.Clear();
    }
}
