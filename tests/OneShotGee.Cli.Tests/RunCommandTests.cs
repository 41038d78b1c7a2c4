using System.Text.Json.Nodes;
using OneShotGee.Tests;

namespace OneShotGee.Cli.Tests;

public sealed class RunCommandTests : IDisposable
{
    readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task DemoRunsTheWholePipelineAndPrintsTheSummaryTable()
    {
        var outDir = _dir.File("demo");

        var result = await CliRunner.RunAsync("demo", "--out", outDir, "--cache-dir", _dir.File("cache"));

        Assert.True(result.ExitCode == 0, result.Error);
        foreach (var model in new[] { "baseline", "em", "gee" }) Assert.Matches($@"│ {model} +│", result.Output);
        Assert.Contains("gap reduction", result.Output);
        foreach (var file in new[] { "report.md", "report.json", "group_entropy.png", "entropy_gap.png", "training_loss.png" })
            Assert.True(File.Exists(Path.Combine(outDir, "report", file)), file);
    }

    [Fact]
    public async Task RunFollowsTheConfigAndResumeSkipsFinishedSteps()
    {
        var config = _dir.Write("run.json", new JsonObject
        {
            ["model"] = Fixtures.PathOf("models/stories260k"),
            ["data"] = new JsonObject { ["synthetic"] = 8 },
            ["train"] = new JsonObject { ["effective_batch"] = 2, ["micro_batch"] = 2, ["max_new_tokens"] = 2, ["max_steps"] = 1, ["device"] = "cpu" },
            ["variants"] = new JsonArray(new JsonObject { ["name"] = "gee" }),
            ["evaluation"] = new JsonObject { ["paired_options"] = new JsonObject { ["greedy"] = true, ["max_new_tokens"] = 2 }, ["suite"] = "quick" },
        }.ToJsonString());
        var outDir = _dir.File("run");

        var first = await CliRunner.RunAsync("run", "--config", config, "--out", outDir);
        var again = await CliRunner.RunAsync("run", "--config", config, "--out", outDir);
        var resumed = await CliRunner.RunAsync("run", "--config", config, "--out", outDir, "--resume");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Matches(@"│ gee +│", first.Output);
        // Redirected, the progress is plain lines counting the pipeline's steps: prepare, evaluate baseline, train, evaluate, report.
        Assert.Equal(["Run [1/5] prepare-train-data: started", "Run [5/5] report: completed"],
            first.Error.Split('\n').Where(l => l is "Run [1/5] prepare-train-data: started" or "Run [5/5] report: completed"));
        Assert.Matches(@"Run \[3/5\] gee: Step 1 \| loss=.* tok/s", first.Error);
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("already holds run", again.Error);
        Assert.Equal(0, resumed.ExitCode);
        Assert.Contains("train-gee: already completed, skipped", resumed.Error);
    }
}
