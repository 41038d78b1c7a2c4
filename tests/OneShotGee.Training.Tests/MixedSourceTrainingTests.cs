using System.Text.Json;
using OneShotGee.Core;
using OneShotGee.Data;
using OneShotGee.Tests;

namespace OneShotGee.Training.Tests;

/// <summary>Mixed-task training: a prepared dataset of two sources sampled by --source-weights.</summary>
public sealed class MixedSourceTrainingTests : IDisposable
{
    readonly TrainingRun run = new();
    readonly string mixedData;

    public MixedSourceTrainingTests()
    {
        // The synthetic twins of TrainingRun (source "synthetic") plus the GSM8K fixture's counterfactual twins.
        var gsm8k = Path.Combine(run.Directory, "gsm8k.parquet");
        PrepareStep.Run(new PrepareOptions(gsm8k, Fixtures.PathOf("data/math/gsm8k_test.jsonl"), TextColumn: "question", Augment: AugmentMode.Counterfactual));
        mixedData = Path.Combine(run.Directory, "mixed.parquet");
        PreparedDatasetWriter.Write(mixedData, PreparedDataset.Read(run.DataPath).Rows.Concat(PreparedDataset.Read(gsm8k).Rows));
    }

    public void Dispose() => run.Dispose();

    TrainOptions Mixed(string weights) => run.Options() with
    {
        DataPath = mixedData, EffectiveBatch = 8, MicroBatch = 2, MaxSteps = 2, SaveSteps = 1,
        SourceWeights = TrainOptions.ParseSourceWeights(weights),
    };

    [Fact]
    public void EachStepReportsTheEntropyOfEverySourceAndAResumeCannotChangeTheWeights()
    {
        using (var trainer = GeeTrainer.Create(Mixed("gsm8k_test.jsonl=0.75,synthetic=0.25") with { MaxSteps = 1 })) trainer.Run();

        var line = JsonDocument.Parse(File.ReadAllLines(Path.Combine(run.Out(), GeeTrainer.MetricsFile))[^1]).RootElement;
        var hSource = line.GetProperty("h_source");
        Assert.Equal(["gsm8k_test.jsonl", "synthetic"], hSource.EnumerateObject().Select(p => p.Name));
        // 4 sets per step: 3 of GSM8K and 1 synthetic, 2 rows each, so H̄ is their 6:2 mix.
        var expected = (6 * hSource.GetProperty("gsm8k_test.jsonl").GetDouble() + 2 * hSource.GetProperty("synthetic").GetDouble()) / 8;
        Assert.Equal(expected, line.GetProperty("h_bar").GetDouble(), 12);
        Assert.Equal("gsm8k_test.jsonl=0.75,synthetic=0.25", TrainerState.Read(Path.Combine(run.Out(), "checkpoint-1")).Options!["source-weights"]);

        var error = Assert.Throws<InvalidInputException>(() => GeeTrainer.Create(Mixed("gsm8k_test.jsonl=0.5,synthetic=0.5") with { Resume = "latest" }));
        Assert.Contains("source-weights gsm8k_test.jsonl=0.75,synthetic=0.25 → gsm8k_test.jsonl=0.5,synthetic=0.5", error.Message);
    }

    [Fact]
    public void AnUnknownSourceIsRefusedBeforeTheModelLoads()
    {
        var error = Assert.Throws<InvalidInputException>(() => GeeTrainer.Create(Mixed("gsm8k=1") with { ModelPath = "/nonexistent" }));
        Assert.Contains("source 'gsm8k'", error.Message);
        Assert.Contains("gsm8k_test.jsonl, synthetic", error.Message);
    }
}
