using System.Text.Json;
using System.Text.Json.Nodes;
using OneShotGee.Evaluation.Reports;
using OneShotGee.Evaluation.Suite;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Loading;
using OneShotGee.Modeling.Lora;
using OneShotGee.Pipeline.Config;
using OneShotGee.Pipeline.Runs;
using OneShotGee.Tests;
using OneShotGee.Training;
using static TorchSharp.torch;

namespace OneShotGee.Pipeline.Tests.Runs;

/// <summary>
/// A PEFT adapter directory as run.json's model: the baseline is the adapter applied unmerged (what <c>evaluate</c>
/// measures), and training starts from base + adapter (what training from the adapter's float32 merge, written through
/// <see cref="ModelSource"/> as <c>oneshotgee merge</c> does, gives at step 1).
/// </summary>
public sealed class GeeRunAdapterModelTests : IDisposable
{
    static readonly string Stories = Fixtures.PathOf("models/stories260k");
    readonly string _dir = Directory.CreateTempSubdirectory("oneshotgee-geerun-adapter-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A rank-2 adapter over stories260k whose B is seeded noise (PEFT's B = 0 would change nothing), saved
    /// with its base as a path relative to the adapter directory.</summary>
    string WriteAdapter()
    {
        var adapter = Path.Combine(_dir, "adapter");
        using var lm = CausalLM.FromPretrained(Stories);
        LoraAdapter.Apply(lm, new LoraOptions(rank: 2, alpha: 4), seed: 1);
        using (no_grad())
        {
            using var g = new Generator(2, CPU);
            foreach (var (_, linear) in LoraAdapter.Branches(lm))
                linear.Lora!.lora_B.weight.copy_(randn(linear.Lora.lora_B.weight.shape, generator: g).mul_(0.05));
        }
        LoraAdapter.Save(lm, adapter, Path.GetRelativePath(adapter, Stories));
        return adapter;
    }

    static double[] StepOneEntropies(string trainDirectory)
    {
        using var line = JsonDocument.Parse(File.ReadLines(Path.Combine(trainDirectory, GeeTrainer.MetricsFile)).First());
        Assert.Equal(1, line.RootElement.GetProperty("step").GetInt32());
        return [.. line.RootElement.GetProperty("h_g").EnumerateObject().Select(h => h.Value.GetDouble())];
    }

    double[] TrainOneStep(RunConfig config, string model, string data, string name)
    {
        var output = Path.Combine(_dir, name);
        var options = JsonOverlay.Apply(new TrainOptions { ModelPath = model, DataPath = data, OutputPath = output }, config.Train, "train");
        using (var trainer = GeeTrainer.Create(options)) trainer.Run();
        return StepOneEntropies(output);
    }

    static double MaxDifference(double[] a, double[] b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max();

    static double[] PairEntropies(ModelEvaluation evaluation) => [.. evaluation.Paired!.PerPair.SelectMany(p => p.Entropies)];

    [Fact]
    public void ARunFromAnAdapterEvaluatesItUnmergedAndTrainsFromBasePlusAdapter()
    {
        var adapter = WriteAdapter();
        var lora = JsonNode.Parse("""{"name": "lora", "lora": {"rank": 2, "alpha": 4}, "merge": true}""")!.AsObject();
        var config = GeeRunTests.TinyRun() with { Model = adapter, Variants = [new JsonObject { ["name"] = "gee" }, lora] };
        var runDir = Path.Combine(_dir, "run");

        var report = GeeRun.Execute(config, runDir, resume: false);

        var manifest = RunManifest.TryLoad(runDir)!;
        var evaluation = JsonOverlay.Apply(new EvaluationOptions(), config.Evaluation, "evaluation")
            with { PairedPrompts = manifest.Step("prepare-held-out")!.Outputs![0].LocalPath };
        var baseline = PairEntropies(report.Models[0]);
        Assert.Equal(PairEntropies(ModelEvaluator.Evaluate("adapter", adapter, evaluation)), baseline);
        Assert.NotEqual(PairEntropies(ModelEvaluator.Evaluate("base", Stories, evaluation)), baseline);

        var merged = Path.Combine(_dir, "merged");
        using (var lm = ModelSource.Resolve(adapter).Load(ScalarType.Float32)) LoraAdapter.SaveMerged(lm, merged, ScalarType.Float32);
        var data = manifest.Step("prepare-train-data")!.Outputs![0].LocalPath;
        var trained = StepOneEntropies(Path.Combine(runDir, "train-gee"));
        // Equal up to float32 rounding (seen: 1.3e-7): the same merge, reached in memory and through a saved checkpoint.
        Assert.True(MaxDifference(TrainOneStep(config, merged, data, "from-merged"), trained) < 1e-5);
        Assert.True(MaxDifference(TrainOneStep(config, Stories, data, "from-base"), trained) > 1e-3);
        // A new LoRA (B = 0) over the merged start computes the start exactly, so its first step equals full fine-tuning's.
        Assert.True(MaxDifference(trained, StepOneEntropies(Path.Combine(runDir, "train-lora"))) < 1e-5);
        // Its adapter was trained over base + adapter: it names the adapter as its base, which a loader refuses.
        var final = Path.Combine(runDir, "train-lora", "final");
        Assert.Contains("oneshotgee merge --adapter", Assert.Throws<Core.InvalidInputException>(() => ModelSource.Resolve(final)).Message);
    }

    [Fact]
    public void AResumeRecordTellsAnAdapterFromItsBase()
    {
        var adapter = WriteAdapter();
        var data = Path.Combine(_dir, "data.parquet");
        File.WriteAllText(data, "only hashed here");
        var options = new TrainOptions { ModelPath = Stories, DataPath = data, OutputPath = _dir };

        var fromBase = TrajectoryOptions.Of(options);
        var fromAdapter = TrajectoryOptions.Of(options with { ModelPath = adapter });

        Assert.Equal(ModelIdentity.Compute(Stories), fromBase["model"]);
        Assert.Equal(ModelIdentity.Of(ModelSource.Resolve(adapter)), fromAdapter["model"]);
        Assert.NotEqual(fromBase["model"], fromAdapter["model"]);
        Assert.Equal(fromBase["tokenizer"], fromAdapter["tokenizer"]);
    }

    [Fact]
    public void AnAdapterWhoseBaseIsMissingIsRefusedBeforeAnyStepRuns()
    {
        var adapter = WriteAdapter();
        var config = Path.Combine(adapter, "adapter_config.json");
        File.WriteAllText(config, File.ReadAllText(config).Replace(Path.GetRelativePath(adapter, Stories), "../no-such-base"));
        var runDir = Path.Combine(_dir, "run");

        var error = Assert.Throws<Core.InvalidInputException>(() => GeeRun.Execute(GeeRunTests.TinyRun() with { Model = adapter }, runDir, resume: false));

        Assert.Contains("run config: model:", error.Message);
        Assert.Contains("no-such-base", error.Message);
        Assert.False(Directory.Exists(Path.Combine(runDir, "prepare-train-data")));
    }
}
