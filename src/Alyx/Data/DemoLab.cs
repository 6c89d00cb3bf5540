using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Alyx.Actions;
using Alyx.Auth;
using Alyx.Database;
using Alyx.Misc;
using Alyx.Subjects;
using Apache.Arrow;
using Microsoft.EntityFrameworkCore;
using ParquetSharp.Arrow;

namespace Alyx.Data;

public sealed record DemoResult(int Subjects, int Sessions, int Datasets, long Bytes, string RepositoryUrl);

/// <summary>
/// A small synthetic lab for trying the server with ONE: a lab, a repository served by this server's local data
/// repository, three subjects, six sessions, and per session a trials table (parquet) and the wheel position and
/// timestamps (npy) written as real ALF files, one session with a newer revision of its trials table. Everything is
/// derived from fixed seeds, so two runs produce the same ids, files and hashes.
/// </summary>
public static class DemoLab
{
    public const string LabName = "demolab";
    public const string RepositoryName = LocalDataOptions.RepositoryPrefix + "_" + LabName;
    public const string RevisionName = "2024-04-01";

    sealed record SubjectSpec(string Nickname, string Sex, DateOnly Birth, string Project);

    sealed record SessionSpec(string Subject, DateOnly Date, int Number, int Hour, string Protocol);

    static readonly SubjectSpec[] SubjectSpecs =
    [
        new("DM001", "M", new DateOnly(2023, 11, 2), "demo_behaviour"),
        new("DM002", "F", new DateOnly(2023, 11, 9), "demo_behaviour"),
        new("DM003", "F", new DateOnly(2023, 12, 1), "demo_imaging"),
    ];

    static readonly SessionSpec[] SessionSpecs =
    [
        new("DM001", new DateOnly(2024, 3, 4), 1, 10, "_iblrig_tasks_trainingChoiceWorld"),
        new("DM001", new DateOnly(2024, 3, 5), 1, 9, "_iblrig_tasks_biasedChoiceWorld"),
        new("DM001", new DateOnly(2024, 3, 5), 2, 15, "_iblrig_tasks_biasedChoiceWorld"),
        new("DM002", new DateOnly(2024, 3, 4), 1, 11, "_iblrig_tasks_trainingChoiceWorld"),
        new("DM002", new DateOnly(2024, 3, 6), 1, 10, "_iblrig_tasks_biasedChoiceWorld"),
        new("DM003", new DateOnly(2024, 3, 5), 1, 13, "_iblrig_tasks_trainingChoiceWorld"),
    ];

