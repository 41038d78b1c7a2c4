using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Loading;
using OneShotGee.Modeling.Lora;
using OneShotGee.Modeling.Tests.Lora;
using OneShotGee.Tests;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Tests.Loading;

/// <summary><see cref="ModelSource.LoadMerged"/>: the starting weights of a run from an adapter directory.</summary>
public sealed class ModelSourceLoadMergedTests
{
    static readonly string Stories = Fixtures.PathOf("models/stories260k"); // stored in float32

    [Fact]
    public void A_bfloat16_merge_starts_from_the_stored_float32_weights_and_rounds_once()
    {
        using var dir = new TempDirectory();
        var adapter = dir.File("adapter");
        var expected = new Dictionary<string, Tensor>();
        var naive = new Dictionary<string, Tensor>();
        using (var lm = CausalLM.FromPretrained(Stories, ScalarType.Float32))
        using (no_grad())
        {
            LoraAdapter.Apply(lm, new LoraOptions(rank: 4, alpha: 8), seed: 3);
            LoraFixtures.SetUpdateOfHalfABfloat16Ulp(lm, seed: 4);
            LoraAdapter.Save(lm, adapter);
            foreach (var (name, linear) in LoraAdapter.Branches(lm))
            {
                var lora = linear.Lora!;
                // float64 by hand: W + (alpha / r)·B·A
                var exact = linear.weight.to(ScalarType.Float64)
                    + lora.lora_B.weight.to(ScalarType.Float64).mm(lora.lora_A.weight.to(ScalarType.Float64)) * (8.0 / 4);
                expected[name] = exact.to(ScalarType.BFloat16).DetachFromDisposeScope();
                // what merging into an already bfloat16 W gives: two roundings
                naive[name] = (linear.weight.to(ScalarType.BFloat16).to(ScalarType.Float64) + (exact - linear.weight.to(ScalarType.Float64)))
                    .to(ScalarType.BFloat16).DetachFromDisposeScope();
            }
        }

        using var merged = ModelSource.Resolve(adapter).LoadMerged(ScalarType.BFloat16);

        Assert.Empty(LoraAdapter.Branches(merged));
        var weights = merged.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        long same = 0, sameNaive = 0, total = 0;
        foreach (var (name, want) in expected)
        {
            var got = weights[name + ".weight"];
            Assert.Equal(ScalarType.BFloat16, got.dtype);
            same += got.eq(want).sum().item<long>();
            sameNaive += got.eq(naive[name]).sum().item<long>();
            total += want.numel();
        }
        // float32 then bfloat16 rounds twice too, but a tie-breaking difference is rare; the naive merge misses often.
        Assert.True(same >= 0.999 * total, $"{same} of {total} elements equal bfloat16(W + s·B·A)");
        Assert.True(sameNaive < 0.95 * total, $"the naive merge matched {sameNaive} of {total}: the test cannot tell them apart");
        foreach (var t in expected.Values.Concat(naive.Values)) t.Dispose();
    }

    [Fact]
    public void A_full_model_loads_as_it_is()
    {
        using var plain = CausalLM.FromPretrained(Stories, ScalarType.Float32);
        using var loaded = ModelSource.Resolve(Stories).LoadMerged(ScalarType.Float32);

        foreach (var ((name, a), (_, b)) in plain.named_parameters().Zip(loaded.named_parameters()))
            Assert.True(LoraFixtures.Same(a, b), name);
    }
}
