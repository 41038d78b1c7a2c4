using System.CommandLine;
using OneShotGee.Cli.Commands;

namespace OneShotGee.Cli;

/// <summary>The <c>oneshotgee</c> command line. Exit codes: 0 success, 2 bad input, 1 any other failure.</summary>
public static class CliApp
{
    public static RootCommand BuildRootCommand(CliConsole console) => NumericOptionRanges.Apply(
        new RootCommand("OneShotGee: debias causal language models with One-shot Group-Entropy Equalization (GEE).")
        {
            PrepareCommand.Create(console),
            TokenizeCommand.Create(console),
            GenerateCommand.Create(console),
            ScoreCommand.Create(console),
            DemoModelCommand.Create(console),
            TrainCommand.Create(console),
            MergeCommand.Create(console),
            EvaluateCommand.Create(console),
            RunCommand.Create(console),
            DemoCommand.Create(console),
            ArtifactsCommand.Create(console),
        });

    public static async Task<int> InvokeAsync(string[] args, TextWriter output, TextWriter error)
    {
        var console = new CliConsole(output, error);
        var parse = BuildRootCommand(console).Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors) await error.WriteLineAsync($"error: {parseError.Message}");
            await error.WriteLineAsync("Run 'oneshotgee --help' for usage.");
            return ExitCodes.BadInput;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }
}
