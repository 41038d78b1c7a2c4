using OneShotGee.Modeling.Llama;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Tests.Lora;

static class LoraFixtures
{
    /// <summary>A fixed batch of token ids [2, 5] below the tiny vocabulary size, with no padding.</summary>
    public static (Tensor Ids, Tensor Mask) Batch(long vocab = 40)
    {
        using var g = new Generator(11, CPU);
        var ids = randint(vocab, [2, 5], dtype: ScalarType.Int64, generator: g);
        return (ids, ones_like(ids));
    }

    /// <summary>Next-token cross-entropy of the batch (a real training loss, so every parameter gets a gradient).</summary>
    public static Tensor Loss(CausalLM lm, Tensor ids, Tensor mask)
    {
        var logits = lm.call(ids, mask, null);
        var v = logits.shape[2];
        if (logits.dtype != ScalarType.Float64) logits = logits.to(ScalarType.Float32);
        return nn.functional.cross_entropy(logits[.., ..^1].reshape(-1, v), ids[.., 1..].reshape(-1));
    }

    /// <summary>Sets every lora_B to seeded N(0, 0.1²), so the adapters change the output and A gets gradients.</summary>
    public static void PerturbB(CausalLM lm, long seed)
    {
        using var g = new Generator((ulong)seed, CPU);
        using var noGrad = no_grad();
        foreach (var (_, linear) in Modeling.Lora.LoraAdapter.Branches(lm))
        {
            using var scope = NewDisposeScope();
            var b = linear.Lora!.lora_B.weight;
            b.copy_(randn(b.shape, generator: g).mul_(0.1));
        }
    }

    /// <summary>
    /// Sets every lora_B (seeded) so that each update (alpha / r)·B·A has a standard deviation of half a bfloat16 ulp
    /// relative to its weight, 2⁻⁹·std(W): the size a GEE run leaves (lr 2e-5, 50 steps), which a bfloat16 merge rounds away.
    /// </summary>
    public static void SetUpdateOfHalfABfloat16Ulp(CausalLM lm, long seed)
    {
        using var g = new Generator((ulong)seed, CPU);
        using var noGrad = no_grad();
        foreach (var (_, linear) in Modeling.Lora.LoraAdapter.Branches(lm))
        {
            using var scope = NewDisposeScope();
            var b = linear.Lora!.lora_B.weight;
            b.copy_(randn(b.shape, generator: g));
            var target = linear.weight.to(ScalarType.Float32).std().item<float>() / 512;
            b.mul_(target / linear.Lora.Delta().std().item<float>());
        }
    }

    /// <summary>Same shape and bit-identical values.</summary>
    public static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    public static Dictionary<string, Tensor> Snapshot(CausalLM lm) =>
        lm.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone().DetachFromDisposeScope());
}
