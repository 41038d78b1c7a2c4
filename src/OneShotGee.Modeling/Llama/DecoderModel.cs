using OneShotGee.Modeling.Checkpointing;
using OneShotGee.Modeling.Config;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Llama;

/// <summary>The transformer body (HF <c>LlamaModel</c>, prefix <c>model.</c>): embeddings, decoder layers, final norm.</summary>
public sealed class DecoderModel : nn.Module<Tensor, Tensor, KvCache?, Tensor>
{
    public readonly Embedding embed_tokens;
    public readonly ModuleList<DecoderLayer> layers;
    public readonly RmsNorm norm;
    readonly RotaryEmbedding rotary;
    readonly ModelConfig config;

    /// <summary>Recompute each layer's activations during backward instead of keeping them (see <see cref="DecoderLayerCheckpoint"/>).</summary>
    public bool GradientCheckpointing { get; set; }

    /// <summary>
    /// Run a decoding step on the CPU as one TorchScript call (<see cref="DecodeStepScript"/>, the default; bit-identical);
    /// false runs it module by module.
    /// </summary>
    public bool FusedDecoding { get; set; } = true;

    public DecoderModel(ModelConfig c, ScalarType dtype, Device device) : base(nameof(DecoderModel))
    {
        embed_tokens = new Embedding(c.VocabSize, c.HiddenSize, dtype, device);
        layers = new ModuleList<DecoderLayer>([.. Enumerable.Range(0, c.NumHiddenLayers).Select(i => new DecoderLayer(c, i, dtype, device))]);
        norm = new RmsNorm(c.HiddenSize, c.RmsNormEps, dtype, device);
        rotary = new RotaryEmbedding(c);
        config = c;
        RegisterComponents();
    }

    /// <summary>Final-norm hidden states [b, s, hidden] for input ids [b, s] and padding mask [b, cached + s].</summary>
    public override Tensor forward(Tensor inputIds, Tensor paddingMask, KvCache? cache) =>
        Run(inputIds, paddingMask, cache, layerOutputs: null);

    /// <summary>The residual stream after each layer, then the final-norm output (for inspection and tests).</summary>
    public IReadOnlyList<Tensor> HiddenStates(Tensor inputIds, Tensor paddingMask)
    {
        var outputs = new List<Tensor>();
        outputs.Add(Run(inputIds, paddingMask, null, outputs));
        return outputs;
    }

    Tensor Run(Tensor inputIds, Tensor paddingMask, KvCache? cache, List<Tensor>? layerOutputs)
    {
        using var scope = NewDisposeScope();
        var s = inputIds.shape[1];
        if (paddingMask.shape[1] != (cache?.Length ?? 0) + s)
            throw new ArgumentException($"attention mask covers {paddingMask.shape[1]} positions, expected cached {cache?.Length ?? 0} + {s}");
        if (layerOutputs is null && DecodeStepScript.Applies(this, s, cache))
            return DecodeStepScript.Run(this, config, rotary, inputIds, paddingMask, cache!).MoveToOuterDisposeScope();
        var x = embed_tokens.call(inputIds);
        var (cos, sin) = rotary.Compute(AttentionMask.PositionIds(paddingMask, s), x.dtype, paddingMask.shape[1]);
        var ctx = new LayerContext(cos, sin, AttentionMask.Causal(paddingMask, s, x.dtype), cache);
        foreach (var layer in layers)
        {
            x = GradientCheckpointing && cache is null && is_grad_enabled() ? DecoderLayerCheckpoint.Run(layer, x, ctx) : layer.call(x, ctx);
            layerOutputs?.Add(x.MoveToOuterDisposeScope());
        }
        return norm.call(x).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) rotary.Dispose();
        base.Dispose(disposing);
    }
}
