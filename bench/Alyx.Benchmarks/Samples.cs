using Alyx.Actions;
using Alyx.Data;
using Alyx.Http;

namespace Alyx.Benchmarks;

/// <summary>
/// Deterministic, realistic rows for the benchmarks: IBL-like sessions and datasets as the list endpoints return them.
/// Same seed, same data, so runs compare.
/// </summary>
public static class Samples
{
    public const string Root = "https://alyx.example.org";

    static readonly string[] Labs = ["cortexlab", "churchlandlab", "hoferlab", "mainenlab", "wittenlab", "danlab"];
    static readonly string[] Projects = ["ibl_neuropixel_brainwide_01", "ibl_behaviour_pilot", "practice"];
    static readonly string[] Protocols =
    [
        "_iblrig_tasks_ephysChoiceWorld6.6.2",
        "_iblrig_tasks_trainingChoiceWorld6.4.2",
        "_iblrig_tasks_biasedChoiceWorld6.4.2/_iblrig_tasks_passiveChoiceWorld7.1.0",
    ];

    static readonly (string Name, string Collection, string Type, string Format)[] Files =
    [
        ("_ibl_trials.table.pqt", "alf", "trials.table", "parquet"),
        ("_ibl_wheel.position.npy", "alf", "wheel.position", "npy"),
        ("_ibl_wheel.timestamps.npy", "alf", "wheel.timestamps", "npy"),
        ("spikes.times.npy", "alf/probe00/pykilosort", "spikes.times", "npy"),
        ("spikes.clusters.npy", "alf/probe00/pykilosort", "spikes.clusters", "npy"),
        ("_iblrig_leftCamera.raw.mp4", "raw_video_data", "_iblrig_Camera.raw", "mp4"),
        ("_spikeglx_ephysData_g0_t0.imec0.ap.cbin", "raw_ephys_data/probe00", "ephysData.raw.ap", "bin"),
        ("_iblrig_taskSettings.raw.json", "raw_behavior_data", "_iblrig_taskSettings.raw", "json"),
    ];

    static Guid NewGuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    /// <summary>A <c>/sessions?limit=100</c> page: the light list rows, with next/previous links.</summary>
    public static Page<SessionListItem> SessionsPage(int count = 100)
    {
        var random = new Random(42);
        var start = new DateTime(2024, 3, 5, 10, 12, 33, 598, DateTimeKind.Unspecified);
        var rows = new List<SessionListItem>(count);
        for (var i = 0; i < count; i++)
        {
            var id = NewGuid(random);
            rows.Add(new SessionListItem(
                id,
                $"KS{random.Next(10, 99):D3}",
                start.AddMinutes(-97 * i).AddTicks(random.Next(0, 10_000_000)),
                random.Next(1, 4),
                Labs[random.Next(Labs.Length)],
                i % 7 == 0 ? [Projects[0], Projects[1]] : [Projects[random.Next(Projects.Length)]],
                Root + "/sessions/" + id.ToString("D"),
                Protocols[random.Next(Protocols.Length)]));
        }
        return new Page<SessionListItem>(10_000, Root + "/sessions?limit=100&offset=200", Root + "/sessions?limit=100&offset=0", rows);
    }

    /// <summary>A <c>/datasets?limit=100</c> page: list items with two file records each (one without a data URL), tags, QC.</summary>
    public static Page<DatasetListItem> DatasetsPage(int count = 100)
    {
        var random = new Random(7);
        var created = new DateTime(2024, 3, 5, 18, 3, 35, 598, DateTimeKind.Unspecified);
        var items = new List<DatasetListItem>(count);
        for (var i = 0; i < count; i++)
        {
            var id = NewGuid(random);
            var session = NewGuid(random);
            var (name, collection, type, format) = Files[i % Files.Length];
            var sessionPath = $"{Labs[i % Labs.Length]}/Subjects/KS{random.Next(10, 99):D3}/2024-03-05/00{random.Next(1, 4)}";
            var relative = $"{sessionPath}/{collection}/{name}";
            var hash = Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64())) + Convert.ToHexStringLower(BitConverter.GetBytes(random.NextInt64()));
            List<DatasetFileRecord> records =
            [
                new(NewGuid(random), "aws_cortexlab", "/data/", relative, DataUrls.FileRecordUrl("https://s3.example.org/data/", relative, id), true),
                new(NewGuid(random), "flatiron_cortexlab", "/cortexlab/Subjects/", relative, DataUrls.FileRecordUrl("https://data.example.org/", relative, id), i % 3 != 0),
            ];
            items.Add(new DatasetListItem(
                Root + "/datasets/" + id.ToString("D"),
                name,
                "alice",
                created.AddSeconds(-i * 41),
                type,
                format,
                collection,
                Root + "/sessions/" + session.ToString("D"),
                random.NextInt64(1_000, 20_000_000_000),
                hash,
                "2.8.0",
                random.Next(1, 4),
                records,
                created.AddSeconds(-i * 41 + 3).AddTicks(random.Next(0, 10_000_000)),
                i % 10 == 0 ? "2024-05-06" : "",
                true,
                i % 20 == 0 ? 1 : 0,
                i % 5 == 0 ? 1 : 0,
                i % 5 == 0 ? ["2024_Q2_IBL_et_al_BWM"] : [],
                i % 4 == 0 ? "PASS" : "NOT_SET",
                i % 9 == 0 ? """{"n_trials": 612, "extended": {"criterion": "ready4ephysrig"}}""" : null));
        }
        return new Page<DatasetListItem>(100_000, Root + "/datasets?limit=100&offset=100", null, items);
    }
}
