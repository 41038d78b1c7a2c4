using System.Text.Json;
using OneShotGee.Core;
using OneShotGee.Modeling.Llama;
using TorchSharp;
using static TorchSharp.torch;

namespace OneShotGee.Training.Tests;

public sealed class GeeTrainerTests : IDisposable
{
    readonly TrainingRun run = new();

    public void Dispose() => run.Dispose();

    // With a KL anchor: the resumed run must anchor to the starting model, not to the checkpoint it resumes from.
    TrainOptions Anchored(string outName) => run.Options(outName) with { KlCoef = 0.1 };

    [Fact]
    public void TwoStepsThenResumeThenTwoStepsIsBitIdenticalToFourSteps()
    {
        using (var straight = GeeTrainer.Create(Anchored("straight"))) straight.Run();

        using (var first = GeeTrainer.Create(Anchored("split") with { SaveSteps = 2 }))
        {
            first.RunStep();
            first.RunStep();
            first.RunStep(); // after checkpoint-2: "interrupted" here, its line must not survive the resume
        }
        using (var second = GeeTrainer.Create(Anchored("split") with { Resume = "latest" }))
        {
            Assert.Equal(2, second.Step);
            second.Run();
        }

        using var a = CausalLM.FromPretrained(Path.Combine(run.Out("straight"), "final"));
        using var b = CausalLM.FromPretrained(Path.Combine(run.Out("split"), "final"));
        using var initial = CausalLM.FromPretrained(TrainingRun.ModelPath);
        var initialWeights = initial.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
        {
            Assert.True(pa.eq(pb).all().item<bool>(), $"{name} differs between the resumed and the uninterrupted run");
            Assert.False(pa.eq(initialWeights[name]).all().item<bool>(), $"{name} was not trained");
        }
        var straightLines = File.ReadAllLines(Path.Combine(run.Out("straight"), GeeTrainer.MetricsFile));
        var splitLines = File.ReadAllLines(Path.Combine(run.Out("split"), GeeTrainer.MetricsFile));
        Assert.Equal(4, straightLines.Length);
        Assert.Equal(straightLines.Select(Loss), splitLines.Select(Loss));
        Assert.Equal(straightLines.Select(Kl), splitLines.Select(Kl));
        Assert.Equal(0.0, Kl(straightLines[0])); // step 1 samples from the starting model itself
        Assert.True(Kl(straightLines[3]) > 0);
    }

