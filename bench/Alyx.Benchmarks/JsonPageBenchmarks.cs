using System.Text.Json;
using Alyx.Actions;
using Alyx.Data;
using Alyx.Http;
using BenchmarkDotNet.Attributes;

namespace Alyx.Benchmarks;

/// <summary>
/// Writing a 100-row list page with the server's JSON options (<see cref="AlyxJson.Options"/>: snake_case, Python floats,
/// naive datetimes, lowercase UUIDs). <c>Utf8Bytes</c> is what <see cref="AlyxJsonResult"/> does for every response;
/// <c>Stream</c> writes the same page to a reused buffer stream.
/// </summary>
public class JsonPageBenchmarks
{
    // The server serializes an object with its declared type (AlyxResults.Ok<T>); so do these.
    static readonly Type SessionsType = typeof(Page<SessionListItem>);
    static readonly Type DatasetsType = typeof(Page<DatasetListItem>);
    static readonly MemoryStream Buffer = new(1 << 20);

    object sessions = null!;
    object datasets = null!;

    [GlobalSetup]
    public void Setup()
    {
        sessions = Samples.SessionsPage();
        datasets = Samples.DatasetsPage();
    }

    [Benchmark(Description = "sessions page (100) -> byte[]")]
    public byte[] SessionsUtf8Bytes() => JsonSerializer.SerializeToUtf8Bytes(sessions, SessionsType, AlyxJson.Options);

    [Benchmark(Description = "sessions page (100) -> stream")]
    public long SessionsStream()
    {
        Buffer.SetLength(0);
        JsonSerializer.Serialize(Buffer, sessions, SessionsType, AlyxJson.Options);
        return Buffer.Length;
    }

    [Benchmark(Description = "datasets page (100) -> byte[]")]
    public byte[] DatasetsUtf8Bytes() => JsonSerializer.SerializeToUtf8Bytes(datasets, DatasetsType, AlyxJson.Options);

    [Benchmark(Description = "datasets page (100) -> stream")]
    public long DatasetsStream()
    {
        Buffer.SetLength(0);
        JsonSerializer.Serialize(Buffer, datasets, DatasetsType, AlyxJson.Options);
        return Buffer.Length;
    }
}
