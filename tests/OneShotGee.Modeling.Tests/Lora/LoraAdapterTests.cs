using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Lora;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Tests.Lora;

public sealed class LoraAdapterTests
{
    [Fact]
    public void Apply_leaves_the_output_unchanged_and_only_the_adapters_trainable()
    {
        using var lm = CausalLM.CreateRandom(TinyModels.Qwen2(), seed: 1);
        using var scope = NewDisposeScope();
        var (ids, mask) = LoraFixtures.Batch();
        Tensor before;
        using (no_grad()) before = lm.call(ids, mask, null);

        LoraAdapter.Apply(lm, new LoraOptions(rank: 4, alpha: 8, targets: ["q_proj", "down_proj"]), seed: 5);

        using (no_grad()) Assert.True(LoraFixtures.Same(lm.call(ids, mask, null), before)); // B = 0
        var trainable = lm.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).Order();
        var expected = from i in new[] { 0, 1 }
                       from m in new[] { "self_attn.q_proj", "mlp.down_proj" }
                       from ab in new[] { "lora_A", "lora_B" }
                       select $"model.layers.{i}.{m}.{ab}.weight";
        Assert.Equal(expected.Order(), trainable);
    }

    [Fact]
    public void Disable_computes_the_base_model_until_its_scope_ends()
    {
        using var lm = CausalLM.CreateRandom(TinyModels.Qwen2(), seed: 1);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var (ids, mask) = LoraFixtures.Batch();
        var baseLogits = lm.call(ids, mask, null);
        LoraAdapter.Apply(lm, new LoraOptions(rank: 4, alpha: 8, dropout: 0.5), seed: 5);
        LoraFixtures.PerturbB(lm, seed: 6);
        lm.train(); // dropout on: disabled adapters must not apply it either
        LoraAdapter.SeedDropout(lm, 3);
        var adapted = lm.call(ids, mask, null);

        LoraAdapter.SeedDropout(lm, 3);
        using (LoraAdapter.Disable(lm)) Assert.True(LoraFixtures.Same(lm.call(ids, mask, null), baseLogits));

        Assert.False(adapted.allclose(baseLogits, rtol: 1e-3, atol: 1e-3));
        // On again, with the masks of the same seed: the pass with adapters off drew none.
        Assert.True(LoraFixtures.Same(lm.call(ids, mask, null), adapted));
    }

    [Fact]
    public void A_is_kaiming_uniform_and_B_zero_in_float32_over_a_bfloat16_base()
    {
        using var lm = CausalLM.CreateRandom(TinyModels.Llama() with { HiddenSize = 64, IntermediateSize = 96, HeadDim = 16 }, seed: 1, ScalarType.BFloat16);
        LoraAdapter.Apply(lm, new LoraOptions(rank: 8, alpha: 16), seed: 5);
        var down = lm.model.layers[0].mlp.down_proj.Lora!;
        Assert.Equal([8L, 96L], down.lora_A.weight.shape);
        Assert.Equal([64L, 8L], down.lora_B.weight.shape);
        var values = LoraAdapter.Branches(lm).Select(b => b.Projection.Lora!.lora_A.weight).ToList();
        Assert.All(values, a => Assert.Equal(ScalarType.Float32, a.dtype));
        Assert.All(LoraAdapter.Branches(lm), b => Assert.Equal(0f, b.Projection.Lora!.lora_B.weight.abs().max().item<float>()));
        // kaiming_uniform(a = √5) on [r, in] is U(-1/√in, 1/√in): max |A| just under the bound, variance bound² / 3.
        var a = down.lora_A.weight;
        var bound = 1 / Math.Sqrt(96);
        Assert.InRange(a.abs().max().item<float>(), 0.95 * bound, bound);
        Assert.InRange(a.var().item<float>(), 0.85 * bound * bound / 3, 1.15 * bound * bound / 3);
        using var x = ones(1, 2, 64, ScalarType.BFloat16);
        using var y = lm.model.layers[0].self_attn.q_proj.call(x);
        Assert.Equal(ScalarType.BFloat16, y.dtype);
    }

    [Fact]
    public void Projection_adds_scaled_B_A_x_and_dropout_acts_only_in_training()
    {
        using var lm = CausalLM.CreateRandom(TinyModels.Qwen2(), seed: 1);
        LoraAdapter.Apply(lm, new LoraOptions(rank: 2, alpha: 6, dropout: 0.5), seed: 5);
        LoraFixtures.PerturbB(lm, seed: 6);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var q = lm.model.layers[1].self_attn.q_proj;
        var x = randn(3, 16, generator: new Generator(2, CPU));
        var expected = x.matmul(q.weight.t()) + q.bias! + 3.0 * x.matmul(q.Lora!.lora_A.weight.t()).matmul(q.Lora.lora_B.weight.t());

        lm.eval();
        Assert.True(q.call(x).allclose(expected, rtol: 1e-5, atol: 1e-6));
        lm.train();
        Assert.False(q.call(x).allclose(expected, rtol: 1e-3, atol: 1e-3));
    }

    [Fact]
    public void Sgd_steps_train_B_then_A_and_leave_the_base_weights_bit_identical()
    {
        using var lm = CausalLM.CreateRandom(TinyModels.Llama(), seed: 1);
        LoraAdapter.Apply(lm, new LoraOptions(rank: 4, alpha: 8), seed: 5);
        var start = LoraFixtures.Snapshot(lm);
        var (ids, mask) = LoraFixtures.Batch();
        var trainable = lm.parameters().Where(p => p.requires_grad).ToList();
        using var sgd = optim.SGD(trainable, 0.5);

        for (var step = 1; step <= 2; step++)
        {
            using var scope = NewDisposeScope();
            sgd.zero_grad();
            LoraFixtures.Loss(lm, ids, mask).backward();
            sgd.step();
            foreach (var (name, p) in lm.named_parameters())
            {
                var moved = !LoraFixtures.Same(p, start[name]);
                // B = 0 at step 1 makes dL/dA = 0, so A only moves from step 2 on.
                var expectMoved = name.EndsWith("lora_B.weight") || (name.EndsWith("lora_A.weight") && step == 2);
                Assert.True(expectMoved == moved, $"step {step}: {name} moved = {moved}");
            }
        }
    }

    [Fact]
    public void Float32_adapters_over_bfloat16_weights_take_lr_2e5_adamw_updates()
    {
        using var lm = CausalLM.CreateRandom(TinyModels.Qwen2(), seed: 1, ScalarType.BFloat16);
        LoraAdapter.Apply(lm, new LoraOptions(rank: 4, alpha: 8), seed: 5);
        var start = LoraFixtures.Snapshot(lm);
        var (ids, mask) = LoraFixtures.Batch();
        var trainable = lm.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        using var adamw = optim.AdamW(trainable.Select(p => p.parameter), lr: 2e-5, weight_decay: 0.01);
        for (var step = 0; step < 2; step++)
        {
            using var scope = NewDisposeScope();
            adamw.zero_grad();
            LoraFixtures.Loss(lm, ids, mask).backward();
            adamw.step();
        }
        // Every element of every adapter moved (a bfloat16 weight would round most 2e-5 steps away).
        foreach (var (name, p) in trainable)
            Assert.True(p.ne(start[name]).all().item<bool>(), name);
    }

    [Fact]
    public void Merge_folds_the_adapters_into_plain_weights_with_the_same_logits()
    {
        using var dir = new TempDirectory();
        using var lm = CausalLM.FromPretrained(OneShotGee.Tests.Fixtures.PathOf("models/stories260k"));
        using var scope = NewDisposeScope();
        var (ids, mask) = LoraFixtures.Batch(vocab: lm.Config.VocabSize);
        var plainNames = lm.named_parameters().Select(p => p.name).ToList();
        Tensor original, adapted, merged;
        using (no_grad()) original = lm.call(ids, mask, null);
        LoraAdapter.Apply(lm, new LoraOptions(rank: 4, alpha: 8, dropout: 0.1), seed: 5);
        LoraFixtures.PerturbB(lm, seed: 6);
        lm.eval();
        using (no_grad()) adapted = lm.call(ids, mask, null);

        LoraAdapter.Merge(lm);

        Assert.Empty(LoraAdapter.Branches(lm));
        Assert.Equal(plainNames, lm.named_parameters().Select(p => p.name));
        Assert.All(lm.parameters(), p => Assert.True(p.requires_grad));
        using (no_grad()) merged = lm.call(ids, mask, null);
        Assert.False(adapted.allclose(original, rtol: 0, atol: 1e-3)); // the adapters mattered
        // Float32 rounding differs between W x + s·B(A x) and (W + s·B A) x: allow 1e-5 of the logit scale.
        var scale = adapted.abs().max().item<float>();
        var diff = (merged - adapted).abs().max().item<float>();
        Assert.True(diff <= 1e-5 * scale, $"max diff {diff} at logit scale {scale}");

        lm.SavePretrained(dir.File("merged"));
        using var reloaded = CausalLM.FromPretrained(dir.File("merged"));
        using (no_grad()) Assert.True(LoraFixtures.Same(reloaded.call(ids, mask, null), merged));
    }
}
