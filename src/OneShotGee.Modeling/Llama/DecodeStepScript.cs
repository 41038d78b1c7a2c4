using System.Reflection;
using OneShotGee.Modeling.Config;
using TorchSharp;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Llama;

/// <summary>
/// A decoding step of <see cref="DecoderModel"/> as one TorchScript call (DecodeStep.torchscript) instead of ~40
/// TorchSharp calls per layer: at small and batched decoding the per-call cost of TorchSharp (a tensor object, a
/// dispose-scope entry, a P/Invoke per op) is most of a step (docs/benchmarks.md). It covers what a decoding step
/// runs: one new position per sequence, a KV cache, no grad, no LoRA dropout in training mode, on the CPU; anything else
/// runs the modules. The script restates the modules' math: a change to one must be made to both (the tests compare
/// them bit for bit).
/// </summary>
static class DecodeStepScript
{
    static readonly Lazy<jit.CompilationUnit> Script = new(() =>
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("DecodeStep.torchscript")!;
        return jit.compile(new StreamReader(stream).ReadToEnd());
    });

    /// <summary>
    /// Whether the script runs this forward. Only on the CPU: on CUDA libtorch's graph executor fuses elementwise ops
    /// into generated kernels that may round differently, and no GPU has run <c>DecodeStepScriptTests</c> yet.
    /// </summary>
    public static bool Applies(DecoderModel model, long positions, KvCache? cache) =>
        model.FusedDecoding && positions == 1 && cache is not null && !is_grad_enabled()
        && model.embed_tokens.weight.device_type == DeviceType.CPU && !EnabledBranches(model).Any(UsesDropout);

    // The projections of a layer in the order of the script's lora slots.
    static Linear[] Projections(DecoderLayer layer) =>
        [layer.self_attn.q_proj, layer.self_attn.k_proj, layer.self_attn.v_proj, layer.self_attn.o_proj,
            layer.mlp.gate_proj, layer.mlp.up_proj, layer.mlp.down_proj];

    static IEnumerable<Linear> EnabledBranches(DecoderModel model) =>
        model.layers.SelectMany(Projections).Where(p => p.Lora is { Enabled: true });

    // Dropout draws masks the script does not; it is active only in training mode.
    static bool UsesDropout(Linear projection) => projection.training && projection.Lora!.Options.Dropout > 0;

    /// <summary>
    /// The final-norm hidden states [b, 1, hidden] of input ids [b, 1] after a padding mask [b, cached + 1], writing
    /// the step's keys and values into the cache.
    /// </summary>
    public static Tensor Run(DecoderModel model, ModelConfig c, RotaryEmbedding rotary, Tensor inputIds, Tensor paddingMask, KvCache cache)
    {
        using var scope = NewDisposeScope();
        var dtype = model.embed_tokens.weight.dtype;
        var noBias = empty(0, dtype, inputIds.device);
        var weights = new List<Tensor>(10 * model.layers.Count);
        foreach (var layer in model.layers)
        {
            var (attention, mlp) = (layer.self_attn, layer.mlp);
            weights.AddRange([layer.input_layernorm.weight, attention.Qkv.Weight, attention.Qkv.Bias ?? noBias,
                attention.o_proj.weight, attention.o_proj.bias ?? noBias, layer.post_attention_layernorm.weight,
                mlp.GateUp.Weight, mlp.GateUp.Bias ?? noBias, mlp.down_proj.weight, mlp.down_proj.bias ?? noBias]);
        }
        // One adapter per model (LoraAdapter.Apply refuses a second), so every branch has the same scaling.
        var scaling = EnabledBranches(model).FirstOrDefault()?.Lora!.Options.Scaling;
        var lora = new List<Tensor>();
        if (scaling is not null)
        {
            var noBranch = empty(0, ScalarType.Float32, inputIds.device);
            foreach (var projection in model.layers.SelectMany(Projections))
                lora.AddRange(projection.Lora is { Enabled: true } branch ? [branch.lora_A.weight, branch.lora_B.weight] : [noBranch, noBranch]);
        }
        var (cos, signedSin) = rotary.Table(dtype, inputIds.device, paddingMask.shape[1]);
        var (keys, values, start) = cache.Extend([inputIds.shape[0], c.NumKeyValueHeads, 1, c.HeadDim], dtype, inputIds.device);
        // Rooted until the call returns, as LiveScalars explains: invoke turns a double into a Scalar temporary that
        // nothing keeps alive (ScriptModule.DetermineArgumentTypeRefs: ((Scalar)d).Handle).
        using var masked = AttentionMask.Blocked(dtype).ToScalar();
        using var loraScaling = (scaling ?? 0.0).ToScalar();
        using var eps = c.RmsNormEps.ToScalar();
        return Script.Value.invoke<Tensor>("decode_step", inputIds, paddingMask, model.embed_tokens.weight, cos, signedSin,
            masked, weights.ToArray(), lora.ToArray(), loraScaling, model.norm.weight, keys, values, (int)start,
            c.NumAttentionHeads, c.NumKeyValueHeads, c.HeadDim, eps, c.QkvBias, c.OutputBias, c.MlpBias)
            .MoveToOuterDisposeScope();
    }
}
