using static TorchSharp.torch;

namespace OneShotGee.Modeling.Llama;

/// <summary>
/// Several projections of the same input (q/k/v, gate/up) as one matmul. Their weights and biases are views into one
/// concatenated buffer, so each part stays a <see cref="Linear"/> with its HF name (checkpoints, LoRA targets, the
/// optimizer see q_proj, k_proj, v_proj) while the forward multiplies once: a weight written in place (loading,
/// an optimizer step, a LoRA merge) is written into the buffer.
/// </summary>
public sealed class FusedProjection : IDisposable
{
    readonly Tensor weight;
    readonly Tensor? bias;
    readonly long[] sizes;

    public FusedProjection(long inFeatures, long[] outFeatures, bool hasBias, ScalarType dtype, Device device)
    {
        sizes = outFeatures;
        weight = empty(outFeatures.Sum(), inFeatures, dtype, device).DetachFromDisposeScope();
        bias = hasBias ? empty(outFeatures.Sum(), dtype, device).DetachFromDisposeScope() : null;
        var offsets = outFeatures.Select((_, i) => outFeatures.Take(i).Sum()).ToArray();
        Parts = [.. outFeatures.Select((size, i) => new Linear(weight.narrow(0, offsets[i], size), bias?.narrow(0, offsets[i], size)))];
    }

    /// <summary>The concatenated weights [Σ out, in] and biases [Σ out] (null without bias) that the parts view.</summary>
    internal Tensor Weight => weight;
    internal Tensor? Bias => bias;

    /// <summary>The projections, in output order.</summary>
    public IReadOnlyList<Linear> Parts { get; }

    /// <summary>
    /// The parts' outputs side by side, [..., Σ out], each with its LoRA update. When a part's weight is trained the
    /// product reads a concatenation of the parameters (so gradients reach them), the same values as the buffer.
    /// </summary>
    public Tensor Forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var trained = is_grad_enabled() && Parts.Any(p => p.weight.requires_grad || p.bias?.requires_grad == true);
        var y = trained
            ? nn.functional.linear(x, cat([.. Parts.Select(p => (Tensor)p.weight)]), bias is null ? null : cat([.. Parts.Select(p => (Tensor)p.bias!)]))
            : nn.functional.linear(x, weight, bias);
        if (Parts.All(p => p.Lora is not { Enabled: true })) return y.MoveToOuterDisposeScope();
        var outputs = y.split(sizes, -1);
        return cat([.. Parts.Select((p, i) => p.Lora is { Enabled: true } lora ? lora.AddTo(outputs[i], x, p.training) : outputs[i])], -1)
            .MoveToOuterDisposeScope();
    }

    /// <summary>Frees the buffer; the parts are the owning module's children and are disposed with it.</summary>
    public void Dispose()
    {
        weight.Dispose();
        bias?.Dispose();
    }
}
