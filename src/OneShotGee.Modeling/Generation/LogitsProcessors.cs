using static TorchSharp.torch;

namespace OneShotGee.Modeling.Generation;

/// <summary>The logits transformations of HF generate, on [b, vocab] float logits.</summary>
public static class LogitsProcessors
{
    /// <summary>Where <paramref name="seen"/> [b, vocab] is true: positive logits / r, negative logits × r (HF RepetitionPenaltyLogitsProcessor).</summary>
    public static Tensor RepetitionPenalty(Tensor logits, Tensor seen, double penalty)
    {
        using var scope = NewDisposeScope();
        var penalized = where(logits.lt(0), logits * penalty, logits / penalty);
        return where(seen, penalized, logits).MoveToOuterDisposeScope();
    }

    /// <summary>Sets every logit below the k-th largest to −∞ (HF TopKLogitsWarper).</summary>
    public static Tensor TopK(Tensor logits, int k)
    {
        using var scope = NewDisposeScope();
        k = (int)Math.Min(k, logits.shape[^1]);
        var kth = logits.topk(k).values.narrow(-1, k - 1, 1);
        return logits.masked_fill(logits.lt(kth), double.NegativeInfinity).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Keeps the smallest set of most likely tokens whose probability reaches p, always at least one (HF TopPLogitsWarper:
    /// ascending sort, drop the prefix whose cumulative probability is ≤ 1 − p).
    /// </summary>
    public static Tensor TopP(Tensor logits, double p)
    {
        using var scope = NewDisposeScope();
        var (sorted, indices) = logits.sort(-1, descending: false);
        var remove = sorted.softmax(-1).cumsum(-1).le(1 - p);
        remove.narrow(-1, remove.shape[^1] - 1, 1).fill_(false);
        var removeByToken = remove.scatter(-1, indices, remove);
        return logits.masked_fill(removeByToken, double.NegativeInfinity).MoveToOuterDisposeScope();
    }

    /// <summary>Entropy in nats of softmax(logits) along the last dimension, computed in float64.</summary>
    public static Tensor Entropy(Tensor logits)
    {
        using var scope = NewDisposeScope();
        var logp = logits.to(ScalarType.Float64).log_softmax(-1);
        return (-(logp.exp() * logp).sum(-1)).MoveToOuterDisposeScope();
    }
}
