using Alyx.Cli;

namespace Alyx.Tests.Infrastructure;

/// <summary>Runs the command line in-process with its console captured (tests that use it share the console collection).</summary>
public static class Cli
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        var (stdout, stderr) = (Console.Out, Console.Error);
        using var o = new StringWriter();
        using var e = new StringWriter();
        Console.SetOut(o);
        Console.SetError(e);
        try
        {
            var code = await AlyxCli.RunAsync(args);
            return (code, o.ToString(), e.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }
}
