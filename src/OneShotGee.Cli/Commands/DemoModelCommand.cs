using OneShotGee.Core;
using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using OneShotGee.Training.DemoModel;
using Spectre.Console;

namespace OneShotGee.Cli.Commands;

/// <summary><c>oneshotgee demo-model</c>: builds the tiny demo model once (cached) and prints its directory.</summary>
public static class DemoModelCommand
{
    const string Title = "Pretraining demo model";
    const int PlainReportEvery = 50;

    public static Command Create(CliConsole console)
    {
        var cacheDir = new Option<DirectoryInfo?>("--cache-dir")
        {
            Description = "Cache root (default: $XDG_CACHE_HOME/oneshotgee/demo-model, else ~/.cache/oneshotgee/demo-model).",
        };
        var rebuild = new Option<bool>("--rebuild") { Description = "Build again even when the cache holds the model." };
        var json = new Option<bool>("--json") { Description = "Print the path with the model card (recipe, planted and measured entropy gap) as JSON." };

        var command = new Command("demo-model",
            "Build (once, ~1 min on CPU) a tiny Qwen2 model with a planted male/female entropy gap and print its directory.")
        {
            cacheDir, rebuild, json,
        };
        command.SetAction((parse, cancel) => console.RunAsync(() =>
        {
            // A 150k-parameter model gains nothing from intra-op threads; on a busy 2-core machine OpenMP's
            // spinning threads made the build 10x slower (200 s against 15 s), and one thread is deterministic too.
            TorchSharp.torch.set_num_threads(1);
            var path = WithProgressBar(console, progress => DemoModelCache.EnsureBuilt(
                DemoRecipe.Default, parse.GetValue(cacheDir)?.FullName, parse.GetValue(rebuild), progress, cancel));
            console.Output.WriteLine(parse.GetValue(json) ? CardJson(path) : path);
            return Task.CompletedTask;
        }));
        return command;
    }

    static string CardJson(string path)
    {
        var card = JsonNode.Parse(DemoModelCard.Read(path).ToJson())!.AsObject();
        card.Insert(0, "path", path);
        return card.ToJsonString(new() { WriteIndented = true });
    }

    // Nothing is shown when the model is already cached: the first report comes after the first training step.
    static string WithProgressBar(CliConsole console, Func<IProgress<PretrainProgress>, string> build)
    {
        if (!console.Status.Profile.Capabilities.Interactive)
            return build(new SynchronousProgress<PretrainProgress>(p =>
            {
                if (p.Step % PlainReportEvery == 0 || p.Step == p.Steps)
                    console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Title}: step {p.Step}/{p.Steps}, loss {p.Loss:F3}"));
            }));
        return console.Status.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(Title, autoStart: true, maxValue: DemoRecipe.Default.Steps);
                return build(new SynchronousProgress<PretrainProgress>(p =>
                {
                    task.MaxValue = p.Steps;
                    task.Value = p.Step;
                    task.Description = string.Create(CultureInfo.InvariantCulture, $"{Title} (loss {p.Loss:F3})");
                }));
            });
    }
}
