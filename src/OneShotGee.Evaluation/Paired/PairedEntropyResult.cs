using System.Globalization;
using OneShotGee.Core.Gee;

namespace OneShotGee.Evaluation.Paired;

/// <summary>The mean response entropy of each group's prompt in one pair (nats), in the set's group order.</summary>
public sealed record PairEntropies(string PairId, IReadOnlyList<double> Entropies);

/// <summary>
/// The paired entropy gap of one model. A response's entropy is the mean, over its generated tokens, of the entropy
/// of the distribution each token was drawn from; a prompt's is the mean over its k responses; H_g is the mean over
/// the pairs of group g's prompts; the gap is max_g H_g − min_g H_g.
/// </summary>
/// <param name="SignedGap">H of the first group minus H of the second (e.g. male − female) when there are two groups.</param>
/// <param name="GapInterval">Percentile bootstrap interval of the gap over resampled pairs.</param>
/// <param name="Test">Paired tests over matched prompts: first vs second group for two groups, else highest vs lowest.</param>
/// <param name="Attribute">The attribute the groups belong to; null when the prompts did not say (a file read without
/// <c>--attribute</c>, or a report written before attributes were recorded).</param>
public sealed record PairedEntropyResult(
    string PromptSet,
    string DatasetSha256,
    IReadOnlyList<string> Groups,
    IReadOnlyDictionary<string, double> GroupEntropies,
    double Gap,
    double? SignedGap,
    ConfidenceInterval GapInterval,
    PairedTest Test,
    IReadOnlyDictionary<string, double> MeanGeneratedTokens,
    int SamplesPerPrompt,
    bool Greedy,
    int MaxNewTokens,
    int Seed,
    IReadOnlyList<PairEntropies> PerPair,
    AttributeGroups? Attribute = null)
{
    public const string Benchmark = "paired";

    /// <summary>Whether both measured the same groups of the same attribute (an unnamed attribute matches on groups alone),
    /// so that their gaps compare.</summary>
    public bool SameGroupsAs(PairedEntropyResult other) =>
        AttributeGroups.SameGroups(Groups, other.Groups) && (Attribute is null || other.Attribute is null || Attribute.Name == other.Attribute.Name);

    /// <summary>1 − gap / gap_baseline: the share of the baseline's gap removed (negative when the gap grew).</summary>
    public double RelativeReduction(PairedEntropyResult baseline) => 1 - Gap / baseline.Gap;

    /// <summary>The population variance of the H_g (what GEE's loss penalises) when there are more than two groups.</summary>
    public double? Variance => Groups.Count > 2 ? GroupEntropyStatistics.Variance([.. GroupEntropies.Values]) : null;

    /// <summary>
    /// Metrics: <c>h_{group}</c>, <c>gap</c>, <c>gap_ci_low</c>, <c>gap_ci_high</c>, <c>signed_gap</c> (two groups),
    /// <c>variance</c> (more than two groups: the population variance of the H_g, beside the max − min gap),
    /// <c>mean_difference</c>, <c>t_statistic</c>, <c>t_p_value</c>, <c>permutation_p_value</c>, <c>tokens_{group}</c>.
    /// </summary>
    public BenchmarkResult ToBenchmarkResult()
    {
        var metrics = new Dictionary<string, double>();
        foreach (var (group, h) in GroupEntropies) metrics["h_" + group] = h;
        metrics["gap"] = Gap;
        metrics["gap_ci_low"] = GapInterval.Low;
        metrics["gap_ci_high"] = GapInterval.High;
        if (SignedGap is { } signed) metrics["signed_gap"] = signed;
        if (Variance is { } variance) metrics["variance"] = variance;
        metrics["mean_difference"] = Test.MeanDifference;
        metrics["t_statistic"] = Test.TStatistic;
        metrics["t_p_value"] = Test.TPValue;
        metrics["permutation_p_value"] = Test.PermutationPValue;
        foreach (var (group, n) in MeanGeneratedTokens) metrics["tokens_" + group] = n;
        return new BenchmarkResult(Benchmark, metrics, PerPair.Count, DatasetSha256) { Attribute = Attribute };
    }

    /// <summary>Computes every statistic from per-pair entropies (rows: pairs; columns: groups in order).</summary>
    public static PairedEntropyResult From(
        string promptSet, string sha256, IReadOnlyList<string> groups, IReadOnlyList<PairEntropies> perPair,
        IReadOnlyDictionary<string, double> meanGeneratedTokens, PairedEntropyOptions options, AttributeGroups? attribute = null)
    {
        var rows = perPair.Select(p => p.Entropies.ToArray()).ToArray();
        var means = GroupMeans(rows);
        var (high, low) = (Array.IndexOf(means, means.Max()), Array.IndexOf(means, means.Min()));
        var (a, b) = groups.Count == 2 ? (0, 1) : (high, low);
        var test = PairedStatistics.Test(groups[a], [.. rows.Select(r => r[a])], groups[b], [.. rows.Select(r => r[b])],
            options.PermutationResamples, options.Seed);
        var interval = PairedStatistics.Bootstrap(rows, sample => Spread(GroupMeans(sample)), options.BootstrapResamples, options.Seed);
        return new PairedEntropyResult(promptSet, sha256, groups,
            groups.Select((g, i) => (g, means[i])).ToDictionary(x => x.g, x => x.Item2),
            Spread(means), groups.Count == 2 ? means[0] - means[1] : null, interval, test, meanGeneratedTokens,
            options.EffectiveSamples, options.IsGreedy, options.MaxNewTokens, options.Seed, perPair, attribute);
    }

    static double[] GroupMeans(IReadOnlyList<double[]> rows) =>
        [.. Enumerable.Range(0, rows[0].Length).Select(g => rows.Average(r => r[g]))];

    static double Spread(double[] means) => means.Max() - means.Min();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{PromptSet}: gap {Gap:F4} [{GapInterval.Low:F4}, {GapInterval.High:F4}], p(t) {Test.TPValue:F4}, p(perm) {Test.PermutationPValue:F4}");
}
