using OneShotGee.Modeling.Runtime;
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
        return logits.masked_fill(logits.lt(kth), LiveScalars.NegativeInfinity).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Keeps the smallest set of most likely tokens whose probability reaches p, always at least one: HF
    /// TopPLogitsWarper's set (it drops the ascending prefix whose cumulative probability is ≤ 1 − p), found without
    /// sorting the vocabulary, a 152k-way sort per step being most of a small model's sampling time. When the
    /// <see cref="NucleusCandidates"/> most likely tokens of every row reach p, the set is read off their descending
    /// cumulative sum; otherwise the probability threshold is found by histograms (<see cref="NucleusThreshold"/>).
    /// Tokens tied with the last one kept are all kept, and a sum within float rounding of p may decide otherwise than
    /// HF's cumulative sum over a sort.
    /// </summary>
    public static Tensor TopP(Tensor logits, double p)
    {
        using var scope = NewDisposeScope();
        var probs = logits.softmax(-1);
        var largest = probs.amax([-1], keepdim: true);
        // The candidates can only reach p if as many tokens at the largest probability would: a flat distribution (an
        // untrained model, a high temperature) goes straight to the histograms instead of paying for a top-k first.
        var candidates = NucleusCandidates(probs.shape[^1]);
        var threshold = largest.min().to(ScalarType.Float64).item<double>() * candidates >= p ? CandidateThreshold(probs, candidates, p) : null;
        threshold ??= NucleusThreshold(probs, largest, p);
        return logits.masked_fill(probs.lt(threshold), LiveScalars.NegativeInfinity).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The most likely tokens whose cumulative probability top-p reads first: at most 1,024 (a trained model's nucleus
    /// at temperature ≤ 1 is far smaller) and an eighth of the vocabulary, since libtorch's top-k of a large share of a
    /// row costs a sort of it (measured on [32, 512] probabilities: top-64 40 µs, top-512 720 µs, docs/benchmarks.md).
    /// </summary>
    public static int NucleusCandidates(long vocabSize) => (int)Math.Clamp(vocabSize / 8, 1, 1024);

    /// <summary>The smallest probability kept per row [b, 1], read off the <paramref name="candidates"/> most likely
    /// tokens; null when they do not reach p in every row.</summary>
    static Tensor? CandidateThreshold(Tensor probs, int candidates, double p)
    {
        var top = probs.topk(candidates).values;
        var cumulative = top.cumsum(-1);
        if (!cumulative.narrow(-1, top.shape[^1] - 1, 1).ge(p).all().item<bool>()) return null;
        // Token j (descending) is kept while the mass above it is below p; the kept count is ≥ 1.
        var kept = (cumulative - top).lt(p).sum(-1, keepdim: true);
        return top.gather(-1, kept - 1);
    }

    /// <summary>Histogram rounds of <see cref="NucleusThreshold"/>, <see cref="NucleusBuckets"/> buckets each: the final
    /// bucket is 2⁻³⁰ of the largest probability wide, finer than float32's spacing of the probabilities near it.</summary>
    public const int NucleusRounds = 2, NucleusBuckets = 32768;

    /// <summary>
    /// The largest t with Σ p·[p ≥ t] ≥ <paramref name="p"/> per row of <paramref name="probs"/> [b, vocab] → [b, 1]
    /// (<paramref name="largest"/> [b, 1]: each row's largest probability), by
    /// refining histograms of probability mass: each round sums the mass per bucket of the current interval (one
    /// bincount for all rows), finds the bucket where the mass at or above it first reaches what is still needed, and
    /// makes that bucket the next interval. A few passes over the vocabulary instead of a sort.
    /// </summary>
    static Tensor NucleusThreshold(Tensor probs, Tensor largest, double p)
    {
        using var scope = NewDisposeScope();
        var (b, buckets) = (probs.shape[0], (long)NucleusBuckets);
        // Each row has two more bins, first and last, for the mass below and above the interval, which is not counted.
        var bins = buckets + 2;
        var rowOffsets = arange(b, ScalarType.Int64, probs.device).unsqueeze(-1).mul_(bins).add_(1);
        var weights = probs.flatten();
        var low = zeros([b, 1], probs.dtype, probs.device);
        var width = largest / (buckets - 1); // the largest probability falls in the last bucket
        var needed = full([b, 1], p, probs.dtype, probs.device);
        for (var round = 0; round < NucleusRounds; round++)
        {
            var bucket = (probs - low).div_(width).floor_().clamp_(-1, buckets).to(ScalarType.Int64).add_(rowOffsets);
            var mass = bucket.flatten().bincount(weights, b * bins).view(b, bins).narrow(1, 1, buckets).to(probs.dtype);
            var atOrAbove = mass.flip(-1).cumsum(-1).flip(-1);
            var chosen = atOrAbove.ge(needed).sum(-1, keepdim: true).sub_(1).clamp_min_(0);
            var above = atOrAbove.gather(-1, chosen) - mass.gather(-1, chosen);
            (low, needed, width) = (low + chosen.to(probs.dtype) * width, needed - above, width / buckets);
        }
        return low.MoveToOuterDisposeScope();
    }

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
