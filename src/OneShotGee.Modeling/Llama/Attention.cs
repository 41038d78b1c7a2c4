using OneShotGee.Modeling.Config;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Llama;

/// <summary>Multi-head causal self-attention with grouped-query K/V heads (Ainslie et al. 2023) and RoPE.</summary>
public sealed class Attention : nn.Module<Tensor, LayerContext, Tensor>
{
    public readonly Linear q_proj, k_proj, v_proj, o_proj;
    readonly FusedProjection qkv;
    internal FusedProjection Qkv => qkv;
    readonly int layerIndex, numHeads, numKeyValueHeads, headDim;

    public Attention(ModelConfig c, int layerIndex, ScalarType dtype, Device device) : base(nameof(Attention))
    {
        (this.layerIndex, numHeads, numKeyValueHeads, headDim) = (layerIndex, c.NumAttentionHeads, c.NumKeyValueHeads, c.HeadDim);
        qkv = new FusedProjection(c.HiddenSize, [numHeads * headDim, numKeyValueHeads * headDim, numKeyValueHeads * headDim], c.QkvBias, dtype, device);
        (q_proj, k_proj, v_proj) = (qkv.Parts[0], qkv.Parts[1], qkv.Parts[2]);
        o_proj = new Linear(numHeads * headDim, c.HiddenSize, c.OutputBias, dtype, device);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, LayerContext ctx)
    {
        using var scope = NewDisposeScope();
        var (b, s) = (x.shape[0], x.shape[1]);
        // One product for q, k and v: [b, s, (h + 2·h_kv)·d] → heads [b, h + 2·h_kv, s, d], q then k then v; q and k
        // are adjacent, so one rotation turns both. With one position the transpose is a plain view.
        var projected = qkv.Forward(x);
        var heads = s == 1
            ? projected.view(b, numHeads + 2 * numKeyValueHeads, 1, headDim)
            : projected.view(b, s, numHeads + 2 * numKeyValueHeads, headDim).transpose(1, 2);
        var qk = RotaryEmbedding.Apply(heads.narrow(1, 0, numHeads + numKeyValueHeads), ctx.Cos, ctx.Sin);
        var (q, k, v) = (qk.narrow(1, 0, numHeads), qk.narrow(1, numHeads, numKeyValueHeads), heads.narrow(1, numHeads + numKeyValueHeads, numKeyValueHeads));
        if (ctx.Cache is { } cache) (k, v) = cache.Append(layerIndex, k, v);
        var y = Attend(q, k, v, ctx.AttentionMask);
        var merged = s == 1 ? y.reshape(b, 1, numHeads * headDim) : y.transpose(1, 2).reshape(b, s, numHeads * headDim);
        return o_proj.call(merged).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// softmax(q kᵀ / √d + mask) v for q [b, h, s, d], k/v [b, h_kv, t, d], additive mask [b, 1, s, t]; query head i
    /// reads K/V head i / (h / h_kv), as HF repeat_kv. TorchSharp's scaled_dot_product_attention has no GQA option
    /// (its default scale is 1/√d), so for one query (a decoding step) the h / h_kv query heads that share a K/V head
    /// become that head's queries and the mask row broadcasts over them; for several queries K/V are repeated.
    /// </summary>
    public static Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var (b, h, s, d) = (q.shape[0], q.shape[1], q.shape[2], q.shape[3]);
        var groups = h / k.shape[1];
        if (groups == 1) return Sdpa(q, k, v, mask).MoveToOuterDisposeScope();
        if (s == 1) return Sdpa(q.reshape(b, k.shape[1], groups, d), k, v, mask).reshape(b, h, 1, d).MoveToOuterDisposeScope();
        return Sdpa(q, k.repeat_interleave(groups, 1), v.repeat_interleave(groups, 1), mask).MoveToOuterDisposeScope();
    }

    static Tensor Sdpa(Tensor q, Tensor k, Tensor v, Tensor mask) =>
        nn.functional.scaled_dot_product_attention(q, k, v, mask, 0.0, false);

    protected override void Dispose(bool disposing)
    {
        if (disposing) qkv.Dispose();
        base.Dispose(disposing);
    }
}
