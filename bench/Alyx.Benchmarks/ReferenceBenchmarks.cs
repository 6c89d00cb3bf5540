using Alyx.Auth;
using Alyx.Data;
using BenchmarkDotNet.Attributes;

namespace Alyx.Benchmarks;

/// <summary>
/// Cheap reference points. Password verification is Django's PBKDF2-SHA256 at its default work factor (1,000,000
/// iterations): paid by every Basic-authenticated request and token request. The ALF functions run for every file of
/// a register-file request: the session path and collection, the file-name parts, and the match of the name against
/// the shipped dataset types (wildcard patterns).
/// </summary>
public class ReferenceBenchmarks
{
    const string Password = "correct horse battery staple";
    const string SessionPath = "cortexlab/Subjects/KS022/2024-03-05/001";
    const string File = "alf/probe00/pykilosort/#2024-05-06#/spikes.times.npy";

    string encoded = "";
    IReadOnlyList<DatasetType> types = [];

    [GlobalSetup]
    public void Setup()
    {
        encoded = DjangoPasswordHasher.Hash(Password, DjangoPasswordHasher.DefaultIterations, "Rq8kXUYKkWBrM2QyqHc3Bz");
        types = ReferenceData.Shipped.DatasetTypes;
    }

    [Benchmark(Description = "password verify (PBKDF2, 1M iterations)")]
    public bool VerifyPassword() => DjangoPasswordHasher.Verify(Password, encoded);

    [Benchmark(Description = "ALF: parse session file path")]
    public AlfLocation? ParseSessionFile() => Alf.ParseSessionFile(SessionPath, File).Location;

    [Benchmark(Description = "ALF: parse file name")]
    public AlfFileName? ParseFileName() => Alf.ParseFileName("_spikeglx_ephysData_g0_t0.imec0.ap.cbin");

    [Benchmark(Description = "ALF: match dataset types (shipped)")]
    public int MatchDatasetTypes() =>
        Alf.MatchingTypes("spikes.times.npy", types, t => t.Name, t => t.FilenamePattern).Count;
}
