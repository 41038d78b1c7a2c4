using static TorchSharp.torch;

namespace OneShotGee.Modeling.Generation;

/// <summary>The logits transformations of HF generate, on [b, vocab] float logits.</summary>
public static class LogitsProcessors
{
    /// <summary>
    /// For every id in <paramref name="previousIds"/> [b, n] (prompt and output so far; repeats allowed): a positive logit
    /// divided by r, a negative one multiplied by r (HF RepetitionPenaltyLogitsProcessor: gather, penalise, scatter).
    /// </summary>
    public static Tensor RepetitionPenalty(Tensor logits, Tensor previousIds, double penalty)
    {
        using var scope = NewDisposeScope();
        var score = logits.gather(-1, previousIds);
        score = where(score.lt(0), score * penalty, score / penalty);
        return logits.scatter(-1, previousIds, score).MoveToOuterDisposeScope();
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
    /// Keeps the smallest set of most likely tokens whose probability reaches p, always at least one: HF
    /// TopPLogitsWarper's set (it drops the ascending prefix whose cumulative probability is ≤ 1 − p), found without
    /// sorting the vocabulary, a 152k-way sort per step being most of a small model's sampling time. When the
    /// <see cref="NucleusCandidates"/> most likely tokens of every row reach p, the set is read off their descending
    /// cumulative sum; otherwise the probability threshold is bisected (<see cref="NucleusBisections"/> halvings).
    /// Tokens tied with the last one kept are all kept, and a sum within float rounding of p may decide otherwise than
    /// HF's cumulative sum over a sort.
    /// </summary>
    public static Tensor TopP(Tensor logits, double p)
    {
        using var scope = NewDisposeScope();
        var probs = logits.softmax(-1);
        var top = probs.topk((int)Math.Min(NucleusCandidates, probs.shape[^1])).values;
        var cumulative = top.cumsum(-1);
        Tensor threshold;
        if (cumulative.narrow(-1, top.shape[^1] - 1, 1).ge(p).all().item<bool>())
        {
            // Token j (descending) is kept while the mass above it is below p; the kept count is ≥ 1.
            var kept = (cumulative - top).lt(p).sum(-1, keepdim: true);
            threshold = top.gather(-1, kept - 1);
        }
        else
        {
            // mass(t) = Σ p·[p ≥ t] falls as t rises: the largest t with mass(t) ≥ p, between 0 (mass 1) and the maximum.
            var (low, high) = (zeros_like(top.narrow(-1, 0, 1)), top.narrow(-1, 0, 1));
            for (var i = 0; i < NucleusBisections; i++)
            {
                var middle = (low + high).mul_(0.5);
                var reaches = probs.where(probs.ge(middle), 0f).sum(-1, keepdim: true).ge(p);
                (low, high) = (where(reaches, middle, low), where(reaches, high, middle));
            }
            threshold = low;
        }
        return logits.masked_fill(probs.lt(threshold), double.NegativeInfinity).MoveToOuterDisposeScope();
    }

    /// <summary>The most likely tokens whose cumulative probability top-p reads first (a trained model's nucleus at
    /// temperature ≤ 1 is far smaller).</summary>
    public const int NucleusCandidates = 1024;

    /// <summary>Halvings of the top-p threshold: 2⁻⁴⁰ of the largest probability separates any two distinct float32 ones.</summary>
    public const int NucleusBisections = 40;

    /// <summary>
    /// A token per row [b] drawn from softmax(logits) [b, vocab] by inverse transform sampling: one uniform per row
    /// against the cumulative probabilities (torch.multinomial draws an exponential per vocabulary entry).
    /// </summary>
    public static Tensor Draw(Tensor logits, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var cdf = logits.softmax(-1).cumsum(-1);
        var last = cdf.shape[^1] - 1;
        var u = rand([cdf.shape[0], 1], generator: generator, device: cdf.device).mul_(cdf.narrow(-1, last, 1));
        // The first index whose cumulative probability exceeds u: a token of probability 0 is never chosen.
        return searchsorted(cdf, u, right: true).clamp_max_(last).squeeze(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Entropy in nats of softmax(logits) along the last dimension, computed in float64.</summary>
    public static Tensor Entropy(Tensor logits)
    {
        using var scope = NewDisposeScope();
        var logp = logits.to(ScalarType.Float64).log_softmax(-1);
        return (-(logp.exp() * logp).sum(-1)).MoveToOuterDisposeScope();
    }
}
