using OneShotGee.Modeling.Llama;
using OneShotGee.Modeling.Lora;
using static TorchSharp.torch;

namespace OneShotGee.Training;

/// <summary>
/// π_ref of the KL anchor (<see cref="TrainOptions.KlCoef"/>): the run's starting model, scored under no_grad. With LoRA
/// it is the trained model itself with its adapters switched off (<see cref="LoraAdapter.Disable"/>; B = 0 at the
/// start, so the base is the starting model, and no second copy of the weights is held). For full fine-tuning it is a
/// frozen copy of the starting weights (<see cref="StartingModel"/>) — on resume too, so the anchor stays the run's start, not
/// the checkpoint — which costs one more set of weights in the model dtype (<see cref="MemoryPlan.ReferenceWeights"/>).
/// </summary>
public sealed class ReferencePolicy : IDisposable
{
    readonly CausalLM? frozenCopy;

    ReferencePolicy(CausalLM? frozenCopy) => this.frozenCopy = frozenCopy;

    /// <summary>The run's reference, or null when it has no KL anchor (β = 0).</summary>
    public static ReferencePolicy? For(TrainOptions options)
    {
        if (options.KlCoef == 0) return null;
        if (options.Lora is not null) return new(null);
        var lm = StartingModel.Load(options);
        foreach (var p in lm.parameters()) p.requires_grad = false;
        lm.eval();
        return new(lm);
    }

    /// <summary>π_ref's logits [batch, positions, vocab] of the last <paramref name="positions"/> positions of the batch
    /// <paramref name="lm"/> is scoring (no graph; only those go through the head, as for the trained model).</summary>
    public Tensor LastLogits(CausalLM lm, Tensor ids, Tensor attentionMask, long positions)
    {
        using var noGrad = no_grad();
        if (frozenCopy is not null) return frozenCopy.LastLogits(ids, attentionMask, positions);
        using var adaptersOff = LoraAdapter.Disable(lm);
        return lm.LastLogits(ids, attentionMask, positions);
    }

    public void Dispose() => frozenCopy?.Dispose();
}
