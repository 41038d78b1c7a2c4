using System.CommandLine;
using OneShotGee.Pipeline;
using OneShotGee.Pipeline.Config;

namespace OneShotGee.Cli.Commands;

/// <summary><c>oneshotgee run</c>: the whole pipeline from a run.json, in this process.</summary>
public static class RunCommand
{
    public static Command Create(CliConsole console)
    {
        var config = new Option<FileInfo>("--config", "-c")
        {
            Description = "run.json: model, data, held_out, train, variants, evaluation (see docs/pipeline.md).", Required = true,
        };
        var output = new Option<DirectoryInfo>("--out", "-o") { Description = "Run directory (manifest.json, one folder per step).", Required = true };
        var resume = new Option<bool>("--resume") { Description = "Continue a failed or interrupted run in --out, skipping completed steps." };
        var command = new Command("run", "Prepare → evaluate baseline → train variants → evaluate → report, recorded in a run directory.")
        {
            config, output, resume,
        };
        command.SetAction((parse, cancel) => console.RunAsync(() =>
        {
            var run = RunConfig.Load(parse.GetValue(config)!.FullName);
            var runDirectory = parse.GetValue(output)!.FullName;
            // PipelineRunner says "<step>: started" (or "already completed, skipped") as each step begins; training
            // steps report their metrics line (step, loss, tok/s) in between.
            var report = console.WithProgressBar("Run", GeeRun.Plan(run).Count,
                message => message.EndsWith(": started", StringComparison.Ordinal) || message.EndsWith(": already completed, skipped", StringComparison.Ordinal),
                progress => GeeRun.Execute(run, runDirectory, parse.GetValue(resume), progress: progress, ct: cancel));
            RunSummaryTable.Write(console.Output, RunSummary.From(report), RunSummary.Subsets(report));
            console.Output.WriteLine($"report -> {Path.Combine(runDirectory, "report", "report.md")}");
            return Task.CompletedTask;
        }));
        return command;
    }
}
