using Alyx.Cli;

namespace Alyx.Tests.Cli;

[Collection(nameof(ConsoleCollection))]
public sealed class AlyxCliTests
{
    static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
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

    [Fact]
    public async Task Help_ListsEveryVerb()
    {
        var (code, output, _) = await RunAsync("--help");
        Assert.Equal(0, code);
        foreach (var verb in new[] { "serve", "migrate", "reset", "create-user" }) Assert.Contains(verb, output);
    }

    [Fact]
    public async Task VerbHelp_ShowsUsage()
    {
        var (code, output, _) = await RunAsync("create-user", "--help");
        Assert.Equal(0, code);
        Assert.Contains("usage: alyx create-user USERNAME --password P", output);
    }

    [Fact]
    public async Task UnknownVerb_ExitsNonZeroWithMessage()
    {
        var (code, _, error) = await RunAsync("frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("unknown verb 'frobnicate'", error);
    }

    [Fact]
    public async Task UnknownOption_ExitsNonZeroWithMessage()
    {
        var file = Path.Combine(Path.GetTempPath(), $"alyx-cli-{Guid.NewGuid():N}.db");
        var (code, _, error) = await RunAsync("migrate", "--database", $"sqlite:///{file}", "--bogus");
        Assert.Equal(2, code);
        Assert.Contains("unknown option '--bogus'", error);
    }

    [Fact]
    public async Task CreateUser_ThenAgain_CreatesThenUpdatesAndPasswordWorks()
    {
        var file = Path.Combine(Path.GetTempPath(), $"alyx-cli-{Guid.NewGuid():N}.db");
        var url = $"sqlite:///{file}";
        var first = await RunAsync("create-user", "alice", "--password", "pw1", "--superuser", "--database", url);
        Assert.Equal((0, "Created user 'alice'."), (first.Code, first.Out.Trim()));
        var second = await RunAsync("create-user", "alice", "--password", "pw2", "--database", url);
        Assert.Equal((0, "Updated user 'alice'."), (second.Code, second.Out.Trim()));
        var reset = await RunAsync("reset", "--database", url);
        Assert.Equal(2, reset.Code);
        Assert.Contains("--yes", reset.Err);
        File.Delete(file);
    }
}

[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;
