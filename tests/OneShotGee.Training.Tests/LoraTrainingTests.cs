using OneShotGee.Core;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Lora;
using static TorchSharp.torch;

namespace OneShotGee.Training.Tests;

public sealed class LoraTrainingTests : IDisposable
{
    readonly TrainingRun run = new();

    public void Dispose() => run.Dispose();

    TrainOptions LoraOptions(string outName) => run.Options(outName) with { Lora = new LoraOptions(rank: 4, alpha: 8) };

    static Tensor Logits(CausalLM lm)
    {
        using var noGrad = no_grad();
        lm.eval();
        using var ids = tensor(new long[] { 1, 403, 407, 261, 378 }, [1, 5]);
        using var mask = ones_like(ids);
        return lm.call(ids, mask, null);
    }

    [Fact]
    public void LoraTrainsOnlyTheAdaptersAndWritesAPeftAdapterThatReloadsOntoTheBase()
    {
        using var trainer = GeeTrainer.Create(LoraOptions("lora") with { MaxSteps = 2 });
        var final = trainer.Run();

        Assert.True(LoraAdapter.IsAdapterDirectory(final));
        Assert.True(LoraAdapter.IsAdapterDirectory(Path.Combine(run.Out("lora"), "checkpoint-2")));
        Assert.False(File.Exists(Path.Combine(final, "model.safetensors")));
        using var reloaded = CausalLM.FromPretrained(TrainingRun.ModelPath);
        LoraAdapter.Load(reloaded, final);
        using var trained = Logits(trainer.Model);
        using var fromFiles = Logits(reloaded);
        Assert.True(trained.eq(fromFiles).all().item<bool>(), "the saved adapter does not reproduce the trained model");

        using var baseModel = CausalLM.FromPretrained(TrainingRun.ModelPath);
        using var baseLogits = Logits(baseModel);
        Assert.False(baseLogits.allclose(trained, rtol: 0, atol: 1e-6), "LoRA training changed nothing");
        foreach (var (name, projection) in LoraAdapter.Branches(trainer.Model))
            Assert.True(projection.weight.eq(baseModel.get_parameter(name + ".weight")!).all().item<bool>(), $"{name} base weight moved");
    }