    [Fact]
    public void A_cancelled_run_checkpoints_its_last_step_and_resumes_to_the_uninterrupted_result()
    {
        using (var straight = GeeTrainer.Create(run.Options("straight") with { MaxSteps = 3, SaveSteps = 10 })) straight.Run();

        using var cancel = new CancellationTokenSource();
        using (var first = GeeTrainer.Create(run.Options("cancelled") with { MaxSteps = 3, SaveSteps = 10 }))
            Assert.ThrowsAny<OperationCanceledException>(() => first.Run(new CancelAfterStep(1, cancel), cancel.Token));

        Assert.Equal(["checkpoint-1"], Directory.GetDirectories(run.Out("cancelled"), "checkpoint-*").Select(Path.GetFileName));
        Assert.Equal(1, TrainerState.Read(Path.Combine(run.Out("cancelled"), "checkpoint-1")).Step);
        using (var resumed = GeeTrainer.Create(run.Options("cancelled") with { MaxSteps = 3, SaveSteps = 10, Resume = "latest" }))
        {
            Assert.Equal(1, resumed.Step);
            resumed.Run();
        }
        using var a = CausalLM.FromPretrained(Path.Combine(run.Out("straight"), "final"));
        using var b = CausalLM.FromPretrained(Path.Combine(run.Out("cancelled"), "final"));
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.eq(pb).all().item<bool>(), $"{name} differs between the resumed and the uninterrupted run");
    }

    /// <summary>Cancels synchronously when the given step is reported (<see cref="Progress{T}"/> would post it later).</summary>
    sealed class CancelAfterStep(int step, CancellationTokenSource cancel) : IProgress<TrainStepMetrics>
    {
        public void Report(TrainStepMetrics value)
        {
            if (value.Step == step) cancel.Cancel();
        }
    }

    static double Loss(string jsonLine) => JsonDocument.Parse(jsonLine).RootElement.GetProperty("loss").GetDouble();
    static double Kl(string jsonLine) => JsonDocument.Parse(jsonLine).RootElement.GetProperty("kl").GetDouble();

    [Fact]
    public void WritesMetricsCheckpointsAndAFinalModelThatLoads()
    {
        using (var trainer = GeeTrainer.Create(run.Options() with { MaxSteps = 3, SaveSteps = 2 })) trainer.Run();

        var lines = File.ReadAllLines(Path.Combine(run.Out(), GeeTrainer.MetricsFile));
        Assert.Equal(3, lines.Length);
        var last = JsonDocument.Parse(lines[^1]).RootElement;
        Assert.Equal(3, last.GetProperty("step").GetInt32());
        var hMale = last.GetProperty("h_g").GetProperty("male").GetDouble();
        var hFemale = last.GetProperty("h_g").GetProperty("female").GetDouble();
        Assert.Equal(Math.Abs(hMale - hFemale), last.GetProperty("entropy_gap").GetDouble(), 12);
        Assert.Equal((hMale + hFemale) / 2, last.GetProperty("h_bar").GetDouble(), 12); // balanced batch
        // L2 with λ = 3: loss = H̄ + 3·Σ_g (H_g − H̄)², and each (H_g − H̄)² = (gap/2)².
        var gap = last.GetProperty("entropy_gap").GetDouble();
        Assert.Equal(last.GetProperty("h_bar").GetDouble() + 3 * 2 * (gap / 2) * (gap / 2), last.GetProperty("loss").GetDouble(), 10);
        Assert.Equal(4 * 8, last.GetProperty("generated_tokens").GetInt32()); // stories260k never emits EOS in 8 tokens
        foreach (var key in new[] { "loss_em", "loss_bias", "lambda", "grad_norm", "lr", "tokens_per_second", "step_seconds", "sampling_seconds", "optimizer_seconds", "forward_backward_seconds", "peak_memory_bytes" })
            Assert.True(last.TryGetProperty(key, out _), key);

        Assert.True(File.Exists(Path.Combine(run.Out(), "checkpoint-2", TrainerState.FileName)));
        Assert.True(File.Exists(Path.Combine(run.Out(), "checkpoint-3", TrainingCheckpoint.OptimizerFile)));
        Assert.False(Directory.Exists(Path.Combine(run.Out(), "checkpoint-1")));
        Assert.Empty(Directory.GetDirectories(run.Out(), "*.tmp-*"));
        var state = TrainerState.Read(Path.Combine(run.Out(), "checkpoint-3"));
        Assert.Equal(3, state.Step);
        Assert.Equal(3 * 4 / 2, state.DataCursor); // pairs consumed: 3 steps × 4 rows ÷ 2 groups
        using var final = CausalLM.FromPretrained(Path.Combine(run.Out(), GeeTrainer.FinalDirectory));
        Assert.True(File.Exists(Path.Combine(run.Out(), GeeTrainer.FinalDirectory, "tokenizer.model")));
    }

    [Fact]
    public void CorruptedWeightsStopTheRunNamingTheStepAndLeaveTheLastCheckpointIntact()
    {
        using var trainer = GeeTrainer.Create(run.Options() with { SaveSteps = 1 });
        trainer.RunStep();
        trainer.RunStep();
        var checkpoint = Path.Combine(run.Out(), "checkpoint-2", "model.safetensors");
        var saved = File.ReadAllBytes(checkpoint);
        using (no_grad()) trainer.Model.named_parameters().First(p => p.name.EndsWith("q_proj.weight")).parameter[0, 0] = float.NaN;

        var error = Assert.Throws<InvalidInputException>(() => trainer.RunStep());

        Assert.Contains("step 3", error.Message);
        Assert.Contains("q_proj.weight", error.Message);
        Assert.Equal(saved, File.ReadAllBytes(checkpoint));
        Assert.False(Directory.Exists(Path.Combine(run.Out(), "checkpoint-3")));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(run.Out(), GeeTrainer.MetricsFile)).Length);
    }

    [Fact]
    public void LiveTensorsDoNotGrowAcrossSteps()
    {
        using var trainer = GeeTrainer.Create(run.Options() with { SaveSteps = 100, MaxSteps = 100, GroupStats = GroupStatsMode.Micro });
        trainer.RunStep();
        DisposeScopeManager.Statistics.Reset();
        var before = DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
        trainer.RunStep();
        trainer.RunStep();
        Assert.Equal(before, DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount);
    }
}
