namespace OneShotGee.Cli.Tests;

/// <summary>Runs <c>oneshotgee</c> in-process and captures what it prints.</summary>
static class CliRunner
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exitCode = await CliApp.InvokeAsync(args, output, error);
        return new Result(exitCode, output.ToString(), error.ToString());
    }
}
