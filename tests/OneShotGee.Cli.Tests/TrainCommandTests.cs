using System.Text.Json;
using OneShotGee.Data;
using OneShotGee.Modeling.Llama;
using OneShotGee.Tests;

namespace OneShotGee.Cli.Tests;

public sealed class TrainCommandTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("oneshotgee-cli-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string DataPath => Path.Combine(_dir, "prepared.parquet");
    string OutDir => Path.Combine(_dir, "run");

    static string Stories260k => Fixtures.PathOf("models/stories260k");

    [Fact]
    public async Task FiveStepsOnStories260kWriteMetricsCheckpointsAndALoadableFinalModel()
    {
        PrepareStep.Run(new PrepareOptions(DataPath, Synthetic: 16));

        var result = await CliRunner.RunAsync("train", "--model", Stories260k, "--data", DataPath, "--out", OutDir,
            "--max-steps", "5", "--effective-batch", "4", "--micro-batch", "2", "--max-new-tokens", "6", "--save-steps", "2",
            "--device", "cpu");

        Assert.True(result.ExitCode == 0, result.Error);
        var stepLines = result.Output.Split('\n').Where(l => l.StartsWith("Step ")).ToList();
        Assert.Equal(5, stepLines.Count);
        Assert.Matches(@"^Step 5 \| loss=[-\d.]+ \| gap=[\d.]+ \| H\[male\]=[\d.]+ \| H\[female\]=[\d.]+ \| λ=3\.000", stepLines[^1]);
        var metrics = File.ReadAllLines(Path.Combine(OutDir, "metrics.jsonl"));
        Assert.Equal([1, 2, 3, 4, 5], metrics.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt32()));
        Assert.Equal(["checkpoint-2", "checkpoint-4", "checkpoint-5"],
            Directory.GetDirectories(OutDir, "checkpoint-*").Select(Path.GetFileName).Order());
        using var final = CausalLM.FromPretrained(Path.Combine(OutDir, "final"));
        Assert.Equal(5, final.Config.NumHiddenLayers);
    }

    [Fact]
    public async Task LoraRankWritesAPeftAdapterAndMergeAFullModel()
    {
        PrepareStep.Run(new PrepareOptions(DataPath, Synthetic: 16));

        var result = await CliRunner.RunAsync("train", "--model", Stories260k, "--data", DataPath, "--out", OutDir,
            "--max-steps", "2", "--effective-batch", "4", "--micro-batch", "2", "--max-new-tokens", "6",
            "--lora-rank", "8", "--merge", "--device", "cpu");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("final LoRA adapter ->", result.Output);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(OutDir, "final", "adapter_config.json")));
        Assert.Equal(8, config.RootElement.GetProperty("r").GetInt32());
        Assert.Equal(16, config.RootElement.GetProperty("lora_alpha").GetDouble());
        Assert.True(File.Exists(Path.Combine(OutDir, "final", "adapter_model.safetensors")));
        using var merged = CausalLM.FromPretrained(Path.Combine(OutDir, "merged"));
        Assert.DoesNotContain(merged.named_parameters(), p => p.name.Contains("lora"));
    }

    [Fact]
    public async Task AMicroBatchThatDoesNotDivideTheEffectiveBatchExitsWithTwoBeforeLoadingAnything()
    {
        var result = await CliRunner.RunAsync("train", "--model", Path.Combine(_dir, "no-model"), "--data",
            Path.Combine(_dir, "no-data.parquet"), "--out", OutDir, "--effective-batch", "6", "--micro-batch", "4");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--micro-batch 4 must divide --effective-batch 6", result.Error);
        Assert.False(Directory.Exists(OutDir));
    }

    [Fact]
    public async Task TheReferenceL2ConventionAtHalfTheLambdaTrainsLikeOurL2()
    {
        PrepareStep.Run(new PrepareOptions(DataPath, Synthetic: 8)); // balanced twins: (H_f − H_m)² = 2·Σ_g (H_g − H̄)²
        async Task<double[]> Losses(string name, params string[] options)
        {
            var result = await CliRunner.RunAsync(["train", "--model", Stories260k, "--data", DataPath, "--out", Path.Combine(_dir, name),
                "--max-steps", "2", "--effective-batch", "4", "--micro-batch", "2", "--max-new-tokens", "4", "--device", "cpu", .. options]);
            Assert.True(result.ExitCode == 0, result.Error);
            return [.. File.ReadLines(Path.Combine(_dir, name, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("loss").GetDouble())];
        }

        var ours = await Losses("ours", "--lambda", "3");
        var reference = await Losses("reference", "--lambda", "1.5", "--l2-convention", "reference");

        Assert.Equal(2, ours.Length);
        for (var i = 0; i < ours.Length; i++) Assert.Equal(ours[i], reference[i], 6);
    }

    [Fact]
    public async Task TokenWeightedEmTrainsAndAResumeCannotSwitchIt()
    {
        PrepareStep.Run(new PrepareOptions(DataPath, Synthetic: 8));
        string[] common = ShortStories260kRun("--lambda", "0");

        var token = await CliRunner.RunAsync([.. common, "--max-steps", "1", "--em-weighting", "token"]);
        Assert.True(token.ExitCode == 0, token.Error);

        var switched = await CliRunner.RunAsync([.. common, "--max-steps", "2", "--resume", "latest"]);
        Assert.Equal(2, switched.ExitCode);
        Assert.Contains("em-weighting token → sample", switched.Error);
    }

    [Fact]
    public async Task AKlAnchoredRunReportsTheKlAndAResumeCannotChangeBeta()
    {
        PrepareStep.Run(new PrepareOptions(DataPath, Synthetic: 8));
        string[] common = ShortStories260kRun("--lr", "1e-3");

        var anchored = await CliRunner.RunAsync([.. common, "--max-steps", "2", "--kl-coef", "0.1"]);

        Assert.True(anchored.ExitCode == 0, anchored.Error);
        Assert.Contains("Step 1 | ", anchored.Output);
        Assert.Contains("| KL=0.0000 |", anchored.Output); // step 1 samples from the starting model itself
        var kl = File.ReadAllLines(Path.Combine(OutDir, "metrics.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("kl").GetDouble()).ToList();
        Assert.Equal(0.0, kl[0]);
        Assert.True(kl[1] > 0, $"KL after one step: {kl[1]}");
        var changed = await CliRunner.RunAsync([.. common, "--max-steps", "3", "--resume", "latest", "--kl-coef", "0.2"]);
        Assert.Equal(2, changed.ExitCode);
        Assert.Contains("kl-coef 0.1 → 0.2", changed.Error);
    }

    [Theory]
    [InlineData("-0.5")]
    [InlineData("NaN")]
    public async Task ANegativeOrNonFiniteKlCoefExitsWithTwo(string beta)
    {
        PrepareStep.Run(new PrepareOptions(DataPath, Synthetic: 8));
        var result = await CliRunner.RunAsync("train", "--model", Stories260k, "--data", DataPath, "--out", OutDir, "--kl-coef", beta);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"error: --kl-coef must be {(beta == "NaN" ? "a finite number, got NaN" : ">= 0, got -0.5")}", result.Error); // NumericOptionRanges
    }

    [Fact]
    public async Task TheReferenceConventionWithL1ExitsWithTwo()
    {
        var result = await CliRunner.RunAsync("train", "--model", Stories260k, "--data", DataPath, "--out", OutDir, "--l1", "--l2-convention", "reference");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--l2-convention reference", result.Error);
    }

    [Theory]
    [InlineData("synthetic=0.5,gsm8k", "'gsm8k' is not source=weight")]
    [InlineData("gsm8k=1", "source 'gsm8k', which no set of the data has; sources: synthetic")]
    public async Task BadSourceWeightsExitWithTwoNamingTheProblem(string weights, string expected)
    {
        PrepareStep.Run(new PrepareOptions(DataPath, Synthetic: 8));

        var result = await CliRunner.RunAsync("train", "--model", Stories260k, "--data", DataPath, "--out", OutDir, "--source-weights", weights);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Error);
    }

    [Fact]
    public async Task SaveTotalLimitKeepsTheNewestCheckpointsAndTheRunResumesFromThem()
    {
        PrepareStep.Run(new PrepareOptions(DataPath, Synthetic: 8));
        string[] common = ShortStories260kRun("--save-total-limit", "2");

        var first = await CliRunner.RunAsync([.. common, "--max-steps", "4"]);
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Equal(["checkpoint-3", "checkpoint-4"], Directory.GetDirectories(OutDir, "checkpoint-*").Select(Path.GetFileName).Order());

        var resumed = await CliRunner.RunAsync([.. common, "--max-steps", "5", "--resume", "latest"]);
        Assert.True(resumed.ExitCode == 0, resumed.Error);
        Assert.Equal(["checkpoint-4", "checkpoint-5"], Directory.GetDirectories(OutDir, "checkpoint-*").Select(Path.GetFileName).Order());
        Assert.Equal(5, File.ReadLines(Path.Combine(OutDir, "metrics.jsonl")).Count());
    }

    [Fact]
    public async Task PlanPrintsTheMemoryOfA7bRunFromItsConfigAlone()
    {
        var result = await CliRunner.RunAsync("train", "--plan", "--model", Fixtures.PathOf("models/qwen2.5-math-7b-config"),
            "--dtype", "bfloat16", "--memory-budget", "80");

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("parameters       7.62 B", result.Output);
        Assert.Matches(@"budget 80\.0 GB: full fine-tuning \d+\.\d GB does not fit; LoRA rank 16 \d+\.\d GB fits", result.Output);
    }

    [Fact]
    public async Task WithoutPlanTheDataIsRequired()
    {
        var result = await CliRunner.RunAsync("train", "--model", Stories260k, "--out", OutDir);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--data", result.Error);
    }

    [Fact]
    public async Task ANegativeLambdaExitsWithTwoNamingTheOption()
    {
        var result = await CliRunner.RunAsync("train", "--model", Stories260k, "--data", DataPath, "--out", OutDir, "--lambda", "-1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--lambda", result.Error);
    }

    [Fact]
    public async Task ResumingWithADifferentLambdaExitsWithTwoNamingOldAndNew()
    {
        PrepareStep.Run(new PrepareOptions(DataPath, Synthetic: 16));
        string[] run = ["train", "--model", Stories260k, "--data", DataPath, "--out", OutDir, "--effective-batch", "4",
            "--micro-batch", "2", "--max-new-tokens", "4", "--save-steps", "1", "--device", "cpu"];
        var first = await CliRunner.RunAsync([.. run, "--max-steps", "1"]);
        Assert.True(first.ExitCode == 0, first.Error);

        var resumed = await CliRunner.RunAsync([.. run, "--max-steps", "2", "--lambda", "1", "--resume", "latest"]);

        Assert.Equal(2, resumed.ExitCode);
        Assert.Contains("lambda 3 → 1", resumed.Error);
        Assert.False(Directory.Exists(Path.Combine(OutDir, "checkpoint-2")));
    }

    /// <summary>`train` on stories260k with 2 micro-batches of 2, 4 new tokens, a checkpoint every step, plus <paramref name="extra"/>.</summary>
    string[] ShortStories260kRun(params string[] extra) =>
        ["train", "--model", Stories260k, "--data", DataPath, "--out", OutDir, "--effective-batch", "4", "--micro-batch", "2",
            "--max-new-tokens", "4", "--save-steps", "1", "--device", "cpu", .. extra];
}
