using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Lora;
using OneShotGee.Modeling.Tests.Lora;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Tests.Checkpointing;

public sealed class GradientCheckpointingTests
{
    /// <summary>Loss and every parameter gradient of one forward + backward, with or without checkpointing.</summary>
    static (double Loss, Dictionary<string, Tensor> Grads) LossAndGrads(CausalLM lm, bool checkpointing, long rngSeed)
    {
        using var scope = NewDisposeScope();
        lm.model.GradientCheckpointing = checkpointing;
        foreach (var p in lm.parameters()) p.grad = null;
        var (ids, mask) = LoraFixtures.Batch();
        manual_seed(rngSeed);
        var loss = LoraFixtures.Loss(lm, ids, mask);
        loss.backward();
        var grads = lm.named_parameters().Where(p => p.parameter.requires_grad)
            .ToDictionary(p => p.name, p => p.parameter.grad!.clone().DetachFromDisposeScope());
        return (loss.to(ScalarType.Float64).item<double>(), grads);
    }

    static void AssertSameGradients(Dictionary<string, Tensor> expected, Dictionary<string, Tensor> actual, double tolerance)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, g) in expected)
        {
            Assert.True(g.abs().max().to(ScalarType.Float64).item<double>() > 0 || name.EndsWith("lora_A.weight"), $"{name}: zero gradient");
            var diff = (actual[name] - g).abs().max().to(ScalarType.Float64).item<double>();
            Assert.True(diff <= tolerance, $"{name}: gradients differ by {diff}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Full_fine_tuning_gradients_are_identical_in_float64(bool tied)
    {
        using var lm = CausalLM.CreateRandom(TinyModels.Qwen2(tied), seed: 4, ScalarType.Float64);
        var plain = LossAndGrads(lm, checkpointing: false, rngSeed: 1);
        var checkpointed = LossAndGrads(lm, checkpointing: true, rngSeed: 1);
        Assert.Equal(plain.Loss, checkpointed.Loss);
        Assert.Equal(lm.parameters().Count(), plain.Grads.Count);
        AssertSameGradients(plain.Grads, checkpointed.Grads, tolerance: 0);
    }

    [Fact]
    public void Lora_with_dropout_over_a_frozen_base_gets_the_same_gradients_and_rng_stream()
    {
        using var lm = CausalLM.CreateRandom(TinyModels.Llama(), seed: 4);
        LoraAdapter.Apply(lm, new LoraOptions(rank: 4, alpha: 8, dropout: 0.3), seed: 5);
        LoraFixtures.PerturbB(lm, seed: 6);
        lm.train();

        var plain = LossAndGrads(lm, checkpointing: false, rngSeed: 7);
        using var afterPlain = rand(4);
        var checkpointed = LossAndGrads(lm, checkpointing: true, rngSeed: 7);
        using var afterCheckpointed = rand(4);

        Assert.Equal(plain.Loss, checkpointed.Loss);
        Assert.Equal(4 * 7, plain.Grads.Count); // 2 layers x 7 projections x (A, B): the layer inputs need no grad
        AssertSameGradients(plain.Grads, checkpointed.Grads, tolerance: 1e-6);
        Assert.True(LoraFixtures.Same(afterPlain, afterCheckpointed)); // the recompute replayed and then restored the RNG
        // Dropout really draws: another seed gives another loss.
        Assert.NotEqual(plain.Loss, LossAndGrads(lm, checkpointing: true, rngSeed: 8).Loss);
    }

    [Fact]
    public void Seeded_lora_dropout_replays_its_own_generator_in_the_recompute()
    {
        using var lm = CausalLM.CreateRandom(TinyModels.Llama(), seed: 4);
        LoraAdapter.Apply(lm, new LoraOptions(rank: 4, alpha: 8, dropout: 0.3), seed: 5);
        LoraFixtures.PerturbB(lm, seed: 6);
        lm.train();

        LoraAdapter.SeedDropout(lm, 7);
        var plain = LossAndGrads(lm, checkpointing: false, rngSeed: 1);
        LoraAdapter.SeedDropout(lm, 7);
        var checkpointed = LossAndGrads(lm, checkpointing: true, rngSeed: 2); // the global generator plays no part

        Assert.Equal(plain.Loss, checkpointed.Loss);
        AssertSameGradients(plain.Grads, checkpointed.Grads, tolerance: 1e-6);
        LoraAdapter.SeedDropout(lm, 8);
        Assert.NotEqual(plain.Loss, LossAndGrads(lm, checkpointing: true, rngSeed: 1).Loss);
    }

    [Fact]
    public void Without_grad_or_with_a_cache_the_layers_run_plainly()
    {
        using var lm = CausalLM.CreateRandom(TinyModels.Llama(), seed: 4);
        lm.model.GradientCheckpointing = true;
        using var scope = NewDisposeScope();
        var (ids, mask) = LoraFixtures.Batch();
        using (no_grad()) Assert.False(lm.call(ids, mask, null).requires_grad);
        using var cache = lm.NewCache();
        var logits = lm.call(ids, mask, cache);
        Assert.Equal(5, cache.Length);
        lm.model.GradientCheckpointing = false;
        using (no_grad()) Assert.True(LoraFixtures.Same(lm.call(ids, mask, null), logits.detach()));
    }
}
