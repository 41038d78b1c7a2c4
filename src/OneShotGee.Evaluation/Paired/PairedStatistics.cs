namespace OneShotGee.Evaluation.Paired;

/// <summary>A confidence interval at <see cref="Level"/> (e.g. 0.95).</summary>
public sealed record ConfidenceInterval(double Low, double High, double Level);

/// <summary>Paired comparison of two groups over matched prompts: d_i = H_a(i) − H_b(i).</summary>
/// <param name="MeanDifference">mean d.</param>
/// <param name="TStatistic">mean d / (sd(d)/√n), NaN when sd(d) = 0.</param>
/// <param name="TPValue">Two-sided p of the paired t-test with n − 1 degrees of freedom.</param>
/// <param name="PermutationPValue">Two-sided p of the sign-flip permutation test on mean d (exact for n ≤ 16).</param>
public sealed record PairedTest(
    string GroupA, string GroupB, int Pairs, double MeanDifference, double TStatistic, double DegreesOfFreedom,
    double TPValue, double PermutationPValue, int PermutationResamples);

/// <summary>Statistics over matched prompts, each seeded so a report is reproducible.</summary>
public static class PairedStatistics
{
    /// <summary>
    /// Percentile bootstrap (Efron &amp; Tibshirani 1993, §13.3) of <paramref name="statistic"/>: pairs (rows of
    /// <paramref name="values"/>) are resampled with replacement, keeping each pair's groups together.
    /// </summary>
    public static ConfidenceInterval Bootstrap(
        IReadOnlyList<double[]> values, Func<IReadOnlyList<double[]>, double> statistic, int resamples, int seed, double level = 0.95)
    {
        var random = new Random(seed);
        var draws = new double[resamples];
        var sample = new double[values.Count][];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < sample.Length; i++) sample[i] = values[random.Next(values.Count)];
            draws[r] = statistic(sample);
        }
        Array.Sort(draws);
        var alpha = (1 - level) / 2;
        return new ConfidenceInterval(Quantile(draws, alpha), Quantile(draws, 1 - alpha), level);
    }

    /// <summary>Paired t-test and sign-flip permutation test of the differences a_i − b_i.</summary>
    public static PairedTest Test(string groupA, IReadOnlyList<double> a, string groupB, IReadOnlyList<double> b, int resamples, int seed)
    {
        var d = a.Zip(b, (x, y) => x - y).ToArray();
        var n = d.Length;
        var mean = d.Average();
        var sd = n > 1 ? Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (n - 1)) : double.NaN;
        var t = sd > 0 ? mean / (sd / Math.Sqrt(n)) : double.NaN;
        var (p, draws) = SignFlipPValue(d, resamples, seed);
        return new PairedTest(groupA, groupB, n, mean, t, n - 1, StudentT.TwoSidedPValue(t, n - 1), p, draws);
    }

    /// <summary>
    /// Under H0 each difference is symmetric about 0, so its sign is a fair coin. Exact over all 2^n sign vectors for
    /// n ≤ 16; otherwise Monte Carlo with the observed vector counted once: p = (hits + 1)/(draws + 1) (Phipson &amp; Smyth 2010).
    /// </summary>
    static (double P, int Draws) SignFlipPValue(double[] d, int resamples, int seed)
    {
        var observed = Math.Abs(d.Sum()) * (1 - 1e-12);
        if (d.Length <= 16)
        {
            var total = 1 << d.Length;
            var hits = 0;
            for (var signs = 0; signs < total; signs++)
                if (Math.Abs(SignedSum(d, i => (signs >> i & 1) == 1)) >= observed) hits++;
            return ((double)hits / total, total);
        }
        var random = new Random(seed);
        var count = 0;
        for (var r = 0; r < resamples; r++)
            if (Math.Abs(SignedSum(d, _ => random.Next(2) == 1)) >= observed) count++;
        return ((count + 1.0) / (resamples + 1.0), resamples);
    }

    static double SignedSum(double[] d, Func<int, bool> negative)
    {
        var sum = 0.0;
        for (var i = 0; i < d.Length; i++) sum += negative(i) ? -d[i] : d[i];
        return sum;
    }

    /// <summary>Linear interpolation between order statistics (R's type 7, numpy's default).</summary>
    public static double Quantile(double[] sorted, double q)
    {
        var position = q * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
