namespace OneShotGee.Core.Gee;

/// <summary>The weight w_i of each sample in the entropy-minimisation term Σ_i w_i·H_i (Σ_i w_i = 1).</summary>
public static class EmWeights
{
    /// <param name="tokenCounts">Generated tokens of each sample; needed, and checked, for <see cref="EmWeighting.Token"/>.</param>
    public static double[] Of(EmWeighting weighting, int sampleCount, IReadOnlyList<int>? tokenCounts)
    {
        if (weighting == EmWeighting.Sample) return [.. Enumerable.Repeat(1.0 / sampleCount, sampleCount)];
        if (tokenCounts is null || tokenCounts.Count != sampleCount)
            throw new InvalidInputException(
                $"EM weighting Token needs the generated-token count of each of the {sampleCount} samples, got {tokenCounts?.Count.ToString() ?? "none"}.");
        if (tokenCounts.Any(n => n < 1))
            throw new InvalidInputException("EM weighting Token: every sample needs at least one generated token.");
        double total = tokenCounts.Sum();
        return [.. tokenCounts.Select(n => n / total)];
    }
}
