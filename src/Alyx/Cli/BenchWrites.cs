using System.Globalization;

namespace Alyx.Cli;

/// <summary>
/// <c>alyx bench --writes</c>: only the write path, POST /weighings, POST /water-administrations and POST /sessions on the
/// synthetic lab's subjects (one subject after another, so consecutive writes rarely touch the same subject), each driven as a line of the
/// normal table.
/// </summary>
static partial class BenchCommand
{
    static IEnumerable<Target> WriteTargets(int subjects)
    {
        string Subject(int i) => $"SYN_{i % subjects:00000}";
        yield return new("POST /weighings", HttpMethod.Post, _ => "/weighings",
            i => string.Create(CultureInfo.InvariantCulture,
                $$"""{"subject": "{{Subject(i)}}", "weight": {{20 + i % 50 / 10.0}}, "date_time": "2022-05-01T10:00:00"}"""));
        yield return new("POST /water-administrations", HttpMethod.Post, _ => "/water-administrations",
            i => string.Create(CultureInfo.InvariantCulture,
                $$"""{"subject": "{{Subject(i)}}", "water_administered": {{0.5 + i % 10 / 10.0}}, "date_time": "2022-05-01T10:00:00"}"""));
        yield return new("POST /sessions", HttpMethod.Post, _ => "/sessions",
            i => $$"""{"subject": "{{Subject(i)}}", "number": {{i % 100}}, "start_time": "2023-01-01T10:00:00", "task_protocol": "bench"}""");
    }
}
