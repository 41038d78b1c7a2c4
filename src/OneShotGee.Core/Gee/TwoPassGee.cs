using TorchSharp;
using static TorchSharp.torch;

namespace OneShotGee.Core.Gee;

/// <summary>
/// Exact full-batch GEE gradients under gradient accumulation. Pass 1: the caller computes every sample entropy
/// H_i without grad, micro-batch by micro-batch. <see cref="Coefficients"/> then derives c_i = ∂L/∂H_i from the
/// whole batch. Pass 2: the caller recomputes each micro-batch with grad and backpropagates
/// <see cref="SurrogateLoss"/> = Σ_i c_i·H_i; the accumulated gradient equals ∇L of the whole batch.
/// </summary>
public sealed class TwoPassGee(GeeOptions options)
{
    readonly GeeOptions options = options.Validated();
    readonly LambdaAnnealer annealer = new(options);

    /// <summary>
    /// With H̄ = Σ_i H_i / N and H_g = Σ_{i∈g} H_i / n_g over the present groups:
    /// c_i = [not PenaltyOnly]/N + λ·Σ_g φ'(H_g − H̄)·(1[i∈g]/n_g − 1/N), φ' = 2x (L2) or sign(x) with sign(0) = 0 (L1);
    /// for (H_a − H_b)²: c_i = [not PenaltyOnly]/N + λ·2(H_a − H_b)·(1[i∈a]/n_a − 1[i∈b]/n_b), 0 with a group missing.
    /// λ is this step's annealed value, held constant as in <see cref="GroupEntropyEqualizationLoss"/>.
    /// </summary>
    /// <param name="tokenCounts">Generated tokens per sample, for <see cref="EmWeighting.Token"/> (whose EM part of c_i is n_i/Σn).</param>
    public (double[] Coefficients, GeeStepMetrics Metrics) Coefficients(
        IReadOnlyList<double> sampleEntropies, IReadOnlyList<string> groups, int step, IReadOnlyList<int>? tokenCounts = null)
    {
        var stats = GroupEntropyStatistics.Of(sampleEntropies, groups, options.Groups);
        var lambda = annealer.Next(stats.EntropyGap);
        var em = EmWeights.Of(options.EmWeighting, groups.Count, tokenCounts);
        var c = new double[groups.Count];
        var penalty = PenaltySlopes(stats);
        for (var i = 0; i < c.Length; i++)
            c[i] = (options.PenaltyOnly ? 0 : em[i]) + lambda * penalty(groups[i]);
        var emTerm = sampleEntropies.Select((h, i) => em[i] * h).Sum();
        return (c, GeeStepMetrics.Create(step, stats, lambda, options, emTerm));
    }

    /// <summary>∂penalty/∂H_i for a sample of each group.</summary>
    Func<string, double> PenaltySlopes(GroupEntropyStatistics stats)
    {
        var n = (double)stats.SampleCount;
        if (options.Penalty == GeePenalty.SquaredDifference)
        {
            if (stats.GroupEntropies.Count != 2) return _ => 0;
            var (a, b) = (options.Groups[0], options.Groups[1]);
            var twiceDifference = 2 * (stats.GroupEntropies[a] - stats.GroupEntropies[b]);
            return g => g == a ? twiceDifference / stats.GroupSizes[a] : -twiceDifference / stats.GroupSizes[b];
        }
        var slope = stats.GroupEntropies.ToDictionary(kv => kv.Key,
            kv => options.Penalty == GeePenalty.L2 ? 2 * (kv.Value - stats.MeanEntropy) : Math.Sign(kv.Value - stats.MeanEntropy));
        var slopeSum = slope.Values.Sum();
        return g => slope[g] / stats.GroupSizes[g] - slopeSum / n;
    }

    /// <summary>Σ_i c_i·H_i for one micro-batch: its sample entropies [micro-batch] and their slice of c.</summary>
    public static Tensor SurrogateLoss(Tensor sampleEntropies, IReadOnlyList<double> coefficients)
    {
        if (sampleEntropies.dim() != 1 || sampleEntropies.shape[0] != coefficients.Count)
            throw new InvalidInputException(
                $"Tensor sampleEntropies [{string.Join(", ", sampleEntropies.shape)}] must be [{coefficients.Count}], " +
                "one entropy per coefficient.");
        using var scope = NewDisposeScope();
        var c = tensor(coefficients.ToArray()).to(sampleEntropies.dtype, sampleEntropies.device);
        return (sampleEntropies * c).sum().MoveToOuterDisposeScope();
    }
}