    /// <summary>A stable UUID (version 4 layout) for a demo row, from its role and name.</summary>
    public static Guid Id(string key)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes("alyx-demo:" + key))[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>
    /// True when the database already holds labs, subjects, sessions or datasets; users, reference rows and the default lab
    /// that Alyx's migrations create do not count.
    /// </summary>
    public static async Task<bool> HasLabDataAsync(AlyxDb db, CancellationToken ct) =>
        await db.Labs.AnyAsync(l => l.Id != DatabaseSetup.DefaultLabId, ct) || await db.Subjects.AnyAsync(ct) || await db.Sessions.AnyAsync(ct) || await db.Set<Dataset>().AnyAsync(ct);

    /// <summary>
    /// Writes the files under <paramref name="data"/>'s root and the rows (replacing an earlier demo's rows, found by their
    /// fixed ids); <paramref name="serverUrl"/> is where clients reach this server, so the repository's data_url is
    /// <c>{serverUrl}{UrlPath}/demolab/Subjects/</c>. The user gets the password when it is given.
    /// </summary>
    public static async Task<DemoResult> CreateAsync(AlyxDb db, LocalDataOptions data, string serverUrl, string username, string? password,
        CancellationToken ct)
    {
        await RemoveAsync(db, ct);
        await ReferenceData.LoadAsync(db, ct);
        var joined = new DateTime(2024, 1, 8, 9, 0, 0);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Username == username, ct);
        if (user is null)
        {
            user = new LabMember { Username = username, FirstName = "Demo", LastName = "User", IsStaff = true, IsSuperuser = true, DateJoined = joined };
            db.Users.Add(user);
        }
        if (password is not null) user.Password = DjangoPasswordHasher.Hash(password);

        var lab = new Lab { Id = Id("lab"), Name = LabName, Institution = "Alyx demo institute", Timezone = "Europe/London" };
        var repositoryUrl = data.LabDataUrl(serverUrl, LabName);
        var repository = new DataRepository
        {
            Id = Id("repository"),
            Name = RepositoryName,
            DataUrl = repositoryUrl,
            GlobusIsPersonal = false,
            Labs = [lab],
        };
        var projects = SubjectSpecs.Select(s => s.Project).Distinct()
            .ToDictionary(p => p, p => new Project { Id = Id("project:" + p), Name = p, Description = "Demo project", Users = [user] });
        var subjects = SubjectSpecs.ToDictionary(s => s.Nickname, s => new Subject
        {
            Id = Id("subject:" + s.Nickname),
            Nickname = s.Nickname,
            Sex = s.Sex,
            BirthDate = s.Birth,
            Lab = lab,
            ResponsibleUser = user,
            Projects = [projects[s.Project]],
            Description = "Synthetic demo subject",
        });
        var revision = await db.Set<Revision>().SingleOrDefaultAsync(r => r.Name == RevisionName, ct)
            ?? new Revision { Id = Id("revision"), Name = RevisionName, Description = "Demo: trials re-extracted", CreatedDatetime = new DateTime(2024, 4, 1, 12, 0, 0) };
        var types = new Dictionary<string, DatasetType>();
        foreach (var (name, pattern, description) in new[]
        {
            ("trials.table", "_ibl_trials.table.*", "All trial-based data in one table"),
            ("wheel.position", "_ibl_wheel.position.*", "Absolute wheel position in radians"),
            ("wheel.timestamps", "_ibl_wheel.timestamps.*", "Times of the wheel position samples, in seconds"),
        })
        {
            types[name] = await db.Set<DatasetType>().SingleOrDefaultAsync(t => t.Name == name, ct)
                ?? db.Add(new DatasetType { Id = Id("type:" + name), Name = name, FilenamePattern = pattern, Description = description }).Entity;
        }
        var formats = await db.Set<DataFormat>().Where(f => f.Name == "npy" || f.Name == "parquet").ToDictionaryAsync(f => f.Name, ct);
        db.AddRange(lab, repository);
        db.AddRange(projects.Values);
        db.AddRange(subjects.Values);

        var datasets = 0;
        long bytes = 0;
        foreach (var spec in SessionSpecs)
        {
            var key = $"{spec.Subject}/{spec.Date:yyyy-MM-dd}/{spec.Number:000}";
            var start = spec.Date.ToDateTime(new TimeOnly(spec.Hour, 0));
            var session = new Session
            {
                Id = Id("session:" + key),
                Subject = subjects[spec.Subject],
                Lab = lab,
                Number = spec.Number,
                StartTime = start,
                EndTime = start.AddMinutes(55),
                Type = "Experiment",
                TaskProtocol = spec.Protocol + "6.4.2",
                Users = [user],
                Projects = [.. subjects[spec.Subject].Projects],
                Narrative = "Synthetic session",
                Qc = QcPass,
            };
            db.Add(session);
            var random = new SplitMix(key);
            var trials = Trials(random, 40 + (int)(random.Next() % 30));
            var (position, timestamps) = Wheel(random, trials.End);
            var files = new List<(string Type, string Collection, Revision? Revision, string Name, byte[] Content, int Qc, bool Default)>
            {
                ("trials.table", "alf", null, "_ibl_trials.table.pqt", TrialsParquet(trials), QcPass, true),
                ("wheel.position", "alf", null, "_ibl_wheel.position.npy", Npy(position), spec.Subject == "DM003" ? QcWarning : QcPass, true),
                ("wheel.timestamps", "alf", null, "_ibl_wheel.timestamps.npy", Npy(timestamps), QcPass, true),
            };
            if (key == "DM001/2024-03-05/001")
            {
                // A re-extraction: the revision becomes the default and the original stays listed.
                files[0] = files[0] with { Default = false };
                files.Add(("trials.table", "alf", revision, "_ibl_trials.table.pqt", TrialsParquet(Trials(new SplitMix(key + "#" + RevisionName), trials.Count)), QcPass, true));
            }
            foreach (var f in files)
            {
                var revisionFolder = f.Revision is null ? "" : $"#{f.Revision.Name}#/";
                var relative = $"{key}/{f.Collection}/{revisionFolder}{f.Name}";
                var path = Path.Combine(data.Root, LabName, "Subjects", relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllBytesAsync(path, f.Content, ct);
                var dataset = new Dataset
                {
                    Id = Id("dataset:" + relative),
                    Session = session,
                    Name = f.Name,
                    Collection = f.Collection,
                    Revision = f.Revision,
                    DatasetType = types[f.Type],
                    DataFormat = formats[f.Name.EndsWith(".pqt", StringComparison.Ordinal) ? "parquet" : "npy"],
                    FileSize = f.Content.Length,
                    Hash = Md5Hex(f.Content),
                    Qc = f.Qc,
                    DefaultDataset = f.Default,
                    CreatedBy = user,
                    CreatedDatetime = start.AddHours(2),
                    GeneratingSoftware = "alyx demo",
                    Version = "1.0.0",
                };
                dataset.FileRecords.Add(new FileRecord
                {
                    Id = Id("file:" + relative),
                    DataRepository = repository,
                    RelativePath = relative,
                    Exists = true,
                });
                db.Add(dataset);
                datasets++;
                bytes += f.Content.Length;
            }
        }
        await db.SaveChangesAsync(ct);
        return new DemoResult(subjects.Count, SessionSpecs.Length, datasets, bytes, repositoryUrl);
    }

    /// <summary>The dataset hash ONE compares downloads with: an md5 checksum, not a security measure.</summary>
#pragma warning disable CA5351
    public static string Md5Hex(byte[] content) => Convert.ToHexStringLower(MD5.HashData(content));
#pragma warning restore CA5351

    const int QcPass = 10;
    const int QcWarning = 30;

    /// <summary>Deletes an earlier demo's rows (by their fixed ids), children first.</summary>
    static async Task RemoveAsync(AlyxDb db, CancellationToken ct)
    {
        var sessionIds = SessionSpecs.Select(s => Id($"session:{s.Subject}/{s.Date:yyyy-MM-dd}/{s.Number:000}")).ToList();
        var subjectIds = SubjectSpecs.Select(s => Id("subject:" + s.Nickname)).ToList();
        var projectIds = SubjectSpecs.Select(s => Id("project:" + s.Project)).Distinct().ToList();
        await db.Set<FileRecord>().Where(f => f.DataRepositoryId == Id("repository")).ExecuteDeleteAsync(ct);
        await db.Set<Dataset>().Where(d => d.SessionId != null && sessionIds.Contains(d.SessionId.Value)).ExecuteDeleteAsync(ct);
        await db.Sessions.Where(s => sessionIds.Contains(s.Id)).ExecuteDeleteAsync(ct);
        await db.Subjects.Where(s => subjectIds.Contains(s.Id)).ExecuteDeleteAsync(ct);
        await db.Set<Project>().Where(p => projectIds.Contains(p.Id)).ExecuteDeleteAsync(ct);
        await db.DataRepositories.Where(r => r.Id == Id("repository")).ExecuteDeleteAsync(ct);
        await db.Labs.Where(l => l.Id == Id("lab")).ExecuteDeleteAsync(ct);
    }

    sealed record TrialSet(double[][] Columns, long[] Choice, long[] FeedbackType, double End)
    {
        public int Count => Choice.Length;
    }

    static readonly string[] TimeColumns =
        ["intervals_0", "intervals_1", "stimOn_times", "goCue_times", "firstMovement_times", "response_times", "feedback_times"];

    static readonly double[] Contrasts = [1.0, 0.25, 0.125, 0.0625, 0.0];

    /// <summary>Trial times and outcomes in the shape of an IBL trials table.</summary>
    static TrialSet Trials(SplitMix random, int n)
    {
        var columns = new double[TimeColumns.Length + 4][];
        for (var c = 0; c < columns.Length; c++) columns[c] = new double[n];
        var choice = new long[n];
        var feedback = new long[n];
        var t = 1.0 + random.NextDouble();
        for (var i = 0; i < n; i++)
        {
            var stimOn = t + 0.5 + random.NextDouble() * 0.2;
            var movement = stimOn + 0.15 + random.NextDouble() * 0.6;
            var response = movement + 0.1 + random.NextDouble() * 0.3;
            var end = response + 1.0 + random.NextDouble();
            double[] times = [t, end, stimOn, stimOn + 0.001, movement, response, response + 0.0005];
            for (var c = 0; c < times.Length; c++) columns[c][i] = Math.Round(times[c], 6);
            var probabilityLeft = i < 30 ? 0.5 : (i / 30 % 2 == 0 ? 0.2 : 0.8);
            var left = random.NextDouble() < probabilityLeft;
            var contrast = Contrasts[random.Next() % (ulong)Contrasts.Length];
            columns[TimeColumns.Length][i] = left ? contrast : double.NaN;
            columns[TimeColumns.Length + 1][i] = left ? double.NaN : contrast;
            columns[TimeColumns.Length + 2][i] = probabilityLeft;
            var correct = random.NextDouble() < 0.6 + contrast * 0.35;
            choice[i] = (left == correct) ? 1 : -1;
            feedback[i] = correct ? 1 : -1;
            columns[TimeColumns.Length + 3][i] = correct ? 1.5 : 0.0;
            t = end;
        }
        return new TrialSet(columns, choice, feedback, t);
    }

    /// <summary>The trials table as parquet: the time columns, contrasts, block probability and reward, then choice and feedback.</summary>
    static byte[] TrialsParquet(TrialSet trials)
    {
        string[] names = [.. TimeColumns, "contrastLeft", "contrastRight", "probabilityLeft", "rewardVolume"];
        var schema = new Schema.Builder();
        var arrays = new List<IArrowArray>();
        for (var c = 0; c < names.Length; c++)
        {
            schema.Field(f => f.Name(names[c]).DataType(Apache.Arrow.Types.DoubleType.Default).Nullable(false));
            arrays.Add(new DoubleArray.Builder().AppendRange(trials.Columns[c]).Build());
        }
        foreach (var (name, values) in new[] { ("choice", trials.Choice), ("feedbackType", trials.FeedbackType) })
        {
            schema.Field(f => f.Name(name).DataType(Apache.Arrow.Types.Int64Type.Default).Nullable(false));
            arrays.Add(new Int64Array.Builder().AppendRange(values).Build());
        }
        var built = schema.Build();
        var file = Path.Combine(Path.GetTempPath(), $"alyx-demo-{Guid.NewGuid():N}.pqt");
        try
        {
            using (var properties = new ParquetSharp.WriterPropertiesBuilder().Compression(ParquetSharp.Compression.Snappy).CreatedBy("alyx demo").Build())
            using (var arrow = new ArrowWriterPropertiesBuilder().StoreSchema().Build())
            using (var writer = new FileWriter(file, built, properties, arrow))
            {
                writer.WriteRecordBatch(new RecordBatch(built, arrays, trials.Count));
                writer.Close();
            }
            return File.ReadAllBytes(file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A wheel trace: timestamps at irregular intervals and a position that drifts in small steps.</summary>
    static (double[] Position, double[] Timestamps) Wheel(SplitMix random, double end)
    {
        var n = (int)(end * 20);
        var position = new double[n];
        var timestamps = new double[n];
        double p = 0, t = 0.5;
        for (var i = 0; i < n; i++)
        {
            t += 0.02 + random.NextDouble() * 0.03;
            p += (random.NextDouble() - 0.5) * 0.05;
            timestamps[i] = Math.Round(t, 6);
            position[i] = Math.Round(p, 6);
        }
        return (position, timestamps);
    }

    /// <summary>A one-dimensional little-endian float64 array in NumPy's .npy format (version 1.0).</summary>
    public static byte[] Npy(double[] values)
    {
        var header = $"{{'descr': '<f8', 'fortran_order': False, 'shape': ({values.Length.ToString(CultureInfo.InvariantCulture)},), }}";
        var unpadded = 10 + header.Length + 1;
        header += new string(' ', (64 - unpadded % 64) % 64) + "\n";
        using var stream = new MemoryStream();
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(Encoding.ASCII.GetBytes(header));
        var data = new byte[values.Length * 8];
        for (var i = 0; i < values.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(i * 8), values[i]);
        stream.Write(data);
        return stream.ToArray();
    }

    /// <summary>SplitMix64: a small generator whose sequence is fixed by its seed, independent of the runtime's Random.</summary>
    sealed class SplitMix(string seed)
    {
        ulong state = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(seed)));

        public ulong Next()
        {
            var z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }

        public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));
    }
}
