using System.Reflection;
using OneShotGee.Modeling.Config;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Llama;

/// <summary>
/// A decoding step of <see cref="DecoderModel"/> as one TorchScript call (DecodeStep.torchscript) instead of ~30
/// TorchSharp calls per layer: at small and batched decoding the per-call cost of TorchSharp (a tensor object, a
/// dispose-scope entry, a P/Invoke per op) is most of a step (docs/benchmarks.md). It covers what a decoding step
/// runs: one new position per sequence, a KV cache, no grad, LoRA branches without dropout and of one scaling; anything
/// else runs the modules.
/// </summary>
static class DecodeKernel
{
    static readonly Lazy<jit.CompilationUnit> Script = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("DecodeStep.torchscript")!;
        return jit.compile(new StreamReader(stream).ReadToEnd());
    });

    public static bool Applies(DecoderModel model, long positions, KvCache? cache) =>
        model.FusedDecoding && positions == 1 && cache is not null && !is_grad_enabled() && LoraScaling(model, out _);

    // The projections of a layer in the order of the script's lora slots.
    static Linear[] Projections(DecoderLayer layer) =>
        [layer.self_attn.q_proj, layer.self_attn.k_proj, layer.self_attn.v_proj, layer.self_attn.o_proj,
            layer.mlp.gate_proj, layer.mlp.up_proj, layer.mlp.down_proj];

    /// <summary>
    /// The one scaling of the enabled LoRA branches (null without any); false when the script cannot run them: branches
    /// of different scalings, or dropout that a branch in training mode would apply.
    /// </summary>
    static bool LoraScaling(DecoderModel model, out double? scaling)
    {
        scaling = null;
        foreach (var projection in model.layers.SelectMany(Projections))
        {
            if (projection.Lora is not { Enabled: true } lora) continue;
            if (projection.training && lora.Options.Dropout > 0 || (scaling ??= lora.Options.Scaling) != lora.Options.Scaling) return false;
        }
        return true;
    }

    /// <summary>
    /// The final-norm hidden states [b, 1, hidden] of input ids [b, 1] after a padding mask [b, cached + 1], writing
    /// the step's keys and values into the cache.
    /// </summary>
    public static Tensor Run(DecoderModel model, ModelConfig c, RotaryEmbedding rotary, Tensor inputIds, Tensor paddingMask, KvCache cache)
    {
        using var scope = NewDisposeScope();
        var dtype = model.embed_tokens.weight.dtype;
        var none = empty(0, dtype, inputIds.device);
        var weights = new List<Tensor>(10 * model.layers.Count);
        foreach (var layer in model.layers)
        {
            var (attention, mlp) = (layer.self_attn, layer.mlp);
            weights.AddRange([layer.input_layernorm.weight, attention.Qkv.Weight, attention.Qkv.Bias ?? none,
                attention.o_proj.weight, attention.o_proj.bias ?? none, layer.post_attention_layernorm.weight,
                mlp.GateUp.Weight, mlp.GateUp.Bias ?? none, mlp.down_proj.weight, mlp.down_proj.bias ?? none]);
        }
        LoraScaling(model, out var scaling);
        var lora = new List<Tensor>();
        if (scaling is not null)
        {
            var absent = empty(0, ScalarType.Float32, inputIds.device);
            foreach (var projection in model.layers.SelectMany(Projections))
                lora.AddRange(projection.Lora is { Enabled: true } branch ? [branch.lora_A.weight, branch.lora_B.weight] : [absent, absent]);
        }
        var (cos, signedSin) = rotary.Table(dtype, inputIds.device, paddingMask.shape[1]);
        var (keys, values, start) = cache.Extend([inputIds.shape[0], c.NumKeyValueHeads, 1, c.HeadDim], dtype, inputIds.device);
        return Script.Value.invoke<Tensor>("decode_step", inputIds, paddingMask, model.embed_tokens.weight, cos, signedSin,
            AttentionMask.Blocked(dtype), weights.ToArray(), lora.ToArray(), scaling ?? 0.0, model.norm.weight, keys, values, (int)start,
            c.NumAttentionHeads, c.NumKeyValueHeads, c.HeadDim, c.RmsNormEps, c.QkvBias, c.OutputBias, c.MlpBias)
            .MoveToOuterDisposeScope();
    }
}
