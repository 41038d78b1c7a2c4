using TorchSharp;
using static TorchSharp.torch;

namespace OneShotGee.Core.Gee;

/// <summary>
/// L = H̄ + λ·Σ_g φ(H_g − H̄), φ = x² or |x| (issue 2), on the samples of one batch, differentiable with respect to
/// the sample entropies. H̄ is the mean over all samples, H_g over group g's samples; a group absent from the
/// batch is left out of the sum (and listed in the metrics), never counted as H_g = 0.
/// Under gradient accumulation, calling this per micro-batch and averaging is the seed's per-micro-batch
/// approximation (each call is also one <see cref="LambdaAnnealer"/> observation); <see cref="TwoPassGee"/> gives
/// the exact full-batch gradient.
/// </summary>
public sealed class GroupEntropyEqualizationLoss(GeeOptions options)
{
    readonly GeeOptions options = options.Validated();
    readonly LambdaAnnealer annealer = new(options);

    /// <summary>The loss of sample entropies H_i [batch] labelled by <paramref name="groups"/>, and its metrics.
    /// λ comes from the annealer, computed from detached values, so it is a constant for autograd.</summary>
    /// <param name="tokenCounts">Generated tokens per sample, for <see cref="EmWeighting.Token"/>.</param>
    public (Tensor Loss, GeeStepMetrics Metrics) Forward(
        Tensor sampleEntropies, IReadOnlyList<string> groups, int step, IReadOnlyList<int>? tokenCounts = null)
    {
        if (sampleEntropies.dim() != 1)
            throw new InvalidInputException(
                $"Tensor sampleEntropies must be [batch], got [{string.Join(", ", sampleEntropies.shape)}].");
        using var scope = NewDisposeScope();
        var values = sampleEntropies.detach().to_type(ScalarType.Float64).cpu().data<double>().ToArray();
        var stats = GroupEntropyStatistics.Of(values, groups, options.Groups);
        var lambda = annealer.Next(stats.EntropyGap);

        var meanEntropy = sampleEntropies.mean();
        var em = EmWeights.Of(options.EmWeighting, groups.Count, tokenCounts);
        var emTerm = (sampleEntropies * tensor(em).to(sampleEntropies.dtype, sampleEntropies.device)).sum();
        var groupEntropies = Averaging(stats, groups, sampleEntropies).matmul(sampleEntropies);
        var deviations = groupEntropies - meanEntropy;
        var penalty = options.Penalty switch
        {
            GeePenalty.L2 => deviations.square().sum(),
            GeePenalty.L1 => deviations.abs().sum(),
            // A missing group leaves no difference to penalise, as it leaves out its term under L2 and L1.
            _ => groupEntropies.shape[0] == 2 ? (groupEntropies[0] - groupEntropies[1]).square() : zeros_like(meanEntropy),
        };
        var loss = options.PenaltyOnly ? lambda * penalty : emTerm + lambda * penalty;
        return (loss.MoveToOuterDisposeScope(), GeeStepMetrics.Create(step, stats, lambda, options, values.Select((h, i) => em[i] * h).Sum()));
    }

    /// <summary>[present groups, batch] with 1/n_g where sample i is in group g, so that A·H = (H_g).</summary>
    static Tensor Averaging(GroupEntropyStatistics stats, IReadOnlyList<string> groups, Tensor like)
    {
        var present = stats.GroupEntropies.Keys.ToArray();
        var weights = new double[present.Length * groups.Count];
        for (var g = 0; g < present.Length; g++)
            for (var i = 0; i < groups.Count; i++)
                if (groups[i] == present[g]) weights[g * groups.Count + i] = 1.0 / stats.GroupSizes[present[g]];
        return tensor(weights, [present.Length, groups.Count]).to(like.dtype, like.device);
    }
}
