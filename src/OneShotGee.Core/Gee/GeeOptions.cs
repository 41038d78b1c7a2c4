namespace OneShotGee.Core.Gee;

/// <summary>How the deviation of each group's entropy from the batch mean is penalised.</summary>
public enum GeePenalty
{
    /// <summary>Σ_g (H_g − H̄)².</summary>
    L2,

    /// <summary>Σ_g |H_g − H̄|.</summary>
    L1,

    /// <summary>
    /// (H_a − H_b)² of the two groups, as the GEE reference code writes its penalty. For two balanced groups it is twice
    /// <see cref="L2"/> (Σ_g (H_g − H̄)² = gap²/2), so λ here equals 2λ under <see cref="L2"/>.
    /// </summary>
    SquaredDifference,
}

/// <summary>How the entropy-minimisation term averages the batch.</summary>
public enum EmWeighting
{
    /// <summary>H̄ = mean of the sample entropies H_i (each the mean over its own tokens).</summary>
    Sample,

    /// <summary>Σ_i n_i·H_i / Σ_i n_i over the n_i generated tokens of each sample: the mean over all generated tokens,
    /// as One-shot EM averages; long responses weigh more.</summary>
    Token,
}

/// <summary>Settings of the Group-Entropy Equalization objective L = H̄ + λ·Σ_g φ(H_g − H̄).</summary>
public sealed record GeeOptions
{
    /// <summary>Weight λ of the group penalty (issue 2: λ = 3).</summary>
    public double Lambda { get; init; } = 3.0;

    /// <summary>Softmax temperature τ of the token entropy (One-shot EM uses τ = 0.5).</summary>
    public double Temperature { get; init; } = 0.5;

    public GeePenalty Penalty { get; init; } = GeePenalty.L2;

    /// <summary>How the entropy-minimisation term averages; the group statistics are sample means either way.</summary>
    public EmWeighting EmWeighting { get; init; } = EmWeighting.Sample;

    /// <summary>Drop the H̄ (entropy-minimisation) term and keep only λ·penalty.</summary>
    public bool PenaltyOnly { get; init; }

    /// <summary>Scale λ by gap_t / gap_0 each step (see <see cref="LambdaAnnealer"/>).</summary>
    public bool AutoAnneal { get; init; }

    /// <summary>Every group label a batch may contain, e.g. ["male", "female"]; a group absent from a batch is
    /// reported in <see cref="GeeStepMetrics.MissingGroups"/>.</summary>
    public IReadOnlyList<string> Groups { get; init; } = [];

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first bad option.</summary>
    public GeeOptions Validated()
    {
        if (!double.IsFinite(Lambda) || Lambda < 0)
            throw new InvalidInputException($"GEE option Lambda must be a finite number >= 0, got {Lambda}.");
        if (!double.IsFinite(Temperature) || Temperature <= 0)
            throw new InvalidInputException($"GEE option Temperature must be a finite number > 0, got {Temperature}.");
        if (!Enum.IsDefined(Penalty))
            throw new InvalidInputException($"GEE option Penalty must be L2, L1 or SquaredDifference, got {Penalty}.");
        if (Penalty == GeePenalty.SquaredDifference && Groups.Count != 2)
            throw new InvalidInputException($"GEE option Penalty SquaredDifference (the reference L2 convention) needs exactly two groups, got {Groups.Count}.");
        if (!Enum.IsDefined(EmWeighting))
            throw new InvalidInputException($"GEE option EmWeighting must be Sample or Token, got {EmWeighting}.");
        if (Groups.Count == 0)
            throw new InvalidInputException("GEE option Groups must list at least one group label.");
        if (Groups.Any(string.IsNullOrWhiteSpace))
            throw new InvalidInputException("GEE option Groups contains an empty group label.");
        var duplicate = Groups.GroupBy(g => g, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidInputException($"GEE option Groups lists '{duplicate.Key}' more than once.");
        return this;
    }
}
