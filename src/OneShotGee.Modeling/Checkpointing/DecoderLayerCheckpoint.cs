using OneShotGee.Modeling.Llama;
using static TorchSharp.torch;

namespace OneShotGee.Modeling.Checkpointing;

/// <summary>
/// Gradient (activation) checkpointing for one decoder layer (Chen et al. 2016, "Training Deep Nets with Sublinear
/// Memory Cost"; PyTorch's torch.utils.checkpoint, which TorchSharp lacks). Forward runs the layer without building a
/// graph and keeps only its inputs; backward recomputes the layer with grad and backpropagates through the recomputed
/// graph. The layer's trainable parameters are inputs of the function, so the engine accumulates their gradients as
/// usual, also when the layer input needs none (LoRA over frozen embeddings). Every tensor travels as an argument and
/// is saved in the autograd context: a closure over a tensor would be freed by its dispose scope before backward.
/// </summary>
public sealed class DecoderLayerCheckpoint : autograd.SingleTensorFunction<DecoderLayerCheckpoint>
{
    public override string Name => nameof(DecoderLayerCheckpoint);

    /// <summary><c>layer.call(x, ctx)</c> with recomputation in backward; the context must not carry a KV cache.</summary>
    public static Tensor Run(DecoderLayer layer, Tensor x, LayerContext ctx)
    {
        if (ctx.Cache is not null) throw new InvalidOperationException("gradient checkpointing runs without a KV cache");
        Tensor[] parameters = [.. layer.parameters().Where(p => p.requires_grad)];
        return apply([layer, x, ctx.Cos, ctx.Sin, ctx.AttentionMask, .. parameters]);
    }

    // What backward needs besides the saved tensors x, cos, sin, mask.
    sealed record Recompute(DecoderLayer Layer, bool InputRequiresGrad, Tensor[] Parameters, RandomState? Rng);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var layer = (DecoderLayer)vars[0];
        var (x, cos, sin, mask) = ((Tensor)vars[1], (Tensor)vars[2], (Tensor)vars[3], (Tensor)vars[4]);
        ctx.save_for_backward([x, cos, sin, mask]);
        ctx.save_data(nameof(Recompute), new Recompute(layer, x.requires_grad, [.. vars.Skip(5).Cast<Tensor>()], RandomState.CaptureIfNeeded(layer, x.device)));
        return layer.call(x, new LayerContext(cos, sin, mask, null)); // apply() runs this under no_grad
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        using var scope = NewDisposeScope();
        var r = (Recompute)ctx.get_data(nameof(Recompute));
        var saved = ctx.get_saved_variables();
        using var grad = enable_grad();
        var x = saved[0].detach().requires_grad_(r.InputRequiresGrad);
        Tensor y;
        using (r.Rng?.Replay()) y = r.Layer.call(x, new LayerContext(saved[1], saved[2], saved[3], null));
        var grads = autograd.grad([y], r.InputRequiresGrad ? [x, .. r.Parameters] : r.Parameters, [gradOutput]);
        var inputGrad = r.InputRequiresGrad ? grads[0] : null;
        // One entry per forward argument: none for the layer, cos, sin and mask.
        List<Tensor> result = [null!, inputGrad!, null!, null!, null!, .. grads.Skip(r.InputRequiresGrad ? 1 : 0)];
        foreach (var t in result) t?.MoveToOuterDisposeScope();
        return result;
    }
}
