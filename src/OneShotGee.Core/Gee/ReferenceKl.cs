using static TorchSharp.torch;

namespace OneShotGee.Core.Gee;

/// <summary>
/// The KL anchor (issue 17): KL(π_θ ‖ π_ref) of the next-token distributions at the generated positions, π_ref the
/// starting model. The standard remedy for drift in RL fine-tuning of language models (β·KL to the frozen initial
/// policy, as in PPO/GRPO, e.g. TRL); here the full-distribution KL, not a sampled-token estimate. Both distributions
/// are taken at the entropy temperature τ (<see cref="TokenEntropy.TemperedLogProbs"/>), so the anchor constrains the
/// same distributions whose entropy GEE shapes.
/// </summary>
public static class ReferenceKl
{
    /// <summary>
    /// KL_t = Σ_v p_v (log p_v − log q_v), p = softmax(logits_t / τ), q = softmax(referenceLogits_t / τ), for
    /// [batch, seq, vocab] → [batch, seq]; differentiable with respect to <paramref name="logits"/> (the reference is a
    /// constant: compute it under no_grad).
    /// </summary>
    public static Tensor Compute(Tensor logits, Tensor referenceLogits, double temperature)
    {
        if (!logits.shape.SequenceEqual(referenceLogits.shape))
            throw new InvalidInputException(
                $"Tensor referenceLogits [{string.Join(", ", referenceLogits.shape)}] must match the logits [{string.Join(", ", logits.shape)}].");
        using var scope = NewDisposeScope();
        var logP = TokenEntropy.TemperedLogProbs(logits, temperature);
        var logQ = TokenEntropy.TemperedLogProbs(referenceLogits, temperature).to(logP.dtype);
        return (logP.exp() * (logP - logQ)).sum(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Σ_t KL_t over each sample's generated positions (<see cref="GenerationMask"/>) → [batch].</summary>
    public static Tensor SumOverGenerated(Tensor tokenKl, Tensor generationMask)
    {
        if (!tokenKl.shape.SequenceEqual(generationMask.shape) || tokenKl.dim() != 2)
            throw new InvalidInputException(
                $"Tensor generationMask [{string.Join(", ", generationMask.shape)}] must match the token KL [batch, seq] = [{string.Join(", ", tokenKl.shape)}].");
        using var scope = NewDisposeScope();
        return (tokenKl * generationMask.to(tokenKl.dtype, tokenKl.device)).sum(1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// β·Σ KL / <paramref name="totalTokens"/>: this part's share of β times the mean KL over all generated tokens of
    /// the step. The mean is per token of the whole effective batch, so the shares of the micro-batches add up to the
    /// whole-batch term exactly once the step's token count is known (after sampling, before any backward).
    /// </summary>
    public static Tensor AnchorTerm(Tensor sampleKlSums, double coefficient, int totalTokens)
    {
        if (totalTokens < 1) throw new InvalidInputException($"The KL anchor needs at least one generated token, got {totalTokens}.");
        return sampleKlSums.sum() * (coefficient / totalTokens);
    }
}
