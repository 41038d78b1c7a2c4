using System.Reflection;
using OneShotGee.Modeling.Config;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Llama;

/// <summary>
/// A decoding step of <see cref="DecoderModel"/> as one TorchScript call (DecodeStep.torchscript) instead of ~30
/// TorchSharp calls per layer: at small and batched decoding the per-call cost of TorchSharp (a tensor object, a
/// dispose-scope entry, a P/Invoke per op) is most of a step (docs/benchmarks.md). It covers what a decoding step
/// runs: one new position per sequence, a KV cache, no grad, no enabled LoRA branch; anything else runs the modules.
/// </summary>
static class DecodeKernel
{
    static readonly Lazy<jit.CompilationUnit> Script = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("DecodeStep.torchscript")!;
        return jit.compile(new StreamReader(stream).ReadToEnd());
    });

    public static bool Applies(DecoderModel model, long positions, KvCache? cache) =>
        model.FusedDecoding && positions == 1 && cache is not null && !is_grad_enabled() && model.layers.All(PlainLayer);

    static bool PlainLayer(DecoderLayer layer) =>
        new[] { layer.self_attn.q_proj, layer.self_attn.k_proj, layer.self_attn.v_proj, layer.self_attn.o_proj,
            layer.mlp.gate_proj, layer.mlp.up_proj, layer.mlp.down_proj }.All(p => p.Lora is not { Enabled: true });

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
        var (cos, signedSin) = rotary.Table(dtype, inputIds.device, paddingMask.shape[1]);
        var (keys, values, start) = cache.Extend([inputIds.shape[0], c.NumKeyValueHeads, 1, c.HeadDim], dtype, inputIds.device);
        return Script.Value.invoke<Tensor>("decode_step", inputIds, paddingMask, model.embed_tokens.weight, cos, signedSin,
            AttentionMask.Blocked(dtype), weights.ToArray(), model.norm.weight, keys, values, (int)start,
            c.NumAttentionHeads, c.NumKeyValueHeads, c.HeadDim, c.RmsNormEps, c.QkvBias, c.OutputBias, c.MlpBias)
            .MoveToOuterDisposeScope();
    }
}
