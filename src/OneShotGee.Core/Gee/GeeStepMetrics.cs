namespace OneShotGee.Core.Gee;

/// <summary>What one GEE step measured; <see cref="Loss"/> = <see cref="LossEm"/> + <see cref="LossBias"/> + <see cref="LossKl"/>.</summary>
/// <param name="LossEm">The H̄ term as it enters the loss: H̄, or 0 when <see cref="GeeOptions.PenaltyOnly"/>.</param>
/// <param name="LossBias">λ·Σ_g φ(H_g − H̄) over the groups present in the batch.</param>
/// <param name="MeanEntropy">H̄, the mean sample entropy of the batch (reported even when PenaltyOnly).</param>
/// <param name="GroupEntropies">H_g of each group present in the batch.</param>
/// <param name="EntropyGap">max_g H_g − min_g H_g over the present groups.</param>
/// <param name="MissingGroups">Expected groups with no sample in the batch; they are left out of the penalty.</param>
public sealed record GeeStepMetrics(
    int Step,
    double Loss,
    double LossEm,
    double LossBias,
    double MeanEntropy,
    IReadOnlyDictionary<string, double> GroupEntropies,
    double EntropyGap,
    double Lambda,
    IReadOnlyList<string> MissingGroups)
{
    /// <summary>The population variance of the present groups' H_g (each group weighted equally), reported beside the
    /// gap when there are more than two groups: the gap sees only the extremes, the variance every group.</summary>
    public double EntropyVariance => GroupEntropyStatistics.Variance([.. GroupEntropies.Values]);

    /// <summary>Mean KL(π_θ ‖ π_ref) per generated token (<see cref="ReferenceKl"/>); null when the run has no KL anchor.</summary>
    public double? Kl { get; init; }

    /// <summary>β·<see cref="Kl"/> as it enters the loss (0 without an anchor).</summary>
    public double LossKl { get; init; }

    /// <summary>These metrics with the KL anchor's term β·kl added to the loss.</summary>
    public GeeStepMetrics WithKlAnchor(double coefficient, double kl) =>
        this with { Kl = kl, LossKl = coefficient * kl, Loss = LossEm + LossBias + coefficient * kl };

    /// <param name="emTerm">The entropy-minimisation term when it is not H̄ (token weighting).</param>
    public static GeeStepMetrics Create(int step, GroupEntropyStatistics stats, double lambda, GeeOptions options, double? emTerm = null)
    {
        var lossEm = options.PenaltyOnly ? 0 : emTerm ?? stats.MeanEntropy;
        var lossBias = lambda * stats.Penalty(options.Penalty);
        return new(step, lossEm + lossBias, lossEm, lossBias, stats.MeanEntropy, stats.GroupEntropies,
            stats.EntropyGap, lambda, stats.MissingGroups);
    }

    /// <summary>Throws <see cref="InvalidInputException"/> naming the step when the loss or λ is NaN or infinite
    /// (a diverged run: usually a learning rate or temperature that is too large).</summary>
    public GeeStepMetrics EnsureFinite()
    {
        if (!double.IsFinite(Loss) || !double.IsFinite(Lambda))
            throw new InvalidInputException(
                $"GEE loss is not finite at step {Step}: loss={Loss}, H_bar={MeanEntropy}, lambda={Lambda}, kl={Kl?.ToString() ?? "none"}, " +
                $"H_g=[{string.Join(", ", GroupEntropies.Select(kv => $"{kv.Key}={kv.Value}"))}].");
        return this;
    }
}
