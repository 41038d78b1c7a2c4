using TorchSharp;
using static TorchSharp.torch;

namespace OneShotGee.Core.Gee;

/// <summary>Entropy of the model's next-token distributions, differentiable with respect to the logits.</summary>
public static class TokenEntropy
{
    /// <summary>
    /// H_t = −Σ_v p_v log p_v with p = softmax(logits_t / τ), for logits [batch, seq, vocab] → [batch, seq].
    /// Computed from log_softmax, so large logits do not overflow; half-precision logits are upcast to float32.
    /// Logits must be finite (a −∞ logit gives 0·−∞ = NaN).
    /// </summary>
    public static Tensor Compute(Tensor logits, double temperature)
    {
        using var scope = NewDisposeScope();
        var logProbs = TemperedLogProbs(logits, temperature);
        return (-(logProbs.exp() * logProbs).sum(-1)).MoveToOuterDisposeScope();
    }

    /// <summary>log softmax(logits / τ) over the vocabulary of logits [batch, seq, vocab], half precision upcast to float32:
    /// the distributions every GEE term (entropy, the KL anchor) is taken of.</summary>
    public static Tensor TemperedLogProbs(Tensor logits, double temperature)
    {
        if (logits.dim() != 3)
            throw new InvalidInputException($"Tensor logits must be [batch, seq, vocab], got [{string.Join(", ", logits.shape)}].");
        if (!double.IsFinite(temperature) || temperature <= 0)
            throw new InvalidInputException($"GEE option Temperature must be a finite number > 0, got {temperature}.");
        using var scope = NewDisposeScope();
        var scaled = (logits.dtype is ScalarType.Float16 or ScalarType.BFloat16 ? logits.to_type(ScalarType.Float32) : logits) / temperature;
        return scaled.log_softmax(-1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// H_i = mean of <paramref name="tokenEntropies"/> [batch, seq] over the positions where
    /// <paramref name="generationMask"/> [batch, seq] is set (see <see cref="GenerationMask"/>) → [batch].
    /// Prompt and padding positions neither contribute nor count in the denominator. A sample with no
    /// generated token has no entropy: that is an <see cref="InvalidInputException"/>, not a silent 0.
    /// </summary>
    public static Tensor MeanOverGenerated(Tensor tokenEntropies, Tensor generationMask)
    {
        if (!tokenEntropies.shape.SequenceEqual(generationMask.shape) || tokenEntropies.dim() != 2)
            throw new InvalidInputException(
                $"Tensor generationMask [{string.Join(", ", generationMask.shape)}] must match the token entropies " +
                $"[batch, seq] = [{string.Join(", ", tokenEntropies.shape)}].");
        using var scope = NewDisposeScope();
        var mask = generationMask.to(tokenEntropies.dtype, tokenEntropies.device);
        var counts = mask.sum(1);
        var empty = (counts == 0).nonzero();
        if (empty.shape[0] > 0)
            throw new InvalidInputException($"Sample {empty[0, 0].item<long>()} has no generated tokens in generationMask; its entropy is undefined.");
        return ((tokenEntropies * mask).sum(1) / counts).MoveToOuterDisposeScope();
    }

    /// <summary>H_i for each sample: <see cref="Compute"/> then <see cref="MeanOverGenerated"/> → [batch].</summary>
    public static Tensor PerSample(Tensor logits, Tensor generationMask, double temperature)
    {
        using var scope = NewDisposeScope();
        return MeanOverGenerated(Compute(logits, temperature), generationMask).MoveToOuterDisposeScope();
    }
}
