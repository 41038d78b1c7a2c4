using OneShotGee.Core;
using OneShotGee.Modeling.Config;
using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Lora;
using OneShotGee.Tests;

namespace OneShotGee.Training.Tests;

public class MemoryPlanTests
{
    static readonly TrainOptions Options = new() { ModelPath = "-", DataPath = "-", OutputPath = "-" };
    static ModelConfig Config(string model) => ModelConfig.Load(Fixtures.PathOf($"models/{model}/config.json"));

    [Theory]
    [InlineData("stories260k")]
    [InlineData("tiny-qwen2")] // untied head, q/k/v biases
    public void TheParameterCountFromConfigIsTheLoadedModels(string model)
    {
        using var lm = CausalLM.FromPretrained(Fixtures.PathOf($"models/{model}"));

        Assert.Equal(lm.parameters().Sum(p => p.numel()), MemoryPlan.ParameterCount(Config(model)));
    }

    [Fact]
    public void TheLoraParameterCountIsWhatTheAdaptersTrain()
    {
        using var lm = CausalLM.FromPretrained(Fixtures.PathOf("models/stories260k"));
        var lora = new LoraOptions(4, 8, 0, null);
        LoraAdapter.Apply(lm, lora, seed: 1);

        Assert.Equal(lm.parameters().Where(p => p.requires_grad).Sum(p => p.numel()), MemoryPlan.LoraParameterCount(Config("stories260k"), lora));
    }

    [Fact]
    public void Qwen7bFullFineTuningDoesNotFit80GbWhileLoraDoes()
    {
        var config = Config("qwen2.5-math-7b-config");
        var bf16 = Options with { Dtype = "bfloat16" };

        // 2·152,064·3,584 = 1,089,994,752 embeddings and head + 28 layers of 233,057,792 + 3,584 for the final norm
        // (Qwen2.5-7B's model card: 7.61B).
        Assert.Equal(7_615_616_512, MemoryPlan.ParameterCount(config));
        var full = MemoryPlan.Estimate(config, bf16, bytesPerValue: 2);
        // bf16 weights and gradients, float32 AdamW moments and master weights: 2 + 2 + 8 + 4 bytes a parameter.
        Assert.Equal(16 * 7_615_616_512L, full.Weights + full.Gradients + full.OptimizerState + full.MasterWeights);
        Assert.Contains("LoRA", full.DoesNotFit(80_000_000_000, bf16, "cuda:0"));
        var lora = MemoryPlan.Estimate(config, bf16 with { Lora = new LoraOptions(16, 32, 0, null) }, bytesPerValue: 2);
        Assert.Null(lora.DoesNotFit(80_000_000_000, bf16, "cuda:0"));
        Assert.InRange(lora.TrainedParameters, 40_000_000, 41_000_000); // 16·90,112·28 = 40,370,176
    }

    [Fact]
    public void AKlAnchorAddsAFrozenCopyOfTheWeightsOnlyForFullFineTuning()
    {
        var config = Config("qwen2.5-math-7b-config");
        var bf16 = Options with { Dtype = "bfloat16" };
        var anchored = MemoryPlan.Estimate(config, bf16 with { KlCoef = 0.1 }, bytesPerValue: 2);
        var lora = MemoryPlan.Estimate(config, bf16 with { KlCoef = 0.1, Lora = new LoraOptions(16, 32, 0, null) }, bytesPerValue: 2);

        Assert.Equal(0, MemoryPlan.Estimate(config, bf16, bytesPerValue: 2).ReferenceWeights);
        Assert.Equal(2 * 7_615_616_512L, anchored.ReferenceWeights); // the starting weights again, in bfloat16
        Assert.Equal(0, lora.ReferenceWeights);                      // adapters switched off instead
        Assert.Contains("reference        15.2 GB", anchored.Describe());
    }

    [Fact]
    public void GradientCheckpointingKeepsFewerActivations()
    {
        var config = Config("qwen2.5-math-7b-config");
        var plain = MemoryPlan.Estimate(config, Options, 2);
        var checkpointed = MemoryPlan.Estimate(config, Options with { GradientCheckpointing = true }, 2);
        // The float32 logits over 152k tokens stay either way; the 28 layers' activations shrink to one layer's plus inputs.
        Assert.True(checkpointed.Activations < plain.Activations / 2, $"{checkpointed.Activations} vs {plain.Activations}");
    }

    [Fact]
    public void ARunThatCannotFitIsRefusedBeforeItsWeightsAreRead()
    {
        using var dir = new TempDirectory();
        var data = dir.File("data.parquet");
        Data.PrepareStep.Run(new Data.PrepareOptions(data, Synthetic: 8));
        var options = Options with
        {
            ModelPath = Fixtures.PathOf("models/qwen2.5-math-7b-config"), DataPath = data, OutputPath = dir.File("out"),
            Device = "cpu", MicroBatch = 2, EffectiveBatch = 2,
        };

        var error = Assert.Throws<InvalidInputException>(() => GeeTrainer.Create(options));

        Assert.Contains("training needs about", error.Message); // float32 full fine-tuning of 7.6 B parameters: ~150 GB
        Assert.Contains("cpu has", error.Message);
    }
}
