using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace Alyx.Benchmarks;

/// <summary>
/// Entry point: BenchmarkDotNet's switcher over every benchmark class of this assembly, with allocations measured.
/// Arguments are BenchmarkDotNet's own (<c>--filter '*'</c>, <c>--list flat</c>, <c>--iterationCount 10</c>...); see bench/micro.
/// Without <c>--job</c> the job is a short one (one launch, 3 warm-up and 3 measured iterations).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var config = DefaultConfig.Instance
            .AddDiagnoser(MemoryDiagnoser.Default)
            // The generated project rebuilds the server too; on two busy cores that takes minutes.
            .WithBuildTimeout(TimeSpan.FromMinutes(10));
        if (!args.Any(a => a is "--job" or "-j" || a.StartsWith("--job=", StringComparison.Ordinal)))
        {
            // The analyzers and style checks have already passed in the solution's build and do not change the compiled
            // code; skipping them shortens that rebuild. A job given on the command line replaces this one (and keeps them).
            config = config.AddJob(Job.ShortRun.WithArguments(
            [
                new MsBuildArgument("/p:RunAnalyzers=false"),
                new MsBuildArgument("/p:EnforceCodeStyleInBuild=false"),
                new MsBuildArgument("/p:GenerateDocumentationFile=false"),
            ]).AsDefault());
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
