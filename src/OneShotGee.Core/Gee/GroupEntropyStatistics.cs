namespace OneShotGee.Core.Gee;

/// <summary>
/// The batch quantities of GEE computed from per-sample entropies H_i: H̄ = mean over all N samples, H_g = mean
/// over the samples of group g (only groups present in the batch), and the groups of
/// <see cref="GeeOptions.Groups"/> that are absent.
/// </summary>
public sealed record GroupEntropyStatistics(
    int SampleCount,
    double MeanEntropy,
    IReadOnlyDictionary<string, double> GroupEntropies,
    IReadOnlyDictionary<string, int> GroupSizes,
    IReadOnlyList<string> MissingGroups)
{
    /// <summary>max_g H_g − min_g H_g over the present groups (0 with fewer than two).</summary>
    public double EntropyGap => GroupEntropies.Count == 0 ? 0 : GroupEntropies.Values.Max() - GroupEntropies.Values.Min();

    /// <summary>Σ_g φ(H_g − H̄) over the present groups, φ = x² (L2) or |x| (L1); or (H_a − H_b)² of two present groups.</summary>
    public double Penalty(GeePenalty penalty) => penalty switch
    {
        GeePenalty.L2 => GroupEntropies.Values.Sum(h => (h - MeanEntropy) * (h - MeanEntropy)),
        GeePenalty.L1 => GroupEntropies.Values.Sum(h => Math.Abs(h - MeanEntropy)),
        _ => GroupEntropies.Count == 2 ? EntropyGap * EntropyGap : 0,
    };

    /// <summary>The population variance of group entropies, each group weighted equally (0 for none): beside the max − min
    /// gap, which sees only the extremes, it sees every group.</summary>
    public static double Variance(IReadOnlyCollection<double> groupEntropies)
    {
        if (groupEntropies.Count == 0) return 0;
        var mean = groupEntropies.Average();
        return groupEntropies.Sum(h => (h - mean) * (h - mean)) / groupEntropies.Count;
    }

    public static GroupEntropyStatistics Of(
        IReadOnlyList<double> sampleEntropies, IReadOnlyList<string> groups, IReadOnlyList<string> expectedGroups)
    {
        CheckLabels(sampleEntropies.Count, groups, expectedGroups);
        var sums = new Dictionary<string, double>(StringComparer.Ordinal);
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < groups.Count; i++)
        {
            sums[groups[i]] = sums.GetValueOrDefault(groups[i]) + sampleEntropies[i];
            sizes[groups[i]] = sizes.GetValueOrDefault(groups[i]) + 1;
        }
        var means = expectedGroups.Where(sizes.ContainsKey).ToDictionary(g => g, g => sums[g] / sizes[g], StringComparer.Ordinal);
        var missing = expectedGroups.Where(g => !sizes.ContainsKey(g)).ToArray();
        return new(groups.Count, sampleEntropies.Average(), means, sizes, missing);
    }

    /// <summary>Throws <see cref="InvalidInputException"/> unless there is one known label per sample.</summary>
    static void CheckLabels(int sampleCount, IReadOnlyList<string> groups, IReadOnlyList<string> expectedGroups)
    {
        if (sampleCount == 0)
            throw new InvalidInputException("GEE needs at least one sample; the batch is empty.");
        if (groups.Count != sampleCount)
            throw new InvalidInputException($"GEE got {groups.Count} group labels for {sampleCount} sample entropies.");
        for (var i = 0; i < groups.Count; i++)
            if (!expectedGroups.Contains(groups[i], StringComparer.Ordinal))
                throw new InvalidInputException(
                    $"Sample {i} has group label '{groups[i]}', which is not in GEE option Groups [{string.Join(", ", expectedGroups)}].");
    }
}