    [Fact]
    public void MergeAlsoWritesAFullModelWithTheAdaptedBehaviour()
    {
        using var trainer = GeeTrainer.Create(LoraOptions("merge") with { MaxSteps = 1, Merge = true });
        var final = trainer.Run();

        using var adapted = CausalLM.FromPretrained(TrainingRun.ModelPath);
        LoraAdapter.Load(adapted, final);
        using var merged = CausalLM.FromPretrained(Path.Combine(run.Out("merge"), GeeTrainer.MergedDirectory));
        using var expected = Logits(adapted);
        using var actual = Logits(merged);
        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-4));
    }

    [Fact]
    public void LoraResumeIsBitIdenticalToAnUninterruptedRun()
    {
        using (var straight = GeeTrainer.Create(LoraOptions("straight") with { MaxSteps = 2, SaveSteps = 1 })) straight.Run();
        using (var first = GeeTrainer.Create(LoraOptions("split") with { MaxSteps = 1, SaveSteps = 1 })) first.Run();
        using (var second = GeeTrainer.Create(LoraOptions("split") with { MaxSteps = 2, SaveSteps = 1, Resume = "latest" })) second.Run();

        using var a = CausalLM.FromPretrained(TrainingRun.ModelPath);
        using var b = CausalLM.FromPretrained(TrainingRun.ModelPath);
        LoraAdapter.Load(a, Path.Combine(run.Out("straight"), GeeTrainer.FinalDirectory));
        LoraAdapter.Load(b, Path.Combine(run.Out("split"), GeeTrainer.FinalDirectory));
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.eq(pb).all().item<bool>(), $"{name} differs between the resumed and the uninterrupted run");
    }

    [Fact]
    public void LoraResumeWithDropoutAndAKlAnchorIsBitIdenticalToAnUninterruptedRun()
    {
        // The anchor's reference passes (adapters off) draw no dropout masks, so both passes still draw the same ones.
        var withDropout = new LoraOptions(rank: 4, alpha: 8, dropout: 0.2);
        TrainOptions Anchored(string outName) => LoraOptions(outName) with { KlCoef = 0.1, SaveSteps = 1 };
        using (var straight = GeeTrainer.Create(Anchored("straight") with { Lora = withDropout, MaxSteps = 3 })) straight.Run();
        using (var first = GeeTrainer.Create(Anchored("split") with { Lora = withDropout, MaxSteps = 1 })) first.Run();
        using (var second = GeeTrainer.Create(Anchored("split") with { Lora = withDropout, MaxSteps = 3, Resume = "latest" })) second.Run();
        using (var noDropout = GeeTrainer.Create(Anchored("no-dropout") with { MaxSteps = 3 })) noDropout.Run();

        using var a = CausalLM.FromPretrained(TrainingRun.ModelPath);
        using var b = CausalLM.FromPretrained(TrainingRun.ModelPath);
        using var c = CausalLM.FromPretrained(TrainingRun.ModelPath);
        LoraAdapter.Load(a, Path.Combine(run.Out("straight"), GeeTrainer.FinalDirectory));
        LoraAdapter.Load(b, Path.Combine(run.Out("split"), GeeTrainer.FinalDirectory));
        LoraAdapter.Load(c, Path.Combine(run.Out("no-dropout"), GeeTrainer.FinalDirectory));
        foreach (var ((name, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(pa.eq(pb).all().item<bool>(), $"{name} differs between the resumed and the uninterrupted run");
        Assert.Contains(a.named_parameters().Zip(c.named_parameters()),
            p => p.First.name.Contains("lora_A") && !p.First.parameter.eq(p.Second.parameter).all().item<bool>());
        var kl = File.ReadAllLines(Path.Combine(run.Out("straight"), GeeTrainer.MetricsFile))
            .Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("kl").GetDouble()).ToList();
        Assert.Equal(0.0, kl[0]); // B = 0 at step 1: the adapted model is its base
        Assert.True(kl[2] > 0);
    }

    [Fact]
    public void ResumingAnAdapterAsAFullModelIsRefused()
    {
        using (var trainer = GeeTrainer.Create(LoraOptions("lora") with { MaxSteps = 1, SaveSteps = 1 })) trainer.Run();

        var error = Assert.Throws<InvalidInputException>(() => GeeTrainer.Create(run.Options("lora") with { MaxSteps = 2, Resume = "latest" }));
        Assert.Contains("lora-rank 4 → none", error.Message);
    }

    [Fact]
    public void AnUnknownMergeDtypeIsRejected()
    {
        var error = Assert.Throws<InvalidInputException>(() => (LoraOptions("x") with { Merge = true, MergeDtype = "int8" }).Validated());
        Assert.Contains("--merge-dtype", error.Message);
    }

    [Fact]
    public void MergeWithoutLoraIsRejected()
    {
        var error = Assert.Throws<InvalidInputException>(() => (run.Options() with { Merge = true }).Validated());
        Assert.Contains("--merge", error.Message);
    }

    [Fact]
    public void GradientCheckpointingTrainsToTheSameWeights()
    {
        using var plain = GeeTrainer.Create(run.Options("plain") with { MaxSteps = 1 });
        using var checkpointed = GeeTrainer.Create(run.Options("checkpointed") with { MaxSteps = 1, GradientCheckpointing = true });
        plain.RunStep();
        checkpointed.RunStep();

        Assert.True(checkpointed.Model.model.GradientCheckpointing);
        foreach (var ((name, pa), (_, pb)) in plain.Model.named_parameters().Zip(checkpointed.Model.named_parameters()))
            Assert.True(pa.allclose(pb, rtol: 1e-5, atol: 1e-7), $"{name} differs with gradient checkpointing");
    }
}
