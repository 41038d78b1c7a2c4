using System.Text.Json;

namespace OneShotGee.Training.Tests;

/// <summary>GEE end to end with K = 3 groups (the gender-nb lexicon's counterfactual triples).</summary>
public sealed class ThreeGroupTrainingTests : IDisposable
{
    readonly TrainingRun run = new(syntheticPrompts: 12, attribute: "gender-nb");

    public void Dispose() => run.Dispose();

    [Fact]
    public void MetricsStepLinesAndTheDataCursorCoverEveryGroup()
    {
        var lines = new List<string>();
        using (var trainer = GeeTrainer.Create(run.Options() with { EffectiveBatch = 6, MicroBatch = 3, MaxSteps = 2 }))
            trainer.Run(new Collect(lines));

        var last = JsonDocument.Parse(File.ReadAllLines(Path.Combine(run.Out(), GeeTrainer.MetricsFile))[^1]).RootElement;
        var h = new[] { "male", "female", "nonbinary" }.Select(g => last.GetProperty("h_g").GetProperty(g).GetDouble()).ToArray();
        Assert.Equal(3, last.GetProperty("h_g").EnumerateObject().Count());
        Assert.Equal(h.Max() - h.Min(), last.GetProperty("entropy_gap").GetDouble(), 12);
        Assert.Equal(h.Sum(x => (x - h.Average()) * (x - h.Average())) / 3, last.GetProperty("entropy_variance").GetDouble(), 12);
        Assert.Equal(h.Average(), last.GetProperty("h_bar").GetDouble(), 12); // each micro-batch is one whole triple
        // L2 with λ = 3 over three balanced groups: loss = H̄ + 3·Σ_g (H_g − H̄)².
        Assert.Equal(h.Average() + 3 * h.Sum(x => (x - h.Average()) * (x - h.Average())), last.GetProperty("loss").GetDouble(), 10);
        Assert.Matches(@"^Step 2 \| loss=\S+ \| gap=\S+ \| var=\S+ \| H\[male\]=\S+ \| H\[female\]=\S+ \| H\[nonbinary\]=\S+ \| λ=", lines[^1]);
        Assert.Equal(2 * 6 / 3, TrainerState.Read(Path.Combine(run.Out(), "checkpoint-2")).DataCursor); // triples consumed
    }

    [Fact]
    public void AMicroBatchThatCannotHoldWholeTriplesIsRefusedBeforeTheModelLoads()
    {
        var error = Assert.Throws<Core.InvalidInputException>(() => GeeTrainer.Create(run.Options() with { EffectiveBatch = 4, MicroBatch = 2 }));
        Assert.Contains("3 groups", error.Message);
    }

    sealed class Collect(List<string> lines) : IProgress<TrainStepMetrics>
    {
        public void Report(TrainStepMetrics value) => lines.Add(value.ToString());
    }
}
