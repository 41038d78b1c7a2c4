using System.CommandLine;
using OneShotGee.Pipeline;
using OneShotGee.Training.DemoModel;

namespace OneShotGee.Cli.Commands;

/// <summary><c>oneshotgee demo</c>: the embedded default — GEE versus EM only on the built-in demo model, end to end.</summary>
public static class DemoCommand
{
    public static Command Create(CliConsole console)
    {
        var output = new Option<DirectoryInfo>("--out", "-o")
        {
            Description = "Run directory (report.md and plots under report/).",
            DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("out", "demo")),
        };
        var cacheDir = new Option<DirectoryInfo?>("--cache-dir") { Description = "Where the demo model is cached (default ~/.cache/oneshotgee)." };
        var klCoef = new Option<double>("--kl-coef")
        {
            Description = "β of the GEE variant's KL anchor to the demo model (0: none; see train --kl-coef).",
            DefaultValueFactory = _ => DemoRun.KlCoef,
        };
        var attribute = new Option<string>("--attribute")
        {
            Description = "The attribute whose groups the gap is planted across: a built-in lexicon (gender, gender-nb) or a lexicon file " +
                "in whose groups the synthetic gender templates can be written (docs/demo-model.md).",
            DefaultValueFactory = _ => DemoCorpus.DefaultAttribute,
        };
        var command = new Command("demo",
            "Build the demo model (planted entropy gap across the attribute's groups), then prepare → evaluate → train EM and GEE → evaluate → report.")
        {
            output, cacheDir, klCoef, attribute,
        };
        command.SetAction((parse, cancel) => console.RunAsync(() =>
        {
            // As in demo-model: the tiny model gains nothing from intra-op threads, and one thread makes the run reproducible.
            TorchSharp.torch.set_num_threads(1);
            var runDirectory = parse.GetValue(output)!.FullName;
            var attributeName = parse.GetValue(attribute)!;
            var report = console.WithProgress("Demo", progress =>
                DemoRun.Execute(runDirectory, parse.GetValue(cacheDir)?.FullName, progress, cancel, parse.GetValue(klCoef), attributeName));
            RunSummaryTable.Write(console.Output, RunSummary.From(report), RunSummary.Subsets(report));
            SeedSpreadLines.Write(console.Output, DemoSeedSpread.ForDemo(parse.GetValue(klCoef), attributeName), DemoSeedSpread.Source(attributeName));
            console.Output.WriteLine($"report -> {Path.Combine(runDirectory, "report", "report.md")}");
            return Task.CompletedTask;
        }));
        return command;
    }
}
